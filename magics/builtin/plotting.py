"""``%matplotlib``: choose how matplotlib shows figures.

Usage::

    %matplotlib              # inline: figures appear in the output after each cell
    %matplotlib inline
    %matplotlib qt           # a GUI window (tk, qt, gtk4, wx, osx...)
    %matplotlib agg          # draw nothing on screen (scripts, tests)
    %matplotlib --list       # the names it knows

``inline`` is hocus's own backend (``module://shell.display.inline_backend``):
in the kernel figures become ``image/png`` display data, in the terminal they
are drawn with the terminal's graphics protocol or saved to a file. Its
settings are ``%config InlineBackend``. matplotlib is imported by the magic,
never before.
"""

from __future__ import annotations

import sys
from types import ModuleType

from magics.arguments import argument, magic_arguments, parse_argstring
from magics.base import Magics
from magics.decorators import line_magic
from magics.errors import UsageError

INLINE = "module://shell.display.inline_backend"

# IPython's names for backends -> matplotlib's
BACKENDS: dict[str, str] = {
    "inline": INLINE,
    "agg": "agg",
    "tk": "TkAgg",
    "qt": "QtAgg",
    "qt5": "Qt5Agg",
    "qt6": "QtAgg",
    "gtk": "GTK3Agg",
    "gtk3": "GTK3Agg",
    "gtk4": "GTK4Agg",
    "wx": "WXAgg",
    "osx": "MacOSX",
    "macosx": "MacOSX",
    "nbagg": "nbAgg",
    "notebook": "nbAgg",
    "widget": "module://ipympl.backend_nbagg",
    "ipympl": "module://ipympl.backend_nbagg",
    "webagg": "WebAgg",
    "svg": "svg",
    "pdf": "pdf",
    "ps": "ps",
    "cairo": "cairo",
}


class PlottingMagics(Magics):
    """Set up matplotlib for interactive work."""

    @magic_arguments()
    @argument("-l", "--list", action="store_true", help="show the backends you can name")
    @argument("gui", nargs="?", help="the backend: inline (default, or auto), agg, tk, qt, gtk4, wx, osx, widget, ...")
    @line_magic
    def matplotlib(self, line: str = "") -> None:
        """Choose how matplotlib shows figures: ``%matplotlib [inline|agg|tk|qt|...]``.

        Without a name (or with ``auto``), ``inline``, and it says so, as
        IPython says which backend it chose: each cell's figures are shown
        after it and closed; ``plt.show()`` shows them at once. A GUI name
        opens windows and turns on interactive mode, as in IPython.
        """
        args = parse_argstring(self.matplotlib, line)
        if args.list:
            names = ", ".join(repr(name) for name in BACKENDS)
            self.shell.write(f"Available matplotlib backends: [{names}]\n")
            return
        chosen = args.gui is None or args.gui.strip().lower() == "auto"
        name = "inline" if chosen else args.gui.strip()
        backend = BACKENDS.get(name.lower(), name)
        import matplotlib

        try:
            if backend == INLINE or "matplotlib.pyplot" in sys.modules:
                # loading the inline backend now hooks it to this shell's display
                import matplotlib.pyplot as plt

                plt.switch_backend(backend)
            else:
                matplotlib.use(backend)
        except (ImportError, ValueError) as err:
            raise UsageError(f"%matplotlib: cannot use the {name!r} backend: {err}") from None
        matplotlib.interactive(True)
        if backend == INLINE:
            _backend_module(backend).hook_up()  # this shell's display shows the figures, even if another's did
            from traitlets.config import Configurable

            settings = self.shell.formatter_for_type("matplotlib.figure", "Figure")  # the InlineBackend
            if isinstance(settings, Configurable) and "InlineBackend" not in self.shell.configurables():
                self.shell.add_configurable(settings)  # %config InlineBackend.figure_formats = ...
        if chosen:
            self.shell.write(f"Using matplotlib backend: {name}\n")


def _backend_module(backend: str) -> ModuleType:
    """The module of a ``module://`` backend, loaded the way matplotlib loads it."""
    try:
        from matplotlib.backends import backend_registry  # matplotlib >= 3.9
    except ImportError:
        import importlib

        return importlib.import_module(backend[len("module://"):])
    return backend_registry.load_backend_module(backend)
