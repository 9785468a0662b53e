"""Modes of the session: ``%autoawait``, ``%colors`` and ``%doctest_mode``, as IPython has them.

Usage::

    %autoawait                # IPython autoawait is `on`, and set to use `asyncio`
    %autoawait off            # a top-level await is a SyntaxError again (on, True, 1, asyncio: back on)
    %colors Linux             # tracebacks (and the terminal) in the Linux scheme; NoColor, Neutral, LightBG
    %doctest_mode             # plain tracebacks and plain reprs, to paste into a doctest; again: back

hocus runs top-level ``await`` on asyncio only: ``%autoawait trio`` (or
curio) is refused with one line rather than half-working. ``%colors`` knows
hocus's four schemes; IPython 9's extra themes (``pride``,
``gruvbox-dark``) are refused with the list of those it has.
"""

from __future__ import annotations

from magics.base import Magics
from magics.decorators import line_magic
from magics.errors import UsageError
from magics.surface import ShellSurface

_ON = {"on", "true", "1", "yes", "asyncio"}
_OFF = {"off", "false", "0", "no"}
_SCHEMES = ("NoColor", "Neutral", "Linux", "LightBG")


class ModeMagics(Magics):
    """``%autoawait``, ``%colors`` and ``%doctest_mode``."""

    def __init__(self, shell: ShellSurface):
        super().__init__(shell)
        self._before_doctest: tuple[str, bool] | None = None  # (xmode, pretty printing) to go back to

    @line_magic
    def autoawait(self, line: str = "") -> None:
        """Whether a cell's top-level ``await`` runs: ``%autoawait [on|off]``.

        Without an argument, says whether it is on. On (the default), a cell
        may ``await`` at its top level, run on asyncio; off, that is a
        SyntaxError, as in a Python file. ``True``/``False``, ``1``/``0`` and
        ``asyncio`` are understood too.
        """
        word = line.strip()
        if not word:
            state = "on" if self.shell.autoawait else "off"
            self.shell.write(f"IPython autoawait is `{state}`, and set to use `asyncio`\n")
            return
        if word.lower() in _ON:
            self.shell.autoawait = True
        elif word.lower() in _OFF:
            self.shell.autoawait = False
        elif word.lower() in ("trio", "curio"):
            raise UsageError(f"%autoawait: hocus runs top-level await on asyncio only, not {word}")
        else:
            raise UsageError(f"%autoawait: expected on, off or asyncio, not {word!r}")

    @line_magic
    def colors(self, line: str = "") -> None:
        """Switch the colour scheme: ``%colors NoColor|Neutral|Linux|LightBG`` (any case)."""
        scheme = line.strip()
        themes = [name.lower() for name in _SCHEMES]
        if not scheme:
            raise UsageError(f"%colors: you must specify a color theme. See '%colors?'. Available themes: {themes}")
        if scheme.lower() not in themes:
            raise UsageError(f"%colors: no theme {scheme!r}. Available themes: {themes}")
        self.shell.colors = _SCHEMES[themes.index(scheme.lower())]

    @line_magic
    def doctest_mode(self, line: str = "") -> None:
        """Toggle doctest mode: plain tracebacks and plain ``repr`` of results, to paste into doctests.

        Run it again to go back to the traceback mode and pretty printing
        you had.
        """
        if self._before_doctest is None:
            self._before_doctest = (self.shell.xmode, self.shell.pretty_printing)
            self.shell.xmode = "Plain"
            self.shell.pretty_printing = False
            state = "ON"
        else:
            self.shell.xmode, self.shell.pretty_printing = self._before_doctest
            self._before_doctest = None
            state = "OFF"
        self.shell.write(f"Exception reporting mode: {self.shell.xmode}\nDoctest mode is: {state}\n")
