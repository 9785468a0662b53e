"""Printers registered for a type, one registry per MIME type, with IPython's formatter API.

Usage::

    formatters = shell.display_formatter.formatters
    formatters["text/latex"].for_type(Fraction, lambda f: f"$\\frac{{{f.numerator}}}{{{f.denominator}}}$")
    formatters["text/plain"].for_type(Fraction, lambda f, p, cycle: p.text(f"{f.numerator}/{f.denominator}"))
    formatters["text/html"].for_type_by_name("pandas", "DataFrame", to_html)   # without importing pandas
    Fraction in formatters["text/latex"]          # True
    formatters["text/latex"].lookup(Fraction(1, 3))
    formatters["text/latex"].pop(Fraction)        # the printer, now removed

Libraries written for IPython register their printers this way (SymPy's
``init_printing``, pandas' table schema, astropy's units), so the API is
IPython's own: ``for_type`` and ``for_type_by_name`` return the printer
they replace; ``lookup`` and ``lookup_by_type`` follow the class's MRO and
raise KeyError when nothing is registered; ``pop`` removes what is
registered for exactly that type and raises KeyError unless given a
default; ``typ in formatter`` is whether ``lookup_by_type`` finds one.
A printer registered by name is moved to the by-type table the first time
an instance of that class is looked up, as in IPython.

A ``text/plain`` printer is a pretty-printer callback ``(obj, p, cycle)``,
used for the object wherever it appears (inside a list too); the others
take the object and return the data for their MIME type (or None: no
data). :class:`MimeFormatter` is one such registry; the ``text/plain``
one is :class:`~shell.engine.display.formatting.PlainTextFormatter`, which mixes
:class:`PrinterRegistry` in.
"""

from __future__ import annotations

from typing import Any, Callable

__all__ = ["MimeFormatter", "PrinterRegistry", "has_printer"]

_RAISE = object()


class PrinterRegistry:
    """``type_printers`` (class → printer) and ``deferred_printers`` ((module, name) → printer)."""

    format_type = ""

    def _init_printers(self) -> None:
        self.type_printers: dict[type, Callable[..., Any]] = {}
        self.deferred_printers: dict[tuple[str, str], Callable[..., Any]] = {}

    def for_type(self, typ: type | str, func: Callable[..., Any] | None = None) -> Callable[..., Any] | None:
        """Register ``func`` for ``typ`` (a class, or ``"module.Name"``); the printer it replaces, or None.

        Without ``func`` nothing changes: the current printer is returned.
        """
        if isinstance(typ, str):
            module, _, name = typ.rpartition(".")
            return self.for_type_by_name(module, name, func)
        try:
            old = self.lookup_by_type(typ)
        except KeyError:
            old = None
        if func is not None:
            self.type_printers[typ] = func
        return old

    def for_type_by_name(self, type_module: str, type_name: str,
                         func: Callable[..., Any] | None = None) -> Callable[..., Any] | None:
        """Register ``func`` for the class ``type_module.type_name`` without importing it."""
        key = (type_module, type_name)
        try:
            old = self.lookup_by_type(f"{type_module}.{type_name}")
        except KeyError:
            old = None
        if func is not None:
            self.deferred_printers[key] = func
        return old

    def lookup(self, obj: Any) -> Callable[..., Any]:
        """The printer for ``obj`` (along its class's MRO); KeyError when there is none."""
        return self.lookup_by_type(type(obj))

    def lookup_by_type(self, typ: type | str) -> Callable[..., Any]:
        """The printer for instances of ``typ`` (a class or ``"module.Name"``); KeyError when none."""
        if isinstance(typ, str):
            key = tuple(typ.rsplit(".", 1))
            if key in self.deferred_printers:
                return self.deferred_printers[key]
            for cls in self.type_printers:
                if _dotted(cls) == typ:
                    return self.type_printers[cls]
            raise KeyError(f"No registered printer for {typ!r}")
        for cls in _mro(typ):
            if cls in self.type_printers or self._take_deferred(cls):
                return self.type_printers[cls]
        raise KeyError(f"No registered printer for {typ!r}")

    def pop(self, typ: type | str, default: Any = _RAISE) -> Any:
        """Remove and return the printer registered for exactly ``typ``; KeyError unless ``default``."""
        if isinstance(typ, str):
            module, dot, name = typ.rpartition(".")
            if (module, name) not in self.deferred_printers:
                for cls in list(self.type_printers):  # it may have moved to the by-type table already
                    if _dotted(cls) == typ:
                        return self.type_printers.pop(cls)
            # a name without a module is no (module, name) key, as in IPython
            old = self.deferred_printers.pop((module, name), default) if dot else default
        elif typ in self.type_printers:
            old = self.type_printers.pop(typ)
        else:
            old = self.deferred_printers.pop((getattr(typ, "__module__", ""), getattr(typ, "__name__", "")), default)
        if old is _RAISE:
            raise KeyError(f"No registered value for {typ!r}")
        return old

    def __contains__(self, typ: object) -> bool:
        """Whether ``lookup_by_type(typ)`` finds a printer (a subclass's base counts), as in IPython."""
        try:
            self.lookup_by_type(typ)  # type: ignore[arg-type]
        except (KeyError, TypeError, AttributeError):
            return False
        return True

    def has_printers(self) -> bool:
        """Whether anything is registered: formatting skips the registry cheaply when not."""
        return bool(self.type_printers or self.deferred_printers)

    def _take_deferred(self, cls: type) -> bool:
        key = (getattr(cls, "__module__", None), getattr(cls, "__name__", None))
        if key in self.deferred_printers:
            self.type_printers[cls] = self.deferred_printers.pop(key)
            return True
        return False


class MimeFormatter(PrinterRegistry):
    """The printers of one MIME type other than ``text/plain``: ``printer(obj)`` returns the data."""

    def __init__(self, format_type: str):
        self.format_type = format_type
        self.enabled = True
        self._init_printers()

    def __call__(self, obj: Any) -> Any:
        """The registered printer's data for ``obj``; None when no printer applies."""
        if not self.enabled or not self.has_printers() or isinstance(obj, type):
            return None
        try:
            printer = self.lookup(obj)
        except KeyError:
            return None
        return printer(obj)

    def __repr__(self) -> str:
        return f"<MimeFormatter {self.format_type} ({len(self.type_printers) + len(self.deferred_printers)} printers)>"


def has_printer(type_printers: dict, deferred_printers: dict, cls: type) -> bool:
    """Whether a printer in these tables applies to instances of ``cls`` (along its MRO)."""
    return any(base in type_printers
               or (getattr(base, "__module__", None), getattr(base, "__name__", None)) in deferred_printers
               for base in _mro(cls))


def _mro(cls: type) -> tuple[type, ...]:
    try:
        return cls.__mro__
    except AttributeError:  # an old-style extension type without an MRO
        return (cls,)


def _dotted(cls: type) -> str:
    return f"{getattr(cls, '__module__', '')}.{getattr(cls, '__name__', '')}"
