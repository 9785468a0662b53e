"""``breakpoint()`` in a cell: the shell's debugger while the cell runs, the previous hook after it.

The debugger itself is driven in a real terminal in tests/terminal/test_debugger_pty.py;
breakpoint() in cells overlapping in two threads is in test_concurrent_cells.py.
"""

from __future__ import annotations

import signal
import sys

import pytest


def test_the_hook_is_the_shells_while_a_cell_runs_and_restored_after(shell, output):
    assert shell.run_cell("import sys\nduring = sys.breakpointhook is not sys.__breakpointhook__").success
    assert shell.user_ns["during"] is True
    assert sys.breakpointhook is sys.__breakpointhook__
    assert not shell.run_cell("raise ValueError('the cell failed')").success
    assert sys.breakpointhook is sys.__breakpointhook__


def test_a_hook_installed_by_another_debugger_stays(shell, output, monkeypatch):
    called = []
    theirs = lambda *args, **kwargs: called.append(args)  # noqa: E731 - as debugpy installs its own
    monkeypatch.setattr(sys, "breakpointhook", theirs)
    assert shell.run_cell("breakpoint()").success
    assert called == [()]
    assert sys.breakpointhook is theirs


def test_pythonbreakpoint_0_turns_it_off(shell, output, monkeypatch, pdb_input):
    monkeypatch.setenv("PYTHONBREAKPOINT", "0")
    printed = pdb_input("c")
    assert shell.run_cell("value = breakpoint()\nafter = 1").success
    assert shell.user_ns["value"] is None and shell.user_ns["after"] == 1
    assert "(Pdb)" not in printed()


def test_breakpoint_stops_in_the_shells_debugger(shell, output, pdb_input):
    printed = pdb_input("p total", "c")
    tracing = sys.gettrace()  # a coverage tool's, or None
    assert shell.run_cell("total = 40\nbreakpoint()\ntotal += 2").success
    text = printed()
    assert "      2 breakpoint()\n----> 3 total += 2\n" in text and "(Pdb) 40\n" in text
    assert shell.user_ns["total"] == 42
    assert sys.gettrace() is tracing  # the debugger does not go on tracing the next cells


def test_stepping_past_the_end_of_the_cell_stops_nowhere_after_it(shell, output, pdb_input):
    printed = pdb_input("n", "n", "n", "n", "n")
    tracing = sys.gettrace()
    assert shell.run_cell("breakpoint()\nlast = 1").success
    assert sys.gettrace() is tracing
    before = printed()
    assert shell.run_cell("later = 2").success
    assert "(Pdb)" not in printed()[len(before):]  # the next cell runs without stopping


@pytest.mark.parametrize("cell", ["breakpoint()\nafter = 1", "%debug after = 1", "%debug"])
def test_ctrl_c_interrupts_again_after_the_debugger_continued_to_the_end(shell, output, pdb_input, cell):
    """pdb's ``continue`` sets its own SIGINT handler (Ctrl-C breaks into the debugger) and puts the
    previous one back only when it next stops: after the cell, Ctrl-C (a kernel's interrupt) must
    raise KeyboardInterrupt again, not open a debugger in whatever runs next."""
    shell.run_cell("1 / 0")  # for the post-mortem %debug
    before = signal.getsignal(signal.SIGINT)
    pdb_input("c")
    assert shell.run_cell(cell).success
    assert signal.getsignal(signal.SIGINT) is before

