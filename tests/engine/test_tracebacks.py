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
