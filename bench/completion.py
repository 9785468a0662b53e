"""Completion latency: hocus's completer beside IPython's, on the same namespace, in one run.

Usage::

    python3 bench/completion.py                          # throwaway venv, 200 samples per case
    python3 bench/completion.py --samples 500 --json out.json
    python3 bench/completion.py --keep-venv /tmp/hocus-bench   # reuse the venv between runs

IPython, numpy, pandas and this checkout of hocus go into one fresh virtual
environment (the one ``startup_and_timeit.py`` builds, plus numpy and
pandas), so both completers run on the same interpreter and libraries. Each
shell is measured in processes of its own, alternating hocus and IPython
over ``--rounds`` rounds: a process that holds jedi's caches has long
garbage-collection pauses, which would otherwise land on the other shell's
samples. Each process runs the same set-up cell (``import os``, ``import
numpy as np``, ``import pandas as pd``, a 200-column DataFrame ``df``), in
the same folder of 40 files, makes untimed warm-up calls that let the
completer fill its caches (jedi's imports, the installed-module scan), then
times every case.

IPython is asked the way its terminal and ipykernel ask it:
``Completer.completions(text, offset)`` under ``provisionalcompleter()``,
with its default settings (jedi on). hocus is asked through
``Shell.complete``, with its defaults (100 ms budget, jedi where needed).

The goal, per case: hocus's p99 at most 50 ms, and its p50 at most half of
IPython's p50. The table also shows hocus's p99 against IPython's p50, the
stricter reading of that goal. The exit status is 1 when a case misses it.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from startup_and_timeit import isolated_env, log, prepare_venv  # noqa: E402 - the shared venv recipe

CASES = ("os.pa", "np.ar", "df.", 'df["', "%ti", 'open("./', "import nu")
GOAL_MS = 50.0
GOAL_RATIO = 0.5

CHILD = r'''
import json, sys, time

SETUP = """
import os
import numpy as np
import pandas as pd
df = pd.DataFrame({f"column_{i}": range(3) for i in range(200)})
"""
tool, cases, samples, warmup = json.loads(sys.argv[1])

if tool == "hocus":
    from shell import Shell
    shell = Shell()
    assert shell.run_cell(SETUP).success

    def complete(text):
        return len(shell.complete(text, len(text)).matches)
else:
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.core.completer import provisionalcompleter
    shell = InteractiveShell.instance()
    assert shell.run_cell(SETUP).success

    def complete(text):
        with provisionalcompleter():
            return len(list(shell.Completer.completions(text, len(text))))

for text in cases:
    for _ in range(warmup):
        complete(text)
if tool == "hocus":
    shell.completer.modules.wait(120)  # the installed-module scan, as IPython's first `import` fills its cache

results = {}
for text in cases:
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        complete(text)
        times.append(time.perf_counter() - started)
    results[text] = {"counts": complete(text), "samples": times}
import IPython
print(json.dumps({"ipython": IPython.__version__, "python": sys.version.split()[0], "results": results}))
'''


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=200, help="timed completions per case and shell (200)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed completions per case first (5)")
    parser.add_argument("--rounds", type=int, default=2,
                        help="fresh processes per shell, alternating hocus and IPython (2)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write every sample as JSON to PATH")
    parser.add_argument("--keep-venv", type=Path, metavar="PATH",
                        help="create the venv at PATH (or reuse it) instead of in a throwaway folder")
    args = parser.parse_args(argv)
    if args.samples < 2:
        parser.error("--samples must be at least 2")

    scratch = Path(tempfile.mkdtemp(prefix="hocus-bench-completion-"))
    try:
        venv = args.keep_venv.resolve() if args.keep_venv else scratch / "venv"
        python = str(prepare_venv(venv, ("numpy", "pandas"), probe="numpy, pandas") / "python")
        workdir = scratch / "work"
        workdir.mkdir()
        for index in range(40):  # something for open("./ to list
            (workdir / f"file_{index:02d}.txt").write_text("")
        log(f"timing {len(CASES)} cases, {args.samples} samples each, in {args.rounds} rounds per shell")
        data = measure(python, isolated_env(scratch), workdir, args)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    rows = summarise(data["results"])
    print(render(rows, data))
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, **data}, indent=2))
    return 0 if all(row["goal"] for row in rows) else 1


def measure(python: str, env: dict[str, str], workdir: Path, args: argparse.Namespace) -> dict:
    """Run the child once per round and shell, alternating which goes first; pool the samples."""
    per_round = max(1, args.samples // args.rounds)
    pooled: dict = {}
    versions: dict = {}
    for round_number in range(args.rounds):
        order = ("hocus", "IPython") if round_number % 2 == 0 else ("IPython", "hocus")
        for tool in order:
            payload = json.dumps([tool, CASES, per_round, args.warmup])
            proc = subprocess.run([python, "-c", CHILD, payload], env=env, cwd=workdir, capture_output=True,
                                  text=True)
            if proc.returncode != 0:
                raise SystemExit(f"the {tool} process failed:\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}")
            data = json.loads(proc.stdout.strip().splitlines()[-1])
            versions = {"ipython": data["ipython"], "python": data["python"]}
            for case, result in data["results"].items():
                entry = pooled.setdefault(case, {}).setdefault(tool, {"counts": result["counts"], "samples": []})
                entry["samples"].extend(result["samples"])
    for tools in pooled.values():
        for entry in tools.values():
            entry["samples"].sort()
    return {**versions, "results": pooled}


def percentile(sorted_samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile of already sorted samples, in milliseconds."""
    index = min(len(sorted_samples) - 1, max(0, round(fraction * len(sorted_samples) + 0.5) - 1))
    return sorted_samples[index] * 1000


def summarise(results: dict) -> list[dict]:
    rows = []
    for case, tools in results.items():
        ours, theirs = tools["hocus"], tools["IPython"]
        row = {"case": case,
               "hocus_p50": percentile(ours["samples"], 0.5), "hocus_p99": percentile(ours["samples"], 0.99),
               "ipython_p50": percentile(theirs["samples"], 0.5),
               "ipython_p99": percentile(theirs["samples"], 0.99),
               "hocus_matches": ours["counts"], "ipython_matches": theirs["counts"]}
        row["p50_ratio"] = row["hocus_p50"] / row["ipython_p50"]
        row["p99_to_p50"] = row["hocus_p99"] / row["ipython_p50"]
        row["goal"] = row["hocus_p99"] <= GOAL_MS and row["p50_ratio"] <= GOAL_RATIO
        rows.append(row)
    return rows


def render(rows: list[dict], data: dict) -> str:
    lines = [f"Completion latency in ms (Python {data['python']}, IPython {data['ipython']}); "
             f"goal: hocus p99 <= {GOAL_MS:.0f} ms and hocus p50 <= {GOAL_RATIO} x IPython p50", "",
             "| case | hocus p50 | hocus p99 | IPython p50 | IPython p99 | p50 ratio | hocus p99 / IPython p50 "
             "| matches hocus / IPython | goal |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
    for row in rows:
        lines.append(f"| `{row['case']}` | {row['hocus_p50']:.2f} | {row['hocus_p99']:.2f} "
                     f"| {row['ipython_p50']:.2f} | {row['ipython_p99']:.2f} | {row['p50_ratio']:.2f} "
                     f"| {row['p99_to_p50']:.2f} | {row['hocus_matches']} / {row['ipython_matches']} "
                     f"| {'met' if row['goal'] else 'MISSED'} |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
