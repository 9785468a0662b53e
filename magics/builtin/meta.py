"""Magics about magics: ``%lsmagic``, ``%magic``, ``%automagic``, ``%autocall``, ``%alias_magic``.

Usage::

    %lsmagic                        # every line and cell magic, by name
    %magic                          # an overview, with each magic's one-line summary
    %automagic off                  # from now on, line magics need their %
    %autocall 1                     # `f 1, 2` runs f(1, 2)
    %alias_magic t timeit           # %t and %%t run %timeit and %%timeit
    %alias_magic -l -p "-n 1" t1 timeit

These read the registry (``shell.magics``) and never import the magics they
list, except ``%magic``, which has to load each one to read its docstring.
"""

from __future__ import annotations

import inspect
import textwrap
from typing import Protocol

from magics.arguments import argument, magic_arguments, parse_argstring
from magics.base import Magics
from magics.decorators import line_magic
from magics.errors import MagicNotFound, UsageError

_PREFIX = {"line": "%", "cell": "%%"}
_ON = {"on": True, "1": True, "true": True, "yes": True, "off": False, "0": False, "false": False, "no": False}

OVERVIEW = """\
Magics: commands for the shell itself
=====================================

A line magic starts with % and takes the rest of its line as its argument:

    %timeit sum(range(100))

A cell magic starts with %% on the first line of a cell and gets the whole
cell below that line as its body:

    %%time
    total = sum(range(10**6))

With automagic on (see %automagic) line magics also work without the %,
as long as no variable has the same name. `%name?` shows one magic's help,
%lsmagic lists every magic, and third-party packages add magics through the
`hocus.magics` entry point group or with %load_ext.
"""


def parse_switch(value: str, what: str) -> bool:
    """``on``/``off``/``1``/``0``/``true``/``false`` as a bool, or a one-line UsageError."""
    try:
        return _ON[value.strip().lower()]
    except KeyError:
        raise UsageError(f"%{what}: expected on or off, not {value.strip()!r}") from None


def automagic_status(on: bool) -> str:
    """The sentence IPython prints about automagic."""
    return ("Automagic is ON, % prefix IS NOT needed for line magics." if on
            else "Automagic is OFF, % prefix IS needed for line magics.")


class _TextSink(Protocol):
    """The part of a pretty printer (IPython's or hocus's) that ``_repr_pretty_`` uses."""

    def text(self, obj: str) -> None: ...


class MagicsListing:
    """What ``%lsmagic`` returns: its repr is the listing, so it shows as ``Out[N]``."""

    def __init__(self, line: list[str], cell: list[str], automagic: bool, width: int = 79):
        self.line = line
        self.cell = cell
        self.automagic = automagic
        self.width = width

    def __str__(self) -> str:
        def block(title: str, names: list[str], prefix: str) -> str:
            listing = "  ".join(prefix + name for name in names) or "(none)"
            return f"{title}:\n" + textwrap.fill(listing, self.width, break_on_hyphens=False)

        return "\n\n".join([block("Available line magics", self.line, "%"),
                            block("Available cell magics", self.cell, "%%"),
                            automagic_status(self.automagic)])

    __repr__ = __str__

    def _repr_pretty_(self, printer: _TextSink, cycle: bool) -> None:
        printer.text(str(self))


def first_line(doc: str) -> str:
    """The summary line of a docstring (its first non-empty line)."""
    for line in inspect.cleandoc(doc or "").splitlines():
        if line.strip():
            return line.strip()
    return "(no help)"


class MetaMagics(Magics):
    """Listing magics, explaining them, and making aliases of them."""

    @line_magic
    def lsmagic(self, line: str = "") -> MagicsListing:
        """List the available line and cell magics.

        The result is also an object: ``m = %lsmagic; m.line`` is the list
        of line magic names.
        """
        registry = self.shell.magics
        return MagicsListing(registry.names("line"), registry.names("cell"), bool(self.shell.automagic))

    @magic_arguments()
    @argument("-full", "--full", action="store_true", help="show every magic's whole docstring")
    @argument("-brief", "--brief", action="store_true", help="only each magic's summary line (the default)")
    @line_magic
    def magic(self, line: str = "") -> None:
        """Explain the magic system and list every magic with its summary line."""
        args = parse_argstring(self.magic, line)
        registry = self.shell.magics
        parts = [OVERVIEW]
        for kind, title in (("line", "Line magics"), ("cell", "Cell magics")):
            parts.append(f"\n{title}\n{'-' * len(title)}\n")
            for name in registry.names(kind):
                try:
                    doc = registry.find(kind, name).doc
                except MagicNotFound:
                    continue  # an entry point that turned out to offer no magic of this kind
                except UsageError as err:
                    parts.append(f"{_PREFIX[kind] + name:<20} (could not load: {err})\n")
                    continue
                if args.full:
                    body = textwrap.indent(inspect.cleandoc(doc) or "(no help)", "    ")
                    parts.append(f"{_PREFIX[kind]}{name}:\n{body}\n\n")
                else:
                    parts.append(f"{_PREFIX[kind] + name:<20} {first_line(doc)}\n")
        parts.append("\n" + automagic_status(bool(self.shell.automagic)) + "\n")
        self.shell.page("".join(parts))

    @line_magic
    def automagic(self, line: str = "") -> None:
        """Make line magics callable without the % prefix (on), or not (off).

        Usage: ``%automagic [on|off|1|0]``; with no argument it toggles.
        A variable with the magic's name always wins over automagic.
        """
        on = not self.shell.automagic if not line.strip() else parse_switch(line, "automagic")
        self.shell.automagic = on
        self.shell.write(automagic_status(on) + "\n")

    @line_magic
    def autocall(self, line: str = "") -> None:
        """Make functions callable without parentheses: ``%autocall [0|1|2]``.

        0 is off; 1 (Smart) turns a one-line cell ``f 1, 2`` into ``f(1, 2)``
        when ``f`` is callable; 2 (Full) also calls a bare ``f``. With no
        argument it toggles between off and the last mode. Whatever the mode,
        ``,f a b`` runs ``f("a", "b")``, ``;f a b`` runs ``f("a b")`` and
        ``/f 1 2`` runs ``f(1, 2)``.
        """
        modes = ("Off", "Smart", "Full")
        if line.strip():
            if line.strip() not in ("0", "1", "2"):
                raise UsageError("Valid modes: 0->Off, 1->Smart, 2->Full")
            mode = int(line)
        elif self.shell.autocall:
            self._autocall_saved, mode = self.shell.autocall, 0
        else:
            mode = getattr(self, "_autocall_saved", 1)
        self.shell.autocall = mode
        self.shell.write(f"Automatic calling is: {modes[mode]}\n")

    @magic_arguments()
    @argument("-l", "--line", action="store_true", help="create a line magic alias")
    @argument("-c", "--cell", action="store_true", help="create a cell magic alias")
    @argument("-p", "--params", default="", help="parameters put before the line the alias is called with")
    @argument("name", help="the name of the new alias")
    @argument("target", help="the magic it runs (a leading %% is ignored)")
    @line_magic
    def alias_magic(self, line: str = "") -> None:
        """Make a new name for an existing magic.

        Without ``-l`` or ``-c``, aliases every kind the target has::

            %alias_magic t timeit          # %t and %%t
            %alias_magic -l -p "-n 1" once timeit
        """
        args = parse_argstring(self.alias_magic, line)
        name, target = args.name.lstrip("%"), args.target.lstrip("%")
        if not name or not target:
            raise UsageError("%alias_magic: both a name and a target are needed")
        if name == target:
            raise UsageError(f"%alias_magic: `{name}` cannot be an alias of itself")
        registry = self.shell.magics
        kinds = [k for k, wanted in (("line", args.line), ("cell", args.cell)) if wanted] or [
            k for k in ("line", "cell") if registry.get(k, target) is not None]
        if not kinds:
            raise UsageError(f"%alias_magic: no magic named `{target}`")
        for kind in kinds:
            registry.alias(kind, name, target, args.params)  # MagicNotFound is a one-line UsageError
            params = f" with parameters {args.params!r}" if args.params else ""
            self.shell.write(f"Created `{_PREFIX[kind]}{name}` as an alias for `{_PREFIX[kind]}{target}`{params}.\n")
