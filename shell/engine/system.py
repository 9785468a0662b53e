"""Running shell commands for ``!cmd``, ``!!cmd`` and ``shell.system()``.

Output is streamed line by line through the engine's :class:`Output` seam
as the child prints it, so the terminal and the kernel show it live. The
child runs in its own process group: a Ctrl-C in the shell interrupts the
whole group (SIGINT first, then SIGTERM, then SIGKILL) and the shell goes on.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time

from shell.engine.io import Output
from shell.engine.slist import SList


def user_shell() -> str:
    """The shell that runs ``!`` commands: ``$SHELL`` when it exists, else ``/bin/sh``."""
    candidate = os.environ.get("SHELL", "")
    return candidate if candidate and os.path.exists(candidate) else "/bin/sh"


def run_streaming(command: str, output: Output) -> int:
    """Run ``command`` in the user's shell, streaming its output; return its exit status."""
    proc = subprocess.Popen(command, shell=True, executable=user_shell(), stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    pumps = [threading.Thread(target=_pump, args=(proc.stdout, output.write), daemon=True),
             threading.Thread(target=_pump, args=(proc.stderr, output.write_err), daemon=True)]
    for pump in pumps:
        pump.start()
    try:
        proc.wait()
    except KeyboardInterrupt:
        stop_process_group(proc)
        raise
    finally:
        for pump in pumps:
            pump.join(timeout=1)
    return proc.returncode


def capture(command: str, output: Output | None = None) -> tuple[SList, int]:
    """Run ``command`` and return its stdout lines (stderr is shown, not captured)."""
    proc = subprocess.Popen(command, shell=True, executable=user_shell(), stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = proc.communicate()
    except KeyboardInterrupt:
        stop_process_group(proc)
        raise
    if err and output is not None:
        output.write_err(err.decode(errors="replace"))
    return SList(out.decode(errors="replace").splitlines()), proc.returncode


def stop_process_group(proc: subprocess.Popen, grace: float = 0.3) -> None:
    """End ``proc`` and its children: SIGINT, then SIGTERM, then SIGKILL, within about a second."""
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except (ProcessLookupError, PermissionError):
            return
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                return
            time.sleep(0.02)


def _pump(stream, write) -> None:
    for raw in iter(stream.readline, b""):
        write(raw.decode(errors="replace"))
    stream.close()
