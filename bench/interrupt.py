"""How fast Ctrl-C gives the prompt back, hocus beside IPython, in a real pty.

The tests check *that* Ctrl-C interrupts (a cell that would run for ten
minutes comes back at all); how fast it does is a goal, measured here:

    python3 bench/interrupt.py                  # 5 rounds per case and shell
    python3 bench/interrupt.py --rounds 9 --json out.json

Each round types a cell that prints a marker and then runs far longer than
the benchmark waits, waits for the marker, sends the terminal's interrupt
character and times until the next prompt is drawn. The cases: Python's
``time.sleep``, a ``!sleep`` child, and a ``!`` child that ignores SIGINT
(ended by the shell's escalation, SIGTERM then SIGKILL). The goal is under
one second in each case; the table gives medians and hocus/IPython.

Both shells run on this interpreter (IPython as installed with the test
extras), each with its own temporary user folder, ``NO_COLOR``,
``TERM=dumb`` for hocus's line prompt and ``--simple-prompt`` for IPython.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time

import pexpect

CASES = {
    "python sleep": "print('sleep' + 'ing'); import time; time.sleep(600)",
    "!sleep": "!echo sleep''ing; sleep 600",
    "!child ignoring SIGINT": "!trap '' INT; echo sleep''ing; sleep 600",
}
GIVE_UP = 20.0  # seconds: a case that takes longer is reported as such


def spawn(which: str, home: str) -> tuple[pexpect.spawn, str]:
    env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb", "HOCUS_DIR": os.path.join(home, "hocus"),
           "IPYTHONDIR": os.path.join(home, "ipython")}
    if which == "hocus":
        args, prompt = ["-m", "shell", "--no-banner"], r"In \[\d+\]: "
    else:
        args, prompt = ["-m", "IPython", "--no-banner", "--simple-prompt", "--colors=NoColor"], r"In \[\d+\]: "
    child = pexpect.spawn(sys.executable, args, env=env, cwd=home, encoding="utf-8", timeout=60,
                          dimensions=(40, 120))
    child.expect(prompt)
    return child, prompt


def one_round(child: pexpect.spawn, prompt: str, cell: str) -> float:
    child.sendline(cell)
    child.expect_exact("sleeping")
    started = time.perf_counter()
    child.sendintr()
    child.expect(prompt, timeout=GIVE_UP)
    return time.perf_counter() - started


def measure(which: str, rounds: int) -> dict[str, list[float]]:
    results: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as home:
        child, prompt = spawn(which, home)
        try:
            for name, cell in CASES.items():
                samples = []
                for _ in range(rounds):
                    try:
                        samples.append(one_round(child, prompt, cell))
                    except pexpect.TIMEOUT:
                        samples.append(float("inf"))
                        child.close(force=True)
                        child, prompt = spawn(which, home)
                results[name] = samples
        finally:
            child.close(force=True)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", help="write every sample to this file")
    options = parser.parse_args()
    results = {which: measure(which, options.rounds) for which in ("hocus", "ipython")}
    print(f"{'case':<26}{'hocus (median)':>16}{'IPython (median)':>18}{'hocus/IPython':>15}")
    for name in CASES:
        ours, theirs = (statistics.median(results[w][name]) for w in ("hocus", "ipython"))
        ratio = ours / theirs if theirs not in (0, float("inf")) else float("nan")
        print(f"{name:<26}{ours * 1000:>13.0f} ms{theirs * 1000:>15.0f} ms{ratio:>15.2f}")
    if options.json:
        with open(options.json, "w") as file:
            json.dump(results, file, indent=1)
    slow = [name for name in CASES if statistics.median(results["hocus"][name]) >= 1.0]
    if slow:
        print("goal missed (under 1 s):", ", ".join(slow))
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
