"""Hidden-state warnings in the real ``hocus`` terminal, in a pty: cells are named ``In [N]``."""

from __future__ import annotations

import pytest

from pty_session import spawn_hocus


@pytest.fixture
def hocus(tmp_path):
    child = spawn_hocus(tmp_path, hocus_dir=tmp_path / "hocus", dimensions=(40, 250))
    child.expect_exact("In [1]: ")
    yield child
    child.close(force=True)


def run(child, source: str, next_prompt: int) -> str:
    """Type one line and Enter; what the shell printed before the next prompt."""
    child.send(source + "\r")
    child.expect_exact(f"In [{next_prompt}]: ")
    return child.before


def test_a_stale_name_warns_before_its_value_and_rerun_stale_fixes_it(hocus):
    assert "hidden state" not in run(hocus, "sensor = [3, 4]", 2)
    run(hocus, "readings = list(sensor)", 3)
    run(hocus, "mean = sum(readings) / len(readings)", 4)
    run(hocus, "sensor.append(8)", 5)
    run(hocus, "readings = list(sensor)", 6)  # cell 2 again
    shown = run(hocus, "mean", 7)
    warning = ("hidden state: 'mean' is stale: In [3] computed it from 'readings', which In [5] has re-bound "
               "since; run `%rerun --stale` (or re-run In [3])")
    assert warning in shown and shown.index(warning) < shown.index("Out[6]: 3.5")
    assert "=== Running In [3] again: ===" in run(hocus, "%rerun --stale", 8)
    shown = run(hocus, "mean", 9)
    assert "Out[8]: 5.0" in shown and "hidden state" not in shown
