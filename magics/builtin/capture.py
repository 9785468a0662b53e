"""``%%capture``: run a cell and keep its output instead of showing it.

Usage::

    In [1]: %%capture out
       ...: print("noisy")
       ...: display(chart)
    In [2]: out.stdout          # 'noisy\\n'
    In [3]: out.show()          # now show everything, in order of kind
    In [4]: out()               # the same

Three things are captured, each of which can be left alone:

- ``sys.stdout`` (user ``print``) together with the engine's own normal
  text (``!cmd`` output) — ``--no-stdout``;
- ``sys.stderr`` together with the engine's error text (tracebacks,
  warnings) — ``--no-stderr``;
- rich display output: ``display()`` calls and the cell's result, through
  ``shell.redirect_output(display=...)`` — ``--no-display``.

:func:`capture_output` is the same as a context manager, for library code
that holds a shell.
"""

from __future__ import annotations

import contextlib
import io
import sys
from typing import Any, Callable, Iterator

from magics.arguments import argument, magic_arguments, parse_argstring
from magics.base import Magics
from magics.decorators import cell_magic
from magics.errors import UsageError
from magics.surface import ShellSurface


class RichOutput:
    """One captured display: a MIME bundle and its metadata; ``display()`` shows it again."""

    def __init__(self, data: dict[str, Any], metadata: dict[str, Any] | None = None,
                 transient: dict[str, Any] | None = None, update: bool = False,
                 redisplay: Callable[..., Any] | None = None):
        self.data = data
        self.metadata = metadata or {}
        self.transient = transient or {}
        self.update = update
        self._redisplay = redisplay

    def display(self) -> None:
        """Publish the bundle again through the shell it was captured from."""
        if self._redisplay is not None:
            self._redisplay(self.data, raw=True, metadata=self.metadata)

    def _repr_mimebundle_(self, include: object = None,
                          exclude: object = None) -> tuple[dict[str, Any], dict[str, Any]]:
        return self.data, self.metadata

    def __repr__(self) -> str:
        return f"<RichOutput {sorted(self.data)}>"


class CapturedIO:
    """What ``%%capture VAR`` stores: ``stdout``, ``stderr``, ``outputs``; ``show()`` (or call it) replays."""

    def __init__(self, stdout: io.StringIO | None, stderr: io.StringIO | None, outputs: list[RichOutput] | None = None):
        self._stdout = stdout
        self._stderr = stderr
        self._outputs = outputs if outputs is not None else []

    @property
    def stdout(self) -> str:
        """Captured standard output ('' when it was not captured)."""
        return self._stdout.getvalue() if self._stdout is not None else ""

    @property
    def stderr(self) -> str:
        """Captured error output ('' when it was not captured)."""
        return self._stderr.getvalue() if self._stderr is not None else ""

    @property
    def outputs(self) -> list[RichOutput]:
        """Captured rich outputs (``display()`` calls and the cell's result), in order."""
        return list(self._outputs)

    def show(self) -> None:
        """Write the captured text to ``sys.stdout``/``sys.stderr`` and display the rich outputs again."""
        if self.stdout:
            sys.stdout.write(self.stdout)
            sys.stdout.flush()
        if self.stderr:
            sys.stderr.write(self.stderr)
            sys.stderr.flush()
        for output in self._outputs:
            output.display()

    __call__ = show

    def __str__(self) -> str:
        return self.stdout

    def __repr__(self) -> str:
        return (f"<CapturedIO stdout={len(self.stdout)} chars, stderr={len(self.stderr)} chars, "
                f"{len(self._outputs)} outputs>")


class CapturingPublisher:
    """A DisplayPublisher that keeps every bundle instead of showing it."""

    def __init__(self, redisplay: Callable[..., Any] | None = None):
        self.outputs: list[RichOutput] = []
        self._redisplay = redisplay

    def publish(self, data: dict[str, Any], metadata: dict[str, Any] | None = None, *,
                transient: dict[str, Any] | None = None, update: bool = False) -> None:
        self.outputs.append(RichOutput(data, metadata, transient, update, self._redisplay))

    def publish_result(self, execution_count: int | None, data: dict[str, Any],
                       metadata: dict[str, Any] | None = None) -> None:
        self.outputs.append(RichOutput(data, metadata, redisplay=self._redisplay))

    def clear_output(self, wait: bool = False) -> None:
        # clear() rather than a new list: CapturedIO holds this very list.
        self.outputs.clear()


@contextlib.contextmanager
def capture_output(shell: ShellSurface, stdout: bool = True, stderr: bool = True,
                   display: bool = True) -> Iterator[CapturedIO]:
    """Capture what runs inside the block: ``with capture_output(shell) as captured: ...``."""
    out = io.StringIO() if stdout else None
    err = io.StringIO() if stderr else None
    publisher = CapturingPublisher(redisplay=shell.display) if display else None
    captured = CapturedIO(out, err, publisher.outputs if publisher else None)
    with contextlib.ExitStack() as stack:
        if out is not None:
            stack.enter_context(contextlib.redirect_stdout(out))
        if err is not None:
            stack.enter_context(contextlib.redirect_stderr(err))
        stack.enter_context(shell.redirect_output(stdout=out, stderr=err, display=publisher))
        yield captured


class CaptureMagics(Magics):
    """``%%capture``."""

    @magic_arguments()
    @argument("--no-stdout", action="store_true", help="do not capture standard output")
    @argument("--no-stderr", action="store_true", help="do not capture error output")
    @argument("--no-display", action="store_true", help="do not capture rich display (display(), the result)")
    @argument("output", nargs="?", default="",
              help="the variable to store the CapturedIO in; without it the output is discarded")
    @cell_magic
    def capture(self, line: str, cell: str) -> None:
        """Run the cell, capturing its stdout, stderr and rich display output.

        ``%%capture out`` stores a ``CapturedIO`` in ``out``: ``out.stdout``
        and ``out.stderr`` are the text, ``out.outputs`` the rich outputs
        (each with ``.data`` and ``.metadata``), and ``out.show()`` — or
        ``out()`` — shows it all again. Without a name the output is thrown
        away. Tracebacks count as stderr; a failing cell fails quietly.

        The cell runs like IPython's ``%%capture`` runs it: in your
        namespace, without a new prompt number or ``In``/``Out`` entry.
        """
        args = parse_argstring(self.capture, line)
        if args.output and not args.output.isidentifier():
            raise UsageError(f"%%capture: {args.output!r} is not a valid variable name")
        with capture_output(self.shell, not args.no_stdout, not args.no_stderr, not args.no_display) as captured:
            self.shell.run_cell(cell, store_history=False)
        if args.output:
            self.shell.user_ns[args.output] = captured
