"""Shell commands as line magics: ``%sx``/``%system``, ``%alias``, ``%unalias``, ``%rehashx``.

Usage::

    %sx ls *.py                      # the output lines, as an SList (what !!ls *.py does)
    %alias say echo %s and %s        # %say a b  runs  echo a and b
    %alias ff find . -name %l        # %l is the whole line
    %alias --persist gs git status   # also saved for later sessions
    %unalias say
    %alias                           # list every alias
    ls -la                           # hocus has IPython's default aliases: ls, ll, cat, mkdir...

An alias is a line magic, so it also works without ``%`` when no variable
shadows its name, and ``$name``/``{expr}`` are expanded in its line. In the
command, ``%s`` takes the next word of the line, ``%l`` the whole line and
``%%`` is a literal ``%``; words left over are appended.

Aliases saved with ``--persist`` live in ``aliases.json`` in the user data
folder. Reading it is deferred, so start-up never pays for it: the file is
read the first time an alias (or any magic name hocus does not know yet) is
looked up. So ``%name`` always finds a saved alias; typed without ``%``, it
works from the first time anything made that lookup (``%alias``,
``%lsmagic``, any default alias such as ``ls``, or ``%name`` itself).
"""

from __future__ import annotations

import builtins
import json
import keyword
import os
import re
import sys
from pathlib import Path
from typing import Callable

from magics.base import Magics
from magics.decorators import expand_vars, line_magic
from magics.errors import UsageError
from magics.registry import MagicRegistry
from magics.surface import ShellSurface

ALIASES_FILE = "aliases.json"

if "NO_COLOR" in os.environ:  # https://no-color.org, which GNU ls does not read itself
    _LS = "ls -F"
elif sys.platform.startswith("linux"):
    _LS = "ls -F --color=auto"
elif sys.platform == "darwin" or "bsd" in sys.platform:
    _LS = "ls -F -G"
else:
    _LS = "ls -F"

DEFAULT_ALIASES: dict[str, str] = {
    "ls": _LS, "ll": f"{_LS} -o", "lf": f"{_LS} -o %l | grep ^-", "lk": f"{_LS} -o %l | grep ^l",
    "ldir": f"{_LS} -o %l | grep /$", "lx": f"{_LS} -o %l | grep ^-..x",
    "mkdir": "mkdir", "rmdir": "rmdir", "mv": "mv", "rm": "rm", "cp": "cp", "cat": "cat",
    "clear": "clear", "more": "more", "less": "less", "man": "man",
}
"""IPython's default aliases on POSIX systems (``ls`` in colour unless ``NO_COLOR`` is set)."""

_SPECIFIER = re.compile(r"%%|%s|%l")


def expand_alias(name: str, command: str, line: str) -> str:
    """The shell command an alias runs for ``line``; too few words for its ``%s`` is a UsageError."""
    wanted = command.count("%s") - command.count("%%s")
    words = line.split(None, wanted) if wanted else []
    if len(words) < wanted:
        raise UsageError(f"%{name}: needs {wanted} argument{'s' if wanted != 1 else ''}, got {len(words)}")
    rest = words[wanted] if len(words) > wanted else ("" if wanted else line.strip())
    values = iter(words[:wanted])
    used_line = False

    def substitute(match: re.Match) -> str:
        nonlocal used_line
        if match.group() == "%%":
            return "%"
        if match.group() == "%s":
            return next(values)
        used_line = True
        return line.strip()

    expanded = _SPECIFIER.sub(substitute, command)
    return expanded if used_line or not rest else f"{expanded} {rest}"


def check_alias(name: str, command: str) -> None:
    """A one-line UsageError for a name or command that cannot make an alias."""
    if not name.isidentifier() or keyword.iskeyword(name):
        raise UsageError(f"%alias: {name!r} cannot be an alias name (it must be a Python identifier, not a keyword)")
    if not command.strip():
        raise UsageError(f"%alias: give the command for {name}, e.g. %alias {name} ls -la")
    if "%l" in command and re.search(r"(?<!%)%s", command):
        raise UsageError("%alias: use either %s or %l in one alias, not both")


class _AliasMagic:
    """The line magic registered for an alias defined in the session (or saved)."""

    __magic_expand_vars__ = True

    def __init__(self, owner: "CommandMagics", name: str):
        self.owner = owner
        self.name = name
        self.__alias_command__ = owner.aliases[name]
        self.__doc__ = f"Alias for the shell command `{self.__alias_command__}`."

    def __call__(self, line: str = "") -> None:
        self.owner.run_alias(self.name, line)


def _default_alias(name: str) -> Callable[[CommandMagics, str], None]:
    def run(self: CommandMagics, line: str = "") -> None:
        self.run_alias(name, line)

    run.__name__ = run.__qualname__ = name
    run.__doc__ = f"Alias for the shell command `{DEFAULT_ALIASES[name]}` (one of IPython's default aliases)."
    setattr(run, "__alias_command__", DEFAULT_ALIASES[name])
    return expand_vars(line_magic(name)(run))


class CommandMagics(Magics):
    """Capture a command's output, and make magics out of shell commands (aliases).

    One instance per registry owns the alias table: the defaults, then saved
    aliases, then the session's.
    """

    def __init__(self, shell: ShellSurface):
        super().__init__(shell)
        self.aliases: dict[str, str] = dict(DEFAULT_ALIASES)
        self.saved_path = Path(shell.hocus_dir) / ALIASES_FILE
        for name, command in self._read_saved().items():
            self._define(name, command)

    # -- capturing output ------------------------------------------------------------------
    @expand_vars
    @line_magic
    def sx(self, line: str = "") -> list[str]:
        """Run a shell command and return its output lines as an SList (``!!cmd`` does the same).

        The list has ``.s``, ``.n``, ``.p``, ``.grep()``, ``.fields()`` and
        ``.sort()``; the exit status goes into ``_exit_code``.
        """
        if not line.strip():
            raise UsageError("%sx: give a shell command, e.g. %sx ls")
        return self.shell.getoutput(line)

    @expand_vars
    @line_magic
    def system(self, line: str = "") -> list[str]:
        """The same as ``%sx``: run a shell command and return its output lines."""
        if not line.strip():
            raise UsageError("%system: give a shell command, e.g. %system ls")
        return self.shell.getoutput(line)

    # -- aliases ----------------------------------------------------------------------------
    @line_magic
    def alias(self, line: str = "") -> list[tuple[str, str]] | None:
        """Define an alias: ``%alias NAME COMMAND`` (``%s`` for words, ``%l`` for the line).

        ``%alias --persist NAME COMMAND`` also saves it for later sessions;
        ``%alias`` alone lists every alias and returns them as (name, command) pairs.
        """
        first, _, rest = line.strip().partition(" ")
        persist = first in ("--persist", "-p")
        words = rest.strip() if persist else line.strip()
        if not words:
            if persist:
                raise UsageError("%alias --persist: give a name and a command")
            return self._list()
        name, _, command = words.partition(" ")  # the command keeps its own options: %alias ll ls -l
        command = command.strip()
        check_alias(name, command)
        if name not in self.aliases and self.shell.magics.has("line", name):
            raise UsageError(f"%alias: %{name} is a magic already; choose another name")
        self._define(name, command)
        if persist:
            saved = self._read_saved()
            saved[name] = command
            self._write_saved(saved)
        return None

    @line_magic
    def unalias(self, line: str = "") -> None:
        """Remove an alias (``%unalias NAME``), from saved ones too."""
        name = line.strip()
        if not name:
            raise UsageError("%unalias: give the name of an alias")
        if name not in self.aliases:
            raise UsageError(f"%unalias: there is no alias {name!r}")
        del self.aliases[name]
        self.shell.magics.unregister("line", name)
        saved = self._read_saved()
        if name in saved:
            del saved[name]
            self._write_saved(saved)

    @line_magic
    def rehashx(self, line: str = "") -> None:
        """Make an alias of every program on ``$PATH`` that is not a magic, keyword or builtin already."""
        count = 0
        for folder in os.environ.get("PATH", "").split(os.pathsep):
            try:
                entries = list(os.scandir(folder or "."))
            except OSError:
                continue
            for entry in entries:
                name = entry.name
                if (name in self.aliases or not name.isidentifier() or keyword.iskeyword(name)
                        or hasattr(builtins, name) or not os.access(entry.path, os.X_OK) or entry.is_dir()
                        or self.shell.magics.has("line", name)):
                    continue
                self._define(name, name)
                count += 1
        self.shell.write(f"{count} programs on $PATH are now aliases (%alias lists them).\n")

    def run_alias(self, name: str, line: str) -> None:
        """Run alias ``name`` with the words of ``line``."""
        command = self.aliases.get(name)
        if command is None:
            raise UsageError(f"%{name}: the alias was removed")
        self.shell.system(expand_alias(name, command, line))

    # -- IPython's default aliases (their commands are in DEFAULT_ALIASES) ----------------
    ls = _default_alias("ls")
    ll = _default_alias("ll")
    lf = _default_alias("lf")
    lk = _default_alias("lk")
    ldir = _default_alias("ldir")
    lx = _default_alias("lx")
    mkdir = _default_alias("mkdir")
    rmdir = _default_alias("rmdir")
    mv = _default_alias("mv")
    rm = _default_alias("rm")
    cp = _default_alias("cp")
    cat = _default_alias("cat")
    clear = _default_alias("clear")
    more = _default_alias("more")
    less = _default_alias("less")
    man = _default_alias("man")

    # -- helpers --------------------------------------------------------------------------
    def _define(self, name: str, command: str) -> None:
        self.aliases[name] = command
        if name not in DEFAULT_ALIASES or not self.shell.magics.has("line", name):
            self.shell.magics.register("line", name, _AliasMagic(self, name), origin="alias")

    def _list(self) -> list[tuple[str, str]]:
        pairs = sorted(self.aliases.items())
        self.shell.write(f"Total number of aliases: {len(pairs)}\n")
        return pairs

    def _read_saved(self) -> dict[str, str]:
        if self.saved_path is None or not self.saved_path.exists():
            return {}
        try:
            data = json.loads(self.saved_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            if self.shell is not None:
                self.shell.write_err(f"hocus: ignoring saved aliases in {self.saved_path}: {err}\n")
            return {}
        if not isinstance(data, dict):
            return {}
        return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)
                and k.isidentifier() and not keyword.iskeyword(k)}

    def _write_saved(self, saved: dict[str, str]) -> None:
        if self.saved_path is None:
            raise UsageError("%alias --persist needs a user data folder (HOCUS_DIR)")
        self.saved_path.parent.mkdir(parents=True, exist_ok=True)
        scratch = self.saved_path.with_suffix(".json.tmp")
        scratch.write_text(json.dumps(saved, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(scratch, self.saved_path)


def register_saved_aliases(registry: MagicRegistry) -> None:
    """A registry finder: load the alias table (and so the saved aliases) of ``registry``'s shell.

    Looking up ``%alias`` instantiates :class:`CommandMagics` for the
    registry, which registers every saved alias.
    """
    if registry.shell is not None and registry.has("line", "alias"):
        registry.find("line", "alias")
