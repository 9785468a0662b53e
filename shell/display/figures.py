"""matplotlib figures as display data, and the ``InlineBackend`` settings.

Usage (what the kernel does at start; nothing here imports matplotlib)::

    from shell.display.figures import enable_inline
    enable_inline(shell)          # MPLBACKEND, %config InlineBackend, Figure -> image/png

Then, in cells::

    %config InlineBackend.figure_formats = {"png", "svg"}
    %config InlineBackend.figure_format = "retina"        # PNG at twice the DPI, shown at 1x
    %config InlineBackend.rc = {"figure.figsize": (4, 3)} # matplotlib rcParams while inline is in use

:class:`InlineBackend` is a traitlets Configurable and also the formatter
the shell's :class:`~shell.engine.display.formatting.DisplayFormatter` calls for
``matplotlib.figure.Figure`` objects, so ``fig`` as a cell's last
expression, ``display(fig)`` and the backend in
:mod:`shell.display.inline_backend` all make the same bundle. A figure shown
once in a cell is marked, so the end-of-cell flush does not show it again.
"""

from __future__ import annotations

import base64
import io
import os
import sys
from typing import TYPE_CHECKING, Any, Iterable, cast

from traitlets import Bool, Dict, Set, TraitError, Unicode, observe, validate
from traitlets.config import Configurable
from traitlets.utils.bunch import Bunch

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

BACKEND = "module://shell.display.inline_backend"
FIGURE_TYPE = ("matplotlib.figure", "Figure")
FORMATS = {"png": "image/png", "retina": "image/png", "png2x": "image/png", "jpeg": "image/jpeg",
           "jpg": "image/jpeg", "svg": "image/svg+xml", "pdf": "application/pdf"}
_SHOWN = "_hocus_shown"


class InlineBackend(Configurable):
    """How figures are shown inline: formats, savefig arguments, closing after each cell."""

    figure_formats = Set({"png"}, help="Formats to send: png, retina (png2x), jpeg, svg, pdf.").tag(config=True)
    figure_format = Unicode("", help="One format to send (IPython's older name): sets figure_formats to it.").tag(config=True)
    rc = Dict({}, help="matplotlib rcParams to set when the inline backend starts (and at once if it "
                       "is in use), as IPython's InlineBackend.rc.").tag(config=True)
    print_figure_kwargs = Dict({"bbox_inches": "tight"}, help="Arguments for Figure.savefig.").tag(config=True)
    close_figures = Bool(True, help="Close every figure after the cell that made it has shown it.").tag(config=True)

    @validate("figure_formats")
    def _check_formats(self, proposal: Bunch) -> set[str]:
        formats = {proposal["value"]} if isinstance(proposal["value"], str) else set(proposal["value"])
        bad = sorted(formats - set(FORMATS))
        if bad:
            raise TraitError(f"unknown figure format {bad[0]!r}; choose from {', '.join(sorted(FORMATS))}")
        return formats

    @validate("figure_format")
    def _check_format(self, proposal: Bunch) -> str:
        if proposal["value"] and proposal["value"] not in FORMATS:
            raise TraitError(f"unknown figure format {proposal['value']!r}; choose from {', '.join(sorted(FORMATS))}")
        return proposal["value"]

    @observe("figure_format")
    def _one_format(self, change: Bunch) -> None:
        if change["new"]:
            self.figure_formats = {change["new"]}

    @observe("rc")
    def _rc_changed(self, change: Bunch) -> None:
        if "matplotlib" in sys.modules and _inline_active():
            apply_rc(self)

    def __call__(self, figure: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        """The MIME bundle and metadata for ``figure`` (what the DisplayFormatter adds for Figures)."""
        setattr(figure, _SHOWN, True)
        return figure_bundle(figure, self.figure_formats, dict(self.print_figure_kwargs))


def figure_bundle(figure: Any, formats: Iterable[str],
                  kwargs: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """``({mime: data}, {mime: metadata})`` for a figure; PNG/JPEG base64, SVG text."""
    data: dict[str, Any] = {}
    metadata: dict[str, Any] = {}
    if not figure.axes and not figure.lines and not figure.images and not figure.patches:
        return data, metadata  # an empty figure shows nothing, as in IPython
    for fmt in sorted(set(formats)):
        mime = FORMATS[fmt]
        if mime in data:
            continue
        retina = fmt in ("retina", "png2x")
        dpi = figure.dpi * (2 if retina else 1)
        options = {"format": "png" if retina else fmt.replace("jpg", "jpeg"), "dpi": dpi, **kwargs}
        if options.get("bbox_inches") is None:
            options.pop("bbox_inches", None)
        buffer = io.BytesIO()
        figure.canvas.print_figure(buffer, **options)
        raw = buffer.getvalue()
        if mime == "image/svg+xml":
            data[mime] = raw.decode("utf-8")
        else:
            data[mime] = base64.b64encode(raw).decode("ascii")
        if retina:
            from shell.display._objects import image_size

            size = image_size(raw)
            if size:
                metadata[mime] = {"width": size[0] // 2, "height": size[1] // 2}
    return data, metadata


def enable_inline(shell: Any, *, set_backend: bool = True) -> InlineBackend:
    """Make ``shell`` show matplotlib figures inline; import no matplotlib.

    Sets ``MPLBACKEND`` (unless the user chose one) so that importing pyplot
    selects :mod:`shell.display.inline_backend`, and installs the settings,
    the Figure formatter and the end-of-cell flush on the shell's display.
    """
    if set_backend:
        os.environ.setdefault("MPLBACKEND", BACKEND)
    config = install(shell.displayer, parent=shell)
    shell.add_configurable(config)
    return config


def install(displayer: Any, parent: Any = None) -> InlineBackend:
    """The InlineBackend of ``displayer``'s formatter, made (with defaults) and hooked up if missing."""
    formatter = displayer.formatter
    config = formatter.type_formatters.get(FIGURE_TYPE)
    if not isinstance(config, InlineBackend):
        config = InlineBackend(parent=parent if parent is not None else formatter.settings_parent)
        formatter.for_type_by_name(*FIGURE_TYPE, config)
    displayer.at_cell_end(lambda: flush_figures(displayer))
    return config


def flush_figures(displayer: Any) -> None:
    """At the end of a cell: show the figures the cell made and did not show yet, then close them.

    Does nothing unless pyplot is loaded and the inline backend is the active one.
    """
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is None or not _inline_active():
        return
    from matplotlib._pylab_helpers import Gcf

    config = displayer.formatter.type_formatters.get(FIGURE_TYPE)
    close = config.close_figures if isinstance(config, InlineBackend) else True
    show_figures(displayer, [manager.canvas.figure for manager in Gcf.get_all_fig_managers()], close=close)


def show_figures(displayer: Any, figures: list[Any], *, close: bool = True) -> None:
    """Display each figure not yet shown in this cell (``plt.show()`` and the flush), then close it."""
    import matplotlib.pyplot as plt

    try:
        for figure in figures:
            if not getattr(figure, _SHOWN, False):
                displayer.display(figure)
            if hasattr(figure, _SHOWN):
                delattr(figure, _SHOWN)
    finally:
        if close:
            for figure in figures:
                plt.close(figure)


def apply_rc(config: Any) -> None:
    """Set ``InlineBackend.rc`` on matplotlib's rcParams (when the backend starts, or rc changes)."""
    if isinstance(config, InlineBackend) and config.rc:
        import matplotlib

        # the user's names: matplotlib refuses an unknown one as it sets it
        matplotlib.rcParams.update(cast("dict[RcKeyType, Any]", config.rc))


def _inline_active() -> bool:
    import matplotlib

    return matplotlib.get_backend() == BACKEND
