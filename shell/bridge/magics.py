"""IPython's magics manager and extension manager, over the hocus registry.

Extensions written for IPython (line_profiler's ``%lprun``, memory_profiler's
``%memit``, Cython's ``%%cython``, IPython's own ``autoreload``) make
``@magics_class`` classes and call ``ip.register_magics(M)``. IPython's
``Magics.__init__`` collects the decorated methods into ``instance.magics``
(``{'line': {name: method}, 'cell': {...}}``); :class:`BridgedMagicsManager`
registers each one in the hocus registry, adapting the calling convention:
IPython passes ``local_ns`` to magics marked ``@needs_local_scope`` and
expands ``$var`` in every line unless the magic is ``@no_var_expand``.
"""

from __future__ import annotations

from typing import Any, Callable

from magics.base import Magics as HocusMagics
from magics.errors import UsageError


def _adapt(func: Callable, kind: str, user_ns: Callable[[], dict]) -> Callable:
    """A hocus registry callable running the IPython magic ``func`` of ``kind``."""
    needs_local = bool(getattr(func, "needs_local_scope", False))

    if kind == "line":
        def run(line: str, local_ns: dict | None = None) -> Any:
            __tracebackhide__ = True
            if needs_local:
                return func(line, local_ns=user_ns() if local_ns is None else local_ns)
            return func(line)
    else:
        def run(line: str, cell: str, local_ns: dict | None = None) -> Any:  # type: ignore[misc]
            __tracebackhide__ = True
            if needs_local:
                return func(line, cell, local_ns=user_ns() if local_ns is None else local_ns)
            return func(line, cell)

    run.__doc__ = getattr(func, "__doc__", None)
    run.__module__ = getattr(func, "__module__", run.__module__)
    run.__qualname__ = getattr(func, "__qualname__", run.__qualname__)
    run.__wrapped__ = func  # type: ignore[attr-defined]
    run.__magic_needs_local_scope__ = needs_local  # type: ignore[attr-defined]
    run.__magic_expand_vars__ = not getattr(func, "_ipython_magic_no_var_expand", False)  # type: ignore[attr-defined]
    run.__magic_output_can_be_silenced__ = getattr(  # type: ignore[attr-defined]
        func, "_ipython_magic_output_can_be_silenced", False)
    return run


class BridgedMagicsManager:
    """``ip.magics_manager``: IPython's registration calls, answered by the hocus registry."""

    def __init__(self, view: Any, shell: Any):
        self._view = view
        self._shell = shell
        self.registry: dict[str, Any] = {}  # class name -> Magics instance, as IPython keeps it

    def register(self, *magic_objects: Any) -> None:
        """Register IPython ``Magics`` classes (made with this shell) or instances.

        hocus's own :class:`magics.Magics` classes are accepted too: an
        extension may offer only ``load_ipython_extension`` and still
        register hocus magics with it.
        """
        for each in magic_objects:
            if isinstance(each, HocusMagics) or (isinstance(each, type) and issubclass(each, HocusMagics)):
                self._shell.register_magics(each)  # hocus's own kind, from an extension written for both
                continue
            if not getattr(each, "registered", False):
                raise ValueError(f"Class of magics {each!r} was constructed without the "
                                 "@magics_class class decorator")
            instance = each(shell=self._view) if isinstance(each, type) else each
            self.registry[type(instance).__name__] = instance
            for kind, table in instance.magics.items():
                for name, method in table.items():
                    if isinstance(method, str):
                        method = getattr(instance, method)
                    self._shell.magics.register(kind, name, _adapt(method, kind, self._user_ns),
                                                origin=f"{type(instance).__module__}:{type(instance).__qualname__}")

    def register_function(self, func: Callable, magic_kind: str = "line", magic_name: str | None = None) -> None:
        """IPython's ``register_magic_function``: ``func(line)`` / ``func(line, cell)``."""
        kinds = {"line": ("line",), "cell": ("cell",), "line_cell": ("line", "cell")}.get(magic_kind)
        if kinds is None:
            raise ValueError(f"magic_kind must be one of ['line', 'cell', 'line_cell'], {magic_kind!r} given")
        name = magic_name or func.__name__
        for kind in kinds:
            self._shell.magics.register(kind, name, _adapt(func, kind, self._user_ns),
                                        origin=f"{getattr(func, '__module__', '?')}:{name}")

    def register_alias(self, alias_name: str, magic_name: str, magic_kind: str = "line",
                       magic_params: str | None = None) -> None:
        self._shell.magics.alias(magic_kind, alias_name, magic_name, magic_params or "")

    @property
    def magics(self) -> dict[str, dict[str, Callable]]:
        """``{'line': {name: func}, 'cell': {...}}`` of every magic (lazy ones load when called)."""
        return {kind: {name: _Lazy(self._shell, kind, name) for name in self._shell.magics.names(kind)}
                for kind in ("line", "cell")}

    def lsmagic(self) -> dict[str, dict[str, Callable]]:
        return self.magics

    @property
    def auto_magic(self) -> bool:
        return self._shell.automagic

    def _user_ns(self) -> dict:
        return self._shell.user_ns


class _Lazy:
    """A magic named in ``magics_manager.magics``, loaded when called."""

    def __init__(self, shell: Any, kind: str, name: str):
        self._shell, self._kind, self._name = shell, kind, name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._shell.magics.find(self._kind, self._name).func(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<magic {'%' if self._kind == 'line' else '%%'}{self._name}>"


class BridgedExtensionManager:
    """``ip.extension_manager``: IPython's calls, answered by hocus's ``%load_ext`` machinery."""

    def __init__(self, shell: Any):
        self._shell = shell

    def load_extension(self, module_str: str) -> str | None:
        """Load an extension; ``"already loaded"`` when it was, as IPython answers."""
        if module_str in self.loaded:
            return "already loaded"
        try:
            self._shell.run_line_magic("load_ext", module_str, 2)
        except UsageError as err:  # IPython raises the import error itself
            if getattr(err, "display_name", "") in ("ModuleNotFoundError", "ImportError"):
                raise ModuleNotFoundError(str(err)) from None
            raise
        return None

    def unload_extension(self, module_str: str) -> str | None:
        if module_str not in self.loaded:
            return "not loaded"
        self._shell.run_line_magic("unload_ext", module_str, 2)
        return None

    def reload_extension(self, module_str: str) -> None:
        self._shell.run_line_magic("reload_ext", module_str, 2)

    @property
    def loaded(self) -> set[str]:
        return self._shell.loaded_extensions()
