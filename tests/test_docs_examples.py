"""The sessions shown in docs/ run as shown.

A fenced ``text`` block whose first line starts with ``In [`` is a session
transcript. Its cells (``In [N]:`` lines and their ``...:`` continuations)
run in a fresh Shell, in a temporary folder; every ``Out[N]:`` line must
match what hocus shows (``...`` in the expected text matches anything), and
a cell may only fail where the transcript shows an error.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
FENCE = re.compile(r"^```text\n(In \[.*?)^```", re.M | re.S)
PROMPT = re.compile(r"^In \[\d+\]: ?(.*)$")
CONTINUATION = re.compile(r"^\s+\.\.\.: ?(.*)$")
OUT = re.compile(r"^Out\[\d+\]: ?(.*)$")


def sessions():
    for page in sorted(DOCS.rglob("*.md")):
        for index, match in enumerate(FENCE.finditer(page.read_text())):
            yield pytest.param(match.group(1), id=f"{page.relative_to(DOCS)}#{index + 1}")


def parse(transcript: str):
    """[(cell source, expected Out text or None, shows an error)]"""
    cells = []
    for line in transcript.splitlines():
        if m := PROMPT.match(line):
            cells.append([[m.group(1)], None, False])
        elif (m := CONTINUATION.match(line)) and cells and cells[-1][1] is None:
            cells[-1][0].append(m.group(1))
        elif (m := OUT.match(line)) and cells:
            # a cell may show several values (ast_node_interactivity = 'all'): each its own Out line
            cells[-1][1] = m.group(1) if cells[-1][1] is None else f"{cells[-1][1]}\n{line}"
        elif cells and re.search(r"\b\w*(Error|Exception)\b", line):
            cells[-1][2] = True
        elif cells and cells[-1][1] is not None and line.strip():
            cells[-1][1] += "\n" + line
    return [("\n".join(src).rstrip("\n"), out, err) for src, out, err in cells]


def matches(expected: str, actual: str) -> bool:
    pattern = ".*".join(re.escape(part) for part in expected.strip().split("..."))
    return re.fullmatch(pattern, actual.strip(), re.S) is not None


def _forget_modules_in(folder: Path) -> None:
    """Modules a transcript wrote and imported are its own: the next one must not find them cached."""
    for name, module in list(sys.modules.items()):
        if str(getattr(module, "__file__", None) or "").startswith(str(folder)):
            del sys.modules[name]


@pytest.mark.parametrize("transcript", list(sessions()))
def test_session_runs_as_shown(transcript, tmp_path, monkeypatch, output, request):
    from shell import Shell

    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))  # the current folder, as a session puts it on sys.path
    request.addfinalizer(lambda: _forget_modules_in(tmp_path))
    sh = Shell(output=output)
    for source, expected, shows_error in parse(transcript):
        output.clear()
        result = sh.run_cell(source)
        if not shows_error:
            assert result.success, f"cell failed:\n{source}\n{output.stderr}"
        if expected is not None:
            # What the cell printed before its result (timings, messages) is not part of Out.
            found = re.search(r"^Out\[\d+\]: ?", output.stdout, re.M)
            shown = output.stdout[found.end():] if found else output.stdout
            assert matches(expected, shown), f"cell:\n{source}\nexpected: {expected!r}\nshown: {shown!r}"
