"""The terminal shell in a real pty: hocus beside IPython and ptpython, in one run.

Usage::

    python3 bench/terminal.py                                   # throwaway venv, 11 runs
    python3 bench/terminal.py --runs 21 --json out.json
    python3 bench/terminal.py --keep-venv /tmp/hocus-term-bench-venv   # reuse between runs

The three shells are installed into one virtual environment (IPython and
ptpython from PyPI, hocus from this checkout), so they share an
interpreter and site-packages. Each run spawns a shell in a pty of 40×120
with TERM=xterm, and the benchmark plays the terminal: it answers every
cursor-position query (``ESC [6n``) at once, as a terminal emulator does.

Five measurements, runs interleaved so that drift in machine load hits
all shells alike:

1. start: from spawning the shell to its first prompt (median); and ready: to
   the echo of a key sent the moment that prompt appeared (hocus draws its
   first prompt before prompt_toolkit has loaded and holds the keys typed
   meanwhile, so "ready" is the honest figure; the start goal applies to both);
2. enter: from sending ``1+1`` and Enter to seeing the result (median);
3. memory: peak resident memory (VmHWM) of the shell at its first prompt, after ``1+1``;
4. echo: the delay between a keystroke and the first byte the shell draws
   in answer, over every key of a 30-line cell typed one key at a time
   (median and 90th percentile, from the last run);
5. first line: from spawning the shell to the result of ``1+1`` and Enter,
   sent in one piece the moment the first prompt appears (a fresh spawn of
   its own): what a user who types at once waits for, start-up included.

Ratios are hocus / IPython; the goals (issue 6) are start ≤ 0.4,
enter ≤ 0.5, memory ≤ 0.6 and echo ≤ 1.0 (ready is held to the start goal);
issue 13 sets first line ≤ 0.7.
Each run also times ``python -c 'import prompt_toolkit'`` and its peak
memory in the same venv: the floor under any shell built on prompt_toolkit,
printed as a fraction of IPython's ready time and memory.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from startup_and_timeit import log, prepare_venv  # noqa: E402  (the shared bench helpers)

CPR_QUERY = b"\x1b[6n"
CPR_ANSWER = b"\x1b[1;1R"
GOALS = {"start": 0.4, "ready": 0.4, "enter": 0.5, "memory": 0.6, "echo": 1.0, "first_line": 0.7}


class Shell:
    """How to start one shell, and how to recognise its prompt and its ``1+1`` result."""

    def __init__(self, name: str, argv: list[str], prompt: bytes, result: bytes):
        self.name, self.argv = name, argv
        self.prompt = re.compile(prompt)
        self.result = re.compile(result)


def shells(bindir: Path) -> list[Shell]:
    escapes = rb"(?:\x1b\[[0-9;? ]*[A-Za-z])*"
    return [
        Shell("hocus", [str(bindir / "hocus"), "--no-banner", "--colors=NoColor"],
              rb"In \[1\]:", rb"Out\[1\]: " + escapes + rb"2"),
        Shell("IPython", [str(bindir / "ipython"), "--no-banner", "--colors=NoColor", "--no-confirm-exit"],
              rb"In \[1\]:", rb"Out\[1\]: " + escapes + rb"2"),
        Shell("ptpython", [str(bindir / "ptpython")],
              rb">>>", rb"\n" + escapes + rb"2" + escapes + rb"\r"),
    ]


class Terminal:
    """A pty running one shell; reads answer cursor-position queries as they arrive."""

    def __init__(self, argv: list[str], env: dict[str, str], cwd: Path):
        import pexpect

        self.started = time.perf_counter()
        self.child = pexpect.spawn(argv[0], argv[1:], env=env, cwd=str(cwd), dimensions=(40, 120), timeout=30)
        self.child.delaybeforesend = None  # pexpect sleeps 50 ms before each send by default: not the shell's time
        self.seen = b""

    def read_until(self, pattern: re.Pattern, timeout: float = 30) -> float:
        """Read until ``pattern`` appears in output not yet matched; the time it appeared."""
        deadline = time.perf_counter() + timeout
        while True:
            match = pattern.search(self.seen)
            if match:
                self.seen = self.seen[match.end():]
                return time.perf_counter()
            if not self._read(deadline - time.perf_counter()):
                raise TimeoutError(f"{pattern.pattern!r} not seen; last output: {self.seen[-300:]!r}")

    def first_output_after(self, keys: bytes, timeout: float = 5) -> float:
        """Send ``keys``; seconds until the shell draws anything."""
        self._drain()
        self.seen = b""
        sent = time.perf_counter()
        self.child.send(keys)
        if not self._read(timeout):
            raise TimeoutError(f"no echo for {keys!r}")
        return time.perf_counter() - sent

    def _read(self, timeout: float) -> bool:
        if timeout <= 0:
            return False
        ready, _, _ = select.select([self.child.child_fd], [], [], timeout)
        if not ready:
            return False
        try:
            data = os.read(self.child.child_fd, 65536)
        except OSError:
            return False
        for _ in range(data.count(CPR_QUERY)):
            self.child.send(CPR_ANSWER)
        self.seen += data
        return bool(data)

    def _drain(self) -> None:
        while self._read(0.05):
            pass

    def peak_rss_mb(self) -> float:
        status = Path(f"/proc/{self.child.pid}/status").read_text()
        return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024

    def close(self) -> None:
        self.child.close(force=True)


def one_run(shell: Shell, env, cwd, *, echo: bool) -> dict:
    term = Terminal(shell.argv, env, cwd)
    try:
        start = term.read_until(shell.prompt) - term.started
        # A key typed the moment the prompt appears: when is it drawn? (hocus draws its first
        # prompt before prompt_toolkit has loaded, so this is when it is really ready.)
        term.child.send(b"x")
        ready = term.read_until(re.compile(rb"x")) - term.started
        term.child.send(b"\x7f")
        time.sleep(0.3)  # let background start-up work (history loading) settle, as a person would
        term._drain()
        term.seen = b""
        sent = time.perf_counter()
        term.child.send(b"1+1\r")
        enter = term.read_until(shell.result) - sent
        term.read_until(shell.prompt if shell.name == "ptpython" else re.compile(rb"In \[2\]:"))
        result = {"start": start, "ready": ready, "enter": enter, "memory": term.peak_rss_mb()}
        if echo:
            result["echo"] = type_a_cell(term)
        return result
    finally:
        term.close()


def first_line_run(shell: Shell, env, cwd) -> float:
    """Spawn, send ``1+1`` and Enter the moment the first prompt appears: seconds from spawn to the result."""
    term = Terminal(shell.argv, env, cwd)
    try:
        term.read_until(shell.prompt)
        term.child.send(b"1+1\r")
        return term.read_until(shell.result) - term.started
    finally:
        term.close()


def type_a_cell(term: Terminal) -> list[float]:
    """Type a 30-line cell (a dict literal: every shell continues inside brackets) key by key."""
    lines = ["d = {"] + [f"    'key{i:02d}': {i} * 2," for i in range(28)] + ["}"]
    delays = []
    for line in lines:
        for char in line.lstrip() + "\r":
            delays.append(term.first_output_after(char.encode()))
    return delays


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=11, help="runs per shell (default: 11; at least 10 for a median)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the results as JSON to PATH")
    parser.add_argument("--keep-venv", type=Path, metavar="PATH",
                        help="create the venv at PATH (or reuse it) instead of in a throwaway folder")
    args = parser.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="hocus-term-bench-"))
    try:
        venv = args.keep_venv.resolve() if args.keep_venv else scratch / "venv"
        bindir = prepare_venv(venv, ("ptpython",), probe="ptpython")
        env = terminal_env(scratch)
        results = {"platform": platform.platform(), "runs": args.runs,
                   "versions": versions(bindir / "python", env, scratch), "shells": {}}
        samples: dict[str, list[dict]] = {}
        floor: list[tuple[float, float]] = []
        candidates = shells(bindir)
        for shell in candidates:  # warm-up: byte-compile, make profile folders
            one_run(shell, env, scratch, echo=False)
        for index in range(args.runs):
            order = candidates if index % 2 == 0 else candidates[::-1]
            for shell in order:
                run = one_run(shell, env, scratch, echo=index == args.runs - 1)
                run["first_line"] = first_line_run(shell, env, scratch)
                samples.setdefault(shell.name, []).append(run)
            floor.append(prompt_toolkit_alone(bindir / "python", env, scratch))
            log(f"run {index + 1}/{args.runs}")
        results["prompt_toolkit_alone"] = {"seconds_median": statistics.median(f[0] for f in floor),
                                           "memory_median_mb": statistics.median(f[1] for f in floor)}
        for name, runs in samples.items():
            delays = next(r["echo"] for r in runs if "echo" in r)
            results["shells"][name] = {
                "start_median_s": statistics.median(r["start"] for r in runs),
                "ready_median_s": statistics.median(r["ready"] for r in runs),
                "enter_median_s": statistics.median(r["enter"] for r in runs),
                "memory_median_mb": statistics.median(r["memory"] for r in runs),
                "first_line_median_s": statistics.median(r["first_line"] for r in runs),
                "echo_median_s": statistics.median(delays),
                "echo_p90_s": statistics.quantiles(delays, n=10)[-1],
            }
        print(render(results))
        if args.json:
            args.json.write_text(json.dumps(results, indent=2))
        return 0
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def prompt_toolkit_alone(python: Path, env, cwd) -> tuple[float, float]:
    """The floor under any prompt_toolkit shell: seconds for ``python -c 'import prompt_toolkit'``, and its peak MB."""
    code = ("import prompt_toolkit, re; "
            "print(re.search(r'VmHWM:\\s+(\\d+) kB', open('/proc/self/status').read()).group(1))")
    started = time.perf_counter()
    out = subprocess.run([str(python), "-c", code], env=env, cwd=cwd, capture_output=True, text=True, check=True)
    return time.perf_counter() - started, int(out.stdout) / 1024


def terminal_env(scratch: Path) -> dict[str, str]:
    """Fresh user folders for each shell, a real terminal type, nothing from the caller's PYTHONPATH."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONSTARTUP", "VIRTUAL_ENV", "NO_COLOR", "PROMPT_TOOLKIT_NO_CPR")}
    env.update(HOCUS_DIR=str(scratch / "hocus-home"), IPYTHONDIR=str(scratch / "ipython-home"),
               PTPYTHON_CONFIG_HOME=str(scratch / "ptpython-home"), XDG_CONFIG_HOME=str(scratch / "xdg-config"),
               XDG_DATA_HOME=str(scratch / "xdg-data"), MPLCONFIGDIR=str(scratch / "mpl"), TERM="xterm")
    return env


def versions(python: Path, env, cwd) -> dict[str, str]:
    code = ("import sys, IPython, ptpython, prompt_toolkit, importlib.metadata as m;"
            "print(sys.version.split()[0], IPython.__version__, m.version('ptpython'), prompt_toolkit.__version__)")
    out = subprocess.run([str(python), "-c", code], env=env, cwd=cwd, capture_output=True, text=True).stdout.split()
    return dict(zip(("python", "ipython", "ptpython", "prompt_toolkit"), out))


def render(results: dict) -> str:
    rows = results["shells"]
    base = rows["IPython"]
    lines = [f"terminal benchmark, {results['runs']} runs, {results['platform']}",
             "versions: " + ", ".join(f"{k} {v}" for k, v in results["versions"].items()),
             "",
             "| shell | start (first prompt) | ready (first key drawn) | 1+1 Enter → result | peak memory "
             "| keystroke echo (median / p90) | first line: spawn → result of 1+1 typed at once |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for name, row in rows.items():
        lines.append(f"| {name} | {ms(row['start_median_s'])} | {ms(row['ready_median_s'])} | {ms(row['enter_median_s'])} | "
                     f"{row['memory_median_mb']:.0f} MB | {ms(row['echo_median_s'])} / {ms(row['echo_p90_s'])} | "
                     f"{ms(row['first_line_median_s'])} |")
    hocus = rows["hocus"]
    ratios = {"start": hocus["start_median_s"] / base["start_median_s"],
              "ready": hocus["ready_median_s"] / base["ready_median_s"],
              "enter": hocus["enter_median_s"] / base["enter_median_s"],
              "memory": hocus["memory_median_mb"] / base["memory_median_mb"],
              "echo": hocus["echo_median_s"] / base["echo_median_s"],
              "first_line": hocus["first_line_median_s"] / base["first_line_median_s"]}
    results["ratios_vs_ipython"] = ratios
    alone = results.get("prompt_toolkit_alone")
    if alone:
        lines += ["", f"floor: `python -c 'import prompt_toolkit'` takes {ms(alone['seconds_median'])} "
                      f"({alone['seconds_median'] / base['ready_median_s']:.2f} × IPython's ready) and peaks at "
                      f"{alone['memory_median_mb']:.0f} MB ({alone['memory_median_mb'] / base['memory_median_mb']:.2f} "
                      "× IPython's memory): no shell on prompt_toolkit can be ready sooner or smaller."]
    lines.append("")
    lines.append("hocus / IPython: " + ", ".join(
        f"{name} {value:.2f} (goal ≤ {GOALS[name]}{', met' if value <= GOALS[name] else ', NOT met'})"
        for name, value in ratios.items()))
    return "\n".join(lines)


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:.1f} ms"


if __name__ == "__main__":
    sys.exit(main())
