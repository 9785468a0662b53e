"""Readable, coloured tracebacks that point into the cell's own lines.

``TracebackFormatter.format(exc)`` returns the text the user sees. Modes are
IPython's ``%xmode`` ones:

- ``Plain``: like Python's own traceback, with cells named ``Cell In[N]``;
- ``Context`` (default): each frame as IPython shows it, ``in f(a, b)``
  with the statements around the failing one (trimmed as IPython trims
  them, see :mod:`shell.engine.tracebacks.context`), the failing line
  marked ``---->``;
- ``Verbose``: Context plus the values of the arguments (``in f(a=1)``)
  and of the names used on the failing line;
- ``Minimal``: only ``ExceptionType: message``.

Frames of the engine and of hocus's own magics are hidden (so ``%run`` and
``%timeit`` tracebacks show the user's code), as are frames that set
``__tracebackhide__`` and the cells that only call a cell magic (the
``%%time`` cell's own text is shown instead). A KeyboardInterrupt shows the
frames where the cell stopped, or only its name when no user code ran. Colours come from pygments, imported only when a
coloured traceback is first formatted; the ``NoColor`` scheme emits no
escape codes at all.
"""

from __future__ import annotations

import linecache
import os
import re
import traceback
import types
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:  # the trimming and the recursion folding load with the first traceback shown
    from shell.engine.tracebacks.repeats import Repeated

MODES = ("Plain", "Context", "Verbose", "Minimal")
SCHEMES = ("NoColor", "Neutral", "Linux", "LightBG")

_HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # shell/engine
_MAGICS = os.path.join(os.path.dirname(os.path.dirname(_HERE)), "magics")
_HIDDEN_DIRS = (_HERE + os.sep, _MAGICS + os.sep)
_ASYNCIO_DIR = os.path.join(os.path.dirname(os.__file__), "asyncio") + os.sep

# Escape codes per scheme: (exception name, frame location, marker, variable name, reset)
_PALETTES = {
    "NoColor": ("", "", "", "", ""),
    "Neutral": ("\x1b[31m", "\x1b[32m", "\x1b[32m", "\x1b[36m", "\x1b[0m"),
    "Linux": ("\x1b[1;31m", "\x1b[1;32m", "\x1b[1;32m", "\x1b[1;36m", "\x1b[0m"),
    "LightBG": ("\x1b[31m", "\x1b[34m", "\x1b[32m", "\x1b[35m", "\x1b[0m"),
}
_RULE = "-" * 75
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class TracebackFormatter:
    """Formats exceptions for the user in one of :data:`MODES` and :data:`SCHEMES`."""

    def __init__(self, mode: str = "Context", colors: str = "Neutral", *,
                 cell_label: Callable[[str], str | None] | None = None,
                 hidden_file: Callable[[str], bool] | None = None):
        self.mode = _check(mode, MODES, "mode")
        self.colors = _check(colors, SCHEMES, "color scheme")
        self.cell_label = cell_label or (lambda filename: None)
        self.hidden_file = hidden_file or (lambda filename: False)
        self.show_hidden = False

    def set_mode(self, mode: str) -> str:
        self.mode = _check(mode, MODES, "mode")
        return self.mode

    def set_colors(self, colors: str) -> str:
        self.colors = _check(colors, SCHEMES, "color scheme")
        return self.colors

    # -- public --------------------------------------------------------------------
    def format(self, exc: BaseException) -> str:
        """The full text for ``exc``, chained causes included, ending in a newline."""
        parts: list[str] = []
        seen: set[int] = set()
        chain: list[tuple[BaseException, str | None]] = []
        current: BaseException | None = exc
        note: str | None = None
        while current is not None and id(current) not in seen:
            seen.add(id(current))
            chain.append((current, note))
            if current.__cause__ is not None:
                note = "The above exception was the direct cause of the following exception:"
                current = current.__cause__
            elif current.__context__ is not None and not current.__suppress_context__:
                note = "During handling of the above exception, another exception occurred:"
                current = current.__context__
            else:
                current = None
        chain.reverse()  # oldest first; each note now says how the exception after it came about
        for err, note in chain:
            parts.append(self._format_one(err))
            if note is not None:
                parts.append("\n" + note + "\n\n")
        return "".join(parts)

    def format_exception_only(self, exc: BaseException) -> str:
        """``ExceptionType: message`` (with the caret block for a SyntaxError)."""
        red, _, _, _, reset = _PALETTES[self.colors]
        if isinstance(exc, SyntaxError):
            return self._format_syntax_error(exc)
        lines = traceback.format_exception_only(type(exc), exc)
        first, _, rest = lines[0].partition(":")
        text = f"{red}{first}{reset}:{rest}" if rest else f"{red}{first.rstrip()}{reset}\n"
        return text + "".join(lines[1:])

    # -- one exception ---------------------------------------------------------------
    def _format_one(self, exc: BaseException) -> str:
        if self.mode == "Minimal" or isinstance(exc, SyntaxError) and exc.__traceback__ is None:
            return self.format_exception_only(exc)
        frames = self._visible_frames(exc)
        if not frames:  # Ctrl-C outside the user's code: nothing of theirs to show
            return self.format_exception_only(exc)
        if self.mode == "Plain":
            return self._plain(exc, frames)
        from shell.engine.tracebacks.repeats import Repeated, collapse

        red, _, _, _, reset = _PALETTES[self.colors]
        head = f"{red}{_RULE}\n{type(exc).__name__:<42}Traceback (most recent call last){reset}\n"
        body = "\n".join(self._skipped(entry) if isinstance(entry, Repeated) else self._context_frame(*entry)
                         for entry in collapse(frames))
        return f"{head}{body}\n{self.format_exception_only(exc)}"

    def _plain(self, exc: BaseException, frames: list[tuple[types.FrameType, int]]) -> str:
        from shell.engine.tracebacks.repeats import Repeated, collapse

        lines = ["Traceback (most recent call last):\n"]
        for entry in collapse(frames):
            if isinstance(entry, Repeated):
                lines.append(self._skipped(entry))
                continue
            frame, lineno = entry
            lines.append(f"  {self._location(frame, lineno)}\n")
            source = linecache.getline(frame.f_code.co_filename, lineno, frame.f_globals).strip()
            if source:
                lines.append(f"    {source}\n")
        return "".join(lines) + self.format_exception_only(exc)

    def _skipped(self, repeated: Repeated) -> str:
        """IPython's line for the frames of a recursion left out (in red, as it colours it)."""
        red, _, _, _, reset = _PALETTES[self.colors]
        return f"    {red}[... skipping similar frames: {repeated.description}]{reset}\n"

    def _context_frame(self, frame: types.FrameType, lineno: int) -> str:
        from shell.engine.tracebacks.context import frame_lines

        _, green, marker, var, reset = _PALETTES[self.colors]
        filename = frame.f_code.co_filename
        out = [f"{green}{self._location(frame, lineno, context=True)}{reset}\n"]
        linecache.checkcache(filename)
        shown = frame_lines(linecache.getlines(filename, frame.f_globals), lineno)
        highlighted = self._highlight("".join(text + "\n" for _, text in shown))
        current = ""
        for (n, text), coloured in zip(shown, highlighted):
            if n is None:
                out.append(f"{marker}   (...){reset}\n")
            elif n == lineno:
                out.append(f"{marker}{'-' * max(1, 5 - len(str(n)))}> {n}{reset} {coloured}")
                current = text
            else:
                out.append(f"{n:>7} {coloured}")
        if self.mode == "Verbose":
            out.extend(self._variables(frame, current, var, reset))
        return "".join(out)

    def _variables(self, frame: types.FrameType, line: str, var: str, reset: str) -> list[str]:
        names = []
        for name in _NAME.findall(line):
            if name in names:
                continue
            if name in frame.f_locals or (name in frame.f_globals and not name.startswith("__")):
                names.append(name)
        shown = []
        for name in names:
            value = frame.f_locals[name] if name in frame.f_locals else frame.f_globals[name]
            if isinstance(value, (types.ModuleType, types.FunctionType, type)):
                continue
            shown.append(f"        {var}{name}{reset} = {_short_repr(value)}\n")
        return shown

    def _location(self, frame: types.FrameType, lineno: int, context: bool = False) -> str:
        filename = frame.f_code.co_filename
        name = frame.f_code.co_name
        label = self.cell_label(filename)
        if label:
            where = f"{label}, line {lineno}"
        else:
            home = os.path.expanduser("~")
            shown = "~" + filename[len(home):] if filename.startswith(home + os.sep) else filename
            where = f"File {shown}:{lineno}" if context else f'File "{shown}", line {lineno}'
        if name != "<module>":
            where += f", in {self._call(frame)}" if context else f", in {name}"
        return where

    def _call(self, frame: types.FrameType) -> str:
        """``JSONDecoder.decode(self, s, _w)``, as IPython shows a frame (with values in Verbose)."""
        import inspect

        code = frame.f_code
        name = getattr(code, "co_qualname", code.co_name)
        if self.mode == "Verbose":
            def value(v: object) -> str:
                return "=" + _short_repr(v)
        else:
            def value(v: object) -> str:
                return ""
        try:
            args, varargs, varkw, values = inspect.getargvalues(frame)
            return name + inspect.formatargvalues(args, varargs, varkw, values, formatvalue=value)
        except KeyError:  # an argument deleted, or not yet bound, in the frame
            return f"{name}(***failed resolving arguments***)"

    def _visible_frames(self, exc: BaseException) -> list[tuple[types.FrameType, int]]:
        tb = exc.__traceback__
        frames = []
        for frame, lineno in traceback.walk_tb(tb):
            if self.show_hidden or not (_hidden(frame) or self.hidden_file(frame.f_code.co_filename)):
                frames.append((frame, lineno))
        # The event loop that ran an awaiting cell sits between the engine and
        # the cell; it is machinery, not the user's code.
        while len(frames) > 1 and frames[0][0].f_code.co_filename.startswith(_ASYNCIO_DIR):
            frames.pop(0)
        if not frames and not isinstance(exc, KeyboardInterrupt):
            frames = list(traceback.walk_tb(tb))[-1:]
        return frames

    # -- syntax errors -------------------------------------------------------------------
    def _format_syntax_error(self, exc: SyntaxError) -> str:
        red, green, _, _, reset = _PALETTES[self.colors]
        label = self.cell_label(exc.filename or "")
        where = f"{label}, line {exc.lineno}" if label else f'File "{exc.filename}", line {exc.lineno}'
        out = [f"{green}  {where}{reset}\n"] if exc.filename or label else []
        # Errors found after parsing ('return' outside function) carry no text: take the line from the cell.
        text = exc.text or (linecache.getline(exc.filename, exc.lineno) if exc.filename and exc.lineno else "")
        if text:
            text = text.rstrip("\n")
            stripped = text.lstrip()
            out.append(f"    {stripped}\n")
            if exc.offset:
                start = max(exc.offset - (len(text) - len(stripped)), 1)
                end = exc.end_offset - (len(text) - len(stripped)) if exc.end_offset and exc.end_lineno == exc.lineno else start + 1
                width = max(end - start, 1)
                out.append(f"    {' ' * (start - 1)}{red}{'^' * width}{reset}\n")
        out.append(f"{red}{type(exc).__name__}{reset}: {exc.msg}\n")
        return "".join(out)

    # -- colours -----------------------------------------------------------------------
    def _highlight(self, code: str) -> list[str]:
        return highlight_python(code, self.colors)


def palette(colors: str) -> tuple[str, str, str, str, str]:
    """The escape codes of a colour scheme: (exception name, location, marker, variable name, reset);
    all empty for ``NoColor``. The debugger's listings use them as tracebacks do."""
    return _PALETTES[_check(colors, SCHEMES, "color scheme")]


def highlight_python(code: str, colors: str) -> list[str]:
    """``code``'s lines, highlighted by pygments for the scheme ``colors`` (as they are, for ``NoColor``)."""
    if colors == "NoColor" or not code:
        return code.splitlines(keepends=True)
    from pygments import highlight
    from pygments.formatters import TerminalFormatter
    from pygments.lexers import PythonLexer

    bg = "light" if colors == "LightBG" else "dark"
    text = highlight(code, PythonLexer(stripnl=False, ensurenl=False), TerminalFormatter(bg=bg))
    lines = text.splitlines(keepends=True)
    wanted = code.count("\n")
    return lines[:wanted] if len(lines) >= wanted else code.splitlines(keepends=True)


def _short_repr(value: object) -> str:
    try:
        text = repr(value)
    except Exception as err:
        text = f"<repr failed: {type(err).__name__}>"
    return text if len(text) <= 200 else text[:197] + "..."


def _hidden(frame: types.FrameType) -> bool:
    if frame.f_locals.get("__tracebackhide__") or frame.f_globals.get("__tracebackhide__") is True:
        return True
    filename = os.path.abspath(frame.f_code.co_filename) if not frame.f_code.co_filename.startswith("<") else ""
    return filename.startswith(_HIDDEN_DIRS)


def _check(value: str, allowed: tuple[str, ...], what: str) -> str:
    for option in allowed:
        if value.lower() == option.lower():
            return option
    raise ValueError(f"unknown traceback {what} {value!r}; choose one of: {', '.join(allowed)}")
