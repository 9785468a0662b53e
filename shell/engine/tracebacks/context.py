"""Which source lines a traceback frame shows: IPython's trimming, without stack_data.

A frame shows the statement that was running, with two statements before it
and two after (IPython 9's default context), all from the function or class
being run, never from the next function in the file. Blank lines between
statements are left out, a long statement (a docstring) is cut to its first
three and last two lines around a ``(...)`` gap, and the indentation the
shown lines have in common is removed::

    lines = frame_lines(linecache.getlines(filename), lineno)
    # [(2, "def level2(d):"), (3, "    return json.loads(d)")]; None for a gap

A file that does not parse (a cell with IPython syntax is first given a
second chance with those lines blanked), or a huge one, gets the plain
window of lines around the failing one.
"""

from __future__ import annotations

import ast
import functools
import re
from typing import Iterator

BEFORE = 2
AFTER = 2
MAX_PIECE_LINES = 6
_HUGE = 10_000  # lines: parsing a file this long for one frame costs more than it gives

Shown = list[tuple[int | None, str]]  # (line number, text without its newline); None: a gap


def frame_lines(lines: list[str], lineno: int) -> Shown:
    """The lines to show for a frame stopped at ``lineno`` of a file with ``lines``, dedented."""
    if not 1 <= lineno <= len(lines):
        return []
    layout = _layout("".join(lines)) if len(lines) <= _HUGE else None
    numbers = _trimmed(layout, lineno) if layout is not None else None
    if numbers is None:
        first = max(1, lineno - BEFORE)
        numbers = [n for n in range(first, min(len(lines), lineno + AFTER) + 1)]
    return _dedent([(n, lines[n - 1].rstrip("\r\n")) if n is not None else (None, "") for n in numbers])


def _trimmed(layout: tuple[tuple[range, ...], tuple[tuple[int, int, int], ...]], lineno: int) -> list[int | None] | None:
    pieces, scopes = layout
    start, end = 1, max((p.stop for p in pieces), default=1)
    for scope_start, body_start, scope_end in scopes:  # innermost scope whose body holds the line
        if body_start <= lineno < scope_end and scope_start >= start:
            start, end = scope_start, scope_end
    in_scope = [p for p in pieces if start <= p.start and p.stop <= end]
    current = next((i for i, p in enumerate(in_scope) if lineno in p), None)
    if current is None:
        return None
    numbers: list[int | None] = []
    for index in range(max(0, current - BEFORE), min(len(in_scope), current + AFTER + 1)):
        piece = list(in_scope[index])
        if index != current and len(piece) > MAX_PIECE_LINES:
            right = (MAX_PIECE_LINES - 1) // 2
            left = MAX_PIECE_LINES - 1 - right
            numbers.extend([*piece[:left], None, *piece[-right:]])
        else:
            numbers.extend(piece)
    return numbers


@functools.lru_cache(maxsize=32)
def _layout(source: str) -> tuple[tuple[range, ...], tuple[tuple[int, int, int], ...]] | None:
    """The file's statements as line ranges ("pieces") and its scopes as (start, body start, end)."""
    from shell.engine.inspection.class_source import parse_cell_text

    # Lines end at "\n" only, as for linecache and the parser (str.splitlines also splits at "\f").
    tree = parse_cell_text(re.split(r"(?<=\n)", source))
    if tree is None:
        return None
    lines = source.split("\n")
    raw = [(a, b) for a, b in _split(tree, 1, len(lines) + 1) if b > a]
    merged: list[tuple[int, int]] = []
    for a, b in raw:  # `a; b` on one line gives overlapping pieces: one piece
        if merged and a < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    pieces = []
    for a, b in merged:
        while a < b and not lines[a - 1].strip():
            a += 1
        while b > a and not lines[b - 2].strip():
            b -= 1
        if a < b:
            pieces.append(range(a, b))
    scopes = tuple(
        (_range(node)[0], _range(node.body[0])[0], _range(node)[1])
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body)
    return tuple(pieces), scopes


def _split(node: ast.AST, start: int, end: int) -> Iterator[tuple[int, int]]:
    """stack_data's split: a compound statement's header, then each statement of its blocks."""
    for _, body in ast.iter_fields(node):
        if isinstance(body, list) and body and isinstance(body[0], (ast.stmt, ast.excepthandler, ast.match_case)):
            for child in body:
                child_start, child_end = _range(child)
                if child_start < start:  # a second statement on the line already split
                    continue
                for inner_start, inner_end in _split(child, child_start, child_end):
                    if start < inner_start:
                        yield start, inner_start
                    if inner_start < inner_end:
                        yield inner_start, inner_end
                    start = inner_end
    yield start, end


def _range(node: ast.AST) -> tuple[int, int]:
    """First line (decorators included) and the line after the last, of a statement."""
    if isinstance(node, ast.match_case):
        return node.pattern.lineno, _range(node.body[-1])[1]
    first = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])  # type: ignore[attr-defined]
    return first, (node.end_lineno or node.lineno) + 1  # type: ignore[attr-defined]


def _dedent(shown: Shown) -> Shown:
    texts = [text for n, text in shown if n is not None and text.strip()]
    indent = min((len(text) - len(text.lstrip()) for text in texts), default=0)
    return [(n, text[indent:] if len(text) - len(text.lstrip()) >= indent else text.lstrip())
            if n is not None else (None, "") for n, text in shown]
