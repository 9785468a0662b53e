"""Display magics: a cell shown as HTML, Markdown, LaTeX, JavaScript or SVG, and ``%pprint``.

Usage::

    %%html
    <b>bold</b>

    %%markdown
    *emphasis*

    %pprint            # pretty printing of results off / on

Each cell magic publishes the cell's text as one MIME bundle (with its
``text/plain`` fallback, so a terminal shows something readable) through the
shell's ``display`` -- a raw bundle, so this module needs nothing from the
engine.
"""

from __future__ import annotations

from magics.arguments import argument, magic_arguments, parse_argstring
from magics.base import Magics
from magics.decorators import cell_magic, line_magic


class DisplayMagics(Magics):
    """Show a cell's text as rich output."""

    def _show(self, mime: str, text: str, plain: str | None = None, metadata: dict | None = None) -> None:
        bundle = {"text/plain": plain if plain is not None else text, mime: text}
        self.shell.display(bundle, raw=True, metadata=metadata)

    @magic_arguments()
    @argument("--isolated", action="store_true", help="show the HTML in an iframe of its own")
    @cell_magic
    def html(self, line: str, cell: str) -> None:
        """Show the cell as HTML (``--isolated``: in its own iframe)."""
        args = parse_argstring(self.html, line)
        metadata = {"text/html": {"isolated": True}} if args.isolated else None
        self._show("text/html", cell, plain="<IPython.core.display.HTML object>", metadata=metadata)

    @cell_magic
    def markdown(self, line: str, cell: str) -> None:
        """Show the cell as Markdown."""
        self._show("text/markdown", cell)

    @cell_magic
    def latex(self, line: str, cell: str) -> None:
        """Show the cell as LaTeX (MathJax in the notebook)."""
        self._show("text/latex", cell)

    @cell_magic
    def javascript(self, line: str, cell: str) -> None:
        """Run the cell as JavaScript in the notebook front end."""
        self._show("application/javascript", cell, plain="<IPython.core.display.Javascript object>")

    @cell_magic
    def js(self, line: str, cell: str) -> None:
        """Run the cell as JavaScript in the notebook front end (``%%javascript``)."""
        self.javascript(line, cell)

    @cell_magic
    def svg(self, line: str, cell: str) -> None:
        """Show the cell as an SVG picture (only the ``<svg>`` element is kept)."""
        start = cell.find("<svg")
        self._show("image/svg+xml", cell[start:] if start > 0 else cell, plain="<IPython.core.display.SVG object>")

    @line_magic
    def pprint(self, line: str = "") -> None:
        """Turn pretty printing of results off, or on again (``PlainTextFormatter.pprint``)."""
        self.shell.pretty_printing = on = not self.shell.pretty_printing
        self.shell.write(f"Pretty printing has been turned {'ON' if on else 'OFF'}\n")
