"""Reading the text before the cursor: strings, brackets and tokens of the current line.

    >>> found = scan('d["al', 5)
    >>> found.string.body_start, found.tokens[-1].text
    (3, '[')

Python's tokenizer is no use here: the text before a cursor is unfinished
by nature (an open string, an open call), and a cell may hold IPython lines
(``%timeit x``, ``!ls it's``) that are not Python at all. So this module
scans the text itself, once, from the start of the cell to the cursor,
keeping only what completion needs: whether the cursor sits in a string
or a comment, the unclosed brackets and the tokens of the current *logical*
line (brackets and backslashes join physical lines, as in Python), and
whether that line is an IPython escape (``%``, ``!``, ``?``) rather than
Python. Sources then read the tokens backwards: :func:`expression_start`
finds where a primary expression such as ``a.b(c)[0]`` begins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Scan", "StringAtCursor", "Token", "expression_start", "scan"]

_STRING_PREFIXES = frozenset({"r", "u", "b", "f", "br", "rb", "fr", "rf"})
_NUMBER = re.compile(r"(?:0[xXoObB][\da-fA-F_]*|\d[\d_]*\.?[\d_]*(?:[eE][+-]?\d*)?|\.\d[\d_]*(?:[eE][+-]?\d*)?)[jJ]?")
_OPERATOR = re.compile(r"\*\*=|//=|>>=|<<=|\.\.\.|->|:=|[-+*/%@&|^<>!=]=|\*\*|//|<<|>>|.", re.S)
_CLOSING = {")": "(", "]": "[", "}": "{"}


@dataclass(frozen=True)
class Token:
    """A token of the current logical line: kind is name, number, string, op, open or close."""

    kind: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class StringAtCursor:
    """The string literal the cursor is inside: where it starts, its quote and prefix."""

    start: int
    body_start: int
    quote: str
    prefix: str


@dataclass
class Scan:
    """What :func:`scan` learnt about the text before the cursor."""

    text: str
    cursor: int
    line_start: int = 0
    escaped: bool = False  # the logical line is IPython syntax (% ! ?), not Python
    first_line: bool = True  # the logical line is the first of the cell
    tokens: list[Token] = field(default_factory=list)
    brackets: list[Token] = field(default_factory=list)
    string: StringAtCursor | None = None
    comment: bool = False

    @property
    def line(self) -> str:
        """The current logical line, up to the cursor."""
        return self.text[self.line_start:self.cursor]

    def word(self) -> tuple[int, str]:
        """The identifier (or number) being typed at the cursor and where it starts; "" if none."""
        if self.string is None and not self.comment and self.tokens:
            last = self.tokens[-1]
            if last.end == self.cursor and last.kind in ("name", "number"):
                return last.start, last.text
        return self.cursor, ""

    def before_word(self) -> int:
        """Index of the token before the word being typed (-1 when there is none)."""
        start, word = self.word()
        return len(self.tokens) - (2 if word else 1)


def scan(text: str, cursor: int, start: int = 0) -> Scan:
    """Scan ``text[start:cursor]`` as the beginning of a cell."""
    found = Scan(text, cursor, line_start=start)
    i, n = start, cursor
    at_line_start = True
    while i < n:
        if at_line_start:
            j = i
            while j < n and text[j] in " \t":
                j += 1
            found.first_line = found.first_line and not text[start:i].strip()
            found.line_start, found.tokens, found.brackets, at_line_start = i, [], [], False
            found.escaped = j < n and text[j] in "%!?"
            if found.escaped:
                newline = text.find("\n", j, n)
                if newline == -1:
                    return found
                i, at_line_start = newline + 1, True
                continue
            i = j
            continue
        char = text[i]
        if char == "\n":
            i += 1
            at_line_start = not found.brackets
        elif char in " \t\r\f":
            i += 1
        elif char == "\\" and text.startswith(("\n", "\r\n"), i + 1):
            i = text.index("\n", i) + 1
        elif char == "#":
            newline = text.find("\n", i, n)
            if newline == -1:
                found.comment = True
                return found
            i = newline
        elif char in "'\"":
            i = _string(found, i, i, "")
        elif char.isidentifier():
            j = i + 1
            while j < n and (text[j].isidentifier() or text[j].isdigit()):
                j += 1
            word = text[i:j]
            if j < n and text[j] in "'\"" and word.lower() in _STRING_PREFIXES:
                i = _string(found, i, j, word)
            else:
                found.tokens.append(Token("name", i, j, word))
                i = j
        elif char.isdigit() or (char == "." and i + 1 < n and text[i + 1].isdigit()):
            match = _NUMBER.match(text, i, n)
            j = match.end() if match and match.end() > i else i + 1
            found.tokens.append(Token("number", i, j, text[i:j]))
            i = j
        elif char in "([{":
            token = Token("open", i, i + 1, char)
            found.tokens.append(token)
            found.brackets.append(token)
            i += 1
        elif char in ")]}":
            if found.brackets and found.brackets[-1].text == _CLOSING[char]:
                found.brackets.pop()
            found.tokens.append(Token("close", i, i + 1, char))
            i += 1
        else:
            match = _OPERATOR.match(text, i, n)
            assert match is not None  # its last branch takes any one character
            found.tokens.append(Token("op", i, match.end(), match.group()))
            i = match.end()
        if found.string is not None:
            break
    return found


def _string(found: Scan, start: int, quote_at: int, prefix: str) -> int:
    """Skip a string literal; record it as the one at the cursor if it is still open there."""
    text, n = found.text, found.cursor
    quote = text[quote_at] * 3 if text.startswith(text[quote_at] * 3, quote_at) else text[quote_at]
    k = body = quote_at + len(quote)
    while k < n:
        char = text[k]
        if char == "\\":
            k += 2
            continue
        if char == "\n" and len(quote) == 1:  # an unterminated one-line string ends with its line
            found.tokens.append(Token("string", start, k, text[start:k]))
            return k
        if text.startswith(quote, k) and k + len(quote) <= n:
            found.tokens.append(Token("string", start, k + len(quote), text[start:k + len(quote)]))
            return k + len(quote)
        k += 1
    found.string = StringAtCursor(start, body, quote, prefix)
    return n


def expression_start(tokens: list[Token], last: int) -> int | None:
    """Where the primary expression ending with ``tokens[last]`` starts (an offset), or None.

    A primary is an atom (a name, a literal, a bracketed group) followed by
    trailers (``.name``, ``(...)``, ``[...]``): ``os.path``, ``f(x).y``,
    ``d["a"][0]``, ``"abc".upper()``. Anything else (an operator, a
    keyword) ends it, and None means there was no primary there at all.
    """
    i = last
    while i >= 0:
        token = tokens[i]
        if token.kind == "close":
            j = _matching_open(tokens, i)
            if j is None:
                return None
            before = tokens[j - 1] if j > 0 else None
            if before is not None and token.text in ")]" and _ends_primary(before):
                i = j - 1
                continue
            return tokens[j].start
        if token.kind in ("name", "number", "string"):
            if token.kind == "name" and _is_keyword(token.text):
                return None
            if i >= 2 and tokens[i - 1].text == "." and _ends_primary(tokens[i - 2]):
                i -= 2
                continue
            return token.start
        return None
    return None


def _ends_primary(token: Token) -> bool:
    return token.kind in ("string", "close", "number") or (token.kind == "name" and not _is_keyword(token.text))


def _matching_open(tokens: list[Token], close: int) -> int | None:
    depth = 0
    for i in range(close, -1, -1):
        kind = tokens[i].kind
        if kind == "close":
            depth += 1
        elif kind == "open":
            depth -= 1
            if depth == 0:
                return i
    return None


def _is_keyword(word: str) -> bool:
    import keyword

    return keyword.iskeyword(word) and word not in ("True", "False", "None")
