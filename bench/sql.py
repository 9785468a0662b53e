"""``%sql``: fetch and render 100,000 rows, hocus beside JupySQL, in one run.

Usage::

    python3 bench/sql.py                               # throwaway venv, 5 runs each
    python3 bench/sql.py --rows 100000 --runs 7 --json out.json
    python3 bench/sql.py --keep-venv /tmp/hocus-sql-bench   # reuse the venv next time

One virtual environment gets IPython and JupySQL from PyPI and this checkout
of hocus (the helpers of ``startup_and_timeit.py`` make it), so both run on
the same interpreter and libraries. A SQLite file with ``--rows`` rows of
``(id INTEGER, name TEXT, value REAL)`` is made once; then each run is a
fresh process that connects, runs ``rs = %sql SELECT * FROM t``, takes every
row (``list(rs)``: JupySQL fetches lazily, so this makes it fetch them all)
and renders the result the way a front end does (``display_formatter.format``:
``text/plain`` and ``text/html``, default ``displaylimit`` of 10 rows for both).
It reports the time of that work (inside the process, start-up excluded) and
the process's peak resident memory, medians over ``--runs`` interleaved runs,
and the ratios hocus/JupySQL (below 1: hocus is faster or smaller).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from startup_and_timeit import isolated_env, prepare_venv  # noqa: E402


HOCUS = """\
import json, resource, sys, time
from shell import Shell
sh = Shell()
t0 = time.perf_counter()
assert sh.run_cell("%sql sqlite:///{db}").success
assert sh.run_cell("rs = %sql SELECT * FROM t").success
rs = sh.user_ns["rs"]
n = len(list(rs))
bundle = sh.display_formatter.format(rs)[0]
elapsed = time.perf_counter() - t0
"""

JUPYSQL = """\
import json, resource, sys, time
from IPython.core.interactiveshell import InteractiveShell
ip = InteractiveShell.instance()
ip.run_line_magic("load_ext", "sql")
t0 = time.perf_counter()
assert ip.run_cell("%sql sqlite:///{db}").success
assert ip.run_cell("rs = %sql SELECT * FROM t").success
rs = ip.user_ns["rs"]
n = len(list(rs))
bundle = ip.display_formatter.format(rs)[0]
elapsed = time.perf_counter() - t0
"""

REPORT = """\
assert n == {rows}, n
assert "text/html" in bundle and "text/plain" in bundle, sorted(bundle)
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"seconds": elapsed, "rss_mb": rss / 1024 / (1024 if sys.platform == "darwin" else 1)}}))
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows in the table (default: 100,000)")
    parser.add_argument("--runs", type=int, default=5, help="runs per tool (default: 5)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the results as JSON to PATH")
    parser.add_argument("--keep-venv", type=Path, metavar="PATH",
                        help="create the venv at PATH (or reuse it) instead of in a throwaway folder")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="hocus-sql-bench-") as scratch_name:
        scratch = Path(scratch_name)
        venv = args.keep_venv.resolve() if args.keep_venv else scratch / "venv"
        python = str(prepare_venv(venv, ("jupysql",), probe="sql") / "python")
        env = isolated_env(scratch)
        env["PLOOMBER_STATS_ENABLED"] = "false"  # JupySQL's telemetry: no network calls while timing
        db = scratch / "bench.db"
        make_database(db, args.rows)
        scripts = {"hocus": HOCUS, "JupySQL": JUPYSQL}
        samples: dict[str, list[dict]] = {name: [] for name in scripts}
        for run in range(args.runs + 1):  # the first round warms the disk cache and is dropped
            order = list(scripts) if run % 2 else list(reversed(scripts))
            for name in order:
                code = scripts[name].format(db=db) + REPORT.format(rows=args.rows)
                proc = subprocess.run([python, "-c", code], capture_output=True, text=True, env=env, cwd=scratch)
                if proc.returncode:
                    raise SystemExit(f"{name} failed:\n{proc.stderr[-3000:]}")
                if run:
                    report = [line for line in proc.stdout.splitlines() if line.startswith('{"seconds"')]
                    samples[name].append(json.loads(report[-1]))  # JupySQL prints around it
        versions = subprocess.run([python, "-c", "import IPython, sql, sqlalchemy; print(IPython.__version__, "
                                   "sql.__version__, sqlalchemy.__version__)"],
                                  capture_output=True, text=True, env=env, cwd=scratch).stdout.split()
    results = {"rows": args.rows, "runs": args.runs, "ipython": versions[0], "jupysql": versions[1],
               "sqlalchemy": versions[2], "python": sys.version.split()[0]}
    for name, runs in samples.items():
        results[name] = {"seconds": statistics.median(r["seconds"] for r in runs),
                         "rss_mb": statistics.median(r["rss_mb"] for r in runs)}
    print(render(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


def make_database(path: Path, rows: int) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (id INTEGER, name TEXT, value REAL)")
        conn.executemany("INSERT INTO t VALUES (?, ?, ?)",
                         ((i, f"name {i}", i * 0.5) for i in range(rows)))
    conn.close()


def render(results: dict) -> str:
    h, j = results["hocus"], results["JupySQL"]
    lines = [f"%sql: fetch and render {results['rows']:,} rows from SQLite, median of {results['runs']} runs "
             f"(Python {results['python']}, IPython {results['ipython']}, JupySQL {results['jupysql']}, "
             f"SQLAlchemy {results['sqlalchemy']})",
             "",
             "| measurement | hocus | JupySQL | hocus/JupySQL |",
             "| --- | ---: | ---: | ---: |",
             f"| time | {h['seconds'] * 1000:.0f} ms | {j['seconds'] * 1000:.0f} ms | {h['seconds'] / j['seconds']:.2f} |",
             f"| peak memory (process) | {h['rss_mb']:.0f} MB | {j['rss_mb']:.0f} MB | {h['rss_mb'] / j['rss_mb']:.2f} |"]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
