"""Traceback modes, colours and hidden engine frames."""

from __future__ import annotations

import re

import pytest

from shell import Shell

ANSI = re.compile(r"\x1b\[[0-9;]*m")
CELL = "def inner(v):\n    return v[3]\n\ndef outer():\n    items = [1, 2]\n    return inner(items)\n\nouter()"


def run(output, mode, colors="NoColor"):
    sh = Shell(output=output, colors=colors)
    sh.xmode = mode
    sh.run_cell(CELL)
    return output.stderr


def test_context_mode_marks_the_failing_lines(output):
    err = run(output, "Context")
    assert "IndexError                                Traceback (most recent call last)" in err
    assert "Cell In[1], line 8\n" in err
    assert "Cell In[1], line 6, in outer()" in err
    assert "----> 2     return v[3]" in err
    assert err.rstrip().endswith("IndexError: list index out of range")
    assert "\x1b[" not in err


def test_plain_mode_looks_like_python(output):
    err = run(output, "Plain")
    assert err.startswith("Traceback (most recent call last):\n")
    assert "  Cell In[1], line 2, in inner\n    return v[3]\n" in err


def test_verbose_mode_shows_variables(output):
    err = run(output, "Verbose")
    assert "v = [1, 2]" in err
    assert "items = [1, 2]" in err


def test_minimal_mode_is_one_line(output):
    err = run(output, "Minimal")
    assert err == "IndexError: list index out of range\n"


def test_colours_only_when_asked(output):
    err = run(output, "Context", colors="Linux")
    assert "\x1b[" in err
    assert "----> 2" in ANSI.sub("", err)


def test_engine_frames_are_hidden(output):
    err = run(output, "Context")
    assert "shell/engine" not in err and "exec(" not in err


def test_chained_exceptions(shell, output):
    shell.run_cell("try:\n    1/0\nexcept ZeroDivisionError as e:\n    raise ValueError('bad') from e")
    err = output.stderr
    assert err.index("ZeroDivisionError") < err.index("direct cause") < err.index("ValueError: bad")


def test_unknown_mode_is_rejected(shell):
    from traitlets import TraitError

    with pytest.raises(TraitError):
        shell.xmode = "Fancy"


def test_exception_with_failing_repr_in_verbose(output):
    sh = Shell(output=output)
    sh.xmode = "Verbose"
    sh.run_cell("class R:\n    def __repr__(self):\n        raise RuntimeError\nr = R()\nr.missing")
    assert "AttributeError" in output.stderr
    assert "<repr failed: RuntimeError>" in output.stderr


RECURSIVE = "def f(n):\n    return f(n + 1)\n\nf(0)"
MUTUAL = "def ping(n):\n    return pong(n)\n\ndef pong(n):\n    return ping(n + 1)\n\nping(0)"


@pytest.mark.parametrize("mode", ["Plain", "Context", "Verbose"])
def test_a_recursion_error_collapses_its_repeated_frames(output, mode):
    # IPython 9 shows the first two and the last of the repeated frames around
    # "[... skipping similar frames: f at line 2 (N times)]": some twenty lines, not thousands
    sh = Shell(output=output, colors="NoColor")
    sh.xmode = mode
    sh.run_cell(RECURSIVE)
    err = output.stderr
    skipped = re.findall(r"\[\.\.\. skipping similar frames: f at line 2 \((\d+) times\)\]", err)
    assert len(skipped) == 1 and int(skipped[0]) > 500, err[-2000:]
    assert len(re.findall(r"Cell In\[1\], line 2, in f\b", err)) == 3  # two frames before, one after
    assert len(err.splitlines()) < 40
    assert err.rstrip().endswith("RecursionError: maximum recursion depth exceeded")


def test_mutual_recursion_names_each_repeated_frame(output):
    sh = Shell(output=output, colors="NoColor")
    sh.run_cell(MUTUAL)
    err = output.stderr
    # IPython 9: "[... skipping similar frames: ping at line 2 (492 times), pong at line 5 (492 times)]"
    assert re.search(r"\[\.\.\. skipping similar frames: ping at line 2 \(\d+ times\), "
                     r"pong at line 5 \(\d+ times\)\]", err), err[-2000:]
    assert len(err.splitlines()) < 60


def test_a_repetition_is_collapsed_as_ipython_does(output):
    # IPython 9 keeps the first two and the last of four like frames: f(3) hides one, f(2) none
    sh = Shell(output=output, colors="NoColor")
    sh.run_cell("def f(n):\n    return 1 / n if n == 0 else f(n - 1)")
    sh.run_cell("f(2)")
    assert "skipping" not in output.stderr
    assert output.stderr.count("----> 2     return 1 / n if n == 0 else f(n - 1)") == 3
    sh.run_cell("f(3)")
    last = output.stderr.split("ZeroDivisionError: division by zero")[-2]
    assert "    [... skipping similar frames: f at line 2 (1 times)]\n" in last
    assert last.count("----> 2     return 1 / n if n == 0 else f(n - 1)") == 3
