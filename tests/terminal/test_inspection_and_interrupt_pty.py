"""``Class?`` and Ctrl-C in the real terminal shell (a pty), where ``__main__`` has no file."""

from __future__ import annotations

import re

import pytest

from pty_session import spawn_hocus


@pytest.fixture
def hocus(tmp_path):
    child = spawn_hocus(tmp_path, hocus_dir=tmp_path / "home")
    child.expect_exact("In [1]: ")
    yield child
    child.close(force=True)


def test_question_mark_on_a_class_typed_at_the_prompt(hocus):
    hocus.send("class Foo: 'A foo.'; __init__ = lambda self, a, b=2: None\r")
    hocus.expect_exact("In [2]: ")
    hocus.send("Foo?\r")
    index = hocus.expect_exact(["Init signature: Foo(a, b=2)", "OSError"])
    assert index == 0
    hocus.expect_exact("Type:           type")
    hocus.expect_exact("In [3]: ")
    hocus.send("Foo??\r")
    hocus.expect_exact("Source:")
    hocus.expect_exact("class Foo: 'A foo.'; __init__ = lambda self, a, b=2: None")
    hocus.expect_exact("File:           <ipython-input-1-")
    hocus.expect_exact("In [4]: ")


def test_ctrl_c_shows_the_frames_where_the_cell_stopped(hocus):
    hocus.send("import time; work = lambda seconds: print('started') or time.sleep(seconds)\r")
    hocus.expect_exact("In [2]: ")
    hocus.send("work(30)\r")
    hocus.expect_exact("started")
    hocus.sendintr()
    hocus.expect_exact("KeyboardInterrupt")
    hocus.expect_exact("Traceback (most recent call last)")
    hocus.expect_exact("----> 1 work(30)")
    hocus.expect(re.escape("Cell In[1], line 1, in <lambda>(seconds)"))
    hocus.expect_exact("In [3]: ")
    hocus.send("'alive'\r")
    hocus.expect_exact("Out[3]: 'alive'")


def test_a_recursion_error_prints_a_short_traceback(hocus):
    # IPython 9 collapses the repeated frames: "[... skipping similar frames: f at line 2 (N times)]"
    hocus.send("def f(n): return f(n + 1)\r")
    hocus.expect_exact("In [2]: ")
    hocus.send("f(0)\r")
    hocus.expect_exact("In [3]: ")
    shown = hocus.before
    assert re.search(r"\[\.\.\. skipping similar frames: f at line 1 \(\d{3,} times\)\]", shown), shown[-1500:]
    assert "RecursionError: maximum recursion depth exceeded" in shown
    assert shown.count("in f(n)") == 3  # two frames before the skipped ones, one after
