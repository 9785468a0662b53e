"""History store speed: hocus's HistoryStore beside IPython's HistoryManager, in one run.

Usage::

    python3 bench/history.py                          # throwaway venv, 200,000 stored cells
    python3 bench/history.py --cells 50000 --runs 5 --json out.json
    python3 bench/history.py --keep-venv /tmp/hocus-bench   # reuse the venv between runs

IPython and this checkout of hocus go into one fresh virtual environment (the
recipe of ``startup_and_timeit.py``), so both stores run on the same
interpreter and the same SQLite. One child process then times, with the two
tools interleaved (the order alternates every run; medians are reported):

1. **append**: 10,000 cells stored one by one into a fresh database, until
   they are committed (hocus: ``store_cell`` then ``wait()`` for its writer
   thread; IPython: ``store_inputs`` then ``writeout_cache()``). What the
   prompt itself waits for — the ``store_cell`` calls alone — is shown too.
2. **open**: creating the store and starting a session on a database of
   200,000 cells (2,000 sessions of 100), and, as a terminal does at start,
   that plus the last 1,000 cells for ↑ (``last(1000)`` / ``get_tail(1000)``).
   The same on a 10-cell database shows whether opening depends on size.
3. **search**: ``%history -g`` over the 200,000 cells — ``search("*P*")`` /
   ``search("*P*")``, all matches — for patterns from rare to common.
4. **%history -g, the magic** (rows marked "(magic, printed)"): what a user
   runs, end to end, for the same patterns — ``run_line_magic("history",
   "-g P")`` on a hocus ``Shell`` whose HistoryStore is the 200,000-cell
   database, and on an IPython ``InteractiveShell`` whose HistoryManager reads
   the same cells (``HistoryManager.hist_file`` set by config). Both print into
   an ``io.StringIO`` under ``contextlib.redirect_stdout`` (hocus's default
   Output writes to the ``sys.stdout`` of the moment), so parsing the
   arguments, searching, formatting and writing are timed, a terminal is not.
   The shells are made once, before timing; every run checks that both printed
   one numbered line per match.

Both databases hold the same generated cells (seeded, so every run is the
same): assignments, imports, function definitions, magics, plots. They are
filled with each tool's own schema by plain ``executemany``, each row as that
tool's writer stores it (and hocus's search index built the way its writer
builds it).

The goal, per row: hocus at most half of IPython's time. The exit status is 1
when a row misses it; the closing note says which.
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

GOAL_RATIO = 0.5
MAGIC_SUFFIX = " (magic, printed)"  # rows timing the %history -g line magic end to end
PATTERNS = ("f_123", "linalg.solve", "plt.plot(x1", "import os", "read_csv", "no_such_thing")

CHILD = r'''
import json, random, sqlite3, statistics, sys, tempfile, time
from pathlib import Path

from IPython.core.history import HistoryManager
from IPython.core.interactiveshell import InteractiveShellABC
from shell.engine.history.store import HistoryStore
from shell.engine.history.schema import cell_row, index_new_cells

cells_total, appends, runs, patterns = json.loads(sys.argv[1])
work = Path(tempfile.mkdtemp(prefix="history-bench-", dir="."))

TEMPLATES = [
    ("x{i} = np.linspace(0, {i}, 100)", 10), ("df{i} = pd.read_csv('data_{i}.csv')", 10),
    ("def f_{i}(a, b):\n    return a * {i} + b", 8), ("plt.plot(x{i}, y{i})", 8), ("%timeit f_{i}(3, 4)", 5),
    ("import os", 4), ("print(df{i}.head())", 8), ("result = model_{i}.fit(X, y)", 6),
    ("for k in range({i}):\n    total += k", 6), ("np.linalg.solve(A{i}, b)", 1), ("s = 'hello world {i}'", 5),
    ("ls", 3), ("!pip install pkg{i}", 1),
]


def generate(count, seed):
    rng = random.Random(seed)
    texts, weights = zip(*TEMPLATES)
    return [rng.choices(texts, weights)[0].format(i=rng.randrange(100_000)) for _ in range(count)]


def hocus_store(path):
    return HistoryStore(path, warn=lambda text: sys.stderr.write(text))


class NoShell:
    """Stands in for IPython's shell: HistoryManager only pushes _i, _ii... into its namespace."""

    def push(self, variables, interactive=True):
        pass


InteractiveShellABC.register(NoShell)


def ipython_store(path):
    return HistoryManager(shell=NoShell(), hist_file=str(path))


def stop_ipython(manager):
    if manager.save_thread is not None:
        manager.save_thread.stop()
    manager.db.close()


def fill(cells, hocus_path, ipython_path, per_session=100):
    sessions = range(2, len(cells) // per_session + 2)  # session 1 is the filling store's own
    rows = [(2 + i // per_session, i % per_session + 1, text, text) for i, text in enumerate(cells)]
    store = hocus_store(hocus_path)
    conn = store._database().conn  # the store's own schema, triggers and all
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO sessions (id, start, end, num_cells) VALUES (?, '2024-01-01', '2024-01-01', ?)",
                     [(s, per_session) for s in sessions])
    conn.executemany("INSERT INTO cells (session, number, source, source_raw) VALUES (?, ?, ?, ?)",
                     [cell_row(*row) for row in rows])
    index_new_cells(conn, 0)
    conn.execute("COMMIT")
    store.close()
    manager = ipython_store(ipython_path)
    with manager.db:
        manager.db.executemany("INSERT INTO sessions VALUES (?, '2024-01-01', '2024-01-01', ?, '')",
                               [(s, per_session) for s in sessions])
        manager.db.executemany("INSERT INTO history VALUES (?, ?, ?, ?)", rows)
    stop_ipython(manager)


def interleaved(measures):
    """{name: [seconds]} from calling each measure ``runs`` times, alternating who goes first."""
    times = {name: [] for name in measures}
    names = list(measures)
    for run in range(runs):
        for name in (names if run % 2 == 0 else names[::-1]):
            times[name].append(measures[name](run))
    return {name: statistics.median(values) for name, values in times.items()}


results = {}

# 1. append
cells = generate(appends, seed=1)
prompt_path = []


def append_hocus(run):
    store = hocus_store(work / f"append-{run}.hocus.sqlite")
    started = time.perf_counter()
    for number, text in enumerate(cells, 1):
        store.store_cell(number, text, text)
    stored = time.perf_counter()
    assert store.wait(120)
    done = time.perf_counter()
    store.close()
    prompt_path.append(stored - started)
    return done - started


def append_ipython(run):
    manager = ipython_store(work / f"append-{run}.ipython.sqlite")
    started = time.perf_counter()
    for number, text in enumerate(cells, 1):
        manager.store_inputs(number, text, text)
    manager.writeout_cache()
    done = time.perf_counter()
    stop_ipython(manager)
    return done - started


results["append"] = interleaved({"hocus": append_hocus, "IPython": append_ipython})
results["append"]["hocus store_cell calls only"] = statistics.median(prompt_path)

# 2. open, and 3. search
big = generate(cells_total, seed=2)
for label, data in (("big", big), ("small", big[:10])):
    fill(data, work / f"{label}.hocus.sqlite", work / f"{label}.ipython.sqlite", per_session=min(100, len(data)))
leftovers = []


def open_hocus(label, terminal):
    def measure(run):
        started = time.perf_counter()
        store = hocus_store(work / f"{label}.hocus.sqlite")
        store.session_number
        if terminal:
            assert store.last(1000)
        elapsed = time.perf_counter() - started
        leftovers.append(store)
        return elapsed
    return measure


def open_ipython(label, terminal):
    def measure(run):
        started = time.perf_counter()
        manager = ipython_store(work / f"{label}.ipython.sqlite")
        if terminal:
            assert list(manager.get_tail(1000, include_latest=True))
        elapsed = time.perf_counter() - started
        leftovers.append(manager)
        return elapsed
    return measure


def cleanup():
    for item in leftovers:
        if isinstance(item, HistoryStore):
            item.close()
        else:
            stop_ipython(item)
    leftovers.clear()


for key, label, terminal in (("open, large", "big", False), ("open, 10 cells", "small", False),
                             ("open + last 1,000 (terminal start), large", "big", True)):
    results[key] = interleaved({"hocus": open_hocus(label, terminal), "IPython": open_ipython(label, terminal)})
    cleanup()

hocus = hocus_store(work / "big.hocus.sqlite")
manager = ipython_store(work / "big.ipython.sqlite")
matches = {}
for pattern in patterns:
    glob = f"*{pattern}*"
    found = {"hocus": len(hocus.search(glob)), "IPython": len(list(manager.search(glob)))}
    assert found["hocus"] == found["IPython"], (pattern, found)
    matches[pattern] = found["hocus"]

    def search_hocus(run, glob=glob):
        started = time.perf_counter()
        hocus.search(glob)
        return time.perf_counter() - started

    def search_ipython(run, glob=glob):
        started = time.perf_counter()
        list(manager.search(glob))
        return time.perf_counter() - started

    results[f"%history -g {pattern}"] = interleaved({"hocus": search_hocus, "IPython": search_ipython})
hocus.close()
stop_ipython(manager)

# 4. the %history -g magic itself, end to end, printed into a buffer
import contextlib, io, re
from IPython.core.interactiveshell import InteractiveShell
from traitlets.config import Config
from shell import Shell

config = Config()
config.HistoryManager.hist_file = str(work / "big.ipython.sqlite")
ipython_shell = InteractiveShell.instance(config=config)
assert Path(ipython_shell.history_manager.hist_file) == work / "big.ipython.sqlite", ipython_shell.history_manager.hist_file
hocus_shell = Shell(history=hocus_store(work / "big.hocus.sqlite"))  # its Output writes to sys.stdout at each write
MATCH_LINE = re.compile(r"^ *\d+(?:/\d+)?:(?: |$)", re.M)  # "  12/7: x = 1", or "  12/7:" before a multi-line cell


def run_magic(shell, line):
    """(seconds, printed text) of one %history call with stdout going to a StringIO."""
    buffer = io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stdout(buffer):
        shell.run_line_magic("history", line)
    return time.perf_counter() - started, buffer.getvalue()


for pattern in patterns:
    line = f"-g {pattern}"
    for name, shell in (("hocus", hocus_shell), ("IPython", ipython_shell)):  # each prints every match
        printed = len(MATCH_LINE.findall(run_magic(shell, line)[1]))
        assert printed == matches[pattern], (pattern, name, printed, matches[pattern])

    def magic_measure(shell, line=line, pattern=pattern):
        def measure(run):
            elapsed, text = run_magic(shell, line)
            assert len(MATCH_LINE.findall(text)) == matches[pattern], pattern
            return elapsed
        return measure

    results[f"%history -g {pattern} (magic, printed)"] = interleaved(
        {"hocus": magic_measure(hocus_shell), "IPython": magic_measure(ipython_shell)})
hocus_shell.history.close()

import IPython
print(json.dumps({"ipython": IPython.__version__, "python": sys.version.split()[0], "sqlite": sqlite3.sqlite_version,
                  "matches": matches, "results": results}))
'''


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cells", type=int, default=200_000, help="cells in the large database (200,000)")
    parser.add_argument("--appends", type=int, default=10_000, help="cells appended one by one (10,000)")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per measurement and tool (7)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the results as JSON to PATH")
    parser.add_argument("--keep-venv", type=Path, metavar="PATH",
                        help="create the venv at PATH (or reuse it) instead of in a throwaway folder")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.cells < 1000:
        parser.error("--runs must be at least 1 and --cells at least 1000")

    scratch = Path(tempfile.mkdtemp(prefix="hocus-bench-history-"))
    try:
        venv = args.keep_venv.resolve() if args.keep_venv else scratch / "venv"
        bindir = prepare_venv(venv)
        workdir = scratch / "work"
        workdir.mkdir()
        log(f"timing: {args.appends:,} appends, {args.cells:,} stored cells, {args.runs} runs per tool")
        payload = json.dumps([args.cells, args.appends, args.runs, list(PATTERNS)])
        proc = subprocess.run([str(bindir / "python"), "-c", CHILD, payload], env=isolated_env(scratch),
                              cwd=workdir, capture_output=True, text=True)
        if proc.returncode != 0:
            raise SystemExit(f"the benchmark process failed:\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}")
        data = json.loads(proc.stdout.strip().splitlines()[-1])
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    rows = summarise(data)
    print(render(rows, data, args))
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, **data}, indent=2))
    return 0 if all(row["goal"] for row in rows) else 1


def summarise(data: dict) -> list[dict]:
    rows = []
    for name, times in data["results"].items():
        ratio = times["hocus"] / times["IPython"] if times["IPython"] else float("inf")
        rows.append({"measurement": name, "hocus_ms": times["hocus"] * 1000, "ipython_ms": times["IPython"] * 1000,
                     "ratio": ratio, "goal": ratio <= GOAL_RATIO,
                     "matches": data["matches"].get(name.removeprefix("%history -g ").removesuffix(MAGIC_SUFFIX))})
        if "hocus store_cell calls only" in times:
            rows[-1]["prompt_ms"] = times["hocus store_cell calls only"] * 1000
    return rows


def render(rows: list[dict], data: dict, args: argparse.Namespace) -> str:
    lines = [f"History store, median ms (Python {data['python']}, SQLite {data['sqlite']}, IPython {data['ipython']}; "
             f"goal: hocus <= {GOAL_RATIO} x IPython)", "",
             "| measurement | hocus | IPython | hocus / IPython | goal |", "| --- | ---: | ---: | ---: | --- |"]
    for row in rows:
        name = row["measurement"]
        if name == "append":
            name = f"append {args.appends:,} cells, until committed"
        elif row["matches"] is not None and name.endswith(MAGIC_SUFFIX):
            name = f"`{name.removesuffix(MAGIC_SUFFIX)}`{MAGIC_SUFFIX} over {args.cells:,} cells ({row['matches']:,} matches)"
        elif row["matches"] is not None:
            name = f"`{name}` over {args.cells:,} cells ({row['matches']:,} matches)"
        name = name.replace("large", f"{args.cells:,} cells")
        lines.append(f"| {name} | {row['hocus_ms']:.2f} | {row['ipython_ms']:.2f} | {row['ratio']:.3f} "
                     f"| {'met' if row['goal'] else 'MISSED'} |")
        if "prompt_ms" in row:
            lines.append(f"| ↳ of which the prompt waits for (store_cell calls) | {row['prompt_ms']:.2f} | | | |")
    missed = [row["measurement"] for row in rows if not row["goal"]]
    lines += ["", "All rows meet the goal." if not missed else "Missed: " + "; ".join(missed) + "."]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
