"""Hidden-state lineage: the warnings a cell gets when it reads a deleted, edited or stale name.

Cells are run the way the kernel runs them: with the front end's cell id
(``cell_id=``), and ``cells_deleted`` for JupyterLab's ``deletedCells``.
Without an id (the terminal) a cell is known by its code and named ``In [N]``.
"""

from __future__ import annotations

import ast

import pytest

from shell import Shell
from shell.engine.lineage import scan_cell


class OrderedOutput:
    """Output seam keeping stdout and stderr in one list, in the order written."""

    def __init__(self) -> None:
        self.parts: list[tuple[str, str]] = []

    def write(self, text: str) -> None:
        self.parts.append(("out", text))

    def write_err(self, text: str) -> None:
        self.parts.append(("err", text))

    @property
    def stderr(self) -> str:
        return "".join(text for kind, text in self.parts if kind == "err")

    def clear(self) -> None:
        self.parts.clear()


@pytest.fixture
def out() -> OrderedOutput:
    return OrderedOutput()


@pytest.fixture
def sh(out: OrderedOutput) -> Shell:
    return Shell(output=out, entry_points=False)


def warnings(out: OrderedOutput) -> list[str]:
    return [line for line in out.stderr.splitlines() if line.startswith("hidden state:")]


def run(sh: Shell, out: OrderedOutput, code: str, cell_id: str | None = None) -> list[str]:
    """Run a cell; the hidden-state warnings it got (its other output is dropped)."""
    out.clear()
    result = sh.run_cell(code, cell_id=cell_id)
    assert result.error_before_exec is None, out.parts
    return warnings(out)


# -- the three kinds -------------------------------------------------------------------------
def test_a_name_from_a_deleted_cell_warns_before_the_cells_output(sh, out):
    run(sh, out, "a = 41", "cell-a")
    sh.cells_deleted(["cell-a"])
    out.clear()
    sh.run_cell("a + 1", cell_id="cell-b")
    assert out.parts == [("err", "hidden state: 'a' was made by cell [1] (id cell-a), which has been deleted; "
                                 "define 'a' in a cell that exists, or run `del a`\n"),
                         ("out", "Out[2]: 42\n")]


def test_a_name_an_edited_cell_no_longer_binds_warns(sh, out):
    run(sh, out, "a = 1\nb = 2", "c1")
    run(sh, out, "b = 3", "c1")  # edited: a is gone from its code
    assert run(sh, out, "a + b", "c2") == [
        "hidden state: 'a' was made by cell [1] (id c1), whose code no longer binds it; "
        "bind 'a' in a cell again, or run `del a`"]


def test_a_cell_edited_to_read_what_it_used_to_bind_warns(sh, out):
    run(sh, out, "total = 10", "c1")
    assert run(sh, out, "print(total)", "c1") == [
        "hidden state: 'total' was made by cell [1] (id c1), whose code no longer binds it; "
        "bind 'total' in a cell again, or run `del total`"]


def test_a_name_computed_from_a_reloaded_name_is_stale(sh, out):
    run(sh, out, "df = [3, None, 1]", "load")
    run(sh, out, "df2 = [v for v in df if v is not None]", "clean")
    run(sh, out, "df = [5, None]", "load")  # re-loaded: df2 still holds the old data
    assert run(sh, out, "len(df2)", "use") == [
        "hidden state: 'df2' is stale: cell [2] (id clean) computed it from 'df', which cell [3] (id load) "
        "has re-bound since; run `%rerun --stale` (or re-run cell [2] (id clean))"]


def test_staleness_follows_the_chain(sh, out):
    run(sh, out, "a = 1", "c1")
    run(sh, out, "b = a * 2", "c2")
    run(sh, out, "c = b + 1", "c3")
    run(sh, out, "a = 10", "c1")
    assert run(sh, out, "c", "c4") == [
        "hidden state: 'c' is stale: cell [3] (id c3) computed it from 'b', which is stale itself; "
        "run `%rerun --stale` (or re-run cell [3] (id c3))"]
    run(sh, out, "b = a * 2", "c2")  # re-running the chain in order clears it
    assert run(sh, out, "c", "c4")[0].startswith("hidden state: 'c' is stale")
    run(sh, out, "c = b + 1", "c3")
    assert run(sh, out, "c", "c4") == []


def test_the_terminal_names_cells_by_number_and_knows_them_by_their_code(sh, out):
    run(sh, out, "a = [1, 2]")
    run(sh, out, "b = sum(a)")
    run(sh, out, "a = [1, 2]")  # typed again: the same cell run again
    assert run(sh, out, "b") == [
        "hidden state: 'b' is stale: In [2] computed it from 'a', which In [3] has re-bound since; "
        "run `%rerun --stale` (or re-run In [2])"]


def test_a_warning_is_never_an_error(sh, out):
    run(sh, out, "a = 1", "c1")
    sh.cells_deleted(["c1"])
    result = sh.run_cell("a", cell_id="c2")
    assert result.success and result.result == 1


# -- each binding form ---------------------------------------------------------------------------
BINDINGS = {
    "assignment": ("v = 1", "v"),
    "tuple assignment": ("w, v = 1, 2", "v"),
    "augmented assignment": ("v = 0\nv += 1", "v"),
    "annotated assignment": ("v: int = 1", "v"),
    "import": ("import json as v", "v"),
    "dotted import": ("import os.path", "os"),
    "from import": ("from os import sep as v", "v"),
    "def": ("def v():\n    return 1", "v"),
    "class": ("class v:\n    pass", "v"),
    "for target": ("for v in range(3):\n    pass", "v"),
    "with target": ("import contextlib\nwith contextlib.nullcontext(5) as v:\n    pass", "v"),
    "walrus": ("(v := 3)", "v"),
    "walrus in a comprehension": ("[v := i for i in range(3)]", "v"),
    "inside if": ("if True:\n    v = 1", "v"),
    "inside try": ("try:\n    v = 1\nexcept Exception:\n    pass", "v"),
    "inside while": ("while True:\n    v = 1\n    break", "v"),
    "match capture": ("match [1, 2]:\n    case [v, *_]:\n        pass", "v"),
    "shell capture (x = !cmd)": ("v = !echo hi", "v"),
    "magic assignment (x = %magic)": ("v = %pwd", "v"),
    "%%capture NAME": ("%%capture v\nprint('hi')", "v"),
    "a cell magic's body": ("%%capture\nv = 1", "v"),
    "%time CODE": ("%time v = 1", "v"),
}


@pytest.mark.parametrize("code, name", BINDINGS.values(), ids=list(BINDINGS))
def test_each_binding_form_is_recorded(sh, out, code, name):
    assert run(sh, out, code, "binder") == []
    sh.cells_deleted(["binder"])
    found = run(sh, out, f"{name}", "reader")
    assert found and found[0].startswith(f"hidden state: {name!r} was made by cell [1] (id binder), which has been deleted")


def test_del_unbinds_and_is_not_a_read(sh, out):
    run(sh, out, "a = 1", "c1")
    sh.cells_deleted(["c1"])
    assert run(sh, out, "del a", "c2") == []
    assert run(sh, out, "a = 2", "c3") == []
    assert run(sh, out, "a", "c4") == []


def test_names_bound_inside_function_bodies_are_not_the_cells():
    names = scan_cell(ast.parse("def f(p):\n    inner = p\n    return inner + g\n"))
    assert names.binds == {"f"} and names.reads == set() and names.late_reads == {"g"}


def test_reads_are_the_free_names_in_order():
    names = scan_cell(ast.parse("df = load(path)\ndf.head()\nx = x + 1\n[k for k in keys if k != skip]"))
    assert names.binds == {"df", "x"}
    assert names.reads == {"load", "path", "x", "keys", "skip"}


def test_each_name_depends_on_what_its_statement_read():
    names = scan_cell(ast.parse("a = load(p)\nb = a.mean()\nc = q\nfor r in rows:\n    total += r\n"
                                "class K(Base):\n    size = n\n"))
    assert names.computed_from == {"a": {"load", "p"}, "b": {"load", "p"}, "c": {"q"}, "r": {"rows", "total"},
                                   "total": {"rows", "total"}, "K": {"Base", "n"}}


def test_a_function_reading_a_deleted_cells_name_warns(sh, out):
    """Names a function's body reads count as the cell's reads (they are read when it is called)."""
    run(sh, out, "rate = 0.2", "c1")
    sh.cells_deleted(["c1"])
    found = run(sh, out, "def tax(x):\n    return x * rate", "c2")
    assert found and found[0].startswith("hidden state: 'rate' was made by cell [1] (id c1), which has been deleted")


def test_a_function_is_not_stale_when_a_global_it_reads_changes(sh, out):
    run(sh, out, "rate = 0.2", "c1")
    run(sh, out, "def tax(x):\n    return x * rate", "c2")
    run(sh, out, "rate = 0.3", "c1")
    assert run(sh, out, "tax(10)", "c3") == []


# -- no false alarms -----------------------------------------------------------------------------
NOTEBOOK = [
    ("n1", "import math\nraw = [4, None, 9, 16]"),
    ("n2", "clean = [v for v in raw if v is not None]"),
    ("n3", "raw = clean  # a later cell re-binds a name an earlier one read"),
    ("n4", "roots = [math.sqrt(v) for v in raw]\ntotal = 0"),
    ("n5", "for r in roots:\n    total += r"),
    ("n6", "def describe(xs):\n    return len(xs), total\nsummary = describe(clean)"),
    ("n7", "%%capture log\nprint(summary)"),
    ("n8", "print(log.stdout, raw, clean, roots, total)"),
]


def test_a_notebook_run_top_to_bottom_gives_no_warning_even_twice(sh, out):
    for _ in range(2):  # Run All, then Run All again without a restart
        for cell_id, code in NOTEBOOK:
            assert run(sh, out, code, cell_id) == [], (cell_id, out.parts)


def test_a_name_rebound_by_the_cell_that_reads_it_gives_none(sh, out):
    run(sh, out, "x = 0", "c0")
    run(sh, out, "step = 2", "c1")
    for _ in range(3):
        assert run(sh, out, "x = x + step", "c2") == []
    assert run(sh, out, "x", "c3") == []


def test_running_the_imports_cell_again_makes_nothing_stale(sh, out):
    """A module imported again is the same object (so is a small constant assigned again): not a new value."""
    run(sh, out, "import json\nlimit = 10", "imports")
    run(sh, out, "encode = json.dumps\nlimits = [limit] * 2", "use")
    run(sh, out, "import json\nlimit = 10", "imports")
    assert run(sh, out, "encode, limits", "read") == []
    run(sh, out, "import json\nlimit = 20", "imports")  # a new value: limits is stale, encode is not
    assert [line[:33] for line in run(sh, out, "encode, limits", "read")] == ["hidden state: 'limits' is stale: "]


def test_names_the_user_did_not_make_never_warn(sh, out):
    run(sh, out, "1 + 1", "c1")
    run(sh, out, "2 + 2", "c2")
    sh.cells_deleted(["c1", "c2"])
    assert run(sh, out, "_ + __ + _1 + _2 + len(In) + len(Out) + len(_i) + len(_ih)", "c3") == []
    assert run(sh, out, "print(len([1]), display, get_ipython, exit)", "c4") == []


def test_a_name_rebound_where_no_cell_shows_it_is_of_unknown_origin(sh, out):
    """exec(), %run -i, globals()[...]: the scan does not see the new binding, so the old record no longer
    tells where the value came from, and nothing is said about it."""
    run(sh, out, "a = [1]\nb = [2]", "c1")
    sh.cells_deleted(["c1"])
    assert run(sh, out, "exec('a = [3]')\nglobals()['b'] = [4]", "c2") == []
    assert run(sh, out, "a + b", "c3") == []


def test_mutation_through_a_method_is_not_tracked(sh, out):
    """A documented limit: ``xs.append(...)`` changes xs without re-binding it, so ``total`` stays fresh."""
    run(sh, out, "xs = [1]", "c1")
    run(sh, out, "total = sum(xs)", "c2")
    run(sh, out, "xs.append(2)", "c3")
    assert run(sh, out, "total", "c4") == []


def test_a_failed_run_keeps_what_it_did_not_bind(sh, out):
    run(sh, out, "a = 1", "c1")
    run(sh, out, "b = a", "c2")
    sh.run_cell("a = 1 / 0", cell_id="c1")  # failed: a is still the old value, b is not stale
    assert run(sh, out, "b + a", "c3") == []


def test_reset_forgets_the_lineage(sh, out):
    run(sh, out, "a = 1", "c1")
    sh.cells_deleted(["c1"])
    sh.run_cell("%reset -f", cell_id="c2")
    assert run(sh, out, "a = 2", "c3") == [] and run(sh, out, "a", "c4") == []


# -- the setting -------------------------------------------------------------------------------
def test_hidden_state_off_warns_and_records_nothing(sh, out):
    sh.hidden_state = "off"
    run(sh, out, "a = 1", "c1")
    sh.cells_deleted(["c1"])
    assert run(sh, out, "a", "c2") == []
    assert sh.lineage.lineage.bindings == {}  # no AST walk was made


def test_hidden_state_is_a_setting_with_two_values(out):
    from traitlets import TraitError
    from traitlets.config import Config

    config = Config()
    config.Shell.hidden_state = "off"
    assert Shell(output=out, config=config, entry_points=False).hidden_state == "off"
    assert Shell(output=out, entry_points=False).hidden_state == "warn"
    with pytest.raises(TraitError):
        Shell(output=out, entry_points=False).hidden_state = "loud"


# -- the documented example ------------------------------------------------------------------------
def test_the_documented_session_warns_as_shown(sh, out):
    """docs/hidden-state.md's transcript: its ``hidden state:`` lines are what each cell writes (the docs test
    checks only the ``Out`` lines)."""
    import re
    from pathlib import Path

    page = (Path(__file__).resolve().parents[2] / "docs" / "hidden-state.md").read_text()
    transcript = re.search(r"^```text\n(In \[.*?)^```", page, re.M | re.S).group(1)
    cells: list[tuple[str, list[str]]] = []
    for line in transcript.splitlines():
        if m := re.match(r"^In \[\d+\]: ?(.*)$", line):
            cells.append((m.group(1), []))
        elif line.startswith("hidden state:"):
            cells[-1][1].append(line)
    assert any(shown for _, shown in cells)
    for code, shown in cells:
        assert run(sh, out, code) == shown, code


def test_a_cell_run_by_another_thread_is_not_part_of_the_running_cell(sh, out):
    """A kernel subshell runs cells in a thread of its own while the main cell runs: each is its own cell."""
    sh.user_ns["engine"] = sh
    run(sh, out, "import threading\n"
                 "worker = threading.Thread(target=engine.run_cell, args=('t = 1',), kwargs={'store_history': False})\n"
                 "worker.start()\nworker.join()", "main")
    assert sh.name_lineage("t") == ["t  <- In [ ]: t = 1"]
