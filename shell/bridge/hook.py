"""Attach the bridge when IPython is first imported, and keep it pointed at the active shell.

IPython's API is a process-wide singleton (``InteractiveShell.instance()``);
hocus has no singleton. The two meet here: the engine calls :func:`activate`
when a shell starts a cell, and IPython's singleton is pointed at that
shell's view, so ``IPython.get_ipython()`` answers for the shell that is
running (or ran last: widget callbacks in the kernel run between cells).

Before IPython is imported nothing is made: :func:`activate` only notes the
shell, and a meta-path finder waits for ``import IPython``. The finder
wraps the loader's ``exec_module`` of that one import; once IPython's
package has run, :func:`_attach` makes the view. This module imports
nothing heavy.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import sys
import weakref
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any, Sequence

_active: "weakref.ref[Any] | None" = None  # the hocus shell IPython's API should see
_attached = False  # IPython has been imported and the singleton points at a view
_installed: bool | None = None


def ipython_installed() -> bool:
    """Whether IPython can be imported here (looked up once per process)."""
    global _installed
    if _installed is None:
        _installed = "IPython" in sys.modules or importlib.util.find_spec("IPython") is not None
    return _installed


def activate(shell: Any) -> None:
    """Make ``shell`` the one IPython's API sees (called as each cell starts: cheap when unchanged)."""
    global _active
    if _active is not None and _active() is shell:
        return
    _active = weakref.ref(shell)
    if _attached:
        _point_ipython_at(shell)
    elif "IPython" in sys.modules:
        _attach()
    else:
        _watch_imports()


def view_of(shell: Any) -> Any:
    """The IPython-shaped view of ``shell`` (IPython must be importable); made once per shell."""
    from shell.bridge.interactiveshell import view_for

    return view_for(shell)


def _point_ipython_at(shell: Any) -> None:
    from shell.bridge.interactiveshell import make_current

    make_current(view_of(shell))


def _attach() -> None:
    global _attached
    shell = _active() if _active is not None else None
    if shell is None:
        return
    _attached = True
    _point_ipython_at(shell)


class _IPythonImportWatcher:  # a meta-path finder (no importlib.abc import at start-up)
    """Finds ``IPython`` as the path finder would, and attaches the bridge once it has run."""

    def find_spec(self, fullname: str, path: Sequence[str] | None = None,
                  target: ModuleType | None = None) -> ModuleSpec | None:
        if fullname != "IPython":
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        loader = spec.loader
        exec_module = loader.exec_module

        def exec_then_attach(module: ModuleType) -> None:
            exec_module(module)
            _remove_watcher()
            try:
                _attach()
            except Exception as err:  # noqa: BLE001 - IPython itself must import whatever happens here
                sys.stderr.write(f"hocus: the IPython bridge could not attach ({type(err).__name__}: {err})\n")

        setattr(loader, "exec_module", exec_then_attach)  # this spec's loader only: IPython's own loader type stays
        return spec


_watcher = _IPythonImportWatcher()


def _watch_imports() -> None:
    if _watcher not in sys.meta_path:
        sys.meta_path.insert(0, _watcher)


def _remove_watcher() -> None:
    try:
        sys.meta_path.remove(_watcher)
    except ValueError:
        pass
