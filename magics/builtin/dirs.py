"""Moving around: ``%cd``, ``%pwd``, ``%dhist``, ``%pushd``/``%popd``/``%dirs``, ``%bookmark``.

Usage::

    %cd /tmp            # prints the new folder; %cd -q is quiet
    %cd -               # back to the previous folder
    %cd -2              # to entry 2 of %dhist (the history is kept in _dh)
    %cd --proj          # to the latest folder in the history whose path contains "proj"
    %cd                 # home; %cd ~/src works too
    %bookmark src ~/src # persisted in $HOCUS_DIR/bookmarks.json, for every session
    %cd -b src          # or just %cd src, when there is no folder called src here
    %pushd /etc         # remember this folder, go to /etc; %popd comes back

``!cd`` cannot work (each ``!`` command runs in a shell of its own), which
is why these are magics that change hocus's own working directory.
A folder that does not exist, an unknown bookmark or an empty stack is a
one-line error and nothing changes.
"""

from __future__ import annotations

import json
import os
import shlex
from pathlib import Path

from magics.arguments import argument, magic_arguments, parse_argstring
from magics.base import Magics
from magics.decorators import expand_vars, line_magic
from magics.errors import UsageError
from magics.surface import ShellSurface

BOOKMARKS_FILE = "bookmarks.json"


class BookmarkStore:
    """Named folders in a JSON file, read at each use so that sessions running at once agree."""

    def __init__(self, path: Path | None):
        self.path = path

    def load(self) -> dict[str, str]:
        if self.path is None or not self.path.exists():
            return {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise UsageError(f"cannot read bookmarks from {self.path}: {err}") from None
        if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
            raise UsageError(f"cannot read bookmarks from {self.path}: not a JSON object of names to folders")
        return data

    def save(self, bookmarks: dict[str, str]) -> None:
        if self.path is None:
            raise UsageError("bookmarks need a user data folder (HOCUS_DIR)")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        scratch = self.path.with_suffix(".json.tmp")
        scratch.write_text(json.dumps(bookmarks, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(scratch, self.path)  # never a half-written file


class DirectoryMagics(Magics):
    """The working directory, its history (``_dh``), a stack, and bookmarks."""

    def __init__(self, shell: ShellSurface):
        super().__init__(shell)
        self.stack: list[str] = []
        self.bookmarks = BookmarkStore(Path(shell.hocus_dir) / BOOKMARKS_FILE)
        shell.user_ns.setdefault("_dh", [os.getcwd()])

    @property
    def history(self) -> list[str]:
        """The folders visited, oldest first: ``_dh`` in the namespace, as in IPython."""
        history = self.shell.user_ns.get("_dh")
        if not isinstance(history, list):
            history = self.shell.user_ns["_dh"] = [os.getcwd()]
        return history

    @expand_vars
    @line_magic
    def cd(self, line: str = "") -> None:
        """Change the working directory and print it.

        ``%cd DIR``, ``%cd`` (home), ``%cd ~/x``, ``%cd -`` (the previous
        folder), ``%cd -N`` (entry N of ``%dhist``), ``%cd --TEXT`` (the
        latest folder in the history containing TEXT), ``%cd -b NAME`` (a
        bookmark; ``%cd NAME`` also finds one when no folder NAME exists),
        ``-q`` to print nothing.
        """
        quiet, bookmark, target = _cd_words(line)
        announce = None
        if bookmark is not None:
            path = self._bookmark(bookmark)
            announce = f"(bookmark:{bookmark}) -> {path}"
        elif not target:
            path = str(Path.home())
        elif target == "-":
            if len(self.history) < 2:
                raise UsageError("%cd -: there is no previous folder yet")
            path = self.history[-2]
        elif target.startswith("--"):
            path = self._search_history(target[2:])
        elif target.startswith("-") and target[1:].isdigit():
            path = self._history_entry(int(target[1:]))
        else:
            path = os.path.expanduser(target)
            if not os.path.isdir(path) and target in self.bookmarks.load():
                path = self._bookmark(target)
                announce = f"(bookmark:{target}) -> {path}"
        self._change_to(path)
        if not quiet:
            if announce:
                self.shell.write(announce + "\n")
            self.shell.write(os.getcwd() + "\n")

    @line_magic
    def pwd(self, line: str = "") -> str:
        """Return the current working directory."""
        return os.getcwd()

    @line_magic
    def dhist(self, line: str = "") -> None:
        """Print the folders visited with ``%cd`` (``%dhist N``: the last N; ``%dhist A B``: A to B)."""
        history = self.history
        words = line.split()
        try:
            bounds = [int(word) for word in words]
        except ValueError:
            raise UsageError(f"%dhist: expected numbers, not {line.strip()!r}") from None
        if len(bounds) > 2:
            raise UsageError("%dhist: give at most two numbers")
        if not bounds:
            start, stop = 0, len(history)
        elif len(bounds) == 1:
            start, stop = len(history) - bounds[0], len(history)
        else:
            start, stop = bounds
        lines = ["Directory history (kept in _dh)"]
        lines += [f"{index}: {history[index]}" for index in range(max(0, start), min(stop, len(history)))]
        self.shell.write("\n".join(lines) + "\n")

    @expand_vars
    @line_magic
    def pushd(self, line: str = "") -> list[str]:
        """Remember the current folder on the stack, then ``%cd`` to the argument (if any)."""
        here = os.getcwd()
        if line.strip():
            self.cd(line)
        self.stack.insert(0, here)
        return self.dirs()

    @line_magic
    def popd(self, line: str = "") -> None:
        """Go back to the folder on top of the stack (and take it off)."""
        if not self.stack:
            raise UsageError("%popd: the folder stack is empty (see %pushd)")
        self._change_to(self.stack[0])
        top = self.stack.pop(0)
        self.shell.write(f"popd -> {top}\n")

    @line_magic
    def dirs(self, line: str = "") -> list[str]:
        """Return the folder stack of ``%pushd``, most recent first."""
        return list(self.stack)

    @magic_arguments()
    @argument("-l", "--list", action="store_true", help="list the bookmarks")
    @argument("-d", "--delete", metavar="NAME", help="delete a bookmark")
    @argument("-r", "--remove-all", action="store_true", help="delete every bookmark")
    @argument("name", nargs="?", help="the bookmark's name")
    @argument("folder", nargs="?", help="the folder (default: the current one)")
    @expand_vars
    @line_magic
    def bookmark(self, line: str = "") -> None:
        """Name a folder for ``%cd -b NAME``; bookmarks are kept for later sessions.

        ``%bookmark NAME`` (the current folder), ``%bookmark NAME FOLDER``,
        ``-l`` to list, ``-d NAME`` to delete one, ``-r`` to delete all. They
        live in ``bookmarks.json`` in the user data folder.
        """
        args = parse_argstring(self.bookmark, line)
        if args.list:
            return self._list_bookmarks()
        bookmarks = self.bookmarks.load()
        if args.remove_all:
            self.bookmarks.save({})
        elif args.delete is not None:
            if args.delete not in bookmarks:
                raise UsageError(f"%bookmark -d: no bookmark called {args.delete!r}")
            del bookmarks[args.delete]
            self.bookmarks.save(bookmarks)
        elif args.name is None:
            raise UsageError("%bookmark: give a name (and a folder), or -l to list")
        else:
            folder = os.path.abspath(os.path.expanduser(args.folder)) if args.folder else os.getcwd()
            bookmarks[args.name] = folder
            self.bookmarks.save(bookmarks)
        return None

    # -- helpers ----------------------------------------------------------------------
    def _change_to(self, path: str) -> None:
        try:
            os.chdir(path)
        except FileNotFoundError:
            raise UsageError(f"%cd: no such folder: {path}") from None
        except NotADirectoryError:
            raise UsageError(f"%cd: not a folder: {path}") from None
        except PermissionError:
            raise UsageError(f"%cd: permission denied: {path}") from None
        except OSError as err:
            raise UsageError(f"%cd: {path}: {err.strerror or err}") from None
        here = os.getcwd()
        if self.history[-1:] != [here]:
            self.history.append(here)

    def _bookmark(self, name: str) -> str:
        bookmarks = self.bookmarks.load()
        if name not in bookmarks:
            raise UsageError(f"%cd -b: no bookmark called {name!r} (see %bookmark -l)")
        return bookmarks[name]

    def _history_entry(self, index: int) -> str:
        if index >= len(self.history):
            raise UsageError(f"%cd -{index}: the folder history has {len(self.history)} entries (see %dhist)")
        return self.history[index]

    def _search_history(self, text: str) -> str:
        for path in reversed(self.history):
            if text and text in path:
                return path
        raise UsageError(f"%cd --{text}: no folder in the history contains {text!r} (see %dhist)")

    def _list_bookmarks(self) -> None:
        bookmarks = self.bookmarks.load()
        if not bookmarks:
            self.shell.write("No bookmarks defined.\n")
            return
        width = max(map(len, bookmarks))
        lines = ["Current bookmarks:"] + [f"{name:<{width}} -> {path}" for name, path in sorted(bookmarks.items())]
        self.shell.write("\n".join(lines) + "\n")


def _cd_words(line: str) -> tuple[bool, str | None, str]:
    """``-q`` and ``-b NAME`` from the front of a ``%cd`` line, and the target (quotes removed).

    The target is the rest of the line, so ``%cd My Documents`` needs no
    quotes; ``-``, ``-N`` and ``--TEXT`` are targets, not options.
    """
    quiet, bookmark = False, None
    rest = line.strip()
    while True:
        word, _, after = rest.partition(" ")
        if word == "-q":
            quiet, rest = True, after.strip()
        elif word == "-b":
            name, _, rest = after.strip().partition(" ")
            if not name:
                raise UsageError("%cd -b: give a bookmark name")
            bookmark, rest = name, rest.strip()
        else:
            break
    if bookmark is not None and rest:
        raise UsageError(f"%cd -b {bookmark}: unexpected {rest!r}")
    try:
        words = shlex.split(rest)
    except ValueError:
        words = []
    target = words[0] if len(words) == 1 else rest
    return quiet, bookmark, target
