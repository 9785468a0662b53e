"""The HistoryStore: storing, ranges, search, tail/last, sessions, migration, and the Shell's use of it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from shell import Shell
from shell.engine.history import schema as history_schema
from shell.engine.history.store import HistoryStore
from shell.engine.history.ranges import parse_ranges


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "history.sqlite"


def make_store(path, **kwargs) -> HistoryStore:
    warnings: list[str] = []
    store = HistoryStore(path, warn=warnings.append, **kwargs)
    store.warnings = warnings
    return store


def fill(store: HistoryStore, sources, start: int = 1) -> None:
    for number, source in enumerate(sources, start):
        store.store_cell(number, source.upper(), source)


def rows(path, sql="SELECT session, number, source_raw FROM cells ORDER BY id"):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def previous_sessions(path, *sessions) -> None:
    """Write whole sessions (lists of raw sources) with stores that then end, as earlier shells would."""
    for sources in sessions:
        store = make_store(path)
        fill(store, sources)
        store.close()


# -- ranges -------------------------------------------------------------------------------------
@pytest.mark.parametrize("text,expected", [
    ("", [(0, 1, None)]),
    ("4", [(0, 4, 5)]),
    ("4-6", [(0, 4, 7)]),
    ("4:6", [(0, 4, 6)]),
    ("~2/1-5", [(-2, 1, 6)]),
    ("~1/", [(-1, 1, None)]),
    ("243/7", [(243, 7, 8)]),
    ("~8/5-~6/4", [(-8, 5, None), (-7, 1, None), (-6, 1, 5)]),
    ("4-6 ~1/ 9", [(0, 4, 7), (-1, 1, None), (0, 9, 10)]),
    # open-ended, as IPython 9's extract_hist_ranges: "4-" -> (0, 4, None), "~4/4-" -> (-4, 4, None)
    ("4-", [(0, 4, None)]),
    ("~4/4-", [(-4, 4, None)]),
    ("3-5 7-", [(0, 3, 6), (0, 7, None)]),
])
def test_range_strings(text, expected):
    assert parse_ranges(text) == expected


@pytest.mark.parametrize("text", ["x", "-", "4-~2/", "-3", "~1/-4", "1-~1/3", "~2/3-~4/1", "4,5"])
def test_bad_range_strings_are_errors(text):
    with pytest.raises(ValueError):
        parse_ranges(text)


# -- storing and reading this session --------------------------------------------------------------
def test_cells_are_kept_raw_and_transformed(db_path):
    store = make_store(db_path)
    store.store_cell(1, "__hocus__.line_magic('time', 'f()')", "%time f()")
    store.store_cell(2, "x = 1\n")
    assert store.get_range() == [(0, 1, "%time f()"), (0, 2, "x = 1")]
    assert store.get_range(raw=False) == [(0, 1, "__hocus__.line_magic('time', 'f()')"), (0, 2, "x = 1")]
    store.close()
    # a transformed source equal to the raw text is stored once
    assert rows(db_path, "SELECT number, source, source_raw FROM cells") == [
        (1, "__hocus__.line_magic('time', 'f()')", "%time f()"), (2, None, "x = 1")]
    later = make_store(db_path)
    assert later.get_range(-1, raw=False) == [(1, 1, "__hocus__.line_magic('time', 'f()')"), (1, 2, "x = 1")]
    assert later.search("*", raw=False) == [(1, 1, "__hocus__.line_magic('time', 'f()')"), (1, 2, "x = 1")]
    later.close()


def test_nothing_touches_the_disk_until_history_is_used(db_path):
    store = make_store(db_path)
    assert store.get_range() == []
    assert not db_path.exists()
    store.store_cell(1, "x = 1")
    assert store.wait()
    assert db_path.exists()
    store.close()


def test_ranges_of_this_session(db_path):
    store = make_store(db_path)
    fill(store, [f"c{i}" for i in range(1, 9)])
    assert [n for _, n, _ in store.get_range_by_str("2-3 6")] == [2, 3, 6]
    assert [n for _, n, _ in store.get_range_by_str("2:4")] == [2, 3]
    assert [n for _, n, _ in store.get_range(0, 7)] == [7, 8]
    assert [n for _, n, _ in store.get_range(0, -2)] == [7, 8]
    assert [n for _, n, _ in store.get_range(store.session_number, 1, 3)] == [1, 2]
    store.close()


def test_outputs_are_kept_for_the_session_and_stored_only_when_asked(db_path):
    store = make_store(db_path)
    store.store_cell(1, "1 + 1")
    store.store_output(1, "2")
    assert store.get_range(output=True) == [(0, 1, ("1 + 1", "2"))]
    store.close()
    assert rows(db_path, "SELECT * FROM outputs") == []

    keeper = make_store(db_path, store_outputs=True)
    keeper.store_cell(1, "'a' * 3")
    keeper.store_output(1, "'aaa'")
    keeper.close()
    assert rows(db_path, "SELECT session, number, output FROM outputs") == [(2, 1, "'aaa'")]
    reader = make_store(db_path)
    assert reader.get_range_by_str("~1/", output=True) == [(2, 1, ("'a' * 3", "'aaa'"))]
    assert reader.get_range_by_str("~2/", output=True) == [(1, 1, ("1 + 1", None))]
    reader.close()


# -- sessions --------------------------------------------------------------------------------------
def test_earlier_sessions_by_offset_and_by_id(db_path):
    previous_sessions(db_path, ["a1", "a2", "a3"], ["b1", "b2"])
    store = make_store(db_path)
    store.store_cell(1, "now")
    assert store.session_number == 3
    assert [t for _, _, t in store.get_range_by_str("~1/")] == ["b1", "b2"]
    assert [t for _, _, t in store.get_range_by_str("~2/2-3")] == ["a2", "a3"]
    assert [t for _, _, t in store.get_range_by_str("1/1 2/2")] == ["a1", "b2"]
    assert [t for _, _, t in store.get_range_by_str("~2/2-~1/1")] == ["a2", "a3", "b1"]
    assert [(s, n) for s, n, _ in store.get_range_by_str("~1/2 1")] == [(2, 2), (0, 1)]
    store.close()


def test_a_session_records_start_end_count_and_label(db_path):
    store = make_store(db_path, session_label="analysis")
    fill(store, ["a", "b", "c"])
    store.end_session()
    (start, end, count, label), = rows(db_path, "SELECT start, end, num_cells, label FROM sessions")
    assert start <= end and count == 3 and label == "analysis"
    store.name_session("renamed")
    assert rows(db_path, "SELECT label FROM sessions") == [("renamed",)]
    store.close()


# -- tail, last, search ------------------------------------------------------------------------------
def test_tail_spans_sessions_oldest_first(db_path):
    previous_sessions(db_path, ["a1", "a2"])
    store = make_store(db_path)
    fill(store, ["b1", "b2"])
    assert [t for _, _, t in store.tail(3)] == ["a2", "b1", "b2"]
    assert [t for _, _, t in store.tail(3, include_latest=False)] == ["a1", "a2", "b1"]
    assert [(s, n) for s, n, _ in store.tail(2)] == [(2, 1), (2, 2)]
    assert store.tail(0) == []
    store.close()


def test_last_is_newest_first_deduplicated_and_skips_exit(db_path):
    previous_sessions(db_path, ["import os", "x = 1", "exit"])
    store = make_store(db_path)
    fill(store, ["x = 1", "y = 2", "quit()", "  ", "y = 2"])
    assert store.last(10) == ["y = 2", "x = 1", "import os"]
    assert store.last(2) == ["y = 2", "x = 1"]
    assert store.last(10, unique=False) == ["y = 2", "y = 2", "x = 1", "x = 1", "import os"]
    store.close()


@pytest.mark.parametrize("window", [5000, 1], ids=["recent-cells-first", "index-only"])
@pytest.mark.parametrize("fts", [True, False], ids=["fts5", "glob-scan"])
def test_search_is_a_case_sensitive_glob_over_every_session(db_path, monkeypatch, fts, window):
    import shell.engine.history.store as history

    if not fts:
        monkeypatch.setattr(history_schema, "has_fts5", lambda conn: False)
    monkeypatch.setattr(history, "_RECENT_WINDOW", window)  # a limited search looks at the newest cells first
    previous_sessions(db_path, ["import numpy as np", "np.zeros(3)", "Import this"],
                      ["import pandas", "np.zeros(3)"])
    store = make_store(db_path)
    fill(store, ["import numpy as np", "z = np.ones(2)"])
    assert store.search("*").__len__() == 7
    assert [(s, n) for s, n, _ in store.search("import*")] == [(1, 1), (2, 1), (3, 1)]
    assert [t for _, _, t in store.search("*np.*(*")] == ["np.zeros(3)", "np.zeros(3)", "z = np.ones(2)"]
    assert [(s, n) for s, n, _ in store.search("*np.*", n=2)] == [(2, 2), (3, 2)]
    assert [(s, n) for s, n, _ in store.search("*np*", unique=True)] == [(2, 2), (3, 1), (3, 2)]
    assert [(s, n) for s, n, _ in store.search("*np*", n=2, unique=True)] == [(3, 1), (3, 2)]
    assert [t for _, _, t in store.search("*[IJ]mport*")] == ["Import this"]
    assert [t for _, _, t in store.search("*ones(2)")] == ["z = np.ones(2)"]
    assert [t for _, _, t in store.search('*"quoted"*')] == []
    assert [(s, n) for s, n, _ in store.search("*import*", n=1)] == [(3, 1)]
    assert store.search("*nothing like this*") == []
    # the index finds cells holding the trigrams imp, ort and " nu"; GLOB leaves out the one that has them apart
    store.store_cell(3, "x = import_ort + nu")
    assert [t for _, _, t in store.search("*import nu*")] == ["import numpy as np", "import numpy as np"]
    assert [t for _, _, t in store.search("*import nu*", n=1)] == ["import numpy as np"]
    has_index = bool(rows(db_path, "SELECT count(*) FROM sqlite_master WHERE name='cells_fts'")[0][0])
    assert has_index == (fts and history_schema.has_fts5(sqlite3.connect(":memory:")))
    store.close()


def test_search_sees_cells_the_writer_has_not_committed_yet(db_path):
    store = make_store(db_path, write_delay=30)
    fill(store, ["alpha", "beta"])
    assert [t for _, _, t in store.search("*ph*")] == ["alpha"]
    assert store.last(1) == ["beta"]
    store.close()


def test_a_long_session_at_script_pace_keeps_the_wal_file_small(db_path):
    # Most cells are committed by the thread storing them, whose connection never checkpoints (two
    # fsyncs on the prompt's path); the writer thread does, every so often. Without that the -wal
    # file grows by some 25 KB a cell for as long as the session lasts (80 MB here).
    store = make_store(db_path)
    for number in range(1, 3001):
        store.settle()  # what the engine does before it stores a cell
        store.store_cell(number, f"x = {number}")
    store.wait()
    assert (db_path.parent / "history.sqlite-wal").stat().st_size < 16_000_000
    assert rows(db_path, "SELECT COUNT(*) FROM cells") == [(3000,)]
    store.close()


# -- migration -----------------------------------------------------------------------------------------
def write_v1_fixture(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.executescript("""
        CREATE TABLE schema_version (version INTEGER NOT NULL);
        INSERT INTO schema_version VALUES (1);
        CREATE TABLE sessions (id INTEGER PRIMARY KEY AUTOINCREMENT, start TEXT NOT NULL, end TEXT, label TEXT);
        CREATE TABLE cells (session INTEGER NOT NULL, number INTEGER NOT NULL, source TEXT NOT NULL,
                            source_raw TEXT NOT NULL, PRIMARY KEY (session, number));
        INSERT INTO sessions VALUES (1, '2024-01-02 10:00:00', '2024-01-02 11:00:00', 'old work');
        INSERT INTO sessions VALUES (2, '2024-01-03 09:00:00', NULL, NULL);
        INSERT INTO cells VALUES (1, 1, 'import math', 'import math');
        INSERT INTO cells VALUES (1, 2, '__hocus__.line_magic(''time'', ''math.pi'')', '%time math.pi');
        INSERT INTO cells VALUES (2, 1, 'print(math.tau)', 'print(math.tau)');
    """)
    conn.commit()
    conn.close()


def write_v2_fixture(path: Path, fts: bool) -> None:
    """A file as hocus wrote version 2: every source stored twice, a search index with positions."""
    conn = sqlite3.connect(path)
    conn.executescript("""
        CREATE TABLE schema_version (version INTEGER NOT NULL);
        INSERT INTO schema_version VALUES (2);
        CREATE TABLE sessions (id INTEGER PRIMARY KEY AUTOINCREMENT, start TEXT NOT NULL, end TEXT, label TEXT,
                               num_cells INTEGER);
        CREATE TABLE cells (id INTEGER PRIMARY KEY, session INTEGER NOT NULL, number INTEGER NOT NULL,
                            source TEXT NOT NULL, source_raw TEXT NOT NULL, UNIQUE (session, number));
        CREATE TABLE outputs (session INTEGER NOT NULL, number INTEGER NOT NULL, output TEXT NOT NULL,
                              PRIMARY KEY (session, number));
        INSERT INTO sessions VALUES (1, '2024-01-02 10:00:00', '2024-01-02 11:00:00', 'old work', 3);
        INSERT INTO cells VALUES (1, 1, 1, 'import pandas as pd', 'import pandas as pd');
        INSERT INTO cells VALUES (2, 1, 2, '__hocus__.line_magic(''time'', ''pd.read_csv(f)'')',
                                  '%time pd.read_csv(f)');
        INSERT INTO cells VALUES (3, 1, 3, 'df = pd.read_csv(f)', 'df = pd.read_csv(f)');
        INSERT INTO outputs VALUES (1, 3, 'ok');
    """)
    if fts:
        conn.executescript("""
            CREATE VIRTUAL TABLE cells_fts USING fts5(source_raw, content='cells', content_rowid='id',
                                                      tokenize='trigram case_sensitive 1');
            INSERT INTO cells_fts (rowid, source_raw) SELECT id, source_raw FROM cells;
            CREATE TRIGGER cells_fts_delete AFTER DELETE ON cells BEGIN
                INSERT INTO cells_fts (cells_fts, rowid, source_raw) VALUES ('delete', old.id, old.source_raw); END;
            CREATE TRIGGER cells_fts_update AFTER UPDATE OF source_raw ON cells BEGIN
                INSERT INTO cells_fts (cells_fts, rowid, source_raw) VALUES ('delete', old.id, old.source_raw);
                INSERT INTO cells_fts (rowid, source_raw) VALUES (new.id, new.source_raw); END;
        """)
    conn.commit()
    conn.close()


def index_sql(path) -> str | None:
    found = rows(path, "SELECT sql FROM sqlite_master WHERE name='cells_fts'")
    return found[0][0] if found else None


def test_a_version_1_database_migrates_forward(db_path):
    write_v1_fixture(db_path)
    store = make_store(db_path)
    store.store_cell(1, "math.e")
    assert store.session_number == 3
    assert [t for _, _, t in store.get_range_by_str("~2/")] == ["import math", "%time math.pi"]
    assert [(s, n, t) for s, n, t in store.search("*math.*")] == [
        (1, 2, "%time math.pi"), (2, 1, "print(math.tau)"), (3, 1, "math.e")]
    assert store.get_range(1, 2, 3, raw=False) == [(1, 2, "__hocus__.line_magic('time', 'math.pi')")]
    assert store.get_range(1, 1, 2, raw=False) == [(1, 1, "import math")]
    store.close()
    assert rows(db_path, "SELECT version FROM schema_version") == [(history_schema.SCHEMA_VERSION,)]
    assert rows(db_path, "SELECT id, label FROM sessions WHERE id < 3") == [(1, "old work"), (2, None)]
    assert [r[:2] for r in rows(db_path)] == [(1, 1), (1, 2), (2, 1), (3, 1)]
    assert rows(db_path, "SELECT count(*) FROM cells WHERE source IS NULL") == [(3,)]
    assert not store.warnings


@pytest.mark.parametrize("fts", [True, False], ids=["with-index", "without-index"])
def test_a_version_2_database_migrates_forward(db_path, fts):
    has_fts5 = history_schema.has_fts5(sqlite3.connect(":memory:"))
    if fts and not has_fts5:
        pytest.skip("this SQLite has no FTS5")
    write_v2_fixture(db_path, fts)
    store = make_store(db_path, store_outputs=True)
    store.store_cell(1, "pd.read_csv(g)")
    assert store.session_number == 2
    assert [(s, n, t) for s, n, t in store.search("*read_csv(*")] == [
        (1, 2, "%time pd.read_csv(f)"), (1, 3, "df = pd.read_csv(f)"), (2, 1, "pd.read_csv(g)")]
    assert store.search("*read_csv(f)*", n=1, raw=False, output=True) == [(1, 3, ("df = pd.read_csv(f)", "ok"))]
    assert store.get_range(1, raw=False) == [
        (1, 1, "import pandas as pd"), (1, 2, "__hocus__.line_magic('time', 'pd.read_csv(f)')"),
        (1, 3, "df = pd.read_csv(f)")]
    store.close()
    assert rows(db_path, "SELECT version FROM schema_version") == [(history_schema.SCHEMA_VERSION,)]
    assert rows(db_path, "SELECT id, session, number, source FROM cells ORDER BY id") == [
        (1, 1, 1, None), (2, 1, 2, "__hocus__.line_magic('time', 'pd.read_csv(f)')"), (3, 1, 3, None),
        (4, 2, 1, None)]
    if has_fts5:  # the index is rebuilt without positions, or built where the file had none
        assert "detail=none" in index_sql(db_path)
        assert rows(db_path, "SELECT count(*) FROM cells_fts WHERE cells_fts MATCH '\"csv\"'") == [(3,)]
    else:
        assert index_sql(db_path) is None
    assert not store.warnings


def test_a_newer_schema_is_left_alone(db_path):
    conn = sqlite3.connect(db_path)
    conn.executescript("CREATE TABLE schema_version (version INTEGER); INSERT INTO schema_version VALUES (99);")
    conn.close()
    store = make_store(db_path)
    store.store_cell(1, "x = 1")
    assert store.last(1) == ["x = 1"]
    assert store.in_memory
    assert len(store.warnings) == 1 and "newer than this hocus" in store.warnings[0]
    store.close()
    assert rows(db_path, "SELECT version FROM schema_version") == [(99,)]


# -- the Shell and its store -----------------------------------------------------------------------------
def test_the_shell_records_each_stored_cell_as_in_holds_it(shell, hocus_dir):
    shell.run_cell("x = 20")
    shell.run_cell("%time x + 1")
    shell.run_cell("x * 2", store_history=False)
    shell.run_cell("1/0")
    shell.run_cell("def f(:")
    assert [t for _, _, t in shell.history.get_range()] == shell.In[1:]
    assert shell.history.get_range(raw=False)[1][2].startswith("__hocus__.line_magic('time'")
    assert shell.history.wait()
    assert [r[1:] for r in rows(hocus_dir / "history.sqlite")] == [
        (1, "x = 20"), (2, "%time x + 1"), (3, "1/0"), (4, "def f(:")]


def test_the_shell_records_outputs_as_text(shell):
    shell.run_cell("'abc'.upper()")
    shell.run_cell("None")
    assert shell.history.get_range(output=True) == [(0, 1, ("'abc'.upper()", "'ABC'")), (0, 2, ("None", None))]


def test_a_shell_can_be_given_its_store(tmp_path, output):
    store = make_store(tmp_path / "elsewhere.sqlite")
    sh = Shell(output=output, history=store)
    sh.run_cell("y = 1")
    assert sh.history is store and store.last(1) == ["y = 1"]
    store.close()


def test_history_store_is_configurable(output, hocus_dir):
    from traitlets.config import Config

    config = Config()
    config.HistoryStore.enabled = False
    sh = Shell(output=output, config=config)
    sh.run_cell("a = 1")
    sh.run_cell("%history")
    assert "a = 1" in output.stdout
    assert sh.history.search("a*") == [(1, 1, "a = 1")]
    assert not (hocus_dir / "history.sqlite").exists()
    assert sh.configurables()["HistoryStore"] is sh.history


def test_config_magic_turns_persistence_off(shell, hocus_dir):
    shell.run_cell("a = 1")
    shell.run_cell("%config HistoryStore.enabled = False")
    shell.run_cell("b = 2")
    assert shell.history.get_range()[-1][2] == "b = 2"
    assert shell.history.wait()
    assert [r[2] for r in rows(hocus_dir / "history.sqlite")] == ["a = 1", "%config HistoryStore.enabled = False"]


def test_start_up_neither_opens_the_database_nor_imports_sqlite3(tmp_path):
    code = ("import sys\nfrom shell import Shell\nsh = Shell()\n"
            "print(sys.modules.get('sqlite3') is None, sh.history._db is None)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "HOCUS_DIR": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["True", "True"]
    assert not (tmp_path / "history.sqlite").exists()


def test_opening_reads_no_table_end_to_end(db_path):
    """Opening a store costs the same for any size: count SQLite's VM steps for 10 and 20,000 cells."""
    small, large = db_path.with_name("small.sqlite"), db_path.with_name("large.sqlite")
    for path, count in ((small, 10), (large, 20_000)):
        store = make_store(path)
        fill(store, [f"cell {i}" for i in range(count)])
        store.close()

    def steps(path) -> int:
        import shell.engine.history.database as database

        counted = [0]
        real_connect = database.connect

        def counting_connect(*args, **kwargs):
            conn = real_connect(*args, **kwargs)
            conn.set_progress_handler(lambda: counted.__setitem__(0, counted[0] + 1) or 0, 10)
            return conn

        database.connect = counting_connect
        try:
            store = make_store(path)
            store.session_number
        finally:
            database.connect = real_connect
        store.close()
        return counted[0]

    small_steps, large_steps = steps(small), steps(large)
    assert small_steps > 0
    assert large_steps <= small_steps + 2
