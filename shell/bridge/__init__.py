"""The IPython bridge: libraries written for IPython see a hocus session as their shell.

The notebook ecosystem talks to "the running shell" through IPython's API:
``IPython.get_ipython()``, ``IPython.display.display``, ``@magics_class``
extensions, and checks such as ``get_ipython().__class__.__name__ ==
"ZMQInteractiveShell"``. This package makes those calls reach the hocus
session that is running, without hocus ever importing IPython itself:

- :mod:`shell.bridge.hook` (no IPython import) watches for the first
  ``import IPython``; when it happens, IPython's ``InteractiveShell``
  singleton is pointed at a view of the active hocus shell;
- :mod:`shell.bridge.interactiveshell` is that view: an ``InteractiveShell``
  subclass whose methods call the hocus engine (imported only once IPython
  is);
- :mod:`shell.bridge.magics` and :mod:`shell.bridge.formatting` adapt
  IPython's magics manager and display formatter registry.

Usage, from the engine and the front ends::

    from shell.bridge import ipython_view
    ipython_view(shell)     # what get_ipython() returns: the IPython view, or the shell itself
                            # when IPython is not installed

Nothing here costs anything until IPython is imported; without IPython
installed nothing changes.
"""

from __future__ import annotations

from typing import Any

from shell.bridge.hook import activate, ipython_installed, view_of


def ipython_view(shell: Any) -> Any:
    """What ``get_ipython()`` returns for ``shell``.

    With IPython installed this imports it (once per process) and returns
    the shell's IPython-shaped view, so code written for IPython works on
    the result; without IPython it is the hocus shell itself.
    """
    if not ipython_installed():
        return shell
    import IPython  # noqa: F401 - the import hook attaches the bridge

    return view_of(shell)


def running_ipython() -> Any:
    """IPython's ``IPython.display`` module when an IPython shell (IPython's own, or this bridge)
    is running in this process, else None.

    hocus's display functions use it outside hocus cells, so code written
    against ``shell.display`` shows rich output under ipykernel too.
    """
    import sys

    if "IPython" not in sys.modules:
        return None
    from IPython.core.interactiveshell import InteractiveShell

    if not InteractiveShell.initialized():
        return None
    import IPython.display

    return IPython.display


__all__ = ["activate", "ipython_installed", "ipython_view", "running_ipython", "view_of"]
