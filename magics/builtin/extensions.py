"""Extension magics: ``%load_ext``, ``%unload_ext``, ``%reload_ext``.

Usage::

    %load_ext hocus_hello_magics     # import it, call load_hocus_extension(shell)
    %reload_ext hocus_hello_magics   # unload, importlib.reload, load again
    %unload_ext hocus_hello_magics   # call unload_hocus_extension(shell)

An extension is a module with ``load_hocus_extension(shell)``. Modules
written for IPython, with only ``load_ipython_extension(shell)``, load too:
the shell they receive offers the IPython methods extensions use
(``register_magics``, ``register_magic_function``, ``events.register``,
``push``, ``user_ns``). The set of loaded extensions lives on the
ExtensionMagics instance, of which each registry has one, so two shells in
one process keep separate books.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType
from typing import Callable

from magics.base import Magics
from magics.builtin import BUILT_IN_EXTENSIONS
from magics.decorators import line_magic
from magics.errors import ModuleNotImportable, UsageError
from magics.surface import ShellSurface

LOADERS = ("load_hocus_extension", "load_ipython_extension")
UNLOADERS = ("unload_hocus_extension", "unload_ipython_extension")


def _hook(module: ModuleType, names: tuple[str, ...]) -> Callable | None:
    """The first of ``names`` the module defines (hocus's own name wins over IPython's)."""
    for name in names:
        func = getattr(module, name, None)
        if callable(func):
            return func
    return None


class ExtensionNotFound(ModuleNotImportable):
    """The extension's module could not be imported: one line under the import error's own name.

    The cell fails, as in IPython, so a notebook run stops there instead of
    going on without the extension.
    """


class ExtensionMagics(Magics):
    """Loading, unloading and reloading extension modules."""

    def __init__(self, shell: ShellSurface):
        super().__init__(shell)
        self.loaded: set[str] = set()

    # -- the magics ----------------------------------------------------------------------
    @line_magic
    def load_ext(self, line: str = "") -> None:
        """Load an extension module: ``%load_ext module``.

        Imports the module and calls its ``load_hocus_extension(shell)``
        (or ``load_ipython_extension(shell)``). Loading a loaded extension
        again does nothing; use ``%reload_ext`` to pick up changes.
        """
        name = _module_name(line, "load_ext")
        if name in BUILT_IN_EXTENSIONS:  # already part of hocus: the habit works, the built-in magics stay
            magic = BUILT_IN_EXTENSIONS[name]
            if magic is not None:
                self.shell.magics.find(*magic)  # loading it sets it up: autoreload starts noting module mtimes
            return
        if name in self.loaded:
            self.shell.write(f"The {name} extension is already loaded. To reload it, use:\n  %reload_ext {name}\n")
            return
        self._load(name, self._import(name))

    @line_magic
    def unload_ext(self, line: str = "") -> None:
        """Unload an extension: ``%unload_ext module`` calls its ``unload_hocus_extension(shell)``."""
        name = _module_name(line, "unload_ext")
        if name not in self.loaded:
            self.shell.write(f"The {name} extension is not loaded.\n")
            return
        if not self._unload(name):
            self.shell.write(f"The {name} extension doesn't define how to unload it.\n")

    @line_magic
    def reload_ext(self, line: str = "") -> None:
        """Reload an extension: unload it, reload its module (``importlib.reload``), load it again.

        An extension that is not loaded yet is simply loaded.
        """
        name = _module_name(line, "reload_ext")
        if name not in self.loaded or name not in sys.modules:
            self.loaded.discard(name)
            self.load_ext(name)
            return
        self._unload(name)
        self.loaded.discard(name)  # even without an unload hook: loading again must happen
        try:
            module = importlib.reload(sys.modules[name])
        except ImportError as err:
            raise ExtensionNotFound(err) from None
        self._load(name, module)

    # -- helpers -------------------------------------------------------------------------
    def _import(self, name: str) -> ModuleType:
        """The module; a module that cannot be imported fails the cell in one line.

        Only ImportError is shortened to one line: any other error raised
        while importing is a bug in the extension, and its traceback helps.
        """
        try:
            return importlib.import_module(name)
        except ImportError as err:
            raise ExtensionNotFound(err) from None

    def _load(self, name: str, module: ModuleType) -> None:
        load = _hook(module, LOADERS)
        if load is None:
            raise UsageError(f"The {name} module is not an extension: it has no "
                             f"load_hocus_extension(shell) or load_ipython_extension(shell) function.")
        load(self._shell_for(load))
        self.loaded.add(name)

    def _unload(self, name: str) -> bool:
        """Call the unload hook; False when the module has none (it then stays loaded)."""
        unload = _hook(sys.modules[name], UNLOADERS) if name in sys.modules else None
        if unload is None:
            return False
        unload(self._shell_for(unload))
        self.loaded.discard(name)
        return True

    def _shell_for(self, hook: Callable[..., object]) -> object:
        """hocus's shell for hocus's hooks; IPython's view of it (``get_ipython()``) for IPython's.

        An extension written for IPython registers IPython ``Magics`` classes,
        whose constructor expects IPython's shell API.
        """
        return self.shell.get_ipython() if hook.__name__.endswith("_ipython_extension") else self.shell


def _module_name(line: str, magic: str) -> str:
    name = line.strip()
    if not name or len(name.split()) != 1:
        raise UsageError(f"%{magic}: give one module name, e.g. %{magic} my_extension")
    return name
