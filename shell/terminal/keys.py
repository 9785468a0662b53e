"""Key bindings of the terminal shell, on top of prompt_toolkit's emacs and vi sets.

Usage::

    session = PromptSession(key_bindings=cell_key_bindings(shell.is_complete), multiline=True)

- Enter runs the cell when the engine's ``is_complete`` says it is complete
  (or can never be: the engine then reports the SyntaxError); otherwise it
  inserts a newline and the indent the engine suggests, which is one level
  less after ``return``, ``pass``, ``break``, ``continue`` and ``raise``.
  With the cursor inside the text (not at its end) Enter splits the line.
- A blank last line ends an indented block (or a ``%%magic`` cell): Enter
  on it runs the cell, as in IPython.
- Alt-Enter (Esc then Enter) always inserts a newline.
- Alt-F, with an auto-suggestion showing, accepts its next word (→,
  Ctrl-E and Ctrl-F accept all of it: prompt_toolkit's own bindings).
- F2 opens the cell in ``$EDITOR``; the edited text comes back to the
  prompt, to run with Enter. Ctrl-X Ctrl-E (emacs mode) and ``v`` (vi
  navigation mode) also open it, but run the edited cell at once, as
  bash's edit-and-execute-command does (prompt_toolkit's bindings).
- Ctrl-C and Ctrl-D are prompt_toolkit's: KeyboardInterrupt / EOFError out
  of ``prompt()``, which the front end turns into "clear" and "exit". Ctrl-C
  at an empty prompt does nothing at all, as in IPython.
"""

from __future__ import annotations

import re
from typing import Callable

from prompt_toolkit.filters import Condition, emacs_insert_mode, has_completions, has_focus, has_selection, vi_insert_mode
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.enums import DEFAULT_BUFFER

from shell.terminal.enter import enter_action

__all__ = ["cell_key_bindings", "enter_action"]

_WORD = re.compile(r"\s*\S+")


def cell_key_bindings(is_complete: Callable) -> KeyBindings:
    """Bindings for the cell buffer; ``is_complete`` is the engine's verdict function."""
    bindings = KeyBindings()
    in_cell = has_focus(DEFAULT_BUFFER) & ~has_selection
    insert = emacs_insert_mode | vi_insert_mode

    @bindings.add("enter", filter=in_cell & insert & ~has_completions)
    def _enter(event: KeyPressEvent) -> None:
        buffer = event.current_buffer
        document = buffer.document
        # Above the last line, Enter edits; on it (even mid-line, as after Ctrl-R) it may run, as in IPython.
        last_code_row = document.line_count - document.empty_line_count_at_the_end()
        if not (document.on_last_line or document.cursor_position_row >= last_code_row):
            buffer.newline(copy_margin=True)
            return
        action, value = enter_action(document.text, is_complete)
        if action == "run":
            buffer.text = value
            buffer.validate_and_handle()
            return
        text = document.text
        last = text.split("\n")[-1]
        if not last.strip() and "\n" in text:
            buffer.delete_before_cursor(len(last))  # a whitespace-only line keeps no stray indent
        buffer.insert_text("\n" + value)

    @bindings.add("enter", filter=in_cell & insert & has_completions)
    def _accept_completion(event: KeyPressEvent) -> None:
        buffer = event.current_buffer
        state = buffer.complete_state
        if state is not None and state.current_completion is not None:
            buffer.apply_completion(state.current_completion)
        else:  # a menu with nothing chosen in it: close it, and Enter does what it always does
            buffer.cancel_completion()
            _enter(event)

    @bindings.add("escape", "enter", filter=in_cell & insert)
    def _newline(event: KeyPressEvent) -> None:
        event.current_buffer.newline(copy_margin=True)

    suggestion = Condition(lambda: _suggestion_ahead() is not None)

    @bindings.add("escape", "f", filter=in_cell & insert & suggestion)
    def _accept_word(event: KeyPressEvent) -> None:
        text = _suggestion_ahead()
        if text:
            match = _WORD.match(text)
            event.current_buffer.insert_text(match.group() if match else text)

    @bindings.add("f2", filter=in_cell)
    def _edit(event: KeyPressEvent) -> None:
        event.current_buffer.open_in_editor(validate_and_handle=False)

    empty = Condition(lambda: not _current_text())

    @bindings.add("c-c", filter=has_focus(DEFAULT_BUFFER) & empty)
    def _nothing_to_clear(event: KeyPressEvent) -> None:
        """Ctrl-C at an empty prompt does nothing, as in IPython: no ``KeyboardInterrupt`` line, no new prompt."""

    return bindings


def _suggestion_ahead() -> str | None:
    from prompt_toolkit.application import get_app

    buffer = get_app().current_buffer
    if buffer.suggestion is not None and buffer.suggestion.text and buffer.document.is_cursor_at_the_end:
        return buffer.suggestion.text
    return None


def _current_text() -> str:
    from prompt_toolkit.application import get_app

    return get_app().current_buffer.text
