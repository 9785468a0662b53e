"""``jupyter console --kernel hocus`` in a real pty: the kernelspec starts hocus and a cell runs.

jupyter_console is a prompt_toolkit front end of its own; it finds the kernelspec
through ``JUPYTER_PATH`` (set by the ``hocus_env`` fixture), starts the kernel with
jupyter_client, and prints the stream output and the ``Out[n]`` of each cell.
"""

from __future__ import annotations

import os
import re
import sys
import time

import pexpect
import pytest

pytest.importorskip("jupyter_console")

ANSI = re.compile(r"\x1b(\[[0-9;?]*[ -/]*[@-~]|[()][0-9A-B]|[=>])")


class Screen:
    """What the console has printed so far, without escape sequences, read up to each expected text."""

    def __init__(self, child: pexpect.spawn):
        self.child, self.seen, self.pos = child, "", 0

    def expect(self, text: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while (found := self.seen.find(text, self.pos)) < 0:
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} not shown; the console printed:\n{self.seen[self.pos:]}")
            try:
                self.seen += self.child.read_nonblocking(4096, timeout=0.2)
            except pexpect.TIMEOUT:
                continue
            self.seen = ANSI.sub("", self.seen)
        self.pos = found + len(text)


def test_jupyter_console_runs_cells_on_the_hocus_kernel(hocus_env, tmp_path):
    env = {**os.environ, "TERM": "xterm", "NO_COLOR": "1",
           "JUPYTER_DATA_DIR": str(hocus_env / "share" / "jupyter"),
           "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
           "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
           "IPYTHONDIR": str(tmp_path / "ipython")}
    child = pexpect.spawn(sys.executable, ["-m", "jupyter_console", "--kernel", "hocus", "--no-confirm-exit"],
                          env=env, cwd=str(tmp_path), encoding="utf-8", timeout=60, dimensions=(40, 120))
    screen = Screen(child)
    try:
        screen.expect("an interactive Python kernel")  # the banner of hocus's kernel_info_reply
        screen.expect("In [1]: ")
        child.send("print('hocus' + ' says ' + str(6 * 7))\r")
        screen.expect("hocus says 42")
        screen.expect("In [2]: ")
        child.send("import sys; 'shell' in sys.modules, 2 ** 10\r")
        screen.expect("Out[2]: (True, 1024)")
        screen.expect("In [3]: ")
        child.send("exit\r")
        child.expect(pexpect.EOF, timeout=30)
    finally:
        child.close(force=True)
