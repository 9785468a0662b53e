"""The verbs of :class:`~magics.surface.ShellSurface` that the engine implements over its parts.

Magics never touch the engine's compiler, formatters or seams; they ask the
shell to compile a cell, format a value, or redirect its output for a while.
:class:`SurfaceVerbs` holds those verbs, each a line or two over the part that
does the work, so :mod:`shell.engine.shell` stays about running cells. The
Shell mixes it in; a type checker holds the result to the Protocol (the
registry is typed to take a ``ShellSurface``).
"""

from __future__ import annotations

import ast
import contextlib
import io
from collections.abc import Iterator
from types import CodeType
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from magics.surface import DisplaySink
    from shell.engine.execution import CellCompiler
    from shell.engine.display.formatting import DisplayFormatter
    from shell.engine.io import DisplayPublisher, InputProvider, Output
    from shell.engine.tracebacks.formatter import TracebackFormatter


class SurfaceVerbs:
    """Compile, format, redirect and ask: what magics may do with the engine's parts."""

    compiler: CellCompiler
    display_formatter: DisplayFormatter
    tracebacks: TracebackFormatter
    output: Output
    display_pub: DisplayPublisher
    input_provider: InputProvider

    # -- compiling as cells are compiled ---------------------------------------------------
    def cell_filename(self, source: str, execution_count: int | None = None) -> str:
        """A new cell filename with ``source`` in linecache (``In[N]`` when a count is given)."""
        return self.compiler.new_filename(source, execution_count)

    def parse_cell(self, source: str, filename: str) -> ast.Module:
        """Parse with the session's ``__future__`` flags and top-level ``await`` allowed."""
        return self.compiler.parse(source, filename)

    def compile_cell(self, tree: ast.Module, filename: str) -> CodeType:
        """Compile as a cell; ``__future__`` imports in ``tree`` hold for later cells too."""
        return self.compiler.compile(tree, filename)

    def compile_expression(self, node: ast.expr, filename: str) -> CodeType:
        """``eval`` code for one expression, with the cell flags (futures, top-level ``await``)."""
        return compile(ast.Expression(node), filename, "eval", self.compiler.flags | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT,
                       dont_inherit=True)

    # -- formatting values -------------------------------------------------------------------
    def format_plain(self, obj: Any) -> str:
        """The ``text/plain`` a result shows for ``obj``."""
        return self.display_formatter.plain(obj)

    def set_float_precision(self, spec: str) -> str:
        """``%precision``: ValueError on a bad spec; returns the format now in use."""
        return self.display_formatter.plain.set_precision(spec)

    @property
    def pretty_printing(self) -> bool:
        """Whether results are pretty-printed (``PlainTextFormatter.pprint``)."""
        return bool(self.display_formatter.plain.pprint)

    @pretty_printing.setter
    def pretty_printing(self, on: bool) -> None:
        self.display_formatter.plain.pprint = on

    def formatter_for_type(self, module: str, name: str) -> Callable[[Any], Any] | None:
        """The formatter registered for ``module.name`` instances (the inline backend's settings)."""
        return self.display_formatter.type_formatters.get((module, name))

    def register_formatter(self, module: str, name: str, func: Callable[[Any], Any] | None) -> None:
        """Format ``module.name`` instances with ``func``; None removes the formatter."""
        self.display_formatter.for_type_by_name(module, name, func)

    def format_exception_only(self, exc: BaseException) -> str:
        """Where a SyntaxError is, a caret and the message; the last line for other errors."""
        return self.tracebacks.format_exception_only(exc)

    # -- output and input ----------------------------------------------------------------------
    @contextlib.contextmanager
    def redirect_output(self, *, stdout: io.StringIO | None = None, stderr: io.StringIO | None = None,
                        display: DisplaySink | None = None) -> Iterator[None]:
        """The shell's own text into ``stdout``/``stderr`` and display data into ``display``, for the block."""
        saved_output, saved_publisher = self.output, self.display_pub
        self.output = RedirectedOutput(saved_output, stdout, stderr)
        if display is not None:
            self.display_pub = display
        try:
            yield
        finally:
            self.output = saved_output
            self.display_pub = saved_publisher

    def read_input(self, prompt: str, *, password: bool = False) -> str:
        """A line from the user, through the front end's InputProvider."""
        return self.input_provider.input(prompt, password=password)


class RedirectedOutput:
    """An :class:`~shell.engine.io.Output` writing into buffers, or passing through where there is none."""

    def __init__(self, original: Output, stdout: io.StringIO | None, stderr: io.StringIO | None):
        self._original = original
        self._stdout = stdout
        self._stderr = stderr

    def write(self, text: str) -> None:
        if self._stdout is not None:
            self._stdout.write(text)
        else:
            self._original.write(text)

    def write_err(self, text: str) -> None:
        if self._stderr is not None:
            self._stderr.write(text)
        else:
            self._original.write_err(text)
