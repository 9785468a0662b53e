"""Completion never runs user code (unless asked), and never makes the user wait past its budget.

These tests use real jedi where jedi matters: a completion that the fast
sources cannot answer goes to jedi, and jedi must not run code either.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from shell import Shell
from shell.engine.completion import budget, jedi_source
from shell.engine.completion.jedi_source import JediSource

ROOT = Path(__file__).resolve().parents[2]

TRAPS = '''
calls = []

class Trap:
    """Every way completion could run code records itself in `calls`."""

    @property
    def prop(self):
        calls.append("property")
        return "text"

    def __getattr__(self, name):
        calls.append(f"__getattr__({name})")
        return "text"

    def method(self) -> str:
        calls.append("method")
        return "text"

def make() -> Trap:
    calls.append("make")
    return Trap()

class Holder:
    pass

trap = Trap()
holder = Holder()
holder.trap = trap
'''

REACHES = [
    "trap.", "trap.prop.", "trap.prop.up", "trap.missing.", "trap.missing.up", "trap.missing().",
    "trap.method().", "trap.method().up", "trap[0].", "trap.prop[0].", "make().", "make().prop.",
    "holder.trap.", "holder.trap.missing.", "holder.trap.prop.", "t = trap\nt.prop.", "t = trap\nt.missing.",
    "[trap][0].prop.", "trap.prop.upper().", "print(trap.prop.", "trap.prop(", "trap.missing(a", "d = {1: trap}\nd[1].",
    "trap['key'", "trap.prop['", "f'{trap.prop.", "%timeit trap.prop.", "for x in trap.prop:\n    x.",
]


@pytest.fixture(scope="module")
def jedi_ready():
    """jedi imported and warmed once for this module (a few seconds the first time)."""
    source = JediSource()
    if not source.wait_ready(120):
        pytest.skip("jedi is not available")
    return source


@pytest.fixture
def trapped(output, jedi_ready):
    sh = Shell(output=output)
    sh.completer.jedi = jedi_ready
    sh.completer.budget_ms = 20_000  # let jedi finish: these tests are about what it touches
    sh.run_cell(TRAPS)
    return sh


@pytest.mark.parametrize("text", REACHES)
def test_safe_completion_runs_no_user_code(trapped, text):
    trapped.complete(text)
    assert trapped.user_ns["calls"] == []
    assert trapped.completer.last_error is None


def test_properties_are_listed_but_not_read(trapped):
    matches = {m.text: m.type for m in trapped.complete("trap.").matches}
    assert matches["prop"] == "property" and matches["method"] == "function"
    assert trapped.user_ns["calls"] == []


def test_annotated_returns_are_followed_without_calling(trapped):
    assert "prop" in [m.text for m in trapped.complete("make().").matches]
    assert "upper" in [m.text for m in trapped.complete("trap.method().up").matches]
    assert trapped.user_ns["calls"] == []


def test_unsafe_evaluation_runs_code_when_asked(trapped):
    trapped.completer.evaluation = "unsafe"
    assert "upper" in [m.text for m in trapped.complete("trap.prop.up").matches]
    assert "property" in trapped.user_ns["calls"]
    assert "upper" in [m.text for m in trapped.complete("trap.missing.up").matches]
    assert "__getattr__(missing)" in trapped.user_ns["calls"]


def test_an_object_whose_dir_raises(output):
    sh = Shell(output=output)
    sh.completer.use_jedi = False
    sh.run_cell("class Odd:\n    def __dir__(self):\n        raise RuntimeError('no')\n"
                "    def visible(self): pass\nodd = Odd()\nodd.own = 1")
    found = [m.text for m in sh.complete("odd.").matches]
    assert "visible" in found and "own" in found
    assert sh.completer.last_error is None


def test_an_object_whose_dir_returns_junk(output):
    sh = Shell(output=output)
    sh.completer.use_jedi = False
    sh.run_cell("class Odd:\n    def __dir__(self):\n        return [1, None, 'fine']\nodd = Odd()")
    assert [m.text for m in sh.complete("odd.fi").matches] == ["fine"]


# -- jedi ------------------------------------------------------------------------------------------
def test_jedi_completes_what_the_fast_source_cannot(trapped):
    assert [m.text for m in trapped.complete("'abc'.upper().sp").matches] == ["split", "splitlines"]
    assert "upper" in [m.text for m in trapped.complete("x = 'a'\nx.up").matches]
    alpha = trapped.complete("def f(alpha):\n    al").matches[0]
    assert (alpha.text, alpha.type) == ("alpha", "param")
    assert "sep=" in [m.text for m in trapped.complete("import os\nprint(os.sep, se").matches]


def test_jedi_can_be_switched_off(trapped):
    trapped.completer.use_jedi = False
    assert trapped.complete("'abc'.upper().sp").matches == []


def test_jedi_is_not_imported_until_a_completion_needs_it():
    script = ("import sys\nfrom shell import Shell\nsh = Shell()\nsh.run_cell('import os')\n"
              "sh.complete('os.pa'); sh.complete('pri'); sh.complete('%ti'); sh.complete('open(\"')\n"
              "before = 'jedi' in sys.modules\n"
              "sh.completer.jedi.wait_ready(120)\n"
              "import json; print(json.dumps([before, 'jedi' in sys.modules]))")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=180)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == [False, True]


# -- the budget ------------------------------------------------------------------------------------
@pytest.fixture
def slow_jedi(monkeypatch):
    """jedi that is 'ready' but spins in Python until it is abandoned.

    Only a call nobody stops spins on to its end (two minutes, a safety net), and says so in ``ran_out``.
    """
    monkeypatch.setattr(JediSource, "ready", property(lambda self: True))
    state = {"started": threading.Event(), "ended": threading.Event(), "ran_out": False}

    def spin(*args, **kwargs):
        state["started"].set()
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                pass
            state["ran_out"] = True
            return []
        finally:
            state["ended"].set()

    monkeypatch.setattr(jedi_source, "_complete", spin)
    return state


def test_a_slow_jedi_is_cut_off_at_the_budget(output, slow_jedi):
    sh = Shell(output=output)
    # A budget roomy enough that jedi's worker thread surely starts on a loaded machine.
    sh.completer.budget_ms = 300
    sh.run_cell("import os")
    result = sh.complete("x = 1\npri")  # names after another line: the fast source answers, jedi is asked too
    assert slow_jedi["started"].is_set()
    assert "print" in result.texts
    assert slow_jedi["ended"].wait(180), "the abandoned jedi call was not stopped"
    # complete() did not wait for jedi to finish: jedi was stopped, it never spun to its end.
    # How close to the budget it answers is measured in bench/completion.py.
    assert not slow_jedi["ran_out"]


def test_a_jedi_blocked_in_c_code_is_skipped_until_it_returns(output, monkeypatch):
    monkeypatch.setattr(JediSource, "ready", property(lambda self: True))
    release = threading.Event()
    calls, waited_out = [], []

    def blocked(*args, **kwargs):
        calls.append(1)
        if not release.wait(120):  # C code: the abandon exception waits until it returns
            waited_out.append(1)  # only if a completion waited for it (a safety net, never reached otherwise)
        return []

    monkeypatch.setattr(jedi_source, "_complete", blocked)
    sh = Shell(output=output)
    sh.completer.budget_ms = 50
    for _ in range(3):
        assert sh.complete("x = 1\nx.re").matches == []
        assert not waited_out  # it answered while jedi was still stuck
    assert len(calls) == 1  # later requests did not queue behind the stuck one
    release.set()


@pytest.mark.parametrize("error", [RecursionError, RuntimeError, KeyError, SystemError])
def test_a_jedi_crash_never_reaches_the_user(output, monkeypatch, error):
    monkeypatch.setattr(JediSource, "ready", property(lambda self: True))

    calls = []

    def crash(*args, **kwargs):
        calls.append(1)
        raise error("jedi fell over")

    monkeypatch.setattr(jedi_source, "_complete", crash)
    sh = Shell(output=output)
    sh.completer.budget_ms = 5000  # the crash returns at once; a long budget only makes sure jedi gets to run
    assert "print" in sh.complete("x = 1\npri").texts
    assert calls == [1] and output.stderr == ""


def test_budgeted_call_outcomes():
    assert budget.BudgetedCall(lambda: 42).wait(5) == budget.Outcome(True, 42)
    failed = budget.BudgetedCall(lambda: 1 / 0).wait(5)
    assert failed.finished and isinstance(failed.error, ZeroDivisionError)
    stopped = threading.Event()

    def spin():
        try:
            while True:
                pass
        finally:
            stopped.set()

    call = budget.BudgetedCall(spin)
    assert call.wait(0.05) == budget.Outcome(False)
    assert stopped.wait(60) and not _alive_after(call, 60)


def _alive_after(call, seconds):
    deadline = time.monotonic() + seconds
    while call.alive and time.monotonic() < deadline:
        time.sleep(0.01)
    return call.alive
