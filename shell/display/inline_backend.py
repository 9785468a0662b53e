"""A matplotlib backend that shows figures in hocus's output: ``module://shell.display.inline_backend``.

The kernel selects it by default (``MPLBACKEND``), ``%matplotlib inline``
selects it anywhere. Figures are drawn with Agg; a cell's figures are shown
when it ends (or at ``plt.show()``) through the Displayer of the shell
running the cell, found in :data:`shell.engine.display.displayer.current_displayer`,
then closed. Outside a cell, ``show()`` saves each figure to a temporary PNG
and prints its path; the files are removed when the program exits.

Only matplotlib imports this module (when the backend is selected), so
nothing here runs at hocus's start-up.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from shell.engine.display.displayer import current_displayer
from shell.engine.display.scratch import ScratchFolder

if TYPE_CHECKING:
    from matplotlib.backend_bases import FigureManagerBase
    from matplotlib.figure import Figure

backend_version = "hocus"


def _agg_canvas() -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    return FigureCanvasAgg


# matplotlib copies this module's names into its backend class, so the canvas must be a
# real attribute; only matplotlib imports this module, so matplotlib is loaded already.
FigureCanvas = _agg_canvas()


def new_figure_manager(num: int, *args: Any, FigureClass: type[Figure] | None = None,
                       **kwargs: Any) -> FigureManagerBase:
    from matplotlib.figure import Figure

    figure = (FigureClass or Figure)(*args, **kwargs)
    return new_figure_manager_given_figure(num, figure)


def new_figure_manager_given_figure(num: int, figure: Figure) -> FigureManagerBase:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    hook_up(starting=False)
    return FigureCanvasAgg.new_manager(figure, num)


def draw_if_interactive() -> None:
    """Nothing to draw now: the figure is shown when the cell ends."""


def show(block: bool | None = None, close: bool | None = None) -> None:
    """Show every open figure now (``plt.show()``), then close them."""
    from matplotlib._pylab_helpers import Gcf

    figures = [manager.canvas.figure for manager in Gcf.get_all_fig_managers()]
    displayer = current_displayer.get()
    if displayer is None:
        _save_to_files(figures)
        return
    from shell.display.figures import InlineBackend, install, show_figures

    config = install(displayer)
    if close is None:
        close = config.close_figures if isinstance(config, InlineBackend) else True
    show_figures(displayer, figures, close=close)


def hook_up(*, starting: bool = True) -> None:
    """Show figures through the Displayer of the shell running this cell (``%matplotlib inline`` calls it).

    ``starting``: the backend is being selected (not a new figure being
    made), so ``InlineBackend.rc`` is applied, as IPython does then.
    """
    displayer = current_displayer.get()
    if displayer is not None:
        from shell.display.figures import apply_rc, install

        config = install(displayer)
        if starting:
            apply_rc(config)


_saved_figures = ScratchFolder()  # lives as long as the program: removed at exit


def _save_to_files(figures: list[Any]) -> None:
    import matplotlib.pyplot as plt

    for figure in figures:
        with _saved_figures.new_file("hocus-figure-", ".png") as f:
            figure.savefig(f, format="png")
        print(f"[figure saved to {f.name}]", file=sys.stdout)
        plt.close(figure)


hook_up()  # selected from inside a cell (%matplotlib inline): show this cell's figures
