"""Ctrl-C while a ``!`` command or a ``%%bash`` cell runs: the child's group ends, the shell goes on.

The end-to-end tests drive ``python -m shell`` in a real pty with pexpect and
send the terminal's interrupt character, exactly what a user's Ctrl-C does.
The engine-level tests send SIGINT to the test process while ``run_cell``
waits, which is what the kernel's interrupt does; there only the Output seam
is involved.

Each sleeping child carries a unique marker in its command line
(``sleep 100000.<n>``), found by scanning /proc, so the check that it is gone
cannot be fooled by other processes. The sleep lasts longer than any test
waits, so a prompt (or ``run_cell``) coming back at all shows that the
interrupt ended the child; how fast it does is measured in bench/interrupt.py.
"""

from __future__ import annotations

import itertools
import os
import re
import signal
import sys
import threading
import time
from pathlib import Path

import pexpect
import pytest

from shell import Shell

pytestmark = pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs /proc to find processes")

ESC = r"(?:\x1b\[[0-9;?]*[A-Za-z])*"  # the full prompt styles the number, NO_COLOR or not
PROMPT = re.compile(rf"In \[{ESC}(\d+){ESC}\]: ")
_counter = itertools.count(1)


def marker() -> str:
    """A sleep duration no other process uses and no test outwaits: ``100000.<pid><n>`` (over a day)."""
    return f"100000.{os.getpid()}{next(_counter)}"


def pids_running(text: str) -> list[int]:
    """Live processes whose command line contains ``text`` (zombies have none, so they do not count)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if text in cmdline and "pytest" not in cmdline:
            found.append(int(entry.name))
    return found


def wait_for_process(text: str, timeout: float = 30) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pids = pids_running(f"sleep {text}")
        if pids:
            return pids
        time.sleep(0.02)
    raise AssertionError(f"sleep {text} never started")


def assert_gone(pids: list[int]) -> None:
    for pid in pids:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            continue
        status = Path(f"/proc/{pid}/status").read_text() if Path(f"/proc/{pid}/status").exists() else ""
        assert "zombie" in status, f"process {pid} is still running"


def spawn_shell(tmp_path, term: str):
    env = {**os.environ, "NO_COLOR": "1", "TERM": term, "HOCUS_DIR": str(tmp_path / "home")}
    child = pexpect.spawn(sys.executable, ["-m", "shell", "--no-banner"], env=env, cwd=str(tmp_path),
                          encoding="utf-8", timeout=30, dimensions=(40, 120))
    child.expect(PROMPT)
    child.prompt_number = int(child.match.group(1))
    return child


def next_prompt(child, timeout: float = 30) -> str:
    """Wait for a prompt with a higher number than the last one (the full prompt redraws old ones).

    Returns everything printed before it.
    """
    shown = ""
    while True:
        child.expect(PROMPT, timeout=timeout)
        shown += child.before
        number = int(child.match.group(1))
        if number > child.prompt_number:
            child.prompt_number = number
            return shown


@pytest.fixture
def pty_shell(tmp_path):
    """hocus in a pty with the line-based prompt (TERM=dumb), so transcripts hold no escape codes.

    The engine does the same work under either prompt; the full prompt is
    checked by ``test_ctrl_c_under_the_full_prompt``.
    """
    child = spawn_shell(tmp_path, "dumb")
    yield child
    child.close(force=True)


def interrupt(child, pids: list[int]) -> str:
    """Send Ctrl-C, wait for the next prompt and check the children are gone; what was printed meanwhile."""
    child.sendintr()
    shown = next_prompt(child)
    assert_gone(pids)
    return shown


def assert_still_answers(child) -> None:
    child.sendline("1+1")
    child.expect(r"Out\[\d+\]: 2")
    next_prompt(child)


def send_cell(child, cell: str) -> None:
    """Type a cell; a multi-line one is ended with an empty line, as at the prompt."""
    for line in cell.splitlines():
        child.sendline(line)
    if "\n" in cell:
        child.sendline("")


def test_ctrl_c_stops_a_bang_command(pty_shell):
    mark = marker()
    send_cell(pty_shell, f"!sleep {mark}")
    pids = wait_for_process(mark)
    shown = interrupt(pty_shell, pids)
    assert "KeyboardInterrupt" in shown
    assert_still_answers(pty_shell)


def test_ctrl_c_under_the_full_prompt(tmp_path):
    child = spawn_shell(tmp_path, "xterm")
    try:
        mark = marker()
        child.sendline(f"!sleep {mark}")
        pids = wait_for_process(mark)
        interrupt(child, pids)
        child.sendline("1+1")
        child.expect(rf"Out\[{ESC}\d+{ESC}\]: {ESC}2")
    finally:
        child.close(force=True)


def test_ctrl_c_stops_a_bash_cell(pty_shell):
    mark = marker()
    send_cell(pty_shell, f"%%bash\necho started\nsleep {mark}\necho never")
    pids = wait_for_process(mark)
    shown = interrupt(pty_shell, pids)
    assert not re.search(r"^never", shown, re.M)  # (the typed cell echoes "echo never")
    assert_still_answers(pty_shell)


def test_the_child_gets_sigint_first_and_can_clean_up(pty_shell):
    mark = marker()
    send_cell(pty_shell, f"%%bash\ntrap 'echo cleaned up after SIGINT; exit 1' INT\nsleep {mark}\n")
    pids = wait_for_process(mark)
    shown = interrupt(pty_shell, pids)
    assert "cleaned up after SIGINT" in shown
    assert_still_answers(pty_shell)


def test_a_child_that_ignores_sigint_is_still_ended(pty_shell):
    mark = marker()
    send_cell(pty_shell, f"!trap '' INT; sleep {mark}; echo survived")
    pids = wait_for_process(mark)
    shown = interrupt(pty_shell, pids)
    assert not re.search(r"^survived", shown, re.M)
    assert_still_answers(pty_shell)


def test_the_whole_process_group_ends(pty_shell):
    first, second = marker(), marker()
    send_cell(pty_shell, f"!sleep {first} & sleep {second}; wait")
    pids = wait_for_process(first) + wait_for_process(second)
    interrupt(pty_shell, pids)
    assert_still_answers(pty_shell)


def test_a_child_can_read_the_terminal(pty_shell):
    # The child says it runs ('ask' and 42: the echoed command line spells it differently) before the answer is typed.
    send_cell(pty_shell, "!echo ask$((6 * 7)); read -r answer; echo got:$answer")
    pty_shell.expect_exact("ask42")
    pty_shell.sendline("forty-two")
    pty_shell.expect("got:forty-two")
    next_prompt(pty_shell)


def test_command_not_found_in_the_terminal(pty_shell):
    send_cell(pty_shell, "!no-such-command-hocus-xyz")
    shown = next_prompt(pty_shell)
    lines = [line for line in shown.splitlines()[1:] if line.strip()]
    assert len(lines) == 1 and "not found" in lines[0]
    send_cell(pty_shell, "_exit_code")
    pty_shell.expect(r"Out\[\d+\]: 127")


# -- the same through Shell.run_cell (the kernel's path: the Output seam only) ----------------------


@pytest.fixture
def interrupt_soon():
    """Send SIGINT to this process once the child with the given marker runs (as a kernel interrupt does)."""
    timers = []

    def arm(mark: str) -> None:
        def fire():
            wait_for_process(mark)
            os.kill(os.getpid(), signal.SIGINT)

        thread = threading.Thread(target=fire, daemon=True)
        thread.start()
        timers.append(thread)

    yield arm
    for thread in timers:
        thread.join(timeout=15)


@pytest.mark.parametrize("cell", ["!sleep {mark}", "%%bash\nsleep {mark}\n", "x = !sleep {mark}",
                                  "%%script python3\nimport subprocess\nsubprocess.run(['sleep', '{mark}'])\n"])
def test_run_cell_interrupt_ends_the_child(cell, output, interrupt_soon):
    sh = Shell(output=output)
    mark = marker()
    interrupt_soon(mark)
    result = sh.run_cell(cell.format(mark=mark))  # returns at all: the child was due to sleep for a day
    assert isinstance(result.error_in_exec, KeyboardInterrupt)
    assert "KeyboardInterrupt" in output.stderr
    assert not pids_running(f"sleep {mark}")
    assert sh.run_cell("1 + 1").success


def test_run_cell_interrupt_shows_the_childs_cleanup_output(output, interrupt_soon):
    sh = Shell(output=output)
    mark = marker()
    interrupt_soon(mark)
    sh.run_cell(f"%%bash\ntrap 'echo cleanup ran; exit 1' INT\nsleep {mark}\n")
    assert "cleanup ran\n" in output.stdout


def test_run_cell_interrupt_with_a_kernel_style_sigint_handler(output, interrupt_soon):
    """The kernel installs its own SIGINT handler that raises KeyboardInterrupt while a cell runs."""

    def kernel_handler(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, kernel_handler)
    try:
        sh = Shell(output=output)
        mark = marker()
        interrupt_soon(mark)
        result = sh.run_cell(f"!sleep {mark}")
        assert isinstance(result.error_in_exec, KeyboardInterrupt)
        assert not pids_running(f"sleep {mark}")
        assert signal.getsignal(signal.SIGINT) is kernel_handler
    finally:
        signal.signal(signal.SIGINT, previous)


def test_script_with_no_raise_error_is_not_failed_by_ctrl_c(output, interrupt_soon):
    """As in IPython: `%%script --no-raise-error` stopped by Ctrl-C says so and raises nothing."""
    sh = Shell(output=output)
    mark = marker()
    interrupt_soon(mark)
    result = sh.run_cell(f"%%bash --no-raise-error\nsleep {mark}\n")
    assert result.success and result.error_in_exec is None
    assert output.stdout == "Process is interrupted.\n" and output.stderr == ""
    assert not pids_running(f"sleep {mark}")


# A SIGINT can be taken by a thread other than the main one: the kernel sends it to its own process, and the
# main thread has every signal blocked for a moment while it starts a child. Python then runs its handler only
# when the main thread next comes back from a blocking call; a wait for the child that never came back
# ignored the interrupt until the child ended (seen once in a loaded run: a day-long sleep, held 14 minutes).
SIGINT_ON_ANOTHER_THREAD = """
import signal, sys, threading, time
sys.path[:0] = [{tests!r}]
from test_interrupt_child import wait_for_process
from shell import Shell

MAIN = threading.get_native_id()

def main_thread_waits_for_the_child():  # asleep in select/poll/epoll: the kernel function /proc names
    with open(f"/proc/self/task/{{MAIN}}/wchan") as wchan:
        return "poll" in wchan.read()

def on_another_thread():
    wait_for_process({mark!r})
    while not main_thread_waits_for_the_child():
        time.sleep(0.01)
    signal.pthread_kill(threading.get_ident(), signal.SIGINT)  # this thread takes it, not the main one

threading.Thread(target=on_another_thread, daemon=True).start()
result = Shell().run_cell({cell!r})
print("interrupted:", type(result.error_in_exec).__name__, flush=True)
"""


@pytest.mark.parametrize("cell", ["!sleep {mark}", "x = !sleep {mark}"])
def test_run_cell_interrupt_taken_by_another_thread_still_ends_the_child(cell, tmp_path):
    import subprocess

    mark = marker()
    script = SIGINT_ON_ANOTHER_THREAD.format(tests=str(Path(__file__).parent), mark=mark,
                                             cell=cell.format(mark=mark))
    try:  # the child sleeps for a day: an interrupt that is not acted on shows as this run never ending
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                              cwd=tmp_path, env={**os.environ, "HOCUS_DIR": str(tmp_path / "home")})
    except subprocess.TimeoutExpired as err:
        for pid in pids_running(f"sleep {mark}"):
            os.kill(pid, signal.SIGKILL)
        pytest.fail(f"the cell went on waiting for its child after the SIGINT; it printed {err.stdout!r}")
    assert "interrupted: KeyboardInterrupt" in done.stdout, done.stdout + done.stderr
    assert not pids_running(f"sleep {mark}")
