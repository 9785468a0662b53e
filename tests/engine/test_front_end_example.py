"""The small front end shown in docs/engine.md ("The front-end contract") runs, and its assertions hold."""

from __future__ import annotations

import re
from pathlib import Path

ENGINE_PAGE = Path(__file__).resolve().parents[2] / "docs" / "engine.md"


def test_the_documented_front_end_runs_as_shown(tmp_path, monkeypatch):
    monkeypatch.setenv("HOCUS_DIR", str(tmp_path))  # its Shell() keeps history: not in the user's folder
    blocks = re.findall(r"^```python\n(.*?)^```", ENGINE_PAGE.read_text(), re.M | re.S)
    example = next(block for block in blocks if "class Transcript" in block)
    namespace: dict = {}
    exec(compile(example, str(ENGINE_PAGE), "exec"), namespace)
    assert namespace["status"] == 3
