"""``%stale``, ``%deps NAME`` and ``%rerun --stale``: on the real engine, and on the surface-only fake."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from magics.errors import UsageError
from magics.surface import StaleCell
from shell import Shell

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the surface-only fake lives beside this file
from surface_fake import FakeShell  # noqa: E402


@pytest.fixture
def sh(output) -> Shell:
    return Shell(output=output, entry_points=False)


def stale_notebook(sh: Shell) -> None:
    """load -> clean -> summary, then `load` re-run: clean and summary are stale."""
    sh.run_cell("raw = [3, None, 1]", cell_id="load")
    sh.run_cell("clean = [v for v in raw if v is not None]", cell_id="clean")
    sh.run_cell("summary = (len(clean), sum(clean))", cell_id="summary")
    sh.run_cell("raw = [7, None, 2, 5]", cell_id="load")


def test_stale_lists_names_and_the_cells_to_rerun_in_order(sh, output):
    stale_notebook(sh)
    sh.run_cell("a = 1", cell_id="gone")
    sh.cells_deleted(["gone"])
    output.clear()
    sh.run_cell("%stale", cell_id="ask")
    assert output.stdout == (
        "Stale or orphaned names:\n"
        "  'clean' is stale: cell [2] (id clean) computed it from 'raw', which cell [4] (id load) has re-bound "
        "since; run `%rerun --stale` (or re-run cell [2] (id clean))\n"
        "  'summary' is stale: cell [3] (id summary) computed it from 'clean', which is stale itself; "
        "run `%rerun --stale` (or re-run cell [3] (id summary))\n"
        "  'a' was made by cell [5] (id gone), which has been deleted; define 'a' in a cell that exists, "
        "or run `del a`\n"
        "Cells to run again, in this order (%rerun --stale runs them):\n"
        "  cell [2] (id clean): clean = [v for v in raw if v is not None]\n"
        "  cell [3] (id summary): summary = (len(clean), sum(clean))\n")


def test_stale_with_nothing_stale(sh, output):
    sh.run_cell("a = 1", cell_id="c1")
    output.clear()
    sh.run_cell("%stale")
    assert output.stdout == "No stale or orphaned names.\n"


def test_rerun_stale_reruns_the_chain_as_those_cells(sh, output):
    stale_notebook(sh)
    output.clear()
    assert sh.run_cell("%rerun --stale", cell_id="fix").success
    assert output.stdout.startswith("=== Running cell [2] (id clean) again: ===\n"
                                    "clean = [v for v in raw if v is not None]\n"
                                    "=== Running cell [3] (id summary) again: ===\n")
    assert sh.user_ns["summary"] == (3, 14)
    output.clear()
    sh.run_cell("summary", cell_id="use")
    assert output.stderr == "" and sh.hidden_state_problems() == []
    sh.run_cell("%rerun --stale")
    assert output.stdout.endswith("Nothing is stale.\n")


def test_rerun_stale_in_the_terminal(sh, output):
    """Without cell ids the re-run cells count as part of the %rerun cell; the names are fresh after it."""
    for code in ("xs = [1, 2]", "total = sum(xs)", "xs = [1, 2]"):
        sh.run_cell(code)
    assert [cell.label for cell in sh.stale_cells()] == ["In [2]"]
    sh.run_cell("%rerun --stale")
    output.clear()
    sh.run_cell("total")
    assert output.stderr == "" and output.stdout == "Out[5]: 3\n"


def test_rerun_stale_twice_in_the_terminal_reruns_the_cells_not_itself(sh, output):
    """The re-run cells stay the cells they were (known by their code), so the next %rerun --stale runs them
    again rather than the %rerun cell that ran them last."""
    for code in ("xs = [1, 2]", "total = sum(xs)", "xs = [1, 2]", "%rerun --stale", "xs = [1, 2]"):
        sh.run_cell(code)
    assert [(cell.label, cell.code) for cell in sh.stale_cells()] == [("In [4]", "total = sum(xs)")]
    output.clear()
    assert sh.run_cell("%rerun --stale").success
    assert output.stdout == "=== Running In [4] again: ===\ntotal = sum(xs)\n"
    assert sh.stale_cells() == []


def test_rerun_stale_does_not_run_a_cell_that_reruns(sh, output):
    sh.run_cell("n = 1", cell_id="c1")
    sh.run_cell("%rerun --stale\ndouble = n * 2", cell_id="c2")
    sh.run_cell("n = 5", cell_id="c1")
    output.clear()
    assert sh.run_cell("%rerun --stale", cell_id="c3").success
    assert output.stderr == "%rerun --stale: cell [2] (id c2) runs %rerun itself; run it by hand.\n"
    assert sh.run_cell("1").success


def test_rerun_stale_stops_at_a_failing_cell(sh, output):
    sh.run_cell("n = 2", cell_id="c1")
    sh.run_cell("inverse = 1 / n", cell_id="c2")
    sh.run_cell("half = inverse / 2", cell_id="c3")
    sh.run_cell("n = 0", cell_id="c1")
    output.clear()
    sh.run_cell("%rerun --stale", cell_id="fix")
    assert "ZeroDivisionError" in output.stderr
    assert "%rerun --stale: cell [2] (id c2) failed; the cells after it were not run." in output.stderr
    assert "id c3" not in output.stdout


def test_rerun_stale_takes_no_range(sh, output):
    sh.run_cell("%rerun --stale 1-2")
    assert "UsageError: %rerun: --stale takes no range, -l or -g" in output.stderr


def test_deps_shows_where_a_name_came_from(sh, output):
    stale_notebook(sh)
    output.clear()
    sh.run_cell("%deps summary", cell_id="ask")
    assert output.stdout == (
        "summary  <- cell [3] (id summary): summary = (len(clean), sum(clean))  [stale]\n"
        "  clean  <- cell [2] (id clean): clean = [v for v in raw if v is not None]  [stale]\n"
        "    raw  <- cell [1] (id load): raw = [3, None, 1]  [an older value; now from cell [4] (id load)]\n")


def test_deps_of_unknown_and_bad_names(sh, output):
    sh.run_cell("%deps nothing_here")
    assert "UsageError: %deps: no variable named 'nothing_here'" in output.stderr
    output.clear()
    sh.run_cell("%deps 2x")
    assert "UsageError: %deps: '2x' is not a variable name" in output.stderr
    output.clear()
    sh.run_cell("%deps")
    assert "UsageError" in output.stderr and "name" in output.stderr
    output.clear()
    sh.user_ns["pushed"] = 1
    sh.run_cell("%deps pushed")
    assert output.stdout == ("'pushed' was not made by a cell of this session that hocus saw "
                             "(a library, %run, exec() or a startup file made it).\n")
    assert sh.run_cell("1").success  # the shell goes on


def test_the_magics_say_when_tracking_is_off(sh, output):
    sh.hidden_state = "off"
    sh.run_cell("%stale")
    sh.run_cell("a = 1")
    sh.run_cell("%deps a")
    sh.run_cell("%rerun --stale")
    off = "Hidden-state tracking is off (Shell.hidden_state = 'off'); nothing is recorded.\n"
    assert output.stdout == off * 3


# -- through the surface only -------------------------------------------------------------------
def test_the_magics_use_only_the_surface(tmp_path):
    fake = FakeShell(tmp_path)
    fake.problems = ["'b' is stale: ..."]
    fake.stale = [StaleCell("cell [2] (id c2)", "b = a + 1\nprint(b)", "c2")]
    fake.lineages = {"b": ["b  <- cell [2] (id c2): b = a + 1 ..."]}
    fake.user_ns["a"] = 1
    fake.magics.find("line", "stale").func("")
    fake.magics.find("line", "deps").func("b")
    fake.magics.find("line", "rerun").func("--stale")
    assert fake.stdout == ("Stale or orphaned names:\n  'b' is stale: ...\n"
                           "Cells to run again, in this order (%rerun --stale runs them):\n"
                           "  cell [2] (id c2): b = a + 1 ...\n"
                           "b  <- cell [2] (id c2): b = a + 1 ...\n"
                           "=== Running cell [2] (id c2) again: ===\nb = a + 1\nprint(b)\n")
    assert fake.cell_ids == ["c2"] and fake.user_ns["b"] == 2
    with pytest.raises(UsageError):
        fake.magics.find("line", "stale").func("extra")
