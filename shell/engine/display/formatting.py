"""Turn Python objects into MIME bundles, following IPython's display protocol.

``DisplayFormatter().format(obj)`` returns ``(data, metadata)`` where
``data`` maps MIME types to content: ``text/plain`` always, plus whatever the
object offers through ``_repr_mimebundle_``, ``_repr_html_``,
``_repr_markdown_``, ``_repr_svg_``, ``_repr_png_``, ``_repr_jpeg_``,
``_repr_latex_``, ``_repr_json_``, ``_repr_javascript_`` and ``_repr_pdf_``.
So pandas, sympy and friends render without knowing hocus. An object with
``_ipython_display_`` is not formatted: ``show_itself(obj)`` calls it.

A failing ``_repr_*_`` costs only that format: a one-line warning goes to the
error output and the next format is used; ``text/plain`` falls back to the
plain ``repr``. One that raises ``NotImplementedError`` says "not this
format" and is passed over quietly, as in IPython.

Printers registered for a type win over the ``_repr_*_`` methods:
``display_formatter.formatters[mime].for_type(cls, printer)``, IPython's API
(:mod:`shell.engine.display.printer_registry`).
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

from traitlets import Bool, CUnicode, Integer, TraitError, observe, validate
from traitlets.config import Configurable
from traitlets.utils.bunch import Bunch

from shell.engine.display.printer_registry import MimeFormatter, PrinterRegistry, has_printer

# The order IPython's DisplayFormatter uses, with the method that provides each.
REPR_METHODS: dict[str, str] = {
    "text/html": "_repr_html_",
    "text/markdown": "_repr_markdown_",
    "image/svg+xml": "_repr_svg_",
    "image/png": "_repr_png_",
    "application/pdf": "_repr_pdf_",
    "image/jpeg": "_repr_jpeg_",
    "text/latex": "_repr_latex_",
    "application/json": "_repr_json_",
    "application/javascript": "_repr_javascript_",
}


class PlainTextFormatter(Configurable, PrinterRegistry):
    """``text/plain`` for results: readable wrapping, ``_repr_pretty_``, float precision.

    A traitlets Configurable, so ``%config PlainTextFormatter.float_precision = 3``
    and ``c.PlainTextFormatter.pprint = False`` in the config file work as in
    IPython. ``float_format`` is derived from ``float_precision``. Printers
    registered with ``for_type`` are pretty-printer callbacks
    ``printer(obj, p, cycle)``, as in IPython.
    """

    format_type = "text/plain"

    pprint = Bool(True, help="Pretty-print containers over several lines when they are wide.").tag(config=True)
    float_precision = CUnicode("", help="Floats shown with this many digits (an int) or this %-format; '' for repr.").tag(config=True)
    width = Integer(79, help="Line width for pretty-printing.").tag(config=True)

    def __init__(self, width: int | None = None, **kwargs: Any):
        if width is not None:  # given here, it wins; otherwise the config's width (or 79) stands
            kwargs["width"] = width
        super().__init__(**kwargs)
        self.float_format = float_format_for(self.float_precision)
        self._init_printers()
        self._sources: list[Callable[[], tuple[dict, dict]]] = []

    @validate("float_precision")
    def _check_float_precision(self, proposal: Bunch) -> str:
        try:
            float_format_for(proposal["value"])
        except (ValueError, TypeError) as err:
            raise TraitError(str(err)) from None
        return proposal["value"].strip()

    @observe("float_precision")
    def _float_precision_changed(self, change: Bunch) -> None:
        self.float_format = float_format_for(change["new"])

    def set_precision(self, spec: str) -> str:
        """Apply ``%precision``: an int (digits), a format string, or '' to reset."""
        fmt = float_format_for(str(spec))  # ValueError on a bad spec, before the trait sees it
        self.float_precision = str(spec)
        self.float_format = fmt  # also when the spec is unchanged but float_format was set by hand
        return fmt

    def add_printer_source(self, source: Callable[[], tuple[dict, dict]]) -> None:
        """Also use the printers ``source()`` returns, ``(type_printers, deferred_printers)``.

        The IPython bridge adds the ``text/plain`` printers libraries register
        with IPython's formatter, so they apply inside containers too; this
        registry's own printers win over them.
        """
        self._sources.append(source)

    def __call__(self, obj: Any) -> str:
        from shell.engine.display.pretty import pretty  # loads with the first result shown, not at start-up

        types, deferred = self.type_printers, self.deferred_printers
        for source in self._sources:
            more_types, more_deferred = source()
            types, deferred = {**more_types, **types}, {**more_deferred, **deferred}
        if not types and not deferred:
            if isinstance(obj, float) and self.float_format != "%r":
                return self.float_format % obj
            if not self.pprint and getattr(type(obj), "_repr_pretty_", None) is None:
                return repr(obj)
            return pretty(obj, width=self.width, float_format=self.float_format)
        if not has_printer(types, deferred, type(obj)):
            if isinstance(obj, float) and self.float_format != "%r":
                return self.float_format % obj
            if not self.pprint and getattr(type(obj), "_repr_pretty_", None) is None:
                return repr(obj)
        return pretty(obj, width=self.width, float_format=self.float_format,
                      type_printers=types, deferred_printers=deferred)


def float_format_for(spec: str) -> str:
    """The %-format for a ``float_precision`` spec: digits, a format string, or '' (repr)."""
    spec = spec.strip()
    if not spec:
        return "%r"
    if "%" in spec:
        try:
            spec % 3.14159
        except (ValueError, TypeError):
            raise ValueError(f"Precision must be int or format string, not {spec!r}") from None
        return spec
    try:
        digits = int(spec)
    except ValueError:
        raise ValueError(f"Precision must be int or format string, not {spec!r}") from None
    if digits < 0:
        raise ValueError("precision must be a non-negative integer")
    return f"%.{digits}f"


class DisplayFormatter:
    """Build the MIME bundle for an object; ``text/plain`` always present."""

    def __init__(self, warn: Callable[[str], None] | None = None, parent: Configurable | None = None):
        # The Configurable (the Shell) whose config the formatters made here or later take:
        # c.PlainTextFormatter.pprint now, c.InlineBackend.* when %matplotlib inline adds figures.
        self.settings_parent = parent
        self.plain = PlainTextFormatter(parent=parent)
        self.active_types: set[str] | None = None  # None: every type
        # IPython's per-MIME-type printer registries: formatters["text/latex"].for_type(cls, printer)
        self.formatters: dict[str, PrinterRegistry] = {"text/plain": self.plain}
        self.formatters.update((mime, MimeFormatter(mime)) for mime in REPR_METHODS)
        self._warn = warn or (lambda text: None)
        # (module, class name) -> obj -> MIME bundle: formats for types we must not import
        # to register (matplotlib's Figure gets image/png this way once a backend asks).
        self.type_formatters: dict[tuple[str, str], Callable[[Any], Any]] = {}
        # Printer registries of other display systems (IPython's formatters, through the
        # bridge): obj -> {mime: data} from a printer registered there, or None.
        self._registries: list[Callable[[Any], dict | None]] = []

    def add_registry(self, lookup: Callable[[Any], dict | None]) -> None:
        """Also ask ``lookup(obj)`` for formats; what it returns wins over ``_repr_*_`` methods.

        The IPython bridge adds IPython's formatter registry this way, so a
        printer a library registers there (SymPy's ``init_printing``) shows
        in cell results too.
        """
        self._registries.append(lookup)

    def for_type_by_name(self, module: str, name: str, func: Callable[[Any], dict] | None) -> None:
        """Format instances of ``module.name`` (and subclasses) with ``func(obj)``; None removes.

        ``func`` returns ``{mime: data}`` or ``({mime: data}, {mime: metadata})``.
        """
        if func is None:
            self.type_formatters.pop((module, name), None)
        else:
            self.type_formatters[(module, name)] = func

    def _type_formatter(self, obj: Any) -> Callable[[Any], Any] | None:
        if not self.type_formatters or isinstance(obj, type):
            return None
        for cls in type(obj).__mro__:
            func = self.type_formatters.get((cls.__module__, cls.__name__))
            if func is not None:
                return func
        return None

    def format(self, obj: Any, include: Iterable[str] | None = None,
               exclude: Iterable[str] | None = None) -> tuple[dict, dict]:
        data: dict[str, Any] = {}
        metadata: dict[str, Any] = {}
        bundle = self._call(obj, "_repr_mimebundle_", include=include, exclude=exclude)
        by_type = self._type_formatter(obj)
        if by_type is not None:
            try:
                extra = by_type(obj) or {}
            except Exception as err:
                self._warn(f"Warning: formatting {type(obj).__name__} failed ({type(err).__name__}: {err})\n")
            else:
                if isinstance(extra, tuple):  # (data, metadata), as _repr_mimebundle_ may return
                    extra, md = extra
                    metadata.update(md or {})
                data.update({k: v for k, v in extra.items() if self._wanted(k, include, exclude)})
        for lookup in self._registries:
            found = lookup(obj)
            if found:
                data.update({k: v for k, v in found.items() if self._wanted(k, include, exclude)})
        if isinstance(bundle, tuple) and len(bundle) == 2:
            bundle, md = bundle
            metadata.update(md or {})
        if isinstance(bundle, dict):  # include/exclude filter the bundle too, as in IPython
            data.update({k: v for k, v in bundle.items() if not _filtered_out(k, include, exclude)})
        for mime, method in REPR_METHODS.items():
            if mime in data or not self._wanted(mime, include, exclude):
                continue
            value = self._registered(mime, obj)
            if value is None:
                value = self._call(obj, method)
            if isinstance(value, tuple) and len(value) == 2:
                value, md = value
                metadata[mime] = md
            if value is not None:
                data[mime] = value
        if "text/plain" not in data and self._wanted("text/plain", include, exclude):
            data["text/plain"] = self.format_plain(obj)
        return data, metadata

    def _registered(self, mime: str, obj: Any) -> Any:
        """What a printer registered with ``formatters[mime].for_type`` makes of ``obj``; None if none."""
        formatter = self.formatters.get(mime)
        if not isinstance(formatter, MimeFormatter) or not formatter.has_printers():
            return None
        try:
            return formatter(obj)
        except NotImplementedError:
            return None
        except Exception as err:
            self._warn(f"Warning: the {mime} printer for {type(obj).__name__} failed "
                       f"({type(err).__name__}: {err}); using the next format\n")
            return None

    def show_itself(self, obj: Any) -> bool:
        """Let an object with ``_ipython_display_`` show itself; whether it did.

        Such objects (widgets, some plotting libraries) call ``display()``
        with what they choose instead of being formatted: a cell's result
        and ``display(obj)`` call this first. A failing method costs a
        one-line warning, and the object is then formatted as usual.
        """
        if getattr(type(obj), "_ipython_display_", None) is None or isinstance(obj, type):
            return False
        try:
            obj._ipython_display_()
        except NotImplementedError:  # "format me instead", as IPython reads it
            return False
        except Exception as err:
            self._warn(f"Warning: {type(obj).__name__}._ipython_display_ failed "
                       f"({type(err).__name__}: {err}); using the next format\n")
            return False
        return True

    def format_plain(self, obj: Any) -> str:
        try:
            return self.plain(obj)
        except Exception as err:
            self._warn(f"Warning: pretty printing failed ({type(err).__name__}: {err}); showing repr\n")
            try:
                return repr(obj)
            except Exception as err2:
                return f"<{type(obj).__name__} object; repr failed: {type(err2).__name__}: {err2}>"

    def _wanted(self, mime: str, include: Iterable[str] | None, exclude: Iterable[str] | None) -> bool:
        if _filtered_out(mime, include, exclude):
            return False
        return self.active_types is None or mime in self.active_types or mime == "text/plain"

    def _call(self, obj: Any, method_name: str, **kwargs: Any) -> Any:
        # Look the method up on the type: a class object must not render its
        # instances' _repr_html_, and __getattr__-happy proxies must not fake one.
        method = getattr(type(obj), method_name, None)
        if method is None or isinstance(obj, type):
            return None
        try:
            return getattr(obj, method_name)(**kwargs)
        except NotImplementedError:  # the object declines this format: quietly, as in IPython
            return None
        except Exception as err:
            self._warn(f"Warning: {type(obj).__name__}.{method_name} failed "
                       f"({type(err).__name__}: {err}); using the next format\n")
            return None


def _filtered_out(mime: str, include: Iterable[str] | None, exclude: Iterable[str] | None) -> bool:
    """Whether ``display(obj, include=..., exclude=...)`` leaves ``mime`` out."""
    return bool(include and mime not in include or exclude and mime in exclude)
