"""Display through IPython's API: its formatter registry and its publisher, served by hocus.

Libraries register printers with IPython's formatters
(``ip.display_formatter.formatters['text/latex'].for_type(Basic, f)``:
SymPy's ``init_printing``, pandas' table schema, ...) and call
``IPython.display.display``, which asks ``display_formatter.format`` for a
bundle and hands it to ``display_pub.publish``.

:class:`BridgedDisplayFormatter` keeps IPython's registry as it is, but
formatting goes through the hocus engine's formatter, which asks this
registry first for the printers a library registered (IPython's own
defaults are left out: hocus has its own pretty printer). So a SymPy
expression is rendered the same way whether it is a cell's result or given
to ``IPython.display.display``. :class:`BridgedDisplayPublisher` forwards
bundles to whatever publisher the hocus shell has now (``%%capture``
swaps it).
"""

from __future__ import annotations

from typing import Any

from IPython.core.formatters import DisplayFormatter


class BridgedDisplayFormatter(DisplayFormatter):
    """IPython's formatter registry, consulted by the engine's formatter."""

    def __init__(self, hocus_formatter: Any, **kwargs: Any):
        super().__init__(**kwargs)
        self._hocus = hocus_formatter
        # IPython's built-in printers (ints, dicts, ... in text/plain): hocus prints those its own way.
        self._defaults = {id(printer) for formatter in self.formatters.values()
                          for printers in (formatter.type_printers, formatter.deferred_printers)
                          for printer in printers.values()}
        hocus_formatter.add_registry(self.registered_bundle)
        hocus_formatter.plain.add_printer_source(self.registered_plain_printers)

    def registered_plain_printers(self) -> tuple[dict, dict]:
        """The ``text/plain`` printers libraries registered here, for hocus's pretty printer.

        So a printer applies wherever its object appears (``[Fraction(1, 3)]``),
        not only to a cell's result itself.
        """
        plain = self.formatters["text/plain"]
        if not plain.enabled:
            return {}, {}
        defaults = self._defaults
        return ({cls: f for cls, f in plain.type_printers.items() if id(f) not in defaults},
                {key: f for key, f in plain.deferred_printers.items() if id(f) not in defaults})

    def format(self, obj: Any, include: Any = None, exclude: Any = None) -> tuple[dict, dict]:
        """The bundle for ``obj``, as the engine builds it (``_ipython_display_`` shows and returns nothing)."""
        custom = getattr(type(obj), "_ipython_display_", None)
        if custom is not None and not isinstance(obj, type):
            obj._ipython_display_()
            return {}, {}
        return self._hocus.format(obj, include=include, exclude=exclude)

    def registered_bundle(self, obj: Any) -> dict[str, Any] | None:
        """What printers registered by libraries make of ``obj``; None when none applies."""
        data: dict[str, Any] = {}
        for mime, formatter in self.formatters.items():
            if not formatter.enabled or not self._has_registered_printer(formatter, obj):
                continue
            try:
                value = formatter(obj)
            except Exception as err:  # noqa: BLE001 - one broken printer costs one format
                self._hocus._warn(f"Warning: the {mime} printer for {type(obj).__name__} failed "
                                  f"({type(err).__name__}: {err})\n")
                continue
            if value is not None:
                data[mime] = value
        return data or None

    def _has_registered_printer(self, formatter: Any, obj: Any) -> bool:
        if not formatter.type_printers and not formatter.deferred_printers:
            return False
        try:
            printer = formatter.lookup(obj)
        except (KeyError, TypeError):
            return False
        return id(printer) not in self._defaults


class BridgedDisplayPublisher:
    """IPython's ``display_pub``: bundles go to the hocus shell's current publisher."""

    def __init__(self, shell: Any):
        self._shell = shell

    def publish(self, data: dict[str, Any], metadata: dict[str, Any] | None = None, source: Any = None, *,
                transient: dict[str, Any] | None = None, update: bool = False, **kwargs: Any) -> None:
        self._shell.display_pub.publish(data, metadata or {}, transient=transient, update=update)

    def clear_output(self, wait: bool = False) -> None:
        self._shell.display_pub.clear_output(wait=wait)

    @property
    def is_publishing(self) -> bool:
        return True
