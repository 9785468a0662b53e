"""The first prompt, drawn before prompt_toolkit is loaded, and the keys typed at it.

Usage (what ``hocus`` does on a terminal)::

    instant = InstantPrompt.show(shell, banner=True)            # banner and In [1]: on screen now
    TerminalShell = instant.serve_while(load_terminal_shell)    # prompt_toolkit loads in a thread meanwhile
    TerminalShell(shell).interact(banner=False, instant=instant)   # hand_over(), then release()

Loading prompt_toolkit and building the prompt is most of the shell's
start-up. Like zsh's "instant prompt", hocus writes the banner and
``In [1]:`` as soon as the engine is ready and lets the user start typing.
While prompt_toolkit loads, the terminal neither echoes keys nor turns
Ctrl-C into a signal; this module reads the keys itself. Plain printable
keys are drawn at once, and a line of them ended by Enter that is a
complete cell runs at once, exactly as the full prompt would run it (the
same :func:`~shell.terminal.enter.enter_action`), with the terminal back in
its own mode while it runs, so Ctrl-C interrupts it. The first key that is
not a plain one (an arrow, Tab, Ctrl-C, Esc, a half-finished block) ends
that: from then on every key is only kept, and prompt_toolkit, drawing its
prompt over this one, reads them all in order as if typed there. Nothing
typed is lost and nothing runs that the full prompt would not run. The
terminal gets its own settings back when the first prompt_toolkit prompt
ends, before any later cell runs.

The history for ↑ and auto-suggest starts loading here too
(:class:`HistoryPreload`), so ↑ pressed the moment the prompt appears
already has the earlier sessions' cells.
"""

from __future__ import annotations

import os
import sys
import threading
from typing import TYPE_CHECKING, Any, Callable, Sequence, TextIO, TypeVar

from shell.terminal.enter import enter_action
from shell.terminal.loop import run_typed_cell
from shell.terminal.prompts import ansi_in_prompt

if TYPE_CHECKING:
    from shell.engine.result import ExecutionResult
    from shell.engine.shell import Shell

__all__ = ["InstantPrompt", "HistoryPreload"]

T = TypeVar("T")
ENTER = b"\r"


class InstantPrompt:
    """The terminal between the instant prompt and prompt_toolkit's: keys read here, attributes saved.

    ``typed_ahead`` holds the keys read but not run (prompt_toolkit gets them),
    ``ran`` the cells run here, oldest first (prompt_toolkit's ↑ gets them).
    """

    def __init__(self, shell: Shell, fd: int, saved: list[Any], held: list[Any], stream: TextIO):
        self._shell, self._fd, self._held, self._stream = shell, fd, held, stream
        self._saved: list[Any] | None = saved  # None once released
        self.typed_ahead = b""
        self.ran: list[str] = []
        self.last_result: ExecutionResult | None = None  # of the last cell run here
        self.history = HistoryPreload(shell.history, int(_terminal_setting(shell, "history_load_limit", 10000)))
        self._echoed = 0  # characters of the line being typed that are drawn
        # Lines wait for prompt_toolkit when Enter does more there than enter_action says (settings), or
        # when the first prompt starts with text in it (a startup file's %load).
        self._serving = not (_terminal_setting(shell, "syntax_check", False)
                             or _terminal_setting(shell, "complete_while_typing", False) or shell.next_input)

    @classmethod
    def show(cls, shell: Shell, *, banner: bool, stream: TextIO | None = None) -> "InstantPrompt | None":
        """Write the banner and the first prompt; None when stdin is not a terminal we can hold."""
        stream = stream or sys.stdout
        try:
            import termios
        except ImportError:  # Windows: prompt_toolkit draws the first prompt itself
            return None
        try:
            fd = sys.stdin.fileno()
            saved = termios.tcgetattr(fd)
            held = [*saved[:6], list(saved[6])]
            # As prompt_toolkit's raw mode: keys are queued byte for byte (Enter stays \r, so Esc
            # Enter is still Alt-Enter; Ctrl-S stays a key), unechoed, and Ctrl-C is not a signal.
            held[0] &= ~(termios.ICRNL | termios.INLCR | termios.IGNCR | termios.IXON)
            held[3] &= ~(termios.ECHO | termios.ICANON | termios.ISIG | termios.IEXTEN)
            held[6][termios.VMIN], held[6][termios.VTIME] = 1, 0
            termios.tcsetattr(fd, termios.TCSANOW, held)
        except (termios.error, OSError, ValueError):  # not a terminal after all
            return None
        if banner:
            from shell.terminal.simple import banner as banner_text

            shell.write(banner_text() + "\n")
        instant = cls(shell, fd, saved, held, stream)
        instant._draw_prompt()
        return instant

    def serve_while(self, load: Callable[[], T]) -> T:
        """Call ``load`` in a thread; meanwhile read the keys typed, draw them and run complete lines.

        Returns what ``load`` returned (or raises what it raised) once it is
        done and no cell is running; the keys not run are in ``typed_ahead``.
        """
        done_read, done_write = os.pipe()
        outcome: dict[str, Any] = {}

        def work() -> None:
            try:
                outcome["value"] = load()
            except BaseException as err:  # noqa: BLE001 - handed to the main thread
                outcome["error"] = err
            finally:
                os.write(done_write, b"!")

        worker = threading.Thread(target=work, name="hocus-load-prompt", daemon=True)
        worker.start()
        try:
            self._serve(done_read)
        finally:
            worker.join()
            os.close(done_read)
            os.close(done_write)
        if "error" in outcome:
            raise outcome["error"]
        return outcome["value"]

    def _serve(self, done_fd: int) -> None:
        import select

        while not self.exit_requested():
            ready, _, _ = select.select([self._fd, done_fd], [], [])
            if done_fd in ready:
                return
            data = os.read(self._fd, 4096)
            if not data:  # end of input: prompt_toolkit sees it too, and ends the session
                return
            self.typed_ahead += data
            if self._serving:
                self._serving = self._run_complete_lines()

    def _run_complete_lines(self) -> bool:
        """Draw the plain keys of the line being typed; run each complete line. False once a key is not plain."""
        while True:
            line, enter, rest = self.typed_ahead.partition(ENTER)
            text = _plain_text(line, complete=bool(enter))
            if text is None:
                return False
            if len(text) > self._echoed:
                self._stream.write(text[self._echoed:])
                self._stream.flush()
                self._echoed = len(text)
            if not enter:
                return True
            action, cell = enter_action(text, self._shell.is_complete)
            if action != "run" or "TerminalShell" in cell:  # a newline and indent, or prompt_toolkit's settings
                return False
            self.typed_ahead, self._echoed = rest, 0
            self._run(cell)
            if self.exit_requested() or (self.last_result is not None and self.last_result.next_input):
                return False

    def _run(self, cell: str) -> None:
        """Run ``cell`` as the full prompt's loop does, the terminal in its own mode meanwhile."""
        import termios

        self._stream.write("\r\n")
        self._stream.flush()
        if cell.strip():
            termios.tcsetattr(self._fd, termios.TCSANOW, self._saved or self._held)
            try:
                self.last_result = run_typed_cell(self._shell, cell)
            finally:
                termios.tcsetattr(self._fd, termios.TCSANOW, self._held)
            self.ran.append(cell)
        if not self.exit_requested():
            self._draw_prompt()

    def exit_requested(self) -> bool:
        """Whether a cell run here asked to end the session (``exit``)."""
        return self.last_result is not None and self.last_result.exit_requested

    def _draw_prompt(self) -> None:
        shell = self._shell
        self._stream.write(ansi_in_prompt(shell.execution_count, _configured_vi_state(shell),
                                          colors=shell.colors != "NoColor"))
        self._stream.flush()

    def hand_over(self) -> None:
        """Put the cursor back at the start of the prompt's line, for prompt_toolkit to draw over it.

        prompt_toolkit draws from column 0 and clears below, so its prompt
        replaces this one. The terminal stays as it is: prompt_toolkit's raw
        mode is no different for the keys, so none is read in a cooked
        terminal (where Enter would arrive as ``\n`` and Esc Enter would no
        longer be Alt-Enter).
        """
        self._stream.write("\r")
        self._stream.flush()

    def release(self) -> None:
        """Give the terminal its own settings back (idempotent): after the first prompt, before any cell runs.

        ``TCSANOW`` leaves the keys already queued where they are.
        """
        if self._saved is None:
            return
        import termios

        saved, self._saved = self._saved, None
        try:
            termios.tcsetattr(self._fd, termios.TCSANOW, saved)
        except (OSError, termios.error):
            pass


class HistoryPreload:
    """The store's recent cells (``store.last(limit)``), read in a thread from now on.

    Usage::

        preload = HistoryPreload(shell.history, 10000)   # returns at once
        preload.strings()                                # newest first; waits for the thread if needed

    Started with the instant prompt, the read overlaps prompt_toolkit's
    loading, so the full prompt has the history before it handles a key.
    """

    def __init__(self, store: Any, limit: int):
        self._strings: Sequence[str] = ()
        self._thread = threading.Thread(target=self._read, args=(store, limit), name="hocus-history-preload",
                                        daemon=True)
        self._thread.start()

    def _read(self, store: Any, limit: int) -> None:
        try:
            self._strings = store.last(limit, unique=True)
        except Exception:  # noqa: BLE001 - the store already warned; typing goes on without history
            self._strings = ()

    def strings(self) -> list[str]:
        self._thread.join()
        return list(self._strings)


def _plain_text(line: bytes, *, complete: bool) -> str | None:
    """``line`` as text when it holds only printable characters (an unfinished UTF-8 character may
    end it unless ``complete``); None for anything else: an escape sequence, Tab, a control key."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as err:
        if complete or err.reason != "unexpected end of data":
            return None
        text = line[:err.start].decode("utf-8")
    return text if text.isprintable() else None


def _terminal_setting(shell: Shell, name: str, default: Any) -> Any:
    """A ``TerminalShell`` setting from the configuration, before that class is loaded."""
    return shell.config.get("TerminalShell", {}).get(name, default)


def _configured_vi_state(shell: Shell) -> str | None:
    """``"ins"`` when the configuration asks for vi mode (the prompt then starts with ``[ins]``)."""
    return "ins" if str(_terminal_setting(shell, "editing_mode", "emacs")).lower() == "vi" else None
