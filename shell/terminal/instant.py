"""The first prompt, drawn before prompt_toolkit is loaded.

Usage (what ``hocus`` does on a terminal)::

    instant = InstantPrompt.show(shell, banner=True)   # banner and In [1]: on screen now
    from shell.terminal.app import TerminalShell       # prompt_toolkit loads meanwhile
    TerminalShell(shell).interact(banner=False, instant=instant)   # hand_over(), then release()

Loading prompt_toolkit and building the prompt is most of the shell's
start-up. Like zsh's "instant prompt", hocus writes the banner and
``In [1]:`` as soon as the engine is ready and lets the user start typing.
Until the real prompt takes over, the terminal neither echoes keys nor turns
Ctrl-C into a signal: every key, Enter and Ctrl-C included, waits in the
terminal's input queue, and prompt_toolkit reads them as if they had been
typed at its own prompt, which it draws over this one in the same place.
Nothing typed is lost and nothing half-typed runs. The terminal gets its
own settings back when that first prompt ends, before any cell runs.
"""

from __future__ import annotations

import sys
from typing import Any, TextIO

from shell.terminal.prompts import ansi_in_prompt

__all__ = ["InstantPrompt"]


class InstantPrompt:
    """The terminal between the instant prompt and prompt_toolkit's: keys held, attributes saved."""

    def __init__(self, fd: int, saved: list[Any], stream: TextIO):
        self._fd, self._saved, self._stream = fd, saved, stream

    @classmethod
    def show(cls, shell: Any, *, banner: bool, stream: TextIO | None = None) -> "InstantPrompt | None":
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
        stream.write(ansi_in_prompt(shell.execution_count, _configured_vi_state(shell),
                                    colors=shell.colors != "NoColor"))
        stream.flush()
        return cls(fd, saved, stream)

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


def _configured_vi_state(shell: Any) -> str | None:
    """``"ins"`` when the configuration asks for vi mode (the prompt then starts with ``[ins]``)."""
    settings = shell.config.get("TerminalShell", {}) if hasattr(shell, "config") else {}
    return "ins" if str(settings.get("editing_mode", "emacs")).lower() == "vi" else None
