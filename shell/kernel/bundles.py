"""MIME bundles checked against the types a notebook may hold, before they are published.

Usage::

    data, dropped = valid_bundle({"text/html": 1, "text/plain": "A()"})
    data       # {'text/plain': 'A()'}
    dropped    # ["text/html is an int, not a string"]

A notebook stores each output against nbformat's schema: under a JSON
MIME type (``application/json``, ``application/vnd.foo+json``) any JSON
value, under every other type a string (or a list of strings, a multi-line
string as nbformat writes it). A ``_repr_html_`` returning an int used to
go out as-is, and nbclient and papermill then stopped the whole notebook
with a validation error. Like IPython's formatters, which leave such a
result out with a ``FormatterWarning``, the kernel drops the bad entry, says
so in one line on the cell's stderr, and publishes the rest. Binary data
(``bytes`` from ``_repr_png_``) passes: it goes out base64-encoded, as a
string.
"""

from __future__ import annotations

import re
from typing import Any

_JSON_MIME = re.compile(r"^application/(.*\+)?json$")
_MIME = re.compile(r"^[a-zA-Z0-9]+/[a-zA-Z0-9\-+.]+$")


def valid_bundle(data: Any) -> tuple[dict[str, Any], list[str]]:
    """The entries of ``data`` a notebook can store, and a description of each one left out."""
    if not isinstance(data, dict):
        return {}, [f"the data is {_kind(data)}, not a dict of MIME types"]
    kept: dict[str, Any] = {}
    dropped: list[str] = []
    for mime, value in data.items():
        problem = _problem(mime, value)
        if problem is None:
            kept[mime] = value
        else:
            dropped.append(problem)
    return kept, dropped


def dropped_warning(what: str, dropped: list[str]) -> str:
    """The one-line warning for what :func:`valid_bundle` left out."""
    return f"Warning: {what} left out: {'; '.join(dropped)} (a notebook could not store it)."


def _problem(mime: Any, value: Any) -> str | None:
    if not isinstance(mime, str) or not _MIME.match(mime):
        return f"{mime!r} is not a MIME type"
    if _JSON_MIME.match(mime):
        return None  # any JSON value; what JSON cannot carry at all is the wire's error
    if isinstance(value, (str, bytes, bytearray, memoryview)):
        return None
    if isinstance(value, list) and all(isinstance(line, str) for line in value):
        return None
    return f"{mime} is {_kind(value)}, not a string"


def _kind(value: Any) -> str:
    name = type(value).__name__
    return f"an {name}" if name[:1].lower() in "aeiou" else f"a {name}"
