"""``%%bash``, ``%%sh``, ``%%script``, ``%%python3``, ``%%perl``, ``%%ruby`` and their options."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import threading
import time

import pytest

from magics.builtin.script import CalledProcessError
from shell import Shell

from live_output import AcknowledgingOutput

needs_perl = pytest.mark.skipif(shutil.which("perl") is None, reason="perl is not installed")


def test_bash_runs_the_cell(shell, output):
    result = shell.run_cell("%%bash\nx=hello\necho $x from bash\necho warn >&2\n")
    assert result.success
    assert output.stdout == "hello from bash\n"
    assert output.stderr == "warn\n"


def test_sh_runs_the_cell(shell, output):
    assert shell.run_cell("%%sh\necho posix\n").success
    assert output.stdout == "posix\n"


def test_script_with_an_interpreter_and_its_arguments(shell, output):
    assert shell.run_cell("%%script python3 - one two\nimport sys\nprint(sys.argv[1:])\n").success
    assert output.stdout == "['one', 'two']\n"


def test_cell_goes_to_stdin(shell, output):
    assert shell.run_cell("%%script cat\nline one\n  line two\n").success
    assert output.stdout == "line one\n  line two\n"


def test_extra_words_go_to_the_program(shell, output):
    assert shell.run_cell("%%bash -s -- alpha beta\necho $2 $1\n").success
    assert output.stdout == "beta alpha\n"


def test_python3_is_the_interpreter_hocus_runs_on(shell, output):
    assert shell.run_cell("%%python3\nimport sys\nprint(sys.executable)\n").success
    assert output.stdout.strip() == sys.executable
    output.clear()
    assert shell.run_cell("%%python\nprint(6 * 7)\n").success
    assert output.stdout == "42\n"


@needs_perl
def test_perl(shell, output):
    assert shell.run_cell('%%perl\nmy $x = 6 * 7;\nprint "$x\\n";\n').success
    assert output.stdout == "42\n"


def test_ruby_runs_or_says_it_is_missing(shell, output):
    result = shell.run_cell("%%ruby\nputs 6 * 7\n")
    if shutil.which("ruby"):
        assert result.success and output.stdout == "42\n"
    else:
        assert not result.success
        assert output.stderr == "UsageError: %%ruby: ruby: command not found\n"


def test_non_zero_exit_raises_one_line_called_process_error(shell, output):
    result = shell.run_cell("%%bash\necho before\nexit 3\n")
    assert not result.success
    err = result.error_in_exec
    assert isinstance(err, subprocess.CalledProcessError) and isinstance(err, CalledProcessError)
    assert err.returncode == 3 and err.cmd == "bash"
    assert output.stdout == "before\n"
    assert output.stderr == "CalledProcessError: Command 'bash' returned non-zero exit status 3.\n"
    assert shell.run_cell("1 + 1").success


def test_script_error_names_the_command(shell, output):
    shell.run_cell("%%script python3 -c 'import sys; sys.exit(5)'\n\n")
    assert output.stderr == ("CalledProcessError: Command 'python3 -c 'import sys; sys.exit(5)'' "
                             "returned non-zero exit status 5.\n")


def test_user_code_can_catch_it_as_called_process_error(shell, output):
    shell.run_cell("try:\n    get_ipython().run_cell_magic('bash', '', 'exit 2')\n"
                   "except __import__('subprocess').CalledProcessError as e:\n    code = e.returncode\n")
    assert shell.user_ns["code"] == 2


def test_no_raise_error(shell, output):
    result = shell.run_cell("%%bash --no-raise-error\necho partial\nexit 3\n")
    assert result.success
    assert output.stdout == "partial\n" and output.stderr == ""


def test_out_and_err_capture_into_variables(shell, output):
    assert shell.run_cell("%%bash --out listing --err problems\necho out1\necho err1 >&2\necho out2\n").success
    assert shell.user_ns["listing"] == "out1\nout2\n"
    assert shell.user_ns["problems"] == "err1\n"
    assert output.stdout == "" and output.stderr == ""


def test_out_alone_still_shows_stderr(shell, output):
    shell.run_cell("%%bash --out o\necho captured\necho shown >&2\n")
    assert shell.user_ns["o"] == "captured\n"
    assert output.stderr == "shown\n"


def test_captured_output_is_stored_even_when_the_program_fails(shell, output):
    result = shell.run_cell("%%bash --out o\necho some\nexit 1\n")
    assert not result.success and shell.user_ns["o"] == "some\n"
    assert result.error_in_exec.output == "some\n"


def test_variables_are_expanded_in_the_magic_line(shell, output):
    shell.run_cell("interp = 'python3'; target = 'res'")
    assert shell.run_cell("%%script $interp --out {target}\nprint('ok')\n").success
    assert shell.user_ns["res"] == "ok\n"


def test_options_may_follow_the_program_as_in_ipython(shell, output):
    assert shell.run_cell("%%script python3 -u --out=o --no-raise-error --err e\nprint('a')\nraise SystemExit(2)\n").success
    assert shell.user_ns["o"] == "a\n" and shell.user_ns["e"] == ""


def test_the_cell_body_is_not_expanded(shell, output):
    shell.run_cell("x = 'python'")
    shell.run_cell("%%bash\nx=shell\necho $x {x}\n")
    assert output.stdout == "shell {x}\n"


def test_output_streams_live(live_shell):
    # each line waits until the one before was shown (tests/live_output.py): no clock involved
    output, sh = live_shell
    sh.run_cell(f"%%bash\nfor i in 1 2 3; do\n  echo bash$i\n  {output.wait_in_sh('bash$i')}\ndone\n")
    assert output.stdout == "bash1\nbash2\nbash3\n"


def test_python_output_streams_live_without_dash_u(live_shell):
    output, sh = live_shell
    sh.run_cell("%%python3\n" + output.python_waiter() + "for i in range(3):\n    print(f'py{i}')\n    wait_for(f'py{i}')\n")
    assert output.stdout == "py0\npy1\npy2\n"


def test_big_cell_and_big_output_do_not_deadlock(shell, output):
    filler = "# padding line to make the cell large\n" * 5000  # ~190 kB on stdin
    code = filler + "import sys\nfor i in range(20000):\n    sys.stdout.write('x' * 60 + '\\n')\n"
    # only a deadlock lasts ten minutes: the watchdog then interrupts the cell, which fails it
    watchdog = threading.Timer(600, signal.raise_signal, (signal.SIGINT,))
    watchdog.start()
    try:
        assert shell.run_cell("%%python3 --out big\n" + code).success
    finally:
        watchdog.cancel()
    assert shell.user_ns["big"].count("\n") == 20000


def test_background_with_proc_and_out(shell, output, tmp_path):
    # The job goes on only once the cell has returned: a cell waiting for it would leave it to give up.
    waiter = AcknowledgingOutput(tmp_path / "acknowledged")
    assert shell.run_cell(f"%%bash --bg --proc job --out stream\n{waiter.wait_in_sh('go')}\necho finished\n").success
    (waiter.folder / "go").touch()
    job = shell.user_ns["job"]
    assert isinstance(job, subprocess.Popen)
    assert job.wait(timeout=10) == 0
    assert shell.user_ns["stream"].read() == "finished\n"


def test_background_output_is_shown_when_not_captured(shell, output):
    shell.run_cell("%%bash --bg --proc job\necho from-background\necho bg-err >&2\n")
    shell.user_ns["job"].wait(timeout=10)
    deadline = time.monotonic() + 60
    while ("from-background" not in output.stdout or "bg-err" not in output.stderr) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert output.stdout == "from-background\n" and output.stderr == "bg-err\n"


def test_killbgscripts_stops_background_programs(shell, output):
    shell.run_cell("%%bash --bg --proc job\nsleep 100\n")
    job = shell.user_ns["job"]
    assert job.poll() is None
    assert shell.run_cell("%killbgscripts").success
    assert job.poll() is not None
    assert "All background processes were killed." in output.stdout


# -- bad input: one line each, and the shell goes on ---------------------------------------------


@pytest.mark.parametrize("cell, message", [
    ("%%script\necho hi\n", "UsageError: %%script: name the program to run, e.g. %%script python3\n"),
    ("%%script no-such-interpreter-xyz\nx\n", "UsageError: %%script: no-such-interpreter-xyz: command not found\n"),
    ("%%script /nonexistent/bin/tool\nx\n", "UsageError: %%script: cannot run /nonexistent/bin/tool: No such file or directory\n"),
    ("%%bash --out 'not a name'\necho\n", "UsageError: %%bash: --out needs a variable name, not 'not a name'\n"),
    ("%%bash --proc p\necho\n", "UsageError: %%bash: --proc only makes sense with --bg\n"),
    ("%%bash --out\necho\n", "UsageError: %bash: argument --out: expected one argument\n"),
    ("%%script python3 --out\nx\n", "UsageError: %%script: --out needs a value\n"),
    ("%%script 'python3\nx\n", "UsageError: %%script: cannot split \"'python3\": No closing quotation\n"),
])
def test_bad_input_is_one_line(shell, output, cell, message):
    result = shell.run_cell(cell)
    assert not result.success
    assert output.stderr == message
    assert output.stdout == ""
    assert shell.run_cell("1 + 1").success


def test_a_file_that_is_not_a_program(shell, output, tmp_path):
    script = tmp_path / "notes.txt"
    script.write_text("hello")
    result = shell.run_cell(f"%%script {script}\nx\n")
    assert not result.success
    assert output.stderr == f"UsageError: %%script: cannot run {script}: Permission denied\n"


@pytest.fixture
def live_shell(tmp_path):
    output = AcknowledgingOutput(tmp_path / "acknowledged")
    return output, Shell(output=output)
