"""``breakpoint()`` in a cell: the shell's debugger while the cell runs, the previous hook after it.

The debugger itself is driven in a real terminal in tests/terminal/test_debugger_pty.py.
"""

from __future__ import annotations

import signal
import sys
import threading

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


# -- cells overlapping in two threads (a kernel's subshells) -------------------------------------
# One process-wide sys.breakpointhook serves every running cell: breakpoint() stops in the debugger
# of the cell running in the calling thread, however the cells' starts and ends interleave.
WAIT = 60  # a bound on a wait that ends as soon as the other cell acts, never a goal


class ScriptedPrompt:
    """The front end's debugger prompt (a DebuggerPrompt), typing these commands in turn."""

    def __init__(self, *commands: str):
        self.commands = list(commands)
        self.prompts: list[str] = []

    def __call__(self, prompt: str, complete) -> str:
        self.prompts.append(prompt)
        if not self.commands:
            raise EOFError
        return self.commands.pop(0)


@pytest.fixture
def two_threads(shell):
    """``shell`` with Events in its namespace, and a function running a cell in a thread of its own."""
    events = {name: threading.Event() for name in ("first_started", "second_started", "first_may_end",
                                                   "first_ended")}
    shell.user_ns.update(events)
    results: dict = {}

    def start_first(code: str) -> threading.Thread:
        def run() -> None:
            results["first"] = shell.run_cell(code)
            events["first_ended"].set()

        thread = threading.Thread(target=run)
        thread.start()
        assert events["first_started"].wait(WAIT)
        return thread

    return start_first, results


def test_breakpoint_in_a_cell_that_outlives_the_cell_started_before_it(shell, two_threads, capsys):
    """Before: the hook was the first cell's; the second cell's breakpoint() opened a debugger the
    first cell owned, and once the first ended breakpoint() was plain pdb (reading sys.stdin)."""
    start_first, results = two_threads
    thread = start_first("first_started.set()\nfirst_may_end.wait(60)")
    prompt = ScriptedPrompt("first_may_end.set()", "first_ended.wait(60)", "c", "p total", "c")
    shell.debugger_prompt = prompt
    second = shell.run_cell("total = 40\nbreakpoint()\ntotal += 1\nbreakpoint()\ntotal += 1")
    thread.join(WAIT)
    assert second.success, second.error_in_exec
    assert results["first"].success
    assert prompt.commands == [] and prompt.prompts == ["(Pdb) "] * 5  # both stops asked the front end
    assert "\n41\n" in capsys.readouterr().out  # `p total` at the second breakpoint()
    assert shell.user_ns["total"] == 42
    assert sys.breakpointhook is sys.__breakpointhook__


def test_breakpoint_after_the_cell_started_before_it_ended(shell, two_threads, capsys):
    """Before: the second cell found the first one's hook and put none of its own; once the first
    ended, breakpoint() in the second was plain pdb, reading sys.stdin instead of the front end."""
    start_first, results = two_threads
    thread = start_first("first_started.set()\nsecond_started.wait(60)")
    prompt = ScriptedPrompt("p total", "c")
    shell.debugger_prompt = prompt
    second = shell.run_cell("second_started.set()\nfirst_ended.wait(60)\ntotal = 40\nbreakpoint()\ntotal += 2")
    thread.join(WAIT)
    assert second.success, second.error_in_exec
    assert prompt.prompts == ["(Pdb) ", "(Pdb) "]  # the shell's debugger, asking its front end
    printed = capsys.readouterr().out
    assert "----> 5 total += 2" in printed and "\n40\n" in printed
    assert shell.user_ns["total"] == 42
    assert sys.breakpointhook is sys.__breakpointhook__


def test_each_thread_stops_in_its_own_cells_debugger(shell, two_threads, capsys):
    """Both cells at a breakpoint at once; each debugger steps its own thread, the first to end leaves
    the other's alone."""
    start_first, results = two_threads
    commands = {"first": ["second_started.wait(60)", "n", "c"],
                "second": ["first_may_end.set()", "first_ended.wait(60)", "n", "c"]}

    def prompt(text: str, complete) -> str:
        return commands["second" if threading.current_thread() is threading.main_thread() else "first"].pop(0)

    shell.debugger_prompt = prompt
    thread = start_first("first_started.set()\nbreakpoint()\nfirst_may_end.wait(60)\nfirst_done = 1")
    second = shell.run_cell("second_started.set()\nbreakpoint()\nsecond_done = 1\nsecond_done += 1")
    thread.join(WAIT)
    assert second.success, second.error_in_exec
    assert results["first"].success, results["first"].error_in_exec
    assert commands == {"first": [], "second": []}
    assert shell.user_ns["first_done"] == 1 and shell.user_ns["second_done"] == 2
    assert sys.breakpointhook is sys.__breakpointhook__
