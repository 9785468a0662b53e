"""Decorators that mark functions and methods as magics.

Usage::

    from magics import Magics, line_magic, cell_magic, line_cell_magic

    @line_magic
    def hello(line):
        return f"hello {line}"

    class Counter(Magics):
        '''Magics sharing state through ``self``.'''

        def __init__(self, shell):
            super().__init__(shell)
            self.count = 0

        @line_cell_magic("count")
        def count_magic(self, line, cell=None):
            self.count += 1
            return self.count

The decorators only record what kind of magic a callable is, and under which
name, on the callable itself (``func.__magic__``), as click's decorators do.
Nothing is registered until a registry is given the function or the class,
so two registries in one process never see each other's magics.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Protocol, TypeVar, overload

F = TypeVar("F", bound=Callable)

#: The kinds of magics: ``%name`` lines and ``%%name`` cells.
KINDS = ("line", "cell")


@dataclass(frozen=True)
class MagicSpec:
    """What a decorator recorded: the magic's name and the kinds it serves."""

    name: str
    kinds: tuple[str, ...]


class _Marker(Protocol):
    """A magic decorator, used bare (``@line_magic``) or with a name (``@line_magic("name")``)."""

    @overload
    def __call__(self, arg: F, /) -> F: ...
    @overload
    def __call__(self, arg: str | None = None, /) -> Callable[[F], F]: ...


def _marker(kinds: tuple[str, ...]) -> _Marker:
    @overload
    def decorator(arg: F, /) -> F: ...
    @overload
    def decorator(arg: str | None = None, /) -> Callable[[F], F]: ...
    def decorator(arg: F | str | None = None, /) -> F | Callable[[F], F]:
        def mark(func: F, name: str | None = None) -> F:
            setattr(func, "__magic__", MagicSpec(name or func.__name__, kinds))
            return func

        if callable(arg):  # used bare: @line_magic
            return mark(arg)
        named = arg
        return lambda func: mark(func, named)  # used with a name: @line_magic("name")

    return decorator


line_magic = _marker(("line",))
line_magic.__doc__ = "Mark a function or method as a ``%line`` magic (optionally naming it)."
cell_magic = _marker(("cell",))
cell_magic.__doc__ = "Mark a function or method as a ``%%cell`` magic (optionally naming it)."
line_cell_magic = _marker(("line", "cell"))
line_cell_magic.__doc__ = "Mark a function or method as both a ``%line`` and a ``%%cell`` magic."


def expand_vars(func: F) -> F:
    """Say that this magic's line gets ``$name`` and ``{expr}`` expanded (the default, as in IPython).

    Every magic's line is expanded unless it is marked :func:`no_var_expand`;
    this marker only states it where a reader might doubt it.
    """
    setattr(func, "__magic_expand_vars__", True)
    return func


def no_var_expand(func: F) -> F:
    """Leave ``$name`` and ``{expr}`` in this magic's line as typed, as IPython's ``@no_var_expand``.

    The engine expands them in every magic's line, as IPython does (``%macro
    {name} 1-3``); a magic whose line is Python code (``%timeit {1: 2}``) or
    has its own templating (``%sql ... {{expr}}``) must get it untouched.
    """
    setattr(func, "__magic_expand_vars__", False)
    return func


def needs_local_scope(func: F) -> F:
    """Pass the caller's local namespace as ``local_ns=`` when the magic runs.

    Lets ``%time`` and ``%timeit`` see a function's locals when used inside it.
    """
    setattr(func, "__magic_needs_local_scope__", True)
    return func


def output_can_be_silenced(func: F) -> F:
    """Show no result when the code given to this magic ends with ``;`` (``%time f();``).

    A trailing ``;`` after a magic line is part of the magic's text, not
    Python's "hide the value" (``%sql SELECT 1;`` shows its rows); a magic
    whose text *is* Python code can ask for Python's rule, as IPython's
    ``@output_can_be_silenced`` does for ``%time``.
    """
    setattr(func, "__magic_output_can_be_silenced__", True)
    return func


def magic_spec(func: Callable) -> MagicSpec | None:
    """Return the :class:`MagicSpec` a decorator left on ``func``, if any."""
    return getattr(func, "__magic__", None)
