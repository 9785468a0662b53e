"""%xmode, %pdb, %debug and %tb: pdb is driven with scripted input, in-process and in a real process."""

from __future__ import annotations

import os
import subprocess
import sys

FAILING = "def f(x):\n    y = x * 2\n    return 1 / (x - 3)\n"
LISTED = "      1 def f(x):\n      2     y = x * 2\n----> 3     return 1 / (x - 3)\n\n"  # IPython's ipdb shows the same


# -- %xmode ---------------------------------------------------------------------------
def test_xmode_sets_the_mode(shell, output):
    shell.run_cell("%xmode Plain")
    assert output.stdout == "Exception reporting mode: Plain\n"
    assert shell.tracebacks.mode == "Plain" and shell.xmode == "Plain"
    output.clear()
    shell.run_cell("1/0")
    assert output.stderr.startswith("Traceback (most recent call last):")


def test_xmode_is_case_insensitive_and_minimal_is_one_line(shell, output):
    shell.run_cell("%xmode minimal")
    output.clear()
    shell.run_cell("1/0")
    assert output.stderr == "ZeroDivisionError: division by zero\n"


def test_xmode_without_argument_cycles(shell, output):
    seen = []
    for _ in range(4):
        output.clear()
        shell.run_cell("%xmode")
        seen.append(output.stdout.split(": ")[1].strip())
    assert seen == ["Verbose", "Minimal", "Plain", "Context"]


def test_xmode_unknown_mode_is_one_line(shell, output):
    result = shell.run_cell("%xmode Fancy")
    assert not result.success
    assert output.stderr == ("UsageError: %xmode: unknown mode 'Fancy'; "
                             "choose one of Plain, Context, Verbose, Minimal\n")
    assert shell.tracebacks.mode == "Context"
    assert shell.run_cell("x = 1").success


# -- %pdb -----------------------------------------------------------------------------
def test_pdb_toggles_automatic_post_mortem(shell, output):
    shell.run_cell("%pdb")
    assert output.stdout == "Automatic pdb calling has been turned ON\n" and shell.call_pdb
    output.clear()
    shell.run_cell("%pdb off")
    assert output.stdout == "Automatic pdb calling has been turned OFF\n" and not shell.call_pdb
    shell.run_cell("%pdb 1")
    assert shell.call_pdb
    output.clear()
    assert not shell.run_cell("%pdb perhaps").success
    assert output.stderr == "UsageError: %pdb: expected on or off, not 'perhaps'\n"


def test_automatic_pdb_prints_frame_values(shell, output, pdb_input):
    shell.run_cell(FAILING)
    shell.run_cell("%pdb on")
    printed = pdb_input("p y", "q")
    shell.run_cell("f(3)")
    text = printed()
    assert "(3)f()\n" + LISTED + "(Pdb) 6\n" in text


# -- %debug -----------------------------------------------------------------------------
def test_debug_without_an_exception_is_one_line(shell, output):
    assert shell.run_cell("%debug").success
    assert output.stderr == "No traceback has been produced, nothing to debug.\n"


def test_debug_after_a_syntax_error_is_one_line(shell, output):
    shell.run_cell("x = (")
    output.clear()
    assert shell.run_cell("%debug").success
    assert output.stderr == "The last error was a SyntaxError: no code ran, nothing to debug.\n"


def test_debug_post_mortem_on_the_last_exception(shell, output, pdb_input):
    shell.run_cell(FAILING)
    shell.run_cell("f(3)")
    printed = pdb_input("p x, y", "q")
    assert shell.run_cell("%debug").success
    text = printed()
    assert "(3)f()\n" + LISTED + "(Pdb) (3, 6)\n" in text


def test_debug_a_statement_steps_from_its_first_line(shell, output, pdb_input):
    shell.run_cell(FAILING)
    printed = pdb_input("s", "s", "p x", "c")
    shell.run_cell("%debug answer = f(5)")
    text = printed()
    assert "NOTE: Enter 'c' at the (Pdb) prompt to continue execution." in output.stdout
    assert "----> 1 answer = f(5)\n" in text and "----> 1 def f(x):\n" in text and "\n5\n" in text.replace("(Pdb) ", "\n")
    assert shell.user_ns["answer"] == 1 / 2
    assert "__return__" not in shell.user_ns


def test_debug_cell_with_breakpoint_on_one_of_its_lines(shell, output, pdb_input):
    printed = pdb_input("p a + b", "c")
    shell.run_cell("%%debug --breakpoint 3\na = 1\nb = 2\nc = a + b\n")
    text = printed()
    assert "      2 b = 2\nB---> 3 c = a + b\n" in text and "\n3\n" in text.replace("(Pdb) ", "\n")  # B: a breakpoint
    assert "----> 1 a = 1" not in text
    assert shell.user_ns["c"] == 3


def test_debug_breakpoint_in_a_file(shell, output, pdb_input, tmp_path, monkeypatch):
    module = tmp_path / "dbg_target_mod.py"
    module.write_text("def work(n):\n    total = n + 1\n    return total * 2\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    shell.run_cell("import dbg_target_mod")
    printed = pdb_input("p total", "c")
    shell.run_cell(f"%debug -b {module}:3 result = dbg_target_mod.work(4)")
    text = printed()
    assert "B---> 3     return total * 2\n" in text and "\n5\n" in text.replace("(Pdb) ", "\n")
    assert shell.user_ns["result"] == 10


def test_debug_bad_input_is_one_line(shell, output):
    for line, message in [
        ("%debug 1 +", "UsageError: %debug: SyntaxError: invalid syntax (line 1)\n"),
        ("%debug -b here:x f()", "UsageError: %debug: breakpoint must be FILE:LINE or LINE, not 'here:x'\n"),
        ("%debug -b 1", "UsageError: %debug: --breakpoint needs code to run, e.g. %debug -b mod.py:12 main()\n"),
    ]:
        output.clear()
        assert not shell.run_cell(line).success
        assert output.stderr == message
    output.clear()
    shell.run_cell("%debug -b 7 x = 1")
    assert output.stderr.startswith("UsageError: %debug: Line ") and output.stderr.count("\n") == 1


def test_debug_quit_returns_to_the_shell(shell, output, pdb_input):
    pdb_input("q")
    shell.run_cell("%debug never_set = 1")
    assert "never_set" not in shell.user_ns
    assert shell.run_cell("y = 2").success


# -- %tb ------------------------------------------------------------------------------------
def test_tb_without_an_error_is_one_line(shell, output):
    shell.run_cell("%tb")
    assert output.stderr == "No traceback available to show.\n"


def test_tb_shows_the_last_traceback_again(shell, output):
    shell.run_cell(FAILING)
    shell.run_cell("f(3)")
    first = output.stderr
    output.clear()
    shell.run_cell("%tb")
    assert output.stderr == first


def test_tb_in_another_mode_only_this_once(shell, output):
    shell.run_cell(FAILING)
    shell.run_cell("f(3)")
    output.clear()
    shell.run_cell("%tb Minimal")
    assert output.stderr == "ZeroDivisionError: division by zero\n"
    output.clear()
    shell.run_cell("%tb Verbose")
    assert "x = 3" in output.stderr  # Verbose: values of the names on the failing line
    assert shell.tracebacks.mode == "Context"
    output.clear()
    assert not shell.run_cell("%tb Loud").success
    assert output.stderr.startswith("UsageError: %tb: unknown mode 'Loud'")


def test_tb_of_a_syntax_error(shell, output):
    shell.run_cell("x = (")
    first = output.stderr
    output.clear()
    shell.run_cell("%tb")
    assert output.stderr == first and "SyntaxError" in first


# -- a real process, reading pdb commands from a pipe ------------------------------------------
def test_debug_in_a_real_shell_process(tmp_path):
    script = "def f(x):\n    return 1/x\n\nf(0)\n%debug\np x\nq\nprint('after', 40 + 2)\n"
    env = dict(os.environ, HOCUS_DIR=str(tmp_path / "home"), NO_COLOR="1")
    proc = subprocess.run([sys.executable, "-m", "shell", "--no-banner"], input=script, capture_output=True,
                          text=True, timeout=60, env=env, cwd=tmp_path)
    assert "ZeroDivisionError" in proc.stdout + proc.stderr
    assert "(2)f()\n      1 def f(x):\n----> 2     return 1/x\n\n(Pdb) " in proc.stdout  # as IPython shows it
    assert "(Pdb) 0" in proc.stdout
    assert "after 42" in proc.stdout
    assert proc.returncode == 0
