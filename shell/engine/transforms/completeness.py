"""Is a cell finished? The one answer behind the terminal's Enter key and Jupyter's
``is_complete_request``.

    >>> is_complete("for x in range(3):")
    Completeness(status='incomplete', indent='    ')
    >>> is_complete("x = 0b12")
    Completeness(status='invalid', indent='')

The cell is first run through :func:`~shell.engine.transforms.syntax.transform_cell`
(without automagic), so ``%cd /tmp``, ``!ls`` and ``obj?`` are complete lines.
Then three witnesses are heard, cheapest first:

- the tokenizer, for what is still *open* (a bracket, a triple-quoted
  string, a backslash continuation) and what can never close (a ``)`` that
  matches nothing, ``(]``, a ``$`` or ``?`` outside a string);
- the compiler, with ``PyCF_ALLOW_INCOMPLETE_INPUT``, which says whether the
  text is valid, invalid, or a valid prefix;
- the shape of the last statement: a block header ending in ``:``, a
  decorator, or an indented line.

The compiler's "incomplete" is only believed when the shape agrees (an open
bracket or string, a header, a decorator, an indented block): otherwise the
answer is "invalid", so no input is ever incomplete forever (IPython's
``0b12`` bug, ipython#15320).

Blocks follow IPython's ``TransformerManager.check_complete``: an indented
last line is incomplete while the text does not end with a newline
(``"if x:\\n    pass"``), and complete once it does (``"if x:\\n    pass\\n"``,
or a final blank line typed at the prompt). A ``%%magic`` cell is incomplete
until its last line is blank.
"""

from __future__ import annotations

import ast
import codeop
import io
import tokenize
import warnings
from dataclasses import dataclass, field
from typing import Iterable, Literal

from shell.engine.transforms.syntax import is_cell_magic, transform_cell

__all__ = ["Completeness", "is_complete"]


@dataclass(frozen=True)
class Completeness:
    """The verdict on a cell; ``indent`` is what the next line should start with."""

    status: Literal["complete", "incomplete", "invalid"]
    indent: str = ""


COMPLETE = Completeness("complete")
INVALID = Completeness("invalid")

_INDENT_UNIT = "    "
# After these statements the block they end is usually over: offer one level less.
_DEDENTERS = frozenset({"return", "pass", "break", "continue", "raise"})
_CLOSERS = {"(": ")", "[": "]", "{": "}"}
_FLAGS = (
    # codeop's own names for the flags codeop.compile_command uses; typeshed does not declare them
    codeop.PyCF_DONT_IMPLY_DEDENT  # type: ignore[attr-defined]
    | codeop.PyCF_ALLOW_INCOMPLETE_INPUT  # type: ignore[attr-defined]
    | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT  # the engine runs top-level await
)


def is_complete(source: str) -> Completeness:
    """Whether ``source`` can run now, needs more lines (and their indent), or never can."""
    if not source.strip():
        return COMPLETE
    if is_cell_magic(source):
        return _cell_magic_completeness(source)
    python = transform_cell(source)
    if _last_line(source).endswith("\\") and not _last_line(python).endswith("\\"):
        # a backslash at the end of a magic or shell line: more of it follows
        return Completeness("incomplete", _leading_space(_last_line(source)))

    if not python.endswith("\n"):
        python += "\n"  # to both tokenizer and compiler "a = \\" is a bad end of file, "a = \\\n" is not
    scan = _TokenScan(python)
    if scan.broken:
        return INVALID
    verdict = _compile_verdict(python)
    if verdict == "invalid":
        return INVALID
    if scan.brackets:
        return Completeness("incomplete", _bracket_indent(scan.brackets[-1]))
    if scan.unfinished:  # a string or a backslash continuation reaching the end
        return Completeness("incomplete", _leading_space(_last_line(python)))
    if scan.first is None or scan.last is None:  # only comments (the two are set together)
        return COMPLETE

    indent = scan.first.line[: scan.first.start[1]]
    if scan.last.type == tokenize.OP and scan.last.string == ":":
        return Completeness("incomplete", indent + _INDENT_UNIT) if verdict == "incomplete" else INVALID
    if verdict == "incomplete":
        if indent or scan.first.string == "@":
            return Completeness("incomplete", _next_indent(indent, scan.first.string))
        return INVALID
    if indent and not _ends_with_newline(source):
        return Completeness("incomplete", _next_indent(indent, scan.first.string))
    return COMPLETE


def _cell_magic_completeness(source: str) -> Completeness:
    """A ``%%magic`` body is not Python: only a blank last line ends it, as in IPython."""
    cell = source if _ends_with_newline(source) else source + "\n"
    lines = cell.split("\n")
    last = lines[-1] if lines[-1] else lines[-2]
    if not last.strip():
        return COMPLETE
    return Completeness("incomplete", _leading_space(last))


@dataclass
class _TokenScan:
    """What the tokenizer sees at the end of a cell.

    ``brackets`` are the open bracket tokens, innermost last; ``unfinished``
    is set when the input ends inside a string or a backslash continuation
    (or the tokenizer gave up otherwise); ``broken`` means no more input can
    fix it; ``first`` and ``last`` are the first and last tokens of the last
    logical line.
    """

    source: str
    brackets: list[tokenize.TokenInfo] = field(default_factory=list)
    unfinished: bool = False
    broken: bool = False
    first: tokenize.TokenInfo | None = None
    last: tokenize.TokenInfo | None = None

    def __post_init__(self) -> None:
        try:
            self._walk(tokenize.generate_tokens(io.StringIO(self.source).readline))
        except tokenize.TokenError:
            self.unfinished = True
        except SyntaxError:  # Python 3.12+ raises where 3.11 yields ERRORTOKEN
            self.broken = True

    def _walk(self, tokens: Iterable[tokenize.TokenInfo]) -> None:
        skip = {tokenize.NL, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER}
        starts_statement = True
        for token in tokens:
            if token.type == tokenize.ERRORTOKEN and token.string.strip():
                self.broken = True  # "$", "?", "!" or an unterminated '...' string
                return
            if token.type in skip:
                continue
            if token.type == tokenize.NEWLINE:
                starts_statement = True
                continue
            if starts_statement:
                self.first, starts_statement = token, False
            self.last = token
            if token.type == tokenize.OP and token.string in "([{":
                self.brackets.append(token)
            elif token.type == tokenize.OP and token.string in ")]}":
                if not self.brackets or _CLOSERS[self.brackets.pop().string] != token.string:
                    self.broken = True
                    return


def _compile_verdict(source: str) -> Literal["valid", "incomplete", "invalid"]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # warnings are for run time, not for the Enter key
        try:
            compile(source, "<cell>", "exec", _FLAGS, dont_inherit=True)
        except SyntaxError as error:
            # Python 3.12 says "unterminated triple-quoted f-string literal" for f'''{x}
            if error.msg == "incomplete input" or error.msg.startswith("unterminated triple-quoted"):
                return "incomplete"
            return "invalid"
        except (ValueError, OverflowError, MemoryError, RecursionError):
            return "invalid"
    return "valid"


def _bracket_indent(bracket: tokenize.TokenInfo) -> str:
    """Line up under the first item after the bracket; after a bare ``(`` indent one level."""
    line = bracket.line.split("\n")[0]
    after = line[bracket.end[1]:].split("#")[0].strip()
    if after:
        return "".join("\t" if char == "\t" else " " for char in line[: bracket.end[1]])
    return _leading_space(line) + _INDENT_UNIT


def _next_indent(indent: str, first_word: str) -> str:
    if first_word not in _DEDENTERS:
        return indent
    return indent[:-1] if indent.endswith("\t") else indent[: max(0, len(indent) - len(_INDENT_UNIT))]


def _last_line(text: str) -> str:
    """The last physical line, without its line end (a final newline ends it, not starts one)."""
    if text.endswith("\n"):
        text = text[:-1]
    return text.rpartition("\n")[2].rstrip("\r")


def _leading_space(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]


def _ends_with_newline(source: str) -> bool:
    """A newline after the last non-blank character (auto-indent may follow it)."""
    return source.rstrip(" \t\f\v").endswith("\n")
