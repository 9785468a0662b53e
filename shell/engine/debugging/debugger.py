"""The debugger behind ``%debug``, ``%pdb`` and ``breakpoint()``: pdb, showing source as tracebacks do.

Usage::

    debugger = Debugger(colors="Neutral")
    debugger.interaction(None, err.__traceback__)      # post-mortem, as pdb.post_mortem does

:class:`Debugger` is :class:`pdb.Pdb`, every command as pdb has it (``ll``,
``up``, ``down``, ``p``, ``b``, ``c``...), with what an IPython user knows
from ``ipdb``:

- where it stops it shows the lines around the current one (``context N``
  sets how many, 5 at first), highlighted with pygments in the shell's
  colour scheme, the current line marked ``---->`` as in tracebacks;
  ``list`` and ``ll`` look the same (``B`` marks a breakpoint, ``>>`` the
  line that raised). The ``NoColor`` scheme writes no escape codes;
- hocus's own frames (the engine running the cell, the magics, the front
  end) are not in the stack, and stepping never stops in them;
- a front end may read the commands itself (``read_command``): the
  terminal's prompt completes with Tab names of the frame being debugged,
  through the engine's completer (``complete``). Without one, pdb reads
  with ``input()``, which a kernel answers over its stdin channel.

How a Shell makes one and installs the ``breakpoint()`` hook is
:mod:`shell.engine.debugging.session`. This module imports no front end.
"""

from __future__ import annotations

import linecache
import pdb
import reprlib
import sys
from collections.abc import Mapping, Sequence
from types import FrameType, TracebackType
from typing import TYPE_CHECKING, Any, Callable

from shell.engine.completion.model import Completion, CompletionResult
from shell.engine.debugging.displayhook import show_in_this_thread, shown_by
from shell.engine.tracebacks.formatter import highlight_python, palette

if TYPE_CHECKING:
    from shell.engine.io import DebuggerPrompt

__all__ = ["Debugger", "HIDDEN_MODULES"]

HIDDEN_MODULES = ("shell.*", "magics.*", "bdb", "contextlib", "asyncio.*")
"""Modules the debugger neither stops in nor lists in the stack: hocus's machinery between the
user's code and the prompt (the ``with`` blocks around a cell, the event loop that awaits one),
and pdb's own runner. Stepping off the end of a cell so comes back to the prompt."""

CompleteLine = Callable[[str, int], CompletionResult]
CompleteIn = Callable[[Mapping[str, Any], str, int], CompletionResult]


class Debugger(pdb.Pdb):
    """pdb with coloured source in context, hocus's frames hidden, and a front end's prompt.

    ``read_command``: the front end's prompt (None: ``input()``); ``complete``
    completes ``text`` at ``cursor`` in a namespace (the engine's completer);
    ``stop_at_start`` False: :meth:`run` goes on to the first breakpoint
    instead of stopping at the code's first line (``%debug --breakpoint``).
    """

    tb_lineno: dict[FrameType, int]  # pdb's: the line each frame of a traceback raised at (typeshed omits it)
    # what pdb swaps sys.displayhook for around a typed statement: the same hook for every debugger (displayhook.py)
    displayhook = staticmethod(show_in_this_thread)  # type: ignore[assignment]

    def __init__(self, *, colors: str = "NoColor", context: int = 5, read_command: DebuggerPrompt | None = None,
                 complete: CompleteIn | None = None, stop_at_start: bool = True, **kwargs: Any):
        kwargs.setdefault("skip", HIDDEN_MODULES)
        super().__init__(**kwargs)
        self.colors = colors
        self.context = context
        self.read_command = read_command
        self._complete_in = complete
        self._stop_at_start = stop_at_start
        self._started = False
        self._highlighted: dict[str, tuple[list[str], list[str]]] = {}

    # -- where it stops ---------------------------------------------------------------------------
    def user_line(self, frame: FrameType) -> None:
        if not self._started:
            self._started = True
            filename = self.canonic(frame.f_code.co_filename)
            if not self._stop_at_start and not self.get_breaks(filename, frame.f_lineno):
                self.set_continue()
                return
        super().user_line(frame)

    def get_stack(self, f: FrameType | None, t: TracebackType | None) -> tuple[list[tuple[FrameType, int]], int]:
        """pdb's stack without hocus's frames; the frame where it stopped always stays."""
        stack, index = super().get_stack(f, t)
        if not stack:
            return stack, index
        current = stack[index]
        kept = [entry for entry in stack if entry is current or not self._is_machinery(entry[0])]
        return kept, kept.index(current)

    def _is_machinery(self, frame: FrameType) -> bool:
        if self.is_skipped_module(frame.f_globals.get("__name__", "")):
            return True
        return bool(frame.f_locals.get("__tracebackhide__") or frame.f_globals.get("__tracebackhide__") is True)

    def _locals(self, frame: FrameType) -> Mapping[str, Any]:
        """A frame's locals as pdb's commands see them: before Python 3.13 pdb keeps one snapshot of
        the current frame's (``p x`` after ``x = 1`` shows 1); from 3.13 ``f_locals`` writes through."""
        if sys.version_info < (3, 13) and frame is self.curframe:
            return self.curframe_locals
        return frame.f_locals

    # -- showing source -----------------------------------------------------------------------------
    def print_stack_entry(self, frame_lineno: tuple[FrameType, int], prompt_prefix: str = pdb.line_prefix) -> None:
        """Where a frame is (pdb's ``> file(12)func()`` line), then the lines around it, coloured."""
        frame, lineno = frame_lineno
        _, location, _, _, reset = palette(self.colors)
        code = frame.f_code
        where = f"{self.canonic(code.co_filename)}({lineno}){code.co_name or '<lambda>'}()"
        frame_locals = self._locals(frame)
        if "__return__" in frame_locals:
            where += "->" + reprlib.repr(frame_locals["__return__"])
        self.message(f"{'> ' if frame is self.curframe else '  '}{location}{where}{reset}")
        source = self._lines(frame)
        first = max(min(lineno - 1 - self.context // 2, len(source) - self.context), 0)
        coloured = self._coloured(code.co_filename, source)
        numbered = [(n + 1, coloured[n]) for n in range(first, min(first + self.context, len(source)))]
        breaks = set(self.get_file_breaks(self.canonic(code.co_filename)))
        if numbered:
            self.message(self._format(numbered, frame=frame, current=lineno, breaks=breaks))

    def _print_lines(self, lines: Sequence[str], start: int, breaks: Any = (), frame: FrameType | None = None) -> None:
        """``list``, ``ll`` and ``source``, in the look of the stop listing."""
        coloured: list[str] | None = None
        if frame is not None:
            source = self._lines(frame)
            if source[start - 1:start - 1 + len(lines)] == list(lines):
                coloured = self._coloured(frame.f_code.co_filename, source)[start - 1:start - 1 + len(lines)]
        if coloured is None:  # `source obj` of another file: highlighted on its own
            coloured = highlight_python("".join(lines), self.colors)
        numbered = list(enumerate(coloured, start))
        current = frame.f_lineno if frame is not None else -1
        self.message(self._format(numbered, frame=frame, current=current, breaks=set(breaks)))

    def _format(self, numbered: list[tuple[int, str]], *, frame: FrameType | None, current: int,
                breaks: set[int]) -> str:
        """Numbered lines, ``---->`` at the current one, ``B`` at breakpoints, ``>>`` where it raised."""
        red, _, marker, _, reset = palette(self.colors)
        raised = self.tb_lineno.get(frame, -1) if frame is not None else -1
        out = []
        for n, text in numbered:
            mark = f"{red}B{reset}" if n in breaks else ""
            width = 7 - (1 if mark else 0)
            if n == current:
                out.append(f"{mark}{marker}{'-' * max(1, width - 2 - len(str(n)))}> {n}{reset} ")
            elif n == raised:
                out.append(f"{mark}{red}>>{reset}{n:>{width - 2}} ")
            else:
                out.append(f"{mark}{n:>{width}} ")
            out.append(text.rstrip("\n") + "\n")
        return "".join(out)  # and message() ends the listing with a blank line, as IPython's does

    @staticmethod
    def _lines(frame: FrameType) -> list[str]:
        """The lines of the file ``frame`` runs (a cell's too: they are in linecache)."""
        return linecache.getlines(frame.f_code.co_filename, frame.f_globals)

    def _coloured(self, filename: str, source: list[str]) -> list[str]:
        """The file's lines highlighted whole (a docstring's middle is still a string), remembered."""
        cached = self._highlighted.get(filename)
        if cached is None or cached[0] is not source:
            cached = (source, highlight_python("".join(source), self.colors))
            self._highlighted[filename] = cached
        return cached[1]

    def do_context(self, arg: str) -> None:
        """context N
        Show N lines of source around the current line where the debugger stops (5 at first)."""
        text = arg.strip()
        if not text.isdigit() or int(text) < 1:
            self.error(f"context: needs a whole number of lines, 1 or more, not {text!r}")
            return
        self.context = int(text)

    # -- reading commands -------------------------------------------------------------------------
    def cmdloop(self, intro: str | None = None) -> None:
        """cmd's loop, reading each command through the front end's ``read_command`` when there is one.

        Where no command can be read (a kernel's subshell, or a request that
        does not allow stdin, raise StdinNotImplementedError; a closed stdin
        raises OSError or RuntimeError) the debugger says so in one line and
        lets the code run on, rather than raising through pdb's machinery
        into the user's code.
        """
        try:
            with shown_by(self):
                self._read_commands(intro)
        except (NotImplementedError, OSError, RuntimeError) as err:
            self.error(f"The debugger cannot read a command here, so the code runs on: {err}")
            self.set_continue()

    def _read_commands(self, intro: str | None) -> None:
        if self.read_command is None:
            super().cmdloop(intro)
            return
        self.preloop()
        stop = None
        while not stop:
            if self.cmdqueue:
                line = self.cmdqueue.pop(0)
            else:
                try:
                    line = self.read_command(self.prompt, self.complete_line)
                except EOFError:
                    line = "EOF"
            line = self.precmd(line)
            stop = self.onecmd(line)
            stop = self.postcmd(stop, line)
        self.postloop()

    def complete_line(self, text: str, cursor: int) -> CompletionResult:
        """Completions for a command line: pdb's commands in the first word, then the names and
        attributes of the frame being debugged (``p data.ke``), through the engine's completer."""
        found: list[Completion] = []
        head = text[:cursor]
        if head.isidentifier():
            found = [Completion(name, 0, cursor, "keyword") for name in self._command_names() if name.startswith(head)]
        if self._complete_in is not None and self.curframe is not None:
            namespace = {**self.curframe.f_globals, **self._locals(self.curframe)}
            result = self._complete_in(namespace, text, cursor)
            if not found:
                return result
            names = {match.text for match in found}
            found += [match for match in result.matches if match.start == 0 and match.text not in names]
        return CompletionResult(found, 0, cursor) if found else CompletionResult([], cursor, cursor)

    def complete(self, text: str, state: int) -> Any:  # a str or None (typeshed's cmd stub says a list)
        """GNU readline's completer, for the plain prompt (``--simple-prompt``): the same completions as
        the terminal's Tab, each cut to the word readline replaces (none inside quotes, which readline
        closes itself)."""
        if self._complete_in is None:
            return super().complete(text, state)
        if state == 0:
            import readline

            line, begin, end = readline.get_line_buffer(), readline.get_begidx(), readline.get_endidx()
            result = self.complete_line(line, end)
            self._readline_matches = [fitted for match in result.matches
                                      if (fitted := _fit(line, begin, result.start, match.text)) is not None]
        return self._readline_matches[state] if state < len(self._readline_matches) else None

    _readline_matches: list[str] = []

    def _command_names(self) -> list[str]:
        return sorted(name[3:] for name in dir(self) if name.startswith("do_") and name != "do_EOF")


def _fit(line: str, begin: int, start: int, text: str) -> str | None:
    """A completion replacing ``line[start:]`` as readline's replacement of ``line[begin:]`` (None if it
    cannot be one: it would change text before the word readline completes)."""
    if start >= begin:
        fitted = line[begin:start] + text
    else:
        typed = line[start:begin]
        fitted = text[len(typed):] if text.startswith(typed) else ""
    return fitted if fitted and not any(quote in line[:begin] + fitted for quote in "'\"") else None
