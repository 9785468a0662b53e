"""The user namespace of a :class:`~shell.engine.shell.Shell`: what every session puts there, what the user made.

:class:`UserNamespace` is mixed into the Shell: filling the namespace
(``In``, ``Out``, ``exit``, ``display``...), telling the user's names from
the session's (``%who``), ``push``, ``reset`` and ``%xdel``'s ``forget_object``.
"""

from __future__ import annotations

import builtins
import sys
from typing import TYPE_CHECKING, Any

from shell.engine.exiting import ExitCommand
from shell.engine.processes.standard_fds import guarded_open
from shell.engine.transforms.syntax import HOOK

if TYPE_CHECKING:
    from shell.engine.caches import CellCaches
    from shell.engine.concurrent_cells import CellScope
    from shell.engine.display.displayer import Displayer
    from shell.engine.lineage.tracker import LineageTracker
    from shell.engine.result import ExecutionResult
    from shell.engine.transforms.hook import TransformHook


class UserNamespace:
    """``init_user_ns``, ``user_variables``, ``push``, ``reset``, ``forget_object`` and ``get_ipython``."""

    user_ns: dict[str, Any]
    caches: CellCaches
    displayer: Displayer
    lineage: LineageTracker
    last_execution_result: ExecutionResult | None
    _hook: TransformHook
    _cell: CellScope
    _hidden_names: set[str]

    def init_user_ns(self) -> None:
        """Fill the namespace with what every session has (``In``, ``Out``, ``exit``, ``display``...)."""
        ns = self.user_ns
        ns.setdefault("__name__", "__main__")
        ns.setdefault("__builtins__", builtins)
        base = {
            HOOK: self._hook,
            "get_ipython": self.get_ipython,
            "display": self.displayer.display,
            "exit": ExitCommand(self),
            "quit": ExitCommand(self),
            "open": guarded_open,  # refuses fds 0, 1, 2, as IPython's does
        }
        ns.update(base)
        self._hidden_names = set(base) | {"In", "Out", "_ih", "_oh", "_", "__", "___", "_i", "_ii", "_iii",
                                          "__name__", "__builtins__", "__doc__", "__loader__", "__spec__",
                                          "__package__"}
        self.caches.user_ns = ns
        self.caches.install()

    def get_ipython(self) -> Any:
        """What ``get_ipython()`` returns in cells: the shell as IPython code expects it.

        With IPython installed that is the shell's IPython view (see
        :mod:`shell.bridge`), on which IPython's API and hocus's both work;
        without IPython, the shell itself.
        """
        from shell.bridge import ipython_view

        return ipython_view(self)

    def forget_object(self, obj: Any) -> None:
        """Drop the session's own references to ``obj`` (``%xdel``), as IPython's ``del_var`` does: the
        output cache, the last result, and the namespaces ``%run`` scripts leave behind for their functions."""
        self.caches.forget(obj)
        if self.last_execution_result is not None and self.last_execution_result.result is obj:
            self.last_execution_result.result = None
        if self._cell.last_value is obj:
            self._cell.last_value = None
        import gc

        for referrer in gc.get_referrers(obj):
            # a %run script's globals: a module namespace that no module in sys.modules owns
            if (type(referrer) is dict and "__file__" in referrer and referrer is not self.user_ns
                    and not any(getattr(module, "__dict__", None) is referrer for module in list(sys.modules.values()))):
                for name in [name for name, value in referrer.items() if value is obj]:
                    del referrer[name]

    def user_variables(self) -> dict[str, Any]:
        """The user's own names: the namespace minus what the shell put there (for ``%who``)."""
        return {k: v for k, v in self.user_ns.items()
                if k not in self._hidden_names and not is_cache_name(k)}

    def push(self, variables: dict[str, Any] | str) -> None:
        """Put variables into the namespace (a dict, or names from the caller's frame)."""
        if isinstance(variables, str):
            frame = sys._getframe(1)
            variables = {name: eval(name, frame.f_globals, frame.f_locals) for name in variables.replace(",", " ").split()}
        self.user_ns.update(variables)

    def reset(self, *, keep_history: bool = True) -> None:
        """Empty the namespace (``%reset``); ``In``/``Out`` survive unless ``keep_history`` is false."""
        self.user_ns.clear()
        self.lineage.clear()
        if not keep_history:
            self.caches.reset()
        self.init_user_ns()


def is_cache_name(name: str) -> bool:
    """``_N``, ``_iN`` and ``_exit_code``: names the output cache and ``!cmd`` keep in the namespace."""
    if not name.startswith("_"):
        return False
    rest = name[2:] if name.startswith("_i") else name[1:]
    return rest.isdigit() or name in ("_exit_code",)
