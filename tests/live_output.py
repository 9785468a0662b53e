"""Proving that a child's output streams live, without a clock.

``AcknowledgingOutput`` is an Output seam that answers every line it is
given by making a file named after the line. A child that waits for that
file before it prints its next line can only get to the end if each line
reached the seam while the child still ran: output held back until the
child ends would leave it waiting. So the test asserts the whole output,
and no timestamps are compared::

    output = AcknowledgingOutput(tmp_path)
    Shell(output=output).run_cell(f"!for i in 1 2; do echo line$i; {output.wait_in_sh('line$i')}; done")
    assert output.stdout == "line1\\nline2\\n"

So that a broken seam fails instead of hanging, a child stops waiting after
a minute and prints ``gave up waiting``, which no assertion accepts.
"""

from __future__ import annotations

from pathlib import Path

GIVE_UP_TICKS = 6000  # waits of 10 ms: a minute, a safety net only


class AcknowledgingOutput:
    """An Output seam that records what it is given and acknowledges each line with a file."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.out: list[str] = []
        self.err: list[str] = []

    def write(self, text: str) -> None:
        self.out.append(text)
        self._acknowledge(self.stdout)

    def write_err(self, text: str) -> None:
        self.err.append(text)
        self._acknowledge(self.stderr)

    @property
    def stdout(self) -> str:
        return "".join(self.out)

    @property
    def stderr(self) -> str:
        return "".join(self.err)

    def _acknowledge(self, received: str) -> None:
        for line in received.splitlines(keepends=True):
            name = line.strip()
            if line.endswith("\n") and name.isidentifier():
                (self.folder / name).touch()

    def wait_in_sh(self, line: str) -> str:
        """A POSIX shell snippet that waits until ``line`` (shell words allowed, as ``line$i``) was seen."""
        ack = f"{self.folder}/{line}"
        return (f"n=0; until [ -e {ack} ] || [ $n -ge {GIVE_UP_TICKS} ]; do sleep 0.01; n=$((n+1)); done; "
                f"[ -e {ack} ] || echo 'gave up waiting'")

    def python_waiter(self) -> str:
        """Python source defining ``wait_for(line)``, the same wait for a child written in Python."""
        return (f"import os, time\n"
                f"def wait_for(line):\n"
                f"    for _ in range({GIVE_UP_TICKS}):\n"
                f"        if os.path.exists(os.path.join({str(self.folder)!r}, line)):\n"
                f"            return\n"
                f"        time.sleep(0.01)\n"
                f"    print('gave up waiting')\n")
