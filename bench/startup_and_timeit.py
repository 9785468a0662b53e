"""Start-up time, peak memory and ``%timeit`` accuracy: hocus beside IPython, in one run.

Usage::

    python3 bench/startup_and_timeit.py                        # throwaway venv, 15 runs
    python3 bench/startup_and_timeit.py --runs 31 --json out.json
    python3 bench/startup_and_timeit.py --keep-venv /tmp/hocus-bench   # reuse between runs

Both shells are installed into one fresh virtual environment (IPython from
PyPI, hocus from this checkout with a plain ``pip install``), so they run on
the same interpreter with the same site-packages: the ratios compare the
shells, not two Pythons. Nothing but PyPI is contacted.

Three measurements:

1. wall time of ``hocus -c pass`` against ``ipython -c pass``: runs are
   interleaved (alternating which goes first) so drift in machine load hits
   both alike; the median is reported;
2. peak memory of the same commands: each runs under a small Python wrapper
   that reports ``ru_maxrss`` of its only child, so the figure is the shell's
   own peak and not the benchmark's;
3. ``%timeit`` against stdlib ``python -m timeit`` (and IPython's ``%timeit``)
   with the same loop count and repeat: the best per-loop times must agree
   within 10 %, or ``%timeit`` is measuring its own overhead. The exit status
   is 1 when they do not.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
STATEMENTS = ("sum(range(1000))", "x = [i*i for i in range(100)]")
TOLERANCE = 0.10
TIMEIT_ROUNDS = 5  # best of this many interleaved measurements per tool

# Runs one command and reports its wall time and the peak RSS of that child alone.
WRAPPER = """\
import json, resource, subprocess, sys, time
t0 = time.perf_counter()
proc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - t0
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"wall": wall, "rss_kb": rss / 1024 if sys.platform == "darwin" else rss,
                  "rc": proc.returncode, "stderr": proc.stderr.decode(errors="replace")[-2000:]}))
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="start-up runs per shell (default: 15)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the results as JSON to PATH")
    parser.add_argument("--keep-venv", type=Path, metavar="PATH",
                        help="create the venv at PATH (or reuse it) instead of in a throwaway folder")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    scratch = Path(tempfile.mkdtemp(prefix="hocus-bench-"))
    try:
        venv = args.keep_venv.resolve() if args.keep_venv else scratch / "venv"
        bindir = prepare_venv(venv)
        env = isolated_env(scratch)
        tools = {"hocus": str(bindir / "hocus"), "IPython": str(bindir / "ipython")}
        python = str(bindir / "python")
        results = {
            "python": run_text([python, "-c", "import sys; print(sys.version.split()[0])"], env, scratch),
            "ipython": run_text([python, "-c", "import IPython; print(IPython.__version__)"], env, scratch),
            "platform": platform.platform(),
            "runs": args.runs,
            "startup": measure_startup(tools, python, args.runs, env, scratch),
            "timeit": [measure_timeit(stmt, tools, python, env, scratch) for stmt in STATEMENTS],
        }
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    print(render(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0 if all(row["agrees"] for row in results["timeit"]) else 1


# -- the environment ---------------------------------------------------------------------------
def prepare_venv(venv: Path, extras: tuple[str, ...] = (), probe: str = "") -> Path:
    """A venv with IPython and this checkout of hocus; reused ones get hocus reinstalled.

    ``extras`` are further PyPI packages a benchmark compares against
    (ipykernel, JupySQL, ptpython, ...); they are installed when
    ``import <probe>`` fails in the venv.
    """
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = str(bindir / "python")
    pip = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    if not (bindir / "python").exists():
        log(f"creating venv in {venv}")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    if not (bindir / "ipython").exists():
        log("installing ipython and hocus from PyPI and this checkout")
        subprocess.run(pip + ["ipython", str(REPO)], check=True)
    else:  # the checkout may have changed since the venv was made
        log("reinstalling hocus from this checkout")
        subprocess.run(pip + ["--no-deps", "--force-reinstall", str(REPO)], check=True)
    if extras and subprocess.run([python, "-c", f"import {probe}"], capture_output=True).returncode:
        log(f"installing {', '.join(extras)} from PyPI")
        subprocess.run(pip + list(extras), check=True)
    return bindir


def isolated_env(scratch: Path) -> dict[str, str]:
    """Fresh user folders for both shells, no colours, nothing from the caller's PYTHONPATH."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONSTARTUP", "VIRTUAL_ENV")}
    env.update(HOCUS_DIR=str(scratch / "hocus-home"), IPYTHONDIR=str(scratch / "ipython-home"),
               MPLCONFIGDIR=str(scratch / "mpl"), NO_COLOR="1", TERM="dumb")
    return env


def run_text(command: list[str], env: dict[str, str], cwd: Path) -> str:
    proc = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"command failed: {command}\n{proc.stdout}{proc.stderr}")
    return proc.stdout.strip()


# -- 1 and 2: start-up time and peak memory ---------------------------------------------------------
def measure_startup(tools: dict[str, str], python: str, runs: int, env, cwd) -> dict[str, dict]:
    samples: dict[str, list[dict]] = {name: [] for name in tools}
    names = list(tools)
    for name in names:  # warm-up: byte-compile, create profile folders
        wrapped(python, [tools[name], "-c", "pass"], env, cwd)
    for index in range(runs):
        order = names if index % 2 == 0 else names[::-1]
        for name in order:
            samples[name].append(wrapped(python, [tools[name], "-c", "pass"], env, cwd))
        log(f"start-up run {index + 1}/{runs}")
    return {name: {"wall_median_s": statistics.median(s["wall"] for s in runs_),
                   "wall_min_s": min(s["wall"] for s in runs_),
                   "rss_median_mb": statistics.median(s["rss_kb"] for s in runs_) / 1024,
                   "wall_all_s": [s["wall"] for s in runs_]}
            for name, runs_ in samples.items()}


def wrapped(python: str, command: list[str], env, cwd) -> dict:
    sample = json.loads(run_text([python, "-c", WRAPPER, *command], env, cwd))
    if sample["rc"] != 0:
        raise SystemExit(f"{command} failed:\n{sample['stderr']}")
    return sample


# -- 3: %timeit against stdlib timeit -----------------------------------------------------------------
def measure_timeit(stmt: str, tools: dict[str, str], python: str, env, cwd) -> dict:
    """Best per-loop seconds under each tool, with stdlib's calibrated loop count for all."""
    number, _ = stdlib_timeit(python, stmt, None, env, cwd)  # calibration only: not a sample
    bests: dict[str, list[float]] = {"timeit": [], **{name: [] for name in tools}}
    for _ in range(TIMEIT_ROUNDS):
        for name, exe in tools.items():
            code = f"r = %timeit -q -o -n {number} -r 7 {stmt}\nprint(repr(r.best))"
            bests[name].append(float(run_text([exe, "-c", code], env, cwd).splitlines()[-1]))
        bests["timeit"].append(stdlib_timeit(python, stmt, number, env, cwd)[1])
    row = {"statement": stmt, "loops": number, "repeat": 7, **{f"{k}_best_s": min(v) for k, v in bests.items()}}
    row["hocus_over_timeit"] = row["hocus_best_s"] / row["timeit_best_s"]
    row["ipython_over_timeit"] = row["IPython_best_s"] / row["timeit_best_s"]
    row["agrees"] = abs(row["hocus_over_timeit"] - 1) <= TOLERANCE
    log(f"%timeit {stmt}: {number} loops")
    return row


def stdlib_timeit(python: str, stmt: str, number: int | None, env, cwd) -> tuple[int, float]:
    """``python -m timeit -r 7`` (calibrating when ``number`` is None): (loops, best seconds per loop)."""
    command = [python, "-m", "timeit", "-u", "nsec", "-r", "7"] + (["-n", str(number)] if number else []) + [stmt]
    text = run_text(command, env, cwd)
    match = re.search(r"(\d+) loops?, best of \d+: ([\d.e+-]+) nsec per loop", text)
    if not match:
        raise SystemExit(f"cannot read python -m timeit output: {text!r}")
    return int(match.group(1)), float(match.group(2)) * 1e-9


# -- report ---------------------------------------------------------------------------------------
def render(results: dict) -> str:
    hocus, ipython = results["startup"]["hocus"], results["startup"]["IPython"]
    lines = [f"hocus vs IPython {results['ipython']} on Python {results['python']} ({results['platform']})",
             f"start-up: median of {results['runs']} interleaved runs",
             "",
             f"{'measure':<34}{'hocus':>12}{'IPython':>12}{'hocus/IPython':>15}",
             f"{'start-up `-c pass` (wall, median)':<34}{ms(hocus['wall_median_s']):>12}{ms(ipython['wall_median_s']):>12}"
             f"{hocus['wall_median_s'] / ipython['wall_median_s']:>15.2f}",
             f"{'start-up `-c pass` (wall, best)':<34}{ms(hocus['wall_min_s']):>12}{ms(ipython['wall_min_s']):>12}"
             f"{hocus['wall_min_s'] / ipython['wall_min_s']:>15.2f}",
             f"{'peak memory (max RSS, median)':<34}{hocus['rss_median_mb']:>9.1f} MB{ipython['rss_median_mb']:>9.1f} MB"
             f"{hocus['rss_median_mb'] / ipython['rss_median_mb']:>15.2f}",
             "",
             f"{'%timeit, best per loop':<34}{'hocus':>12}{'IPython':>12}{'python -m timeit':>18}{'hocus/timeit':>14}"]
    for row in results["timeit"]:
        verdict = "" if row["agrees"] else f"  (more than {TOLERANCE:.0%} apart)"
        lines.append(f"{row['statement']:<34}{us(row['hocus_best_s']):>12}{us(row['IPython_best_s']):>12}"
                     f"{us(row['timeit_best_s']):>18}{row['hocus_over_timeit']:>14.3f}{verdict}")
    return "\n".join(lines)


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:.0f} ms"


def us(seconds: float) -> str:
    return f"{seconds * 1e6:.3g} µs"


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
