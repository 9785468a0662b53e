"""The engine's seams to the outside world.

The engine never writes to a terminal or a socket itself. What a front end
gives it is declared here, passed to ``Shell(...)`` (or ``build_shell``):

- :class:`Output` — where the engine's own text goes (tracebacks, messages,
  output of ``!cmd``). User code's ``print`` goes to ``sys.stdout`` as
  usual; a front end that captures it (the kernel) replaces ``sys.stdout``.
- :class:`DisplayPublisher` — where rich display data goes: results of cells
  (``Out[N]``), ``display()`` calls, ``clear_output()``.
- :class:`InputProvider` — how ``input()`` and ``getpass()`` get an answer.
- :class:`ErrorReporter` — optional: where a cell's error goes as one piece,
  with the exception (the kernel sends one ``error`` message); by default
  its text goes to :meth:`Output.write_err`.
- :class:`Pager` — optional: how long text (``obj?``, ``%page``) is shown;
  without one it is written to the :class:`Output`.
- :class:`DebuggerPrompt` — optional: how the debugger reads its commands
  (the terminal's prompt completes names in the frame being debugged).

What a front end gets back after each cell is on the
:class:`~shell.engine.result.ExecutionResult` that ``run_cell`` returns
(the next input offered, an exit request and its code).

The defaults here write to ``sys.stdout``/``sys.stderr`` (looked up at each
write, so ``%%capture`` and the kernel's stream replacements see them) and
read with the builtin ``input``.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, Callable, Protocol

if TYPE_CHECKING:
    from shell.engine.completion.model import CompletionResult


class Output(Protocol):
    """Where the engine writes text meant for the user."""

    def write(self, text: str) -> None:
        """Write normal output."""

    def write_err(self, text: str) -> None:
        """Write error output (tracebacks, warnings)."""


class DisplayPublisher(Protocol):
    """Where rich display data goes; ``data`` maps MIME types to content."""

    def publish(self, data: dict[str, Any], metadata: dict[str, Any] | None = None, *,
                transient: dict[str, Any] | None = None, update: bool = False) -> None:
        """Show display data (``update=True`` replaces an earlier display with the same display_id)."""

    def publish_result(self, execution_count: int | None, data: dict[str, Any],
                       metadata: dict[str, Any] | None = None) -> None:
        """Show the value of a cell's last expression (``Out[N]``)."""

    def clear_output(self, wait: bool = False) -> None:
        """Clear the current cell's output (``wait``: only when new output arrives)."""


class InputProvider(Protocol):
    """How user code asks the user for a line of input."""

    def input(self, prompt: str = "", *, password: bool = False) -> str:
        """Return one line typed by the user, without the newline; raise EOFError at end of input."""


class ErrorReporter(Protocol):
    """Where a cell's error goes, whole: the exception and its formatted traceback text."""

    def write_error(self, error: BaseException, text: str) -> None:
        """Report ``error``, formatted as ``text``."""


class Pager(Protocol):
    """How a front end shows long text; the kernel sends it as a ``page`` payload."""

    def __call__(self, text: str) -> None:
        """Show ``text``."""


class DebuggerPrompt(Protocol):
    """Optional: how the debugger (``%debug``, ``%pdb``, ``breakpoint()``) reads a command.

    Set as ``shell.debugger_prompt``; the terminal's is a prompt_toolkit
    prompt with Tab completion. Without one the debugger reads with ``input()``.
    """

    def __call__(self, prompt: str, complete: Callable[[str, int], CompletionResult]) -> str:
        """The line typed after ``prompt``; ``complete(text, cursor)`` completes it in the frame being
        debugged. EOFError at end of input (the debugger quits), KeyboardInterrupt for Ctrl-C."""


class StdStreams:
    """:class:`Output` writing to whatever ``sys.stdout``/``sys.stderr`` are now."""

    def write(self, text: str) -> None:
        sys.stdout.write(text)
        sys.stdout.flush()

    def write_err(self, text: str) -> None:
        sys.stderr.write(text)
        sys.stderr.flush()


class ImageRenderer(Protocol):
    """Optional, for :class:`TextDisplayPublisher`: shows the pictures of a bundle as text.

    The terminal front ends give one (:class:`~shell.terminal.images.TerminalImages`:
    kitty, iTerm2, sixel or a saved file); without one, text output shows
    ``text/plain`` only, as a plain IPython ``InteractiveShell`` does.
    """

    def render_bundle(self, data: dict[str, Any]) -> str | None:
        """Text (escape sequences, or a line naming a file) that shows the bundle's first picture; None if none."""
        ...


class TextDisplayPublisher:
    """:class:`DisplayPublisher` for text front ends: shows ``text/plain``, and pictures when it can.

    Results print as ``Out[N]: text``; a multi-line result starts on its own
    line, as IPython does. A bundle with a PNG/JPEG/GIF is shown by
    ``images`` (an :class:`ImageRenderer`) when the front end gives one.
    """

    def __init__(self, output: Output | None = None, *, out_prompt: str = "Out[{n}]: ",
                 images: ImageRenderer | None = None):
        self.output = output or StdStreams()
        self.out_prompt = out_prompt
        self.images = images

    def publish(self, data: dict[str, Any], metadata: dict[str, Any] | None = None, *,
                transient: dict[str, Any] | None = None, update: bool = False) -> None:
        if self._show_image(data):
            return
        text = data.get("text/plain")
        if text is not None:
            self.output.write(text if text.endswith("\n") else text + "\n")

    def publish_result(self, execution_count: int | None, data: dict[str, Any],
                       metadata: dict[str, Any] | None = None) -> None:
        text = data.get("text/plain", "")
        prompt = self.out_prompt.format(n=execution_count) if execution_count else ""
        if "\n" in text and prompt:
            text = "\n" + text
        self.output.write(f"{prompt}{text}\n")
        self._show_image(data)

    def _show_image(self, data: dict[str, Any]) -> bool:
        if self.images is None or not any(mime.startswith("image/") for mime in data):
            return False
        rendered = self.images.render_bundle(data)
        if rendered is None:
            return False
        self.output.write(rendered)
        return True

    def clear_output(self, wait: bool = False) -> None:
        """Text output cannot be taken back; nothing to do."""


class BuiltinInput:
    """:class:`InputProvider` reading from the process's own stdin."""

    def input(self, prompt: str = "", *, password: bool = False) -> str:
        if password:
            import getpass

            return getpass.getpass(prompt)
        return _original_input(prompt)


import builtins as _builtins  # noqa: E402  (kept next to its only use)

_original_input = _builtins.input
