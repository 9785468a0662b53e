"""Round trip of ``!echo hi`` and ``%%bash`` cells: hocus beside IPython, in one run.

Usage::

    python3 bench/shell_escapes.py                          # throwaway venv, 5 rounds of 100 calls
    python3 bench/shell_escapes.py --rounds 9 --calls 200 --json out.json
    python3 bench/shell_escapes.py --keep-venv /tmp/hocus-bench   # reuse the venv of startup_and_timeit.py

Both shells come from one fresh virtual environment (the same helper as
``startup_and_timeit.py``: IPython from PyPI, hocus from this checkout), so
they share the interpreter and ``$SHELL``. Each round starts one process per
shell, running a small script (``hocus driver.py`` / ``ipython driver.py``)
that times ``get_ipython().run_cell(cell)`` many times in that one process,
after a warm-up, the cells taking turns call by call; rounds alternate which
shell goes first. The table reports the median per call over every call of
every round, the ratio hocus/IPython (below 1: hocus is faster) and each
shell's cost over the floor.

The floor row is what the same work costs without a shell around it:
``subprocess.call("echo hi", shell=True)`` through ``$SHELL``, timed in the
same processes. The commands' output goes to /dev/null for both shells.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from startup_and_timeit import isolated_env, log, prepare_venv  # noqa: E402  (the shared venv helper)

CELLS = {
    "!echo hi": "!echo hi",
    "%%bash echo hi": "%%bash\necho hi\n",
}

# Cells and the floor take turns call by call, so a change in machine load hits them alike.
DRIVER = '''\
import json, os, subprocess, sys, time

ip = get_ipython()
calls = int(os.environ["BENCH_CALLS"])
shell = os.environ.get("SHELL") or "/bin/sh"
work = {name: (lambda cell=cell: ip.run_cell(cell, store_history=False))
        for name, cell in json.loads(os.environ["BENCH_CELLS"]).items()}
work["floor"] = lambda: subprocess.call("echo hi", shell=True, executable=shell)
for _ in range(5):  # warm-up: imports, lazy magics, caches
    for run in work.values():
        run()
results = {name: [] for name in work}
for _ in range(calls):
    for name, run in work.items():
        start = time.perf_counter()
        run()
        results[name].append(time.perf_counter() - start)
with open(os.environ["BENCH_RESULT"], "w") as handle:
    json.dump(results, handle)
'''


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=10, help="processes per shell (default: 10)")
    parser.add_argument("--calls", type=int, default=60, help="timed calls of each cell per process (default: 60)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write every sample as JSON to PATH")
    parser.add_argument("--keep-venv", type=Path, metavar="PATH",
                        help="create the venv at PATH (or reuse it) instead of in a throwaway folder")
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.calls < 1:
        parser.error("--rounds and --calls must be at least 1")

    with tempfile.TemporaryDirectory(prefix="hocus-bench-") as folder:
        scratch = Path(folder)
        venv = args.keep_venv.resolve() if args.keep_venv else scratch / "venv"
        bindir = prepare_venv(venv)
        env = isolated_env(scratch)
        driver = scratch / "driver.py"
        driver.write_text(DRIVER)
        tools = {"hocus": str(bindir / "hocus"), "IPython": str(bindir / "ipython")}
        samples: dict[str, dict[str, list[float]]] = {tool: {} for tool in tools}
        for index in range(args.rounds):
            order = list(tools) if index % 2 == 0 else list(tools)[::-1]
            for tool in order:
                for name, values in run_driver(tools[tool], driver, args.calls, env, scratch).items():
                    samples[tool].setdefault(name, []).extend(values)
            log(f"round {index + 1}/{args.rounds}")
        version = subprocess.run([str(bindir / "python"), "-c", "import IPython; print(IPython.__version__)"],
                                 capture_output=True, text=True, env=env).stdout.strip()

    print(render(samples, version, args.rounds, args.calls))
    if args.json:
        args.json.write_text(json.dumps({"rounds": args.rounds, "calls": args.calls, "ipython": version,
                                         "samples": samples}, indent=1) + "\n")
    return 0


def run_driver(exe: str, driver: Path, calls: int, env: dict[str, str], cwd: Path) -> dict[str, list[float]]:
    result = cwd / "result.json"
    result.unlink(missing_ok=True)
    run_env = {**env, "BENCH_CALLS": str(calls), "BENCH_CELLS": json.dumps(CELLS), "BENCH_RESULT": str(result)}
    proc = subprocess.run([exe, str(driver)], env=run_env, cwd=cwd, stdin=subprocess.DEVNULL,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=600)
    if proc.returncode != 0 or not result.exists():
        raise SystemExit(f"{exe} {driver} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return json.loads(result.read_text())


def render(samples: dict[str, dict[str, list[float]]], version: str, rounds: int, calls: int) -> str:
    hocus, ipython = samples["hocus"], samples["IPython"]
    floor_h, floor_i = statistics.median(hocus["floor"]), statistics.median(ipython["floor"])
    lines = [f"hocus vs IPython {version}: median per call of {rounds} rounds x {calls} calls, one process each",
             "",
             f"{'cell':<22}{'hocus':>12}{'IPython':>12}{'hocus/IPython':>15}"
             f"{'hocus over floor':>18}{'IPython over floor':>20}"]
    for name in CELLS:
        h, i = statistics.median(hocus[name]), statistics.median(ipython[name])
        lines.append(f"{name:<22}{ms(h):>12}{ms(i):>12}{h / i:>15.2f}{ms(h - floor_h):>18}{ms(i - floor_i):>20}")
    lines.append(f"{'floor: subprocess.call':<22}{ms(floor_h):>12}{ms(floor_i):>12}")
    return "\n".join(lines)


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:.2f} ms"


if __name__ == "__main__":
    sys.exit(main())
