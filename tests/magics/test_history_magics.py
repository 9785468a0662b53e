"""``%history`` in every form, ``%rerun``, ``%recall``, ``%save`` and ``%macro``."""

from __future__ import annotations

import pytest

from magics.macro import Macro
from shell import Shell


class Answers:
    """An InputProvider that answers questions from a list, and remembers them."""

    def __init__(self, *answers: str):
        self.answers = list(answers)
        self.asked: list[str] = []

    def input(self, prompt: str = "", *, password: bool = False) -> str:
        self.asked.append(prompt)
        if not self.answers:
            raise EOFError
        return self.answers.pop(0)


def earlier_session(*cells: str) -> None:
    """A shell that ran ``cells`` and ended, before the test's own shell stores anything."""
    sh = Shell(output=_Quiet())
    for cell in cells:
        sh.run_cell(cell)
    sh.history.close()


class _Quiet:
    def write(self, text):
        pass

    def write_err(self, text):
        pass


def run(shell, output, cell: str) -> str:
    output.clear()
    result = shell.run_cell(cell)
    assert not output.stderr, output.stderr
    assert result.success, result
    return output.stdout


def error_of(shell, output, cell: str) -> str:
    output.clear()
    shell.run_cell(cell)
    return output.stderr


@pytest.fixture
def session(shell, output):
    """A shell with five cells behind it: a value, a magic, a multi-line cell, an output, a tab."""
    for cell in ["x = 6", "%time y = 7", "def f(a):\n    return a * x", "f(7)", "if x:\n\tz = 1"]:
        shell.run_cell(cell)
    output.clear()
    return shell


# -- %history --------------------------------------------------------------------------------------
def test_history_shows_this_session_as_typed(session, output):
    assert run(session, output, "%history") == (
        "x = 6\n%time y = 7\ndef f(a):\n    return a * x\nf(7)\nif x:\n    z = 1\n%history\n")


def test_history_numbers(session, output):
    assert run(session, output, "%history -n 1-2 4") == "   1: x = 6\n   2: %time y = 7\n   4: f(7)\n"
    assert run(session, output, "%history -n 3") == "   3:\ndef f(a):\n    return a * x\n"


def test_history_ranges(session, output):
    assert run(session, output, "%history 2:4") == "%time y = 7\ndef f(a):\n    return a * x\n"
    assert run(session, output, "%history 4-4 1") == "f(7)\nx = 6\n"
    assert run(session, output, "%hist 1") == "x = 6\n"


def test_history_outputs_and_prompts(session, output):
    assert run(session, output, "%history -o 4") == "f(7)\n42\n"
    assert run(session, output, "%history -p 1 3") == ">>> x = 6\n>>> def f(a):\n...     return a * x\n...\n"
    assert run(session, output, "%history -p -o 3-4") == (
        ">>> def f(a):\n...     return a * x\n...\n>>> f(7)\n42\n")


def test_history_translated_and_raw(session, output):
    assert run(session, output, "%history -t 2") == "__hocus__.line_magic('time', 'y = 7')\n"
    assert run(session, output, "%history -r 2") == "%time y = 7\n"


def test_history_of_earlier_sessions(shell, output):
    earlier_session("a = 1", "b = 2", "c = 3")
    earlier_session("d = 4", "e = 5")
    shell.run_cell("now = 0")
    assert run(shell, output, "%history ~1/") == "d = 4\ne = 5\n"
    assert run(shell, output, "%history -n ~2/2-3") == " 1/2: b = 2\n 1/3: c = 3\n"
    assert run(shell, output, "%history -n 1/1 ~1/2 1") == " 1/1: a = 1\n 2/2: e = 5\n   1: now = 0\n"
    assert run(shell, output, "%history ~2/3-~1/1") == "c = 3\nd = 4\n"


def test_history_search_across_sessions(shell, output):
    earlier_session("import os", "os.getcwd()", "import sys")
    earlier_session("import os", "print(os.sep)")
    shell.run_cell("os_name = 'posix'")
    assert run(shell, output, "%history -g import") == (
        " 1/1: import os\n 1/3: import sys\n 2/1: import os\n   2: %history -g import\n")
    assert run(shell, output, "%history -u -g import o") == " 2/1: import os\n   3: %history -u -g import o\n"
    assert run(shell, output, "%history -g os. -l 2") == " 2/2: print(os.sep)\n   4: %history -g os. -l 2\n"
    assert run(shell, output, "%history -o -g getcwd") == " 1/2: os.getcwd()\n   5: %history -o -g getcwd\n"
    assert run(shell, output, "%history -g").count("\n") == 11  # 5 earlier cells, 6 of this session


def test_history_outputs_of_earlier_sessions_when_stored(shell, output):
    from traitlets.config import Config

    config = Config()
    config.HistoryStore.store_outputs = True
    earlier = Shell(output=output, config=config)
    earlier.run_cell("'ab' * 2")
    earlier.history.close()
    shell.run_cell("'cd' * 2")
    assert run(shell, output, "%history -o -n ~1/1 1") == " 1/1: 'ab' * 2\n'abab'\n   1: 'cd' * 2\n'cdcd'\n"


def test_history_search_filters_a_range(session, output):
    assert run(session, output, "%history -g x -- 1-4") == "   1: x = 6\n   3:\ndef f(a):\n    return a * x\n"


def test_history_last_cells_of_any_session(shell, output):
    earlier_session(*(f"v{i} = {i}" for i in range(1, 13)))
    shell.run_cell("w = 0")
    assert run(shell, output, "%history -l 3") == "v11 = 11\nv12 = 12\nw = 0\n"
    assert run(shell, output, "%history -l -n").splitlines()[0] == " 1/5: v5 = 5"  # then v6-v12, w, %history -l 3
    assert len(run(shell, output, "%history -l").splitlines()) == 10


def test_history_to_a_file(session, output, tmp_path):
    target = tmp_path / "hist.py"
    assert run(session, output, f"%history -f {target} 1-2") == ""
    assert target.read_text() == "x = 6\n%time y = 7\n"


def test_history_asks_before_overwriting_a_file(tmp_path, output):
    target = tmp_path / "hist.py"
    target.write_text("precious\n")
    answers = Answers("n", "y")
    sh = Shell(output=output, input_provider=answers)
    sh.run_cell("q = 1")
    assert run(sh, output, f"%history -f {target}") == "Aborting.\n"
    assert target.read_text() == "precious\n"
    assert run(sh, output, f"%history -f {target} 1") == "Overwriting file.\n"
    assert target.read_text() == "q = 1\n"
    assert "exists. Overwrite?" in answers.asked[0]


@pytest.mark.parametrize("line,message", [
    ("%history bogus", "'bogus' is not a history range"),
    ("%history 1-~1/3", "end session comes before"),
    ("%history -l x", "invalid int value"),
    ("%history -z", "unknown option '-z'"),
])
def test_history_errors_are_one_line(session, output, line, message):
    err = error_of(session, output, line)
    assert err.startswith("UsageError: ") and message in err and err.count("\n") == 1, err


def test_history_without_any_cells_before(shell, output):
    assert run(shell, output, "%history -n") == "   1: %history -n\n"
    assert run(shell, output, "%history ~1/") == ""


# -- %rerun -----------------------------------------------------------------------------------------
def test_rerun_the_previous_cell(shell, output):
    shell.run_cell("counter = 0")
    shell.run_cell("counter += 1")
    assert run(shell, output, "%rerun") == "=== Executing: ===\ncounter += 1\n=== Output: ===\n"
    assert shell.user_ns["counter"] == 2
    assert shell.In[-1] == "%rerun"


def test_rerun_ranges_last_n_and_search(shell, output):
    shell.run_cell("log = []")
    shell.run_cell("log.append('a')")
    shell.run_cell("log.append('b')")
    run(shell, output, "%rerun 2-3")
    assert shell.user_ns["log"] == ["a", "b", "a", "b"]
    shell.run_cell("log.append('c')")
    run(shell, output, "%rerun -l 1")
    assert shell.user_ns["log"] == ["a", "b", "a", "b", "c", "c"]
    run(shell, output, """%rerun -g "append('a')" """)
    assert shell.user_ns["log"][-1] == "a"
    assert "log.append('a')" in output.stdout


def test_rerun_runs_the_rerun_lines_in_history_too(shell, output):
    # IPython 9 runs what is in history, magics included: `%rerun -l 2` after "hits.append('a')"
    # and "%rerun" runs both lines (IPython then re-runs that "%rerun" until its recursion limit;
    # hocus runs it as it ran the first time: it re-runs the cell before it, once).
    shell.run_cell("hits = []")
    shell.run_cell("hits.append('a')")
    run(shell, output, "%rerun")
    assert shell.user_ns["hits"] == ["a", "a"]
    printed = run(shell, output, "%rerun -l 2")
    assert printed.startswith("=== Executing: ===\nhits.append('a')\n%rerun\n=== Output: ===\n")
    assert printed.count("=== Executing: ===") == 2
    assert shell.user_ns["hits"] == ["a", "a", "a", "a"]
    run(shell, output, "%rerun 3-4")  # ranges too; each %rerun re-runs what it re-ran the first time
    assert shell.user_ns["hits"] == ["a"] * 7


def test_rerun_never_runs_a_cell_inside_itself(shell, output):
    shell.run_cell("hits = []")
    printed = run(shell, output, "%rerun 1-2")  # names itself (cell 2): run once, not forever
    assert shell.user_ns["hits"] == [] and printed.count("=== Executing: ===") == 1
    shell.run_cell("hits.append(1)")
    printed = run(shell, output, "%rerun 3-4")
    assert shell.user_ns["hits"] == [1, 1] and printed.count("=== Executing: ===") == 1
    printed = run(shell, output, "%rerun 4")  # cell 4 again: it re-runs cell 3, and not itself
    assert shell.user_ns["hits"] == [1, 1, 1] and printed.count("=== Executing: ===") == 2


def test_rerun_finds_nothing(shell, output):
    shell.run_cell("pass")
    assert run(shell, output, "%rerun -g no-such-cell") == "No lines in history match specification\n"
    assert "positive" in error_of(shell, output, "%rerun -l 0")


def test_rerun_shows_the_result(shell, output):
    shell.run_cell("6 * 7")
    assert run(shell, output, "%rerun 1").endswith("=== Output: ===\n42\n")


# -- %recall ----------------------------------------------------------------------------------------
def test_recall_offers_cells_results_and_searches(shell, output):
    shell.run_cell("alpha = 'x' * 3")
    shell.run_cell("beta = 2")
    shell.run_cell("alpha.upper()")
    run(shell, output, "%recall 1")
    assert shell.next_input == "alpha = 'x' * 3"
    run(shell, output, "%recall 1-2")
    assert shell.next_input == "alpha = 'x' * 3\nbeta = 2"
    run(shell, output, "%recall")
    assert shell.next_input == "XXX"
    run(shell, output, "%rep beta + 40")
    assert shell.next_input == "42"
    run(shell, output, "%recall upper(")
    assert shell.next_input == "alpha.upper()"
    assert run(shell, output, "%recall nothing-like-it(") == "Couldn't evaluate or find in history: nothing-like-it(\n"


# -- %save ----------------------------------------------------------------------------------------
def test_save_translated_or_raw(session, output, tmp_path):
    target = tmp_path / "code"
    shown = run(session, output, f"%save {target} 1-2")
    assert (tmp_path / "code.py").read_text() == "x = 6\n__hocus__.line_magic('time', 'y = 7')\n"
    assert shown == f"The following commands were written to file `{target}.py`:\nx = 6\n" \
                    "__hocus__.line_magic('time', 'y = 7')\n"
    run(session, output, f"%save -r {target} 2")
    assert (tmp_path / "code.ipy").read_text() == "%time y = 7\n"


def test_save_appends_forces_and_asks(tmp_path, output):
    answers = Answers("n", "y")
    sh = Shell(output=output, input_provider=answers)
    sh.run_cell("a = 1")
    sh.run_cell("b = 2")
    target = tmp_path / "out.py"
    run(sh, output, f"%save {target} 1")
    run(sh, output, f"%save -a {target} 2")
    assert target.read_text() == "a = 1\nb = 2\n"
    assert run(sh, output, f"%save {target} 2") == "Operation cancelled.\n"
    assert target.read_text() == "a = 1\nb = 2\n"
    run(sh, output, f"%save {target} 2")
    assert target.read_text() == "b = 2\n"
    run(sh, output, f"%save -f {target} 1")
    assert target.read_text() == "a = 1\n"
    assert len(answers.asked) == 2


def test_save_without_ranges_saves_the_session_so_far(session, output, tmp_path):
    run(session, output, f"%save -r {tmp_path / 'all.py'}")
    assert (tmp_path / "all.py").read_text() == (
        "x = 6\n%time y = 7\ndef f(a):\n    return a * x\nf(7)\nif x:\n\tz = 1\n")


def test_save_a_macro(session, output, tmp_path):
    run(session, output, "%macro -q m 1 4")
    run(session, output, f"%save {tmp_path / 'm.py'} m")
    assert (tmp_path / "m.py").read_text() == "x = 6\nf(7)\n"
    assert "not a history range" in error_of(session, output, f"%save {tmp_path / 'n.py'} nothing_here")


# -- %macro ----------------------------------------------------------------------------------------
def test_macro_runs_its_cells_when_its_name_is_typed(shell, output, capsys):
    shell.run_cell("total = 0")
    shell.run_cell("total += 5")
    shell.run_cell("print('total is', total)")
    shown = run(shell, output, "%macro add 2-3")
    assert shown == ("Macro `add` created. To execute, type its name (without quotes).\n"
                     "=== Macro contents: ===\ntotal += 5\nprint('total is', total)\n")
    assert isinstance(shell.user_ns["add"], Macro)
    capsys.readouterr()
    assert run(shell, output, "add") == ""
    assert run(shell, output, "add") == ""
    assert capsys.readouterr().out == "total is 10\ntotal is 15\n"
    run(shell, output, "print(add)")
    assert capsys.readouterr().out == "total += 5\nprint('total is', total)\n\n"
    assert shell.In[-3:] == ["add", "add", "print(add)"]


def test_macro_with_magics_raw_quiet_listing_and_adding(shell, output):
    shell.run_cell("%time t = 1")
    shell.run_cell("t + 1")
    assert run(shell, output, "%macro -q timed 1") == ""
    assert shell.user_ns["timed"].value == "__hocus__.line_magic('time', 't = 1')\n"
    run(shell, output, "%macro -q -r raw 1")
    assert shell.user_ns["raw"].value == "%time t = 1\n"
    assert "Wall time" in run(shell, output, "raw")
    shell.run_cell("both = timed + raw")
    assert shell.user_ns["both"].value == "__hocus__.line_magic('time', 't = 1')\n%time t = 1\n"
    output.clear()
    shell.run_cell("%macro")
    assert "['both', 'raw', 'timed']" in output.stdout
    assert run(shell, output, "%macro -q again 2") == ""
    assert run(shell, output, "again") == "2\n"


def test_macro_usage_errors(shell, output):
    shell.run_cell("pass")
    assert "needs a name and cells" in error_of(shell, output, "%macro lonely")
    assert "not a valid variable name" in error_of(shell, output, "%macro 9lives 1")
    assert "no cells found" in error_of(shell, output, "%macro m 50-60")
