"""``%store``: variables kept across sessions, in ``$HOCUS_DIR/store``, as IPython's storemagic.

Usage::

    %store data              # Stored 'data' (list)
    %store                   # what is stored, with the start of each value
    %store -r data           # in a new session: data is back (-r alone: all of them)
    %store -d data           # forget it; -z forgets everything
    %store data >out.txt     # write its pretty-printed value to a file (>> appends)

Each variable is one pickle file named after it, written to a temporary
file first and renamed, so a session killed while storing leaves the old
value, never half a file. Objects of classes defined in the session cannot
be unpickled in another one, so they are refused with one line, as IPython
refuses them. Unlike IPython, hocus needs no ``%load_ext storemagic``: the
magic is built in (and ``%load_ext storemagic`` is accepted).
"""

from __future__ import annotations

import inspect
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

from magics.base import Magics
from magics.decorators import line_magic
from magics.errors import UsageError

_PREFIX_WIDTH = len("autorestore/")  # IPython pads names as its database keys: 'autorestore/name'


class StoreMagics(Magics):
    """Lightweight persistence for Python variables."""

    @line_magic
    def store(self, line: str = "") -> None:
        """Keep variables across sessions: ``%store [-d|-r|-z] [name ...] [>file | >>file]``.

        ``%store name`` stores the variable's current value (store it again
        after changing it); ``%store`` lists what is stored; ``-r`` restores
        the named variables (all without names); ``-d name`` forgets one;
        ``-z`` forgets all; ``%store name >file`` writes its value to a file
        (``>>`` appends). Values are pickled into ``$HOCUS_DIR/store``.
        """
        opts, rest = self.parse_options(line, "drz")
        names = rest.split()
        if "d" in opts:
            if not names:
                raise UsageError("You must provide the variable to forget")
            for name in names:
                try:
                    self._path(name).unlink()
                except (FileNotFoundError, UsageError):
                    raise UsageError(f"Can't delete variable '{name}'") from None
        elif "z" in opts:
            for path in self._stored():
                path.unlink(missing_ok=True)
        elif "r" in opts:
            self._restore(names)
        elif not names:
            self._list()
        elif len(names) > 1 and names[1].startswith(">"):
            self._write_to_file(names[0], names[1])
        else:
            for name in names:
                self._store(name)

    # -- the folder ------------------------------------------------------------------------
    def _folder(self) -> Path:
        return Path(self.shell.hocus_dir) / "store"

    def _path(self, name: str) -> Path:
        if not name.isidentifier():
            raise UsageError(f"%store: {name!r} is not a variable name")
        return self._folder() / name

    def _stored(self) -> list[Path]:
        folder = self._folder()
        if not folder.is_dir():
            return []
        return sorted(path for path in folder.iterdir() if path.name.isidentifier())

    # -- the actions -----------------------------------------------------------------------
    def _store(self, name: str) -> None:
        namespace = self.shell.user_variables()
        if name not in namespace:
            raise UsageError(f"Unknown variable '{name}'")
        value = namespace[name]
        if getattr(inspect.getmodule(value), "__name__", "") == "__main__":
            self.shell.write_err(f"Warning: {name} is {value!r}, defined in this session: only objects of classes "
                                 f"in modules on disk can be %store'd\n")
            return
        try:
            data = pickle.dumps(value)
        except Exception as err:  # noqa: BLE001 - whatever pickling raises, the variable is not stored
            raise UsageError(f"%store: cannot store {name!r}: {type(err).__name__}: {err}") from None
        path = self._path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{name}.")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
        self.shell.write(f"Stored '{name}' ({type(value).__name__})\n")

    def _load(self, path: Path) -> Any:
        with open(path, "rb") as file:
            return pickle.load(file)

    def _restore(self, names: list[str]) -> None:
        if not names:
            paths = self._stored()
        else:
            paths = []
            for name in names:
                path = self._path(name)
                if path.is_file():
                    paths.append(path)
                else:
                    self.shell.write(f"no stored variable or alias {name}\n")
        restored = {}
        for path in paths:
            try:
                restored[path.name] = self._load(path)
            except Exception as err:  # noqa: BLE001 - one unreadable value must not stop the others
                self.shell.write_err(f"Unable to restore variable '{path.name}', ignoring (use %store -d to "
                                     f"forget!): {type(err).__name__}: {err}\n")
        self.shell.push(restored)

    def _list(self) -> None:
        paths = self._stored()
        width = _PREFIX_WIDTH + max((len(path.name) for path in paths), default=-_PREFIX_WIDTH)
        lines = ["Stored variables and their in-db values:\n"]
        for path in paths:
            try:
                shown = repr(self._load(path))[:50]
            except Exception:  # noqa: BLE001 - listing shows what it can
                shown = "<unavailable>"
            lines.append(f"{path.name:<{width}} -> {shown}\n")
        self.shell.write("".join(lines))

    def _write_to_file(self, name: str, target: str) -> None:
        from pprint import pformat

        filename = os.path.expanduser(target.lstrip(">").lstrip())
        namespace = self.shell.user_variables()
        if name not in namespace:
            raise UsageError(f"Unknown variable '{name}'")
        value = namespace[name]
        text = value if isinstance(value, str) else pformat(value)
        try:
            with open(filename, "a" if target.startswith(">>") else "w", encoding="utf-8") as file:
                file.write(text if text.endswith("\n") else text + "\n")
        except OSError as err:
            raise UsageError(f"%store: cannot write {filename!r}: {err.strerror}") from None
        self.shell.write(f"Writing '{name}' ({type(value).__name__}) to file '{filename}'.\n")
