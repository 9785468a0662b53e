"""What a query returns: :class:`ResultSet`, a table that shows itself.

Usage::

    rs = ResultSet(["id", "name"], [(1, "a"), (2, "b")])
    print(rs)            # an aligned text table (what the terminal shows)
    rs._repr_html_()     # an HTML table (what a notebook shows)
    rs.dicts()           # [{'id': 1, 'name': 'a'}, {'id': 2, 'name': 'b'}]
    rs.dict()            # {'id': (1, 2), 'name': ('a', 'b')}
    rs.DataFrame()       # a pandas DataFrame (pandas imported on first use)

The text table measures cells by the columns they take on screen (``wcwidth``),
so CJK text and emoji line up. Only ``displaylimit`` rows are rendered, so
showing a 100,000-row result costs as much as showing ten; the rows themselves are kept as the driver's plain
tuples, the cheapest thing to hold.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any, Iterator, Sequence, overload

from wcwidth import wcswidth, wcwidth

if TYPE_CHECKING:
    from pandas import DataFrame as PandasDataFrame


class ResultSet:
    """The rows and column names of one query's result.

    ``displaylimit``: rows shown (0 or None: all); ``truncated``: ``autolimit``
    stopped the fetch early, so there may be more rows in the database.
    """

    def __init__(self, columns: Sequence[str], rows: list[tuple], *, displaylimit: int | None = None,
                 truncated: bool = False):
        self.keys = list(columns)
        self.rows = rows
        self.displaylimit = displaylimit
        self.truncated = truncated

    # -- a sequence of rows ---------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[tuple]:
        return iter(self.rows)

    @overload
    def __getitem__(self, index: int) -> tuple: ...
    @overload
    def __getitem__(self, index: slice) -> list[tuple]: ...
    def __getitem__(self, index: int | slice) -> tuple | list[tuple]:
        return self.rows[index]

    def __eq__(self, other: Any) -> bool:
        if isinstance(other, ResultSet):
            return self.keys == other.keys and self.rows == other.rows
        return list(self.rows) == other

    __hash__ = None  # type: ignore[assignment]  # equal by value, and mutable (a list of rows)

    # -- conversions --------------------------------------------------------------------
    def dicts(self) -> list[dict[str, Any]]:
        """One dict per row, column name → value."""
        return [dict(zip(self.keys, row)) for row in self.rows]

    def dict(self) -> dict[str, tuple]:
        """Column name → the column's values, in row order."""
        columns = list(zip(*self.rows)) if self.rows else [() for _ in self.keys]
        return dict(zip(self.keys, columns))

    def DataFrame(self) -> PandasDataFrame:
        """The result as a pandas DataFrame."""
        import pandas

        return pandas.DataFrame.from_records(self.rows, columns=self.keys)

    # -- display ------------------------------------------------------------------------
    def _shown(self) -> tuple[list[tuple], str]:
        limit = self.displaylimit
        rows, note = self.rows, ""
        if limit and len(rows) > limit:
            rows = rows[:limit]
            note = f"{len(self.rows):,} rows, truncated to displaylimit of {limit}."
        elif self.truncated:
            note = f"Fetched {len(self.rows):,} rows (autolimit); there may be more."
        return rows, note

    def __str__(self) -> str:
        rows, note = self._shown()
        keys = [str(k) for k in self.keys]
        cells = [[_text(v) for v in row] for row in rows]
        widths = [_width(k) for k in keys]
        for row in cells:
            for i, cell in enumerate(row):
                widths[i] = max(widths[i], _width(cell))
        numeric = [bool(rows) and all(_is_number(row[i]) for row in rows if row[i] is not None)
                   for i in range(len(self.keys))]
        rule = "+" + "+".join("-" * (w + 2) for w in widths) + "+"

        def line(values: list[str], header: bool = False) -> str:
            parts = []
            for i, (value, width) in enumerate(zip(values, widths)):
                padding = " " * (width - _width(value))
                parts.append(padding + value if numeric[i] and not header else value + padding)
            return "| " + " | ".join(parts) + " |"

        out = [rule, line(keys, header=True), rule, *(line(row) for row in cells), rule]
        if note:
            out.append(note)
        return "\n".join(out)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        rows, note = self._shown()
        head = "".join(f"<th>{html.escape(str(k))}</th>" for k in self.keys)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(_text(v))}</td>" for v in row) + "</tr>"
                       for row in rows)
        table = f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>{body}</tbody>\n</table>"
        return table + (f"\n<p>{html.escape(note)}</p>" if note else "")


def _width(text: str) -> int:
    """Columns ``text`` takes on a terminal: two for CJK and most emoji, none for a combining accent."""
    if text.isascii():
        return len(text)
    width = wcswidth(text)
    return width if width >= 0 else sum(max(wcwidth(ch), 0) for ch in text)  # control characters: none


def _text(value: Any) -> str:
    if value is None:
        return "None"
    text = value if isinstance(value, str) else str(value)
    return text.replace("\n", "\\n") if "\n" in text else text


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) or type(value).__name__ == "Decimal"
