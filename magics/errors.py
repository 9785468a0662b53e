"""Errors raised by magics.

The hierarchy is small on purpose::

    UsageError                  a magic was called wrongly: shown as one line, no traceback
     ├── MagicNotFound          no magic has that name
     ├── MagicArgumentError     the magic's arguments did not parse
     ├── MagicLoadError         a magic's module could not be imported
     └── ModuleNotImportable    a module a magic was asked to import could not be

A magic raises ``UsageError`` (or a subclass) for anything the user can fix by
typing the line differently; the engine prints ``UsageError: <message>`` and
the session goes on. Any other exception inside a magic is reported as a
normal traceback.
"""

from __future__ import annotations


class UsageError(Exception):
    """The user called a magic wrongly; the message says how to call it right."""


class MagicNotFound(UsageError):
    """There is no line or cell magic with the requested name."""

    def __init__(self, kind: str, name: str):
        prefix = "%" if kind == "line" else "%%"
        what = "Line" if kind == "line" else "Cell"
        super().__init__(f"{what} magic function `{prefix}{name}` not found.")
        self.kind = kind
        self.name = name


class MagicArgumentError(UsageError):
    """A magic's argument line did not match its declared arguments."""


class MagicLoadError(UsageError):
    """A lazily registered magic (built-in table or entry point) failed to import."""


class ModuleNotImportable(UsageError):
    """A module named on a magic's line (``%load_ext``, ``%aimport``) could not be imported.

    Shown in one line under the import error's own name
    (``ModuleNotFoundError: No module named 'nope'``); the cell fails, so a
    notebook run stops there, as in IPython.
    """

    def __init__(self, err: ImportError):
        super().__init__(str(err))
        self.display_name = type(err).__name__
