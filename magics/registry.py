"""The magics registry: which ``%name`` and ``%%name`` exist, and how to call them.

Usage::

    registry = MagicRegistry(shell)
    registry.register_function(hello)               # a function marked with @line_magic
    registry.register_magics(Counter)               # every magic of a Magics class
    registry.register_lazy("line", "timeit", "magics.builtin.timing:TimingMagics")
    registry.find("line", "timeit")                 # -> Magic, importing on first use

A registry is a plain object: a test can make two, and they share nothing.
Lazy entries name a module and a :class:`~magics.base.Magics` class (or a
function) as ``"module:attr"``; nothing is imported until the magic is first
looked up, which is how start-up stays free of every built-in magic's imports.
A class is instantiated once per registry, so magics of one class share state.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from magics.decorators import KINDS, MagicSpec, magic_spec
from magics.errors import MagicLoadError, MagicNotFound

if TYPE_CHECKING:
    from magics.completion import BodyCompleter
    from magics.surface import ShellSurface


@dataclass
class Magic:
    """One registered magic: a name, a kind, and the callable that runs it.

    ``func`` is called as ``func(line)`` for a line magic and
    ``func(line, cell)`` for a cell magic.
    """

    name: str
    kind: str
    func: Callable
    origin: str = ""  # where it came from, for %lsmagic and error messages

    @property
    def doc(self) -> str:
        return getattr(self.func, "__doc__", None) or ""

    @property
    def expands_vars(self) -> bool:
        return getattr(self.func, "__magic_expand_vars__", True)  # IPython expands unless told not to

    @property
    def needs_local_scope(self) -> bool:
        return getattr(self.func, "__magic_needs_local_scope__", False)

    @property
    def output_can_be_silenced(self) -> bool:
        return getattr(self.func, "__magic_output_can_be_silenced__", False)

    @property
    def completer(self) -> BodyCompleter | None:
        """What completes words in this magic's text (:func:`magics.completion.completer_for`), bound to
        the same Magics instance as the magic; None when the magic has none."""
        complete = getattr(self.func, "__magic_completer__", None)
        owner = getattr(self.func, "__self__", None)  # the magic is a method: so is its completer
        return complete.__get__(owner) if complete is not None and owner is not None else complete


@dataclass
class MagicRegistry:
    """Line and cell magics by name, with lazily imported entries."""

    shell: ShellSurface | None = None
    _magics: dict[tuple[str, str], Magic] = field(default_factory=dict)
    _lazy: dict[tuple[str, str], tuple[str, bool]] = field(default_factory=dict)
    _instances: dict[type, Any] = field(default_factory=dict)
    _finders: list[Callable[["MagicRegistry"], None]] = field(default_factory=list)

    # -- adding -----------------------------------------------------------------
    def register(self, kind: str, name: str, func: Callable, origin: str = "") -> Magic:
        """Register ``func`` as the ``kind`` magic ``name``, replacing any earlier one."""
        if kind not in KINDS:
            raise ValueError(f"magic kind must be one of {KINDS}, not {kind!r}")
        magic = Magic(name, kind, func, origin)
        self._magics[(kind, name)] = magic
        self._lazy.pop((kind, name), None)
        return magic

    def register_function(self, func: Callable, kind: str | None = None, name: str | None = None) -> None:
        """Register a plain function: kinds and name from its decorator, or given here.

        ``kind`` may be ``"line"``, ``"cell"`` or ``"line_cell"``, as in
        IPython's ``register_magic_function``.
        """
        spec = magic_spec(func)
        kinds = _kinds(kind) if kind else (spec.kinds if spec else ("line",))
        name = name or (spec.name if spec else func.__name__)
        for each in kinds:
            self.register(each, name, func, origin=_origin(func))

    def register_magics(self, magics: Any) -> None:
        """Register every magic of a Magics class (instantiated with the shell) or instance."""
        instance = self._instance(magics) if isinstance(magics, type) else magics
        for spec, method in _marked_methods(instance):
            for kind in spec.kinds:
                self.register(kind, spec.name, method, origin=_origin(method))

    def register_lazy(self, kind: str, name: str, target: str, *, optional: bool = False) -> None:
        """Register ``name`` to be imported from ``"module:attr"`` on first use.

        ``optional``: the target may turn out not to have a ``kind`` magic
        (entry points name a magic without saying its kind); then the name
        is simply not found.
        """
        if (kind, name) not in self._magics and (kind, name) not in self._lazy:
            self._lazy[(kind, name)] = (target, optional)

    def alias(self, kind: str, alias: str, target: str, params: str = "") -> None:
        """Make ``%alias`` run ``%target`` (with ``params`` put before the line)."""
        magic = self.find(kind, target)
        def run_line(line: str, _m: Magic = magic, **kwargs: Any) -> Any:
            return _m.func(f"{params} {line}".strip(), **kwargs)

        def run_cell(line: str, cell: str, _m: Magic = magic, **kwargs: Any) -> Any:
            return _m.func(f"{params} {line}".strip(), cell, **kwargs)

        run: Any = run_line if kind == "line" else run_cell
        run.__doc__ = f"Alias for `{'%' if kind == 'line' else '%%'}{target}`.\n\n{magic.doc}"
        for attr in ("__magic_expand_vars__", "__magic_needs_local_scope__", "__magic_output_can_be_silenced__"):
            if hasattr(magic.func, attr):
                setattr(run, attr, getattr(magic.func, attr))
        run.__magic_completer__ = magic.completer  # bound already: the alias is a plain function
        self.register(kind, alias, run, origin=f"alias of {target}")

    def add_finder(self, finder: Callable[["MagicRegistry"], None]) -> None:
        """Call ``finder(registry)`` once, the first time a name is missing or all names are listed.

        Entry-point discovery is such a finder: scanning installed packages
        costs tens of milliseconds, so start-up never pays for it.
        """
        self._finders.append(finder)

    def _run_finders(self) -> bool:
        finders, self._finders = self._finders, []
        for finder in finders:
            finder(self)
        return bool(finders)

    def unregister(self, kind: str, name: str) -> None:
        self._magics.pop((kind, name), None)
        self._lazy.pop((kind, name), None)

    # -- finding ------------------------------------------------------------------
    def find(self, kind: str, name: str) -> Magic:
        """Return the magic, importing a lazy entry; raise :class:`MagicNotFound`."""
        magic = self._magics.get((kind, name))
        if magic is not None:
            return magic
        entry = self._lazy.get((kind, name))
        if entry is None and self._run_finders():
            return self.find(kind, name)
        if entry is None:
            raise MagicNotFound(kind, name)
        target, optional = entry
        try:
            self._load(kind, name, target)
        except LookupError:
            if not optional:
                raise
            self._lazy.pop((kind, name), None)
            raise MagicNotFound(kind, name) from None
        except Exception as err:
            raise MagicLoadError(f"could not load magic {name!r} from {target}: {type(err).__name__}: {err}") from err
        return self._magics[(kind, name)]

    def get(self, kind: str, name: str) -> Magic | None:
        try:
            return self.find(kind, name)
        except MagicNotFound:
            return None

    def has(self, kind: str, name: str, *, discover: bool = False) -> bool:
        """Whether ``name`` exists, importing nothing (``discover``: also look at entry points)."""
        found = (kind, name) in self._magics or (kind, name) in self._lazy
        if not found and discover and self._run_finders():
            return self.has(kind, name)
        return found

    def names(self, kind: str) -> list[str]:
        """Sorted names of the ``kind`` magics (entry points discovered, nothing imported)."""
        self._run_finders()
        keys = set(self._magics) | set(self._lazy)
        return sorted(name for k, name in keys if k == kind)

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(sorted(set(self._magics) | set(self._lazy)))

    # -- internals ------------------------------------------------------------------
    def _load(self, kind: str, name: str, target: str) -> None:
        module_name, _, attr = target.partition(":")
        obj: Any = importlib.import_module(module_name)
        for part in attr.split("."):
            obj = getattr(obj, part)
        if isinstance(obj, type):
            instance = self._instance(obj)
            for spec, method in _marked_methods(instance):
                if spec.name == name and kind in spec.kinds:
                    self.register(kind, name, method, origin=target)
                    return
            raise LookupError(f"{target} has no {kind} magic named {name!r}")
        self.register(kind, name, obj, origin=target)

    def _instance(self, cls: type) -> Any:
        if cls not in self._instances:
            if self.shell is None:
                raise MagicLoadError(f"{cls.__name__} needs a shell: this registry was made without one")
            self._instances[cls] = cls(self.shell)
        return self._instances[cls]


def _kinds(kind: str) -> tuple[str, ...]:
    if kind == "line_cell":
        return ("line", "cell")
    if kind in KINDS:
        return (kind,)
    raise ValueError(f"magic kind must be 'line', 'cell' or 'line_cell', not {kind!r}")


def _marked_methods(instance: Any) -> Iterable[tuple[MagicSpec, Callable]]:
    for cls in reversed(type(instance).__mro__):
        for attr, value in vars(cls).items():
            spec = magic_spec(value)
            if spec is not None:
                yield spec, getattr(instance, attr)


def _origin(func: Callable) -> str:
    func = getattr(func, "__func__", func)
    return f"{getattr(func, '__module__', '?')}:{getattr(func, '__qualname__', '?')}"
