"""Cells running at the same time in two threads of one Shell, as a kernel's subshells run them.

Each test holds one cell in a thread on an Event the other cell sets, so the
two overlap for sure, whatever the machine's load; nothing waits on the clock.
"""

from __future__ import annotations

import builtins
import sys
import threading

import pytest

from shell import Shell

WAIT = 60  # a bound on a wait that ends as soon as the other cell acts, never a goal


class AnsweringInput:
    """An InputProvider that answers every ``input()`` with the same line."""

    def input(self, prompt: str = "", *, password: bool = False) -> str:
        return "typed answer"


@pytest.fixture
def overlapping(output):
    shell = Shell(output=output, input_provider=AnsweringInput())
    events = {name: threading.Event() for name in ("first_started", "second_started", "first_ended", "first_may_end")}
    shell.user_ns.update(events)
    return shell, events


def _in_thread(shell: Shell, code: str, events: dict[str, threading.Event]) -> tuple[threading.Thread, dict]:
    results: dict = {}

    def run() -> None:
        results["first"] = shell.run_cell(code)
        events["first_ended"].set()

    thread = threading.Thread(target=run)
    thread.start()
    assert events["first_started"].wait(WAIT)
    return thread, results


def test_a_cell_started_while_another_runs_takes_the_next_number(overlapping):
    shell, events = overlapping
    first_code = "first_started.set()\nsecond_started.wait(60)\n'first value'"
    thread, results = _in_thread(shell, first_code, events)
    second = shell.run_cell("second_started.set()\n'second value'")
    thread.join(WAIT)
    first = results["first"]
    assert (first.execution_count, second.execution_count) == (1, 2)
    assert (first.result, second.result) == ("first value", "second value")
    assert shell.user_ns["In"] == ["", first_code, "second_started.set()\n'second value'"]
    assert shell.user_ns["Out"] == {1: "first value", 2: "second value"}
    assert shell.execution_count == 3
    assert shell.run_cell("1").execution_count == 3


def test_the_counter_moves_past_a_cell_that_ends_after_a_later_one(overlapping):
    shell, events = overlapping
    thread, results = _in_thread(shell, "first_started.set()\nfirst_may_end.wait(60)", events)
    second = shell.run_cell("None")
    assert second.execution_count == 2
    third = shell.run_cell("first_may_end.set()")  # cell 1 still holds its number
    thread.join(WAIT)
    assert third.execution_count == 3
    assert results["first"].execution_count == 1
    assert shell.execution_count == 4


def test_what_a_cell_installs_stays_until_the_last_running_cell_ends(overlapping):
    """get_ipython and input() are the shell's in a cell still running after an overlapping one ended."""
    shell, events = overlapping
    thread, _ = _in_thread(shell, "first_started.set()\nsecond_started.wait(60)", events)
    second = shell.run_cell("second_started.set()\nfirst_ended.wait(60)\n"
                            "import builtins\n"
                            "found = 'get_ipython' in vars(builtins)\n"
                            "answer = input('? ')")
    thread.join(WAIT)
    assert second.success, second.error_in_exec
    assert shell.user_ns["found"] is True
    assert shell.user_ns["answer"] == "typed answer"
    import builtins

    assert "get_ipython" not in vars(builtins)  # gone once no cell runs


def test_set_next_input_belongs_to_the_cell_of_its_thread(overlapping):
    shell, events = overlapping
    thread, results = _in_thread(shell, "first_started.set()\nsecond_started.wait(60)\n"
                                        "first_may_end.wait(60)", events)
    second = shell.run_cell("second_started.set()\nget_ipython().set_next_input('for the second')\n"
                            "first_may_end.set()")
    thread.join(WAIT)
    assert second.next_input == "for the second"
    assert results["first"].next_input is None


# -- magics that mean "the cell running me" ------------------------------------------------------
# A cell started while cell 2 runs is cell 3, but the shared counter (execution_count) still says 2
# until cell 2 ends: a magic must ask for its own cell's number, not take the counter for it.
def test_save_without_a_range_leaves_out_its_own_cell_not_the_overlapped_one(overlapping, tmp_path):
    # IPython 9: `%save FILE` alone saves the session so far, without the %save cell itself
    shell, events = overlapping
    shell.run_cell("a = 1")
    held = "first_started.set()\nfirst_may_end.wait(60)"
    thread, _ = _in_thread(shell, held, events)
    target = tmp_path / "so_far.py"
    saved = shell.run_cell(f"%save -r -f {target}")
    events["first_may_end"].set()
    thread.join(WAIT)
    assert saved.success, saved.error_in_exec
    assert saved.execution_count == 3
    assert target.read_text() == f"a = 1\n{held}\n"


def test_history_last_n_leaves_out_its_own_cell_when_a_later_one_runs(overlapping, output):
    # IPython 9: `%history -l N` lists the last N cells, not counting the one that asks
    shell, events = overlapping
    shell.run_cell("a = 1")
    thread, results = _in_thread(shell, "first_started.set()\nsecond_started.wait(60)\n%history -l 2", events)
    second_code = "second_started.set()\nended = first_ended.wait(60)"
    second = shell.run_cell(second_code)
    thread.join(WAIT)
    assert (results["first"].execution_count, second.execution_count) == (2, 3)
    assert output.stdout == f"a = 1\n{second_code}\n"


def test_rerun_in_a_cell_overlapped_by_a_later_one_reruns_the_cell_before_it(overlapping, output):
    shell, events = overlapping
    shell.user_ns["hits"] = []
    shell.run_cell("hits.append(1)")
    thread, results = _in_thread(shell, "first_started.set()\nsecond_started.wait(60)\n%rerun", events)
    shell.run_cell("second_started.set()\nfirst_ended.wait(60)")
    thread.join(WAIT)
    assert results["first"].success, results["first"].error_in_exec
    assert shell.user_ns["hits"] == [1, 1]  # cell 1 again, once; not cell 2 (itself) over and over
    assert output.stdout.count("=== Executing: ===") == 1


def test_a_cell_magic_error_in_an_overlapping_cell_names_that_cell(overlapping, output):
    shell, events = overlapping
    thread, _ = _in_thread(shell, "first_started.set()\nfirst_may_end.wait(60)", events)
    failed = shell.run_cell("%%timeit -n 1 -r 1\n1 / 0")
    events["first_may_end"].set()
    thread.join(WAIT)
    assert failed.execution_count == 2
    assert "Cell In[2], line 2" in output.stderr and "In[1]" not in output.stderr


# -- breakpoint() ----------------------------------------------------------------------------------
# One process-wide sys.breakpointhook serves every running cell: breakpoint() stops in the debugger
# of the cell running in the calling thread, however the cells' starts and ends interleave.


class EndOfInput:
    """An InputProvider at the end of its input: a debugger reading ``input()`` (plain pdb, where the
    shell's hook is missing) quits at once instead of reading answers meant for ``input()``."""

    def input(self, prompt: str = "", *, password: bool = False) -> str:
        raise EOFError


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


def test_breakpoint_in_a_cell_that_outlives_the_cell_started_before_it(overlapping, capsys):
    """Before: the hook was the first cell's; the second cell's breakpoint() opened a debugger the
    first cell owned, and once the first ended breakpoint() was plain pdb (reading input())."""
    shell, events = overlapping
    prompt = ScriptedPrompt("first_may_end.set()", "first_ended.wait(60)", "c", "p total", "c")
    shell.debugger_prompt, shell.input_provider = prompt, EndOfInput()
    thread, results = _in_thread(shell, "first_started.set()\nfirst_may_end.wait(60)", events)
    second = shell.run_cell("total = 40\nbreakpoint()\ntotal += 1\nbreakpoint()\ntotal += 1")
    thread.join(WAIT)
    assert second.success, second.error_in_exec
    assert results["first"].success
    assert prompt.commands == [] and prompt.prompts == ["(Pdb) "] * 5  # both stops asked the front end
    assert "\n41\n" in capsys.readouterr().out  # `p total` at the second breakpoint()
    assert shell.user_ns["total"] == 42
    assert sys.breakpointhook is sys.__breakpointhook__


def test_breakpoint_after_the_cell_started_before_it_ended(overlapping, capsys):
    """Before: the second cell found the first one's hook and put none of its own; once the first
    ended, breakpoint() in the second was plain pdb, reading input() instead of the front end's prompt."""
    shell, events = overlapping
    prompt = ScriptedPrompt("p total", "c")
    shell.debugger_prompt, shell.input_provider = prompt, EndOfInput()
    thread, results = _in_thread(shell, "first_started.set()\nsecond_started.wait(60)", events)
    second = shell.run_cell("second_started.set()\nfirst_ended.wait(60)\ntotal = 40\nbreakpoint()\ntotal += 2")
    thread.join(WAIT)
    assert second.success, second.error_in_exec
    assert prompt.prompts == ["(Pdb) ", "(Pdb) "]  # the shell's debugger, asking its front end
    printed = capsys.readouterr().out
    assert "----> 5 total += 2" in printed and "\n40\n" in printed
    assert shell.user_ns["total"] == 42
    assert sys.breakpointhook is sys.__breakpointhook__


def test_each_thread_stops_in_its_own_cells_debugger(overlapping, capsys):
    """Both cells at a breakpoint at once; each debugger steps its own thread, the first to end leaves
    the other's alone."""
    shell, events = overlapping
    commands = {"first": ["second_started.wait(60)", "n", "c"],
                "second": ["first_may_end.set()", "first_ended.wait(60)", "n", "c"]}

    def prompt(text: str, complete) -> str:
        return commands["second" if threading.current_thread() is threading.main_thread() else "first"].pop(0)

    shell.debugger_prompt, shell.input_provider = prompt, EndOfInput()
    first_code = "first_started.set()\nbreakpoint()\nfirst_may_end.wait(60)\nfirst_done = 1"
    thread, results = _in_thread(shell, first_code, events)
    second = shell.run_cell("second_started.set()\nbreakpoint()\nsecond_done = 1\nsecond_done += 1")
    thread.join(WAIT)
    assert second.success, second.error_in_exec
    assert results["first"].success, results["first"].error_in_exec
    assert commands == {"first": [], "second": []}
    assert shell.user_ns["first_done"] == 1 and shell.user_ns["second_done"] == 2
    assert sys.breakpointhook is sys.__breakpointhook__


def test_values_typed_in_two_debuggers_at_once_are_each_shown_by_their_own(overlapping, capsys):
    """pdb swaps sys.displayhook around a typed statement; two debuggers swapping over each other put the
    interpreter's hook back mid-statement, which set builtins._ and so took ``_`` from the user's cells."""
    shell, events = overlapping
    commands = {"first": ["second_started.wait(60) and 'first saw it'", "c"],
                "second": ["first_may_end.set() or 'second saw it'", "first_ended.wait(60) and 'both ran'", "c"]}

    def prompt(text: str, complete) -> str:
        return commands["second" if threading.current_thread() is threading.main_thread() else "first"].pop(0)

    shell.debugger_prompt, shell.input_provider = prompt, EndOfInput()
    thread, results = _in_thread(shell, "first_started.set()\nbreakpoint()\nfirst_may_end.wait(60)", events)
    second = shell.run_cell("second_started.set()\nbreakpoint()\npass")
    thread.join(WAIT)
    assert second.success and results["first"].success
    shown = capsys.readouterr().out
    assert "'first saw it'" in shown and "'second saw it'" in shown and "'both ran'" in shown
    assert not hasattr(builtins, "_")
    assert shell.run_cell("41 + 1").success and shell.user_ns["_"] == 42
