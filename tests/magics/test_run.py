"""%run: scripts, modules, .ipy files and notebooks, with each option, as a user types them."""

from __future__ import annotations

import io
import json
import sys
import textwrap

import pytest

from cell_checks import run_ok


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(path, text: str):
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


REPORT = """
import sys
seen_argv = list(sys.argv)
seen_name = __name__
seen_file = __file__
main_ran = False
if __name__ == "__main__":
    main_ran = True
"""


# -- plain runs ------------------------------------------------------------------------------
def test_run_as_main_with_argv_then_names_are_copied(shell, output, in_tmp):
    write(in_tmp / "report.py", REPORT)
    argv_before = list(sys.argv)
    run_ok(shell, output, "%run report.py one 'two words' 3")
    ns = shell.user_ns
    assert ns["seen_argv"] == ["report.py", "one", "two words", "3"]
    assert ns["seen_name"] == "__main__" and ns["main_ran"] is True
    assert ns["seen_file"] == str(in_tmp / "report.py")
    assert sys.argv == argv_before
    # The module's own attributes do not leak into the session.
    assert ns["__name__"] == "__main__" and "__file__" not in ns


def test_run_finds_the_py_suffix_and_expands_vars(shell, output, in_tmp):
    write(in_tmp / "report.py", REPORT)
    run_ok(shell, output, "word = 'hello'\n%run report $word {1 + 1}")
    assert shell.user_ns["seen_argv"] == ["report.py", "hello", "2"]


def test_run_expands_globs_unless_G(shell, output, in_tmp):
    write(in_tmp / "report.py", REPORT)
    for name in ("b.csv", "a.csv"):
        (in_tmp / name).write_text("")
    run_ok(shell, output, "%run report.py *.csv nomatch*.txt")
    assert shell.user_ns["seen_argv"][1:] == ["a.csv", "b.csv", "nomatch*.txt"]
    run_ok(shell, output, "%run -G report.py *.csv")
    assert shell.user_ns["seen_argv"][1:] == ["*.csv"]


def test_run_n_does_not_run_main_block(shell, output, in_tmp):
    write(in_tmp / "report.py", REPORT)
    run_ok(shell, output, "%run -n report.py")
    assert shell.user_ns["seen_name"] == "report" and shell.user_ns["main_ran"] is False


def test_script_runs_in_a_fresh_namespace(shell, output, in_tmp):
    write(in_tmp / "needs_x.py", "y = x + 1\n")
    shell.run_cell("x = 41")
    shell.run_cell("%run needs_x.py")
    assert "NameError" in output.stderr and "y" not in shell.user_ns
    output.clear()
    run_ok(shell, output, "%run -i needs_x.py")
    assert shell.user_ns["y"] == 42


def test_run_i_restores_name_and_file(shell, output, in_tmp):
    write(in_tmp / "report.py", REPORT)
    run_ok(shell, output, "%run -i -n report.py")
    ns = shell.user_ns
    assert ns["seen_name"] == "report" and ns["main_ran"] is False
    assert ns["__name__"] == "__main__" and "__file__" not in ns


def test_functions_from_the_script_keep_working(shell, output, in_tmp):
    write(in_tmp / "lib.py", """
        def helper():
            return 20
        def answer():
            return helper() + 22
    """)
    run_ok(shell, output, "%run lib.py")
    assert run_ok(shell, output, "answer()").result == 42


def test_classes_in_the_script_pickle(shell, output, in_tmp):
    write(in_tmp / "pick.py", """
        import pickle
        class Point:
            def __init__(self, x):
                self.x = x
        restored = pickle.loads(pickle.dumps(Point(3))).x
    """)
    main_before = sys.modules["__main__"]
    run_ok(shell, output, "%run pick.py")
    assert shell.user_ns["restored"] == 3
    assert sys.modules["__main__"] is main_before


# -- errors ----------------------------------------------------------------------------------
def test_exception_shows_the_scripts_lines_and_session_goes_on(shell, output, in_tmp):
    write(in_tmp / "boom.py", """
        before = 1
        def explode():
            return 1 / 0
        explode()
        after = 2
    """)
    result = shell.run_cell("%run boom.py")
    err = output.stderr
    assert "ZeroDivisionError: division by zero" in err
    assert "boom.py" in err and "return 1 / 0" in err and "explode()" in err
    assert "magics" not in err and "run_code_object" not in err
    assert result.success  # the magic itself ran; the script's error was reported
    assert shell.user_ns["before"] == 1 and "after" not in shell.user_ns
    assert isinstance(shell.last_error, ZeroDivisionError)
    assert run_ok(shell, output, "before + 1").result == 2


def test_syntax_error_points_into_the_file(shell, output, in_tmp):
    write(in_tmp / "bad.py", "x = 1\ny = (\n")
    shell.run_cell("%run bad.py")
    assert "bad.py" in output.stderr and "SyntaxError" in output.stderr
    assert "Traceback" not in output.stderr


@pytest.mark.parametrize("body,shown", [
    ("import sys\nsys.exit(0)\n", ""),
    ("import sys\nsys.exit()\n", ""),
    ("import sys\nsys.exit(3)\n", "SystemExit: 3\n"),
    ("raise SystemExit('bye now')\n", "SystemExit: bye now\n"),
])
def test_system_exit_is_one_line_at_most(shell, output, in_tmp, body, shown):
    write(in_tmp / "quits.py", body)
    run_ok(shell, output, "%run quits.py")
    assert output.stderr == shown
    assert not shell.exit_requested


def test_e_ignores_system_exit(shell, output, in_tmp):
    write(in_tmp / "quits.py", "import sys\nsys.exit(3)\n")
    run_ok(shell, output, "%run -e quits.py")
    assert output.stderr == ""


@pytest.mark.parametrize("line,message", [
    ("%run nope.py", "UsageError: File 'nope.py' not found."),
    ("%run", "UsageError: %run: give a file to run, or -m MODULE"),
    ("%run -t -d x.py", "UsageError: %run: -t, -d and -p cannot be combined"),
    ("%run -m no_such_module_here", "UsageError: No module named 'no_such_module_here'"),
    ("%run -x x.py", "UsageError: %run: unknown option '-x'"),
])
def test_bad_lines_are_one_line(shell, output, line, message):
    shell.run_cell(line)
    lines = output.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(message), output.stderr
    assert shell.run_cell("1 + 1").result == 2


# -- timing, debugging, profiling ----------------------------------------------------------------
def test_t_prints_timings(shell, output, in_tmp):
    write(in_tmp / "count.py", "with open('runs.txt', 'a') as f:\n    f.write('x')\n")
    run_ok(shell, output, "%run -t count.py")
    assert "hocus CPU timings (estimated):" in output.stdout
    assert "  User   :" in output.stdout and "Wall time:" in output.stdout
    output.clear()
    run_ok(shell, output, "%run -t -N 3 count.py")
    assert "Total runs performed: 3" in output.stdout and "Per run" in output.stdout
    assert (in_tmp / "runs.txt").read_text() == "xxxx"


def test_d_runs_under_pdb(shell, output, in_tmp, monkeypatch, capsys):
    write(in_tmp / "steps.py", """
        a = 1
        b = 2
        c = a + b
    """)
    monkeypatch.setattr(sys, "stdin", io.StringIO("p 'at-start'\nc\np b\nc\n"))
    run_ok(shell, output, "%run -d -b 3 steps.py")
    shown = capsys.readouterr().out
    assert "NOTE: Enter 'c'" in output.stdout
    assert "steps.py(1)" in shown and "'at-start'" in shown  # stopped at the first line
    assert "steps.py(3)" in shown and "(Pdb) 2\n" in shown  # then at the breakpoint, where b == 2
    assert shell.user_ns["c"] == 3


def test_d_quit_is_not_an_error(shell, output, in_tmp, monkeypatch, capsys):
    write(in_tmp / "steps.py", "a = 1\nb = 2\n")
    monkeypatch.setattr(sys, "stdin", io.StringIO("q\n"))
    run_ok(shell, output, "%run -d steps.py")
    assert output.stderr == "" and "b" not in shell.user_ns


def test_d_bad_breakpoint_is_one_line(shell, output, in_tmp):
    write(in_tmp / "steps.py", "a = 1\n")
    shell.run_cell("%run -d -b 40 steps.py")
    assert output.stderr.startswith("UsageError: %run -d: no line to break at")
    assert len(output.stderr.splitlines()) == 1


def test_p_profiles(shell, output, in_tmp):
    write(in_tmp / "work.py", "def work():\n    return sum(range(100))\ntotal = work()\n")
    run_ok(shell, output, "%run -p -s cumulative -l 5 work.py")
    assert "function calls" in output.stdout and "work" in output.stdout
    assert shell.user_ns["total"] == 4950
    output.clear()
    run_ok(shell, output, "stats = %run -p -q -r -D prof.out -T prof.txt work.py")
    assert "function calls" not in output.stdout
    assert "marshalled to file 'prof.out'" in output.stdout and "saved to text file 'prof.txt'" in output.stdout
    assert (in_tmp / "prof.out").exists() and "function calls" in (in_tmp / "prof.txt").read_text()
    assert shell.user_ns["stats"].total_calls > 0


def test_p_bad_sort_key_is_one_line(shell, output, in_tmp):
    write(in_tmp / "work.py", "ran = True\n")
    shell.run_cell("%run -p -s nonsense work.py")
    assert output.stderr.startswith("UsageError: %run -p: unknown sort key 'nonsense'")
    assert "ran" not in shell.user_ns


# -- modules ---------------------------------------------------------------------------------
def test_m_runs_a_module_as_main(shell, output, in_tmp, monkeypatch):
    write(in_tmp / "mod_report.py", REPORT)
    monkeypatch.syspath_prepend(str(in_tmp))
    run_ok(shell, output, "%run -m mod_report a b")
    ns = shell.user_ns
    assert ns["seen_name"] == "__main__" and ns["main_ran"] is True
    assert ns["seen_argv"] == [str(in_tmp / "mod_report.py"), "a", "b"]


def test_m_runs_a_package_main_with_relative_imports(shell, output, in_tmp, monkeypatch):
    package = in_tmp / "pkg_demo"
    package.mkdir()
    write(package / "__init__.py", "")
    write(package / "helper.py", "VALUE = 7\n")
    write(package / "__main__.py", "from .helper import VALUE\nresult = VALUE * 6\n")
    monkeypatch.syspath_prepend(str(in_tmp))
    run_ok(shell, output, "%run -m pkg_demo")
    assert shell.user_ns["result"] == 42


# -- .ipy files and notebooks ------------------------------------------------------------------
def test_ipy_file_runs_hocus_syntax_in_the_user_namespace(shell, output, in_tmp):
    write(in_tmp / "setup.ipy", """
        base = 40
        here = __file__
        total = base + 2
        %who int
    """)
    run_ok(shell, output, "%run setup.ipy")
    ns = shell.user_ns
    assert ns["total"] == 42 and ns["here"] == str(in_tmp / "setup.ipy")
    assert "base\ttotal" in output.stdout
    assert "__file__" not in ns


def notebook(*cells, nbformat=4):
    return json.dumps({"nbformat": nbformat, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": kind, "source": source, "metadata": {}, **({"outputs": [], "execution_count": None}
                                                                  if kind == "code" else {})}
        for kind, source in cells]})


def test_notebook_code_cells_run_in_order(shell, output, in_tmp):
    (in_tmp / "nb.ipynb").write_text(notebook(
        ("markdown", "# not code = 1"),
        ("code", ["x = 1\n", "x += 1"]),
        ("code", "%who int"),
        ("code", "y = x * 21"),
    ))
    count = shell.execution_count
    run_ok(shell, output, "%run nb.ipynb")
    assert shell.user_ns["y"] == 42 and "x" in output.stdout
    assert shell.execution_count == count + 1  # the notebook's cells are not new prompts


def test_notebook_stops_at_the_first_failing_cell(shell, output, in_tmp):
    (in_tmp / "nb.ipynb").write_text(notebook(("code", "a = 1"), ("code", "1 / 0"), ("code", "b = 2")))
    shell.run_cell("%run nb.ipynb")
    assert "ZeroDivisionError" in output.stderr
    assert shell.user_ns["a"] == 1 and "b" not in shell.user_ns


@pytest.mark.parametrize("text,message", [
    ("{not json", "is not a notebook (invalid JSON"),
    (notebook(("code", "a = 1"), nbformat=3), "is not an nbformat 4 notebook (nbformat 3)"),
])
def test_bad_notebooks_are_one_line(shell, output, in_tmp, text, message):
    (in_tmp / "nb.ipynb").write_text(text)
    shell.run_cell("%run nb.ipynb")
    assert output.stderr.startswith("UsageError: %run: 'nb.ipynb' " + message)
    assert len(output.stderr.splitlines()) == 1


def test_help_lists_the_options(shell):
    doc = shell.magics.find("line", "run").doc
    for option in ("-n", "-i", "-e", "-G", "-t", "-N", "-d", "-b", "-p", "-m"):
        assert option in doc


def test_a_cell_running_a_notebook_still_shows_its_own_result(shell, output, in_tmp):
    (in_tmp / "nb.ipynb").write_text(notebook(("code", "a = 20")))
    result = run_ok(shell, output, "%run nb.ipynb\na + 22")
    assert output.stdout == f"Out[{result.execution_count}]: 42\n"
    assert shell.user_ns["Out"] == {result.execution_count: 42}


def test_argv_and_main_are_restored_after_a_failing_script(shell, output, in_tmp):
    write(in_tmp / "boom.py", "import sys\nassert sys.argv[1:] == ['x']\nraise ValueError('no')\n")
    argv, main = list(sys.argv), sys.modules["__main__"]
    shell.run_cell("%run boom.py x")
    assert "ValueError: no" in output.stderr
    assert sys.argv == argv and sys.modules["__main__"] is main


@pytest.mark.parametrize("script, body", [("script.py", "import sibling_helper\nfound = sibling_helper.VALUE\n"),
                                          ("script.ipy", "import sibling_helper\nfound = sibling_helper.VALUE\n%who str\n")],
                         ids=["py", "ipy"])
def test_a_script_imports_modules_beside_it_and_sys_path_is_restored(shell, output, in_tmp, script, body):
    # As python (and IPython's %run) do: the script's own folder is first on sys.path while it runs.
    folder = in_tmp / "tools"
    folder.mkdir()
    write(folder / "sibling_helper.py", "VALUE = 'beside the script'\n")
    write(folder / script, body)
    path_before = list(sys.path)
    try:
        run_ok(shell, output, f"%run tools/{script}")
        assert shell.user_ns["found"] == "beside the script"
        assert sys.path == path_before
    finally:
        sys.modules.pop("sibling_helper", None)
