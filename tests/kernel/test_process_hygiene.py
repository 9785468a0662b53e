"""No process outlives its owner: ``!cmd`` and ``%%bash`` children end with the kernel, and the
kernel ends with its launcher (issue 18 item 2). Real kernels, started by jupyter_client or a launcher."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest
from jupyter_client import BlockingKernelClient
from jupyter_client.connect import write_connection_file
from kernel_client import execute, start_kernel
from waiting import eventually

DEADLINE = 30.0  # generous: a loaded machine; the test waits for the event, never a fixed time


def processes_running(argv: list[str]) -> list[int]:
    """Live (not zombie) processes whose command line is exactly ``argv``."""
    wanted = "\0".join(argv).encode() + b"\0"
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                cmdline = handle.read()
            with open(f"/proc/{entry}/stat", "rb") as handle:
                state = handle.read().rsplit(b")", 1)[1].split()[0]
        except OSError:
            continue
        if cmdline == wanted and state not in (b"Z", b"X"):
            found.append(int(entry))
    return found


def wait_until(condition, what: str) -> None:
    assert eventually(condition, patience=DEADLINE), what


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            return handle.read().rsplit(b")", 1)[1].split()[0] not in (b"Z", b"X")
    except OSError:
        return False


def unique_sleep(tag: int) -> list[str]:
    return ["sleep", f"{4000 + os.getpid() % 1000}.{tag}"]


@pytest.fixture
def fresh_kernel(hocus_env):
    km, kc = start_kernel()
    yield km, kc
    kc.stop_channels()
    if km.is_alive():
        km.shutdown_kernel(now=True)


def start_children(kc) -> tuple[list[str], list[str]]:
    """A job ``!cmd &`` left behind, and a ``%%bash`` script still running a ``sleep`` (a grandchild)."""
    background, running = unique_sleep(1), unique_sleep(2)
    reply, _ = execute(kc, f"!{' '.join(background)} &")
    assert reply["status"] == "ok"
    kc.execute(f"%%bash\n{' '.join(running)}\necho never\n")
    wait_until(lambda: processes_running(background) and processes_running(running), "the children started")
    return background, running


def test_a_forced_restart_ends_the_cells_children(fresh_kernel):
    km, kc = fresh_kernel
    background, running = start_children(kc)
    km.restart_kernel(now=True)
    wait_until(lambda: not processes_running(background) and not processes_running(running),
               "a sleep child outlived the forced restart")
    kc.wait_for_ready(timeout=30)


def test_a_sigkill_of_the_kernel_ends_the_cells_children(fresh_kernel):
    km, kc = fresh_kernel
    background, running = start_children(kc)
    os.kill(km.provisioner.process.pid, signal.SIGKILL)  # the kernel alone, not its process group
    wait_until(lambda: not processes_running(background) and not processes_running(running),
               "a sleep child outlived the SIGKILL of its kernel")


def test_an_interrupt_still_stops_a_child_and_the_kernel_goes_on(fresh_kernel):
    km, kc = fresh_kernel
    running = unique_sleep(3)
    msg_id = kc.execute(f"!{' '.join(running)}")
    wait_until(lambda: processes_running(running), "the child started")
    km.interrupt_kernel()
    reply = kc.get_shell_msg(timeout=DEADLINE)
    assert reply["parent_header"]["msg_id"] == msg_id and reply["content"]["ename"] == "KeyboardInterrupt"
    assert not processes_running(running)
    reply, outputs = execute(kc, "print('alive')")
    assert reply["status"] == "ok"


LAUNCHER = """
import subprocess, sys
kernel = subprocess.Popen([sys.executable, "-m", "shell", "kernel", "-f", sys.argv[1]])
print(kernel.pid, flush=True)
kernel.wait()
"""


def test_the_kernel_exits_when_its_launcher_is_killed_while_a_cell_runs(hocus_env, tmp_path):
    connection_file = str(tmp_path / "kernel.json")
    write_connection_file(connection_file, ip="127.0.0.1", key=b"a-key")
    launcher = subprocess.Popen([sys.executable, "-c", LAUNCHER, connection_file], stdout=subprocess.PIPE, text=True)
    kernel_pid = int(launcher.stdout.readline())
    kc = BlockingKernelClient(connection_file=connection_file)
    kc.load_connection_file()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=DEADLINE)
        msg_id = kc.execute("print('looping', flush=True)\nwhile True:\n    pass")
        while True:  # the marker: the cell is running its loop
            msg = kc.get_iopub_msg(timeout=DEADLINE)
            if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "stream":
                break
        launcher.kill()
        launcher.wait()
        wait_until(lambda: not alive(kernel_pid), "the kernel outlived its launcher")
    finally:
        kc.stop_channels()
        if alive(kernel_pid):
            os.kill(kernel_pid, signal.SIGKILL)
