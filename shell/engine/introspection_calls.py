"""Looking things up in a session: completion, ``obj?`` and ``%psearch``, for :class:`~shell.engine.shell.Shell`.

:class:`Introspection` is mixed into the Shell. Nothing here runs user
code: completion and inspection read the namespace statically (see
:mod:`shell.engine.completion` and :mod:`shell.engine.inspection.object_info`, both
imported on first use, so start-up pays for neither).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from traitlets.config import Configurable

    from shell.engine.completion.model import CompletionResult
    from shell.engine.execution import CellCompiler


class Introspection:
    """``complete``, ``find_object``, ``inspect_object`` and ``search_names`` over the user namespace."""

    user_ns: dict[str, Any]
    compiler: CellCompiler
    add_configurable: Callable[[Configurable], None]

    _completer: Any = None

    @property
    def completer(self) -> Any:
        """The :class:`~shell.engine.completion.Completer`, made (and put under ``%config``) on first use."""
        if self._completer is None:
            from shell.engine.completion import Completer

            self._completer = Completer(shell=self, parent=self)
            self.add_configurable(self._completer)
        return self._completer

    def complete(self, text: str, cursor: int | None = None) -> CompletionResult:
        """Completions for ``text`` at ``cursor`` (default: the end): a ``CompletionResult``.

        What the terminal's Tab and the kernel's ``complete_request`` use;
        it runs no user code unless ``Completer.evaluation = "unsafe"``.
        """
        return self.completer.complete(text, cursor)

    def find_object(self, name: str) -> Any:
        """What the dotted ``name`` names in the user namespace or builtins; NameError if nothing.

        Attribute access only, and no getter runs: a property comes back as the property.
        """
        from shell.engine.inspection import object_info as inspection

        return inspection.find_object(name, [self.user_ns])

    def inspect_object(self, name: str, detail: int = 0) -> str:
        """What ``name?`` (detail 0) or ``name??`` (detail 1) shows; NameError if not found."""
        from shell.engine.inspection import object_info as inspection

        fields = inspection.describe(self.find_object(name), name, detail, cells=self.compiler.cells_newest_first(),
                                     session_module=self.user_ns.get("__name__", "__main__"))
        return inspection.format_description(fields)

    def search_names(self, pattern: str, *, namespaces: tuple[str, ...] = ("user", "builtin"),
                     include_private: bool = False, ignore_case: bool = False,
                     type_name: str | None = None) -> list[str]:
        """Names matching a wildcard pattern (``%psearch``); NameError if a dotted base is missing."""
        from shell.engine.inspection import object_info as inspection

        unknown = sorted(set(namespaces) - {"user", "builtin"})
        if unknown:
            raise ValueError(f"unknown namespace {unknown[0]!r}; choose from 'user' and 'builtin'")
        spaces = [self.user_ns] if "user" in namespaces else []
        found = inspection.search(pattern, spaces, include_private=include_private, ignore_case=ignore_case)
        if "builtin" not in namespaces:
            found = [name for name in found if name.split(".", 1)[0] in self.user_ns]

        def of_type(name: str) -> bool:
            try:
                obj = inspection.find_object(name, spaces)
            except NameError:
                return False
            return any(cls.__name__ == type_name for cls in type(obj).__mro__)

        return [name for name in found if of_type(name)] if type_name else found
