"""The ``hocus`` command: options, scripts, modules, and the simple prompt in a real pty."""

from __future__ import annotations

import os
import subprocess
import sys

import pexpect
import pytest


def hocus(*args, input=None, env=None, cwd=None, timeout=60):
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    return subprocess.run([sys.executable, "-m", "shell", *args], input=input, capture_output=True,
                          text=True, env=full_env, cwd=cwd, timeout=timeout)


@pytest.fixture
def pty_shell(tmp_path):
    env = {**os.environ, "NO_COLOR": "1", "TERM": "xterm", "HOCUS_DIR": str(tmp_path / "home")}
    child = pexpect.spawn(sys.executable, ["-m", "shell", "--no-banner"], env=env, cwd=str(tmp_path),
                          encoding="utf-8", timeout=30, dimensions=(40, 120))
    child.expect_exact("In [1]: ")
    yield child
    child.close(force=True)


def test_version_and_help():
    assert hocus("--version").stdout.strip() == "hocus 0.1.0"
    text = hocus("--help").stdout
    for option in ("-c CODE", "-m MODULE", "-i", "--no-banner", "--colors", "--simple-prompt"):
        assert option in text


def test_dash_c_shows_results_and_exits():
    proc = hocus("-c", "x = 6\nx * 7")
    assert proc.returncode == 0
    assert proc.stdout == "Out[1]: 42\n"


def test_dash_c_failure_sets_the_exit_status():
    proc = hocus("-c", "1/0")
    assert proc.returncode == 1
    assert "ZeroDivisionError: division by zero" in proc.stderr


def test_script_with_arguments(tmp_path):
    script = tmp_path / "greet.py"
    script.write_text("import sys\nprint(__name__, sys.argv[1:])\n")
    proc = hocus(str(script), "a", "b c")
    assert proc.returncode == 0
    assert proc.stdout == "__main__ ['a', 'b c']\n"


def test_script_exit_status_and_errors(tmp_path):
    (tmp_path / "three.py").write_text("raise SystemExit(3)\n")
    assert hocus(str(tmp_path / "three.py")).returncode == 3
    (tmp_path / "bad.py").write_text("def f():\n    return {}['k']\nf()\n")
    proc = hocus(str(tmp_path / "bad.py"))
    assert proc.returncode == 1
    assert "KeyError: 'k'" in proc.stderr and "return {}['k']" in proc.stderr
    missing = hocus(str(tmp_path / "missing.py"))
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1 and "cannot run" in missing.stderr


def test_dash_i_stays_with_the_script_names(tmp_path):
    script = tmp_path / "defs.py"
    script.write_text("answer = 41\n")
    proc = hocus("-i", "--no-banner", str(script), input="answer + 1\n")
    assert proc.returncode == 0
    assert "Out[1]: 42" in proc.stdout


def test_dash_m_runs_a_module_with_its_arguments(tmp_path):
    (tmp_path / "mymod.py").write_text("import sys\nif __name__ == '__main__':\n    print('main', sys.argv[1:])\n")
    proc = hocus("-m", "mymod", "--flag", "x", cwd=tmp_path, env={"PYTHONPATH": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "main ['--flag', 'x']\n"


def test_piped_input_uses_the_simple_prompt():
    proc = hocus(input="def f(x):\n    return x + 1\n\nf(1)\n")
    assert "hocus 0.1.0" in proc.stdout  # the banner
    assert "In [1]: " in proc.stdout and "   ...: " in proc.stdout
    assert "Out[2]: 2" in proc.stdout
    assert proc.returncode == 0


def test_bad_input_never_ends_the_session():
    proc = hocus("--no-banner", input="%nosuchmagic\n1 +* 2\nraise ValueError('x')\n%timeit -n abc 1\n'still here'\n")
    assert "UsageError: Line magic function `%nosuchmagic` not found." in proc.stderr
    assert "SyntaxError" in proc.stderr and "ValueError: x" in proc.stderr
    assert "Out[5]: 'still here'" in proc.stdout
    assert proc.returncode == 0


def test_exit_status_from_exit_call():
    assert hocus("--no-banner", input="exit(4)\nprint('not reached')\n").returncode == 4


def test_colors():
    err_plain = hocus("-c", "1/0", "--colors=NoColor").stderr
    assert "\x1b[" not in err_plain
    err_color = hocus("-c", "1/0", "--colors=Linux").stderr
    assert "\x1b[" in err_color
    assert "\x1b[" not in hocus("-c", "1/0").stderr  # NO_COLOR is set by hocus() above
    bad = hocus("--colors=Rainbow")
    assert bad.returncode == 2 and "unknown colour scheme" in bad.stderr


def test_pty_session(pty_shell):
    child = pty_shell
    child.sendline("for i in range(2):")
    child.expect_exact("   ...: ")
    child.sendline("    print('line', i)")
    child.expect_exact("   ...: ")
    child.sendline("")
    child.expect_exact("line 1")
    child.expect_exact("In [2]: ")
    child.sendline("6 * 7")
    child.expect_exact("Out[2]: 42")
    child.sendline("exit")
    child.expect(pexpect.EOF)


def test_ctrl_c_at_the_prompt_and_during_a_cell(pty_shell):
    child = pty_shell
    child.send("half typed")
    child.sendintr()
    child.expect_exact("KeyboardInterrupt")
    child.expect_exact("In [1]: ")
    # The marker is printed only once the cell runs (the echoed line spells it 'sleep' + 'ing'); the sleep
    # outlasts pexpect's timeout, so the traceback can only come from the interrupt, never from the sleep ending.
    child.sendline("print('sleep' + 'ing', flush=True); import time; time.sleep(600)")
    child.expect_exact("sleeping")
    child.sendintr()
    child.expect_exact("KeyboardInterrupt")
    child.expect_exact("In [2]: ")
    child.sendline("'alive'")
    child.expect_exact("Out[2]: 'alive'")


def test_ctrl_d_exits(pty_shell):
    pty_shell.sendeof()
    pty_shell.expect(pexpect.EOF)
    pty_shell.close()
    assert pty_shell.exitstatus == 0


def test_load_offers_the_code_as_the_next_cell(tmp_path):
    (tmp_path / "snippet.py").write_text("print('from the file')\n")
    proc = hocus("--no-banner", input="%load snippet.py\n\n%load snippet.py\n'typed instead'\n", cwd=tmp_path)
    assert "# %load snippet.py\n   ...: print('from the file')" in proc.stdout
    assert proc.stdout.count("from the file\n") == 1  # only the first offer was run
    assert "Out[4]: 'typed instead'" in proc.stdout


def test_an_ipy_script_runs_with_hocus_syntax(tmp_path):
    # As `ipython script.ipy`: magics work, the file runs as one silent cell (no Out[] for its last line).
    (tmp_path / "tools.ipy").write_text("import sys\n%time 1+1\nx = 5\nx * 2\n!echo from-the-shell\n"
                                        "print('argv', sys.argv[1:], __file__.endswith('tools.ipy'))\n")
    proc = hocus("tools.ipy", "a", "b", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Wall time:" in proc.stdout
    assert "from-the-shell\nargv ['a', 'b'] True\n" in proc.stdout
    assert "Out[" not in proc.stdout
    stay = hocus("-i", "--no-banner", "tools.ipy", input="x\n", cwd=tmp_path)
    assert "Out[1]: 5" in stay.stdout, stay.stderr


def test_a_failing_ipy_script_stops_with_status_1(tmp_path):
    (tmp_path / "bad.ipy").write_text("print('before')\n1/0\nprint('after')\n")
    proc = hocus("bad.ipy", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout == "before\n"
    assert "ZeroDivisionError: division by zero" in proc.stderr
    (tmp_path / "broken.ipy").write_text("x = 1 +\n")
    proc = hocus("broken.ipy", cwd=tmp_path)
    assert proc.returncode == 1 and "SyntaxError" in proc.stderr
    (tmp_path / "latin.ipy").write_bytes(b"print('caf\xe9')\n")
    proc = hocus("latin.ipy", cwd=tmp_path)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "not UTF-8" in proc.stderr
