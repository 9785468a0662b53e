"""``!cmd``, ``!!cmd``, ``x = !cmd`` and ``SList``, against the real system shell.

Live streaming is proven without a clock: an Output seam acknowledges each
line it receives (tests/live_output.py), and the child prints its next line
only once the previous one was acknowledged, so it can only finish if every
line was shown while it ran.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from shell import Shell
from shell.engine.processes.slist import SList

from live_output import AcknowledgingOutput


@pytest.fixture
def live(tmp_path):
    output = AcknowledgingOutput(tmp_path / "acknowledged")
    return output, Shell(output=output)


# -- !cmd ---------------------------------------------------------------------------------------


def test_bang_runs_in_the_shell_and_sets_exit_code(shell, output):
    assert shell.run_cell("!echo hello; echo oops >&2").success
    assert output.stdout == "hello\n"
    assert output.stderr == "oops\n"
    assert shell.user_ns["_exit_code"] == 0
    shell.run_cell("!exit 3")
    assert shell.user_ns["_exit_code"] == 3


def test_bang_shows_nothing_as_a_result(shell, output):
    result = shell.run_cell("!true")
    assert result.success and result.result is None
    assert "Out[" not in output.stdout


def test_command_not_found_is_one_line_and_127(shell, output):
    result = shell.run_cell("!no-such-command-hocus-xyz")
    assert result.success  # the command failed, not the cell
    assert output.stdout == ""
    lines = output.stderr.strip().splitlines()
    assert len(lines) == 1 and "not found" in lines[0] and "no-such-command-hocus-xyz" in lines[0]
    assert shell.user_ns["_exit_code"] == 127
    assert shell.run_cell("1 + 1").success


def test_stdout_streams_live(live):
    output, sh = live
    sh.run_cell(f"!for i in 1 2 3; do echo line$i; {output.wait_in_sh('line$i')}; done")
    assert output.stdout == "line1\nline2\nline3\n"


def test_stderr_streams_live_and_apart_from_stdout(live):
    output, sh = live
    sh.run_cell(f"!for i in 1 2 3; do echo err$i >&2; {output.wait_in_sh('err$i')}; done; echo done")
    assert output.stderr == "err1\nerr2\nerr3\n"
    assert output.stdout == "done\n"


def test_a_program_that_buffers_pipes_still_streams(live):
    # Python block-buffers stdout on a pipe; the child's stdout is a pty, so it flushes each line.
    output, sh = live
    code = output.python_waiter() + "for i in range(3):\n    print(f'tick{i}'); wait_for(f'tick{i}')"
    sh.user_ns["code"] = code
    sh.run_cell(f"!{sys.executable} -c \"$code\"")
    assert output.stdout == "tick0\ntick1\ntick2\n"


def test_child_sees_a_terminal_on_stdout_but_not_when_captured(shell, output):
    check = f"{sys.executable} -c 'import sys; print(sys.stdout.isatty())'"
    shell.run_cell(f"!{check}")
    assert output.stdout == "True\n"
    assert shell.run_cell(f"!!{check}").result == ["False"]


def test_lines_end_in_newlines_not_carriage_returns(shell, output):
    shell.run_cell("!printf 'a\\nb\\n'")
    assert output.stdout == "a\nb\n"


def test_non_ascii_output_survives(shell, output):
    shell.run_cell("!printf 'caf\\303\\251 \\342\\234\\223\\n'")
    assert output.stdout == "café ✓\n"


def test_stdin_is_not_the_shells_when_not_a_terminal(shell, output):
    # Under pytest stdin is not a terminal: the child reads /dev/null and cannot hang or eat input
    # (a cat reading a terminal would never end, and read would not say 1, end of file).
    shell.run_cell("!cat; read x; echo status=$?")
    assert output.stdout == "status=1\n"


def test_background_job_does_not_hold_the_prompt(shell, output, tmp_path):
    # The job waits for a file the test makes only once the cell has returned: a cell that waited
    # for its background job would never return (the job gives up after a minute, a safety net).
    go = tmp_path / "go"
    shell.run_cell(f"!(n=0; until [ -e {go} ] || [ $n -ge 6000 ]; do sleep 0.01; n=$((n+1)); done; "
                   f"[ -e {go} ] || echo 'the cell waited for its job') & echo started")
    go.touch()
    assert output.stdout == "started\n"


def test_pagers_are_turned_off_for_children(shell, output):
    shell.run_cell("!echo $PAGER $GIT_PAGER")
    assert output.stdout == "cat cat\n"


def test_system_method_returns_status(shell):
    assert shell.system("exit 4") == 4
    assert shell.user_ns["_exit_code"] == 4


def test_bang_inside_a_function_and_a_block(shell, output):
    shell.run_cell("def greet(who):\n    !echo hi $who\n")
    shell.run_cell("greet('ann')")
    shell.run_cell("for n in (1, 2):\n    !echo n=$n\n")
    assert output.stdout == "hi ann\nn=1\nn=2\n"


# -- expansion -------------------------------------------------------------------------------------


def test_dollar_names_braces_and_literal_dollar(shell, output):
    shell.run_cell("name = 'world'; n = 2; d = {'k': 'v'}")
    shell.run_cell("!echo $name {n * 21} {d['k']} '$$HOME' {{literal}}")
    assert output.stdout == "world 42 v $HOME {literal}\n"


def test_unknown_names_reach_the_shell(shell, output, monkeypatch):
    # Brace expansion is bash's: pin the user's shell, since CI may run without $SHELL (dash).
    monkeypatch.setenv("SHELL", shutil.which("bash"))
    monkeypatch.setenv("HOCUS_TEST_VAR", "from-env")
    shell.run_cell("!echo $HOCUS_TEST_VAR {a,b}")
    assert output.stdout == "from-env a b\n"


# -- !!cmd and x = !cmd ----------------------------------------------------------------------------


def test_double_bang_returns_an_slist(shell, output):
    result = shell.run_cell("!!printf 'a\\nb\\n'")
    assert isinstance(result.result, SList) and result.result == ["a", "b"]
    assert "Out[1]: ['a', 'b']" in output.stdout


def test_assignment_captures_stdout_and_shows_stderr(shell, output):
    shell.run_cell("files = !echo one; echo two; echo problem >&2; exit 2")
    files = shell.user_ns["files"]
    assert isinstance(files, SList) and files == ["one", "two"]
    assert output.stderr == "problem\n"
    assert output.stdout == ""
    assert shell.user_ns["_exit_code"] == 2


def test_capture_expands_variables(shell):
    shell.run_cell("pattern = 'x y'")
    shell.run_cell("out = !echo $pattern")
    assert shell.user_ns["out"] == ["x y"]


def test_captured_command_not_found(shell, output):
    shell.run_cell("out = !no-such-command-hocus-xyz")
    assert shell.user_ns["out"] == []
    assert len(output.stderr.strip().splitlines()) == 1
    assert shell.user_ns["_exit_code"] == 127


def test_getoutput_method(shell):
    lines = shell.getoutput("echo a; echo b")
    assert lines.n == "a\nb"


# -- SList ----------------------------------------------------------------------------------------


@pytest.fixture
def listing():
    return SList(["-rw-r--r-- 1 ann 1200 notes.txt", "-rw-r--r-- 1 ann 80 data.CSV",
                  "drwxr-xr-x 2 bob 4096 src"])


def test_slist_views(listing, tmp_path, monkeypatch):
    words = SList(["a", "b"])
    assert words.s == "a b" and words.spstr == "a b"
    assert words.n == "a\nb" and words.nlstr == "a\nb"
    assert words.l == ["a", "b"] and type(words.l) is list and words.list == ["a", "b"]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "here.txt").write_text("")
    paths = SList(["here.txt", "missing.txt"]).p
    assert paths == [Path("here.txt")] and paths == SList(["here.txt"]).paths


def test_slist_grep(listing):
    assert listing.grep("csv") == [listing[1]]  # case-insensitive, like IPython
    assert listing.grep("csv", prune=True) == [listing[0], listing[2]]
    assert listing.grep("^bob$", field=2) == [listing[2]]
    assert listing.grep(r"\.txt$", field=-1) == [listing[0]]
    assert listing.grep(lambda line: line.startswith("d")) == [listing[2]]
    assert listing.grep("ann", True) == [listing[2]]  # IPython's positional order: prune second
    assert isinstance(listing.grep("x"), SList)
    assert listing.grep("nothing", field=9) == []


def test_slist_fields(listing):
    assert listing.fields(-1) == ["notes.txt", "data.CSV", "src"]
    assert listing.fields(2, -1) == ["ann notes.txt", "ann data.CSV", "bob src"]
    assert listing.fields(0)[0] == "-rw-r--r--"
    assert SList(["a b", "c"]).fields(1) == ["b"]  # missing fields skipped, empty lines dropped
    assert SList(["a b"]).fields() == [["a", "b"]]


def test_slist_sort(listing):
    assert listing.sort(3, nums=True).fields(-1) == ["data.CSV", "notes.txt", "src"]
    assert listing.sort(3).fields(3) == ["1200", "4096", "80"]  # as text
    assert listing.sort().fields(-1) == ["notes.txt", "data.CSV", "src"]  # "-rw... 1200" < "-rw... 80"
    assert SList(["10 MB", "9 MB", "none"]).sort(nums=True) == ["none", "9 MB", "10 MB"]
    assert isinstance(listing.sort(), SList)
    assert listing[0].endswith("notes.txt")  # sort returns a new list


# -- the Output seam carries everything (what the kernel relies on) ------------------------------


def test_nothing_bypasses_the_output_seam(capfd, shell, output):
    shell.run_cell("!echo to-seam; echo err-to-seam >&2")
    shell.run_cell("%%bash\necho cell-to-seam\n")
    captured = capfd.readouterr()
    assert "to-seam" not in captured.out + captured.err
    assert output.stdout == "to-seam\ncell-to-seam\n"
    assert output.stderr == "err-to-seam\n"


def test_the_child_runs_in_the_current_folder(shell, output, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shell.run_cell("!pwd")
    assert os.path.samefile(output.stdout.strip(), tmp_path)


def test_on_hocus_own_stdout_the_order_is_kept(tmp_path):
    """With the plain StdStreams seam the child writes to hocus's stdout itself, after what was printed."""
    import subprocess

    code = "print('one')\n!echo two; echo err >&2\nprint('three')\nimport sys; print('four', file=sys.stderr)"
    proc = subprocess.run([sys.executable, "-m", "shell", "-c", code], capture_output=True, text=True,
                          env={**os.environ, "NO_COLOR": "1", "HOCUS_DIR": str(tmp_path)}, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "one\ntwo\nthree\n"
    assert proc.stderr == "err\nfour\n"
