"""Results and the underscore names in the real ``hocus`` terminal, in a pty (issue 13, items 4, 7, 11).

Expected values are what IPython 9's terminal shows for the same cells.
"""

from __future__ import annotations

import pytest

from pty_session import spawn_hocus


@pytest.fixture
def hocus(tmp_path):
    child = spawn_hocus(tmp_path, hocus_dir=tmp_path / "hocus", dimensions=(40, 200))
    child.expect_exact("In [1]: ")
    yield child
    child.close(force=True)


def run(child, source: str, next_prompt: int) -> str:
    """Type one line and Enter; what the shell printed before the next prompt."""
    child.send(source + "\r")
    child.expect_exact(f"In [{next_prompt}]: ")
    return child.before


def test_underscore_i_and_a_user_bound_underscore(hocus):
    run(hocus, "a = 'first'", 2)
    run(hocus, "b = 'second'", 3)
    assert "Out[3]: (\"b = 'second'\", \"a = 'first'\")" in run(hocus, "_i, _ii", 4)
    run(hocus, "_ = 42", 5)
    assert "Out[5]: 2" in run(hocus, "1 + 1", 6)
    printed = run(hocus, "print('underscore is', _)", 7)
    assert "underscore is 42" in printed


def test_open_1_is_refused_and_closing_fd_1_keeps_the_session_printing(hocus):
    refused = run(hocus, "open(1)", 2)
    assert ("ValueError: hocus won't let you open fd=1 by default as it is likely to crash hocus. "
            "If you know what you are doing, you can use builtins' open.") in refused
    closed = run(hocus, "import builtins; builtins.open(1, 'w').write('hi\\n');", 3)
    assert "hocus opened it again" in closed
    assert "after the close" in run(hocus, "print('after the close')", 4)
    assert "Out[4]: 42" in run(hocus, "6 * 7", 5)
