"""``%sql``/``%%sql`` against real databases: one suite, run on SQLite (stdlib), DuckDB and PostgreSQL.

The PostgreSQL server is started by a session fixture from the server
binaries (``initdb`` + ``pg_ctl`` into a temporary folder, on a free loopback
port, as ``nobody`` when the tests run as root). Without the binaries those
tests skip — unless ``HOCUS_TEST_POSTGRES=required`` (set by ``.ci/run``), when
they fail.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading

import pytest


# -- a PostgreSQL server for the session ---------------------------------------------------
def _server_binaries() -> str | None:
    found = shutil.which("initdb")
    if found:
        return os.path.dirname(os.path.realpath(found))
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return os.path.dirname(candidates[-1]) if candidates else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def postgres_url():
    """``postgresql+psycopg://postgres@127.0.0.1:PORT`` of a server living as long as the session."""
    pytest.importorskip("sqlalchemy")
    pytest.importorskip("psycopg")
    bindir = _server_binaries()
    if bindir is None:
        if os.environ.get("HOCUS_TEST_POSTGRES") == "required":
            pytest.fail("PostgreSQL server binaries (initdb, pg_ctl) not found")
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) not found")
    root = tempfile.mkdtemp(prefix="hocus-pg-")
    as_user: list[str] = []
    if os.geteuid() == 0:  # the server refuses to run as root
        import pwd

        nobody = pwd.getpwnam("nobody")
        os.chown(root, nobody.pw_uid, nobody.pw_gid)
        as_user = ["setpriv", f"--reuid={nobody.pw_uid}", f"--regid={nobody.pw_gid}", "--clear-groups"]
    data, log, port = os.path.join(root, "data"), os.path.join(root, "server.log"), _free_port()

    def run(*args: str) -> None:
        proc = subprocess.run([*as_user, *args], cwd=root, capture_output=True, text=True, timeout=120)
        if proc.returncode:
            logged = open(log).read() if os.path.exists(log) else ""
            raise RuntimeError(f"{args[0]} failed:\n{proc.stdout}\n{proc.stderr}\n{logged}")

    run(os.path.join(bindir, "initdb"), "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8",
        "--locale=C", "--no-sync")
    run(os.path.join(bindir, "pg_ctl"), "-D", data, "-l", log, "-w", "-t", "60",
        "-o", f"-p {port} -h 127.0.0.1 -k {root} -F", "start")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run([*as_user, os.path.join(bindir, "pg_ctl"), "-D", data, "-m", "immediate", "stop"],
                       cwd=root, capture_output=True, timeout=60)
        shutil.rmtree(root, ignore_errors=True)


_databases = itertools.count()


def _fresh_postgres_database(server_url: str) -> str:
    import psycopg

    name = f"hocus_test_{os.getpid()}_{next(_databases)}"
    dsn = server_url.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    with psycopg.connect(dsn, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    return f"{server_url}/{name}"


@pytest.fixture(params=["sqlite", "duckdb", "postgresql"])
def db(request):
    """The URL that ``%sql`` connects to first (``None``: the built-in in-memory SQLite)."""
    if request.param == "sqlite":
        return None
    pytest.importorskip("sqlalchemy")
    if request.param == "duckdb":
        pytest.importorskip("duckdb_engine")
        return "duckdb:///:memory:"
    return _fresh_postgres_database(request.getfixturevalue("postgres_url"))


@pytest.fixture
def sh(shell, db, output, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    if db is not None:
        run(shell, f"%sql {db}")
    yield shell
    magics = shell.magics.find("line", "sql")
    instance = getattr(getattr(magics, "func", None), "__self__", None)
    if instance is not None:
        instance.connections.close_all()


def run(shell, source: str):
    result = shell.run_cell(source)
    assert result.success, f"{source!r} failed: {result.error_before_exec or result.error_in_exec}"
    return result.result


def fails_with(shell, output, source: str) -> str:
    output.clear()
    result = shell.run_cell(source)
    assert not result.success
    lines = output.stderr.strip().splitlines()
    assert len(lines) == 1, output.stderr
    return lines[0]


def make_people(sh):
    run(sh, "%%sql\nCREATE TABLE people (id INTEGER, name VARCHAR(40));\n"
            "INSERT INTO people VALUES (1, 'ada'), (2, 'grace'), (3, 'alan')")


# -- the suite -----------------------------------------------------------------------------
def test_statements_run_in_order_and_the_last_result_is_shown(sh, output):
    make_people(sh)
    rs = run(sh, "%sql SELECT name FROM people WHERE id > 1 ORDER BY id")
    assert rs.keys == ["name"] and list(rs) == [("grace",), ("alan",)]
    assert "| grace |" in output.stdout


def test_a_statements_own_semicolon_still_shows_the_rows(sh, output):
    # SQL users end every statement with ';': that is the SQL's, not Python's "hide the value"
    make_people(sh)
    output.clear()
    run(sh, "%%sql\nSELECT name FROM people WHERE id = 2;")
    assert "| grace |" in output.stdout
    output.clear()
    run(sh, "%sql SELECT name FROM people WHERE id = 3;")
    assert "| alan |" in output.stdout


def test_changed_rows_are_counted(sh, output):
    make_people(sh)
    output.clear()
    assert run(sh, "%sql UPDATE people SET name = 'x' WHERE id < 3") is None
    assert "2 rows affected." in output.stdout


def test_assignment_from_a_line_and_from_a_cell(sh):
    make_people(sh)
    run(sh, "rows = %sql SELECT id FROM people ORDER BY id")
    assert [r[0] for r in sh.user_ns["rows"]] == [1, 2, 3]
    assert run(sh, "%%sql last <<\nSELECT 1 AS one;\nSELECT id, name FROM people WHERE id = 3") is None
    assert sh.user_ns["last"].dicts() == [{"id": 3, "name": "alan"}]


def test_parameters_are_bound_by_the_driver_not_pasted(sh):
    make_people(sh)
    evil = "x'; DROP TABLE people; --"
    sh.user_ns["evil"] = evil
    run(sh, "%sql INSERT INTO people VALUES (4, :evil)")
    rs = run(sh, "%sql SELECT id FROM people WHERE name = :evil")
    assert [tuple(r) for r in rs] == [(4,)]
    assert len(run(sh, "%sql SELECT * FROM people")) == 4  # the table is still there
    assert run(sh, "%sql SELECT ':evil' AS text")[0][0] == ":evil"  # a colon in a string stays text


def test_double_braces_interpolate_names(sh):
    make_people(sh)
    sh.user_ns["table"] = "people"
    assert len(run(sh, "%sql SELECT * FROM {{table}}")) == 3


def test_text_and_html_rendering_respect_displaylimit(sh):
    make_people(sh)
    run(sh, "%config SqlMagic.displaylimit = 2")
    rs = run(sh, "%sql SELECT id, name FROM people ORDER BY id")
    text = repr(rs)
    assert text.splitlines()[:4] == ["+----+-------+", "| id | name  |", "+----+-------+", "|  1 | ada   |"]
    assert "alan" not in text and "3 rows, truncated to displaylimit of 2." in text
    html = rs._repr_html_()
    assert "<th>name</th>" in html and "<td>grace</td>" in html and "alan" not in html


def test_ddl_shows_no_table(sh, output):
    run(sh, "%sql CREATE TABLE t (x INTEGER)")
    output.clear()
    assert run(sh, "%sql ALTER TABLE t ADD COLUMN y INTEGER") is None
    assert run(sh, "%sql DROP TABLE t") is None
    assert output.stdout == ""


def test_the_text_table_lines_up_wide_characters(sh, output):
    from wcwidth import wcswidth

    run(sh, "%%sql\nCREATE TABLE cities (name VARCHAR(20), n INTEGER);\n"
            "INSERT INTO cities VALUES ('東京', 1), ('Zürich', 22), ('🙂 ok', 333)")
    output.clear()
    run(sh, "%sql SELECT name, n FROM cities ORDER BY n")
    lines = [line for line in output.stdout.splitlines() if line.startswith(("+", "|"))]
    assert lines[3] == "| 東京   |   1 |"
    assert {wcswidth(line) for line in lines} == {len("+--------+-----+")}


def test_autolimit_limits_the_rows_fetched(sh):
    make_people(sh)
    run(sh, "%config SqlMagic.autolimit = 2")
    rs = run(sh, "%sql SELECT id FROM people ORDER BY id")
    assert len(rs) == 2 and rs.truncated


def test_conversions(sh):
    pytest.importorskip("pandas")
    make_people(sh)
    rs = run(sh, "%sql SELECT id, name FROM people ORDER BY id")
    assert rs.dict() == {"id": (1, 2, 3), "name": ("ada", "grace", "alan")}
    assert rs.dicts()[0] == {"id": 1, "name": "ada"}
    frame = rs.DataFrame()
    assert list(frame.columns) == ["id", "name"] and frame["name"].tolist() == ["ada", "grace", "alan"]


def test_persist_and_append_a_dataframe(sh, output):
    pd = pytest.importorskip("pandas")
    sh.user_ns["scores"] = pd.DataFrame({"who": ["a", "b"], "score": [1, 2]})
    run(sh, "%sql --persist scores")
    run(sh, "%sql --append scores")
    rs = run(sh, "%sql SELECT who, score FROM scores ORDER BY score, who")
    assert [tuple(r) for r in rs] == [("a", 1), ("a", 1), ("b", 2), ("b", 2)]
    line = fails_with(sh, output, "%sql --persist scores")
    assert "already exists" in line and "--append" in line


def test_errors_are_one_line_and_the_shell_goes_on(sh, output):
    line = fails_with(sh, output, "%sql SELECT * FROM no_such_table")
    assert line.startswith("SqlError: (") and "no_such_table" in line
    line = fails_with(sh, output, "%sql SELEKT 1")
    assert line.startswith("SqlError: (") and "SELEKT" in line.upper()
    assert run(sh, "%sql SELECT 1 AS one")[0][0] == 1


def test_a_missing_parameter_is_one_line(sh, output):
    line = fails_with(sh, output, "%sql SELECT :nowhere_defined AS x")
    assert ":nowhere_defined" in line


# -- SQLite specifics ----------------------------------------------------------------------
def test_sqlite_error_message_is_the_drivers(shell, output):
    line = fails_with(shell, output, "%sql SELECT * FROM foo")
    assert line == "SqlError: (sqlite3.OperationalError) no such table: foo"


def test_the_default_needs_nothing_but_the_standard_library():
    code = ("import sys\nfrom shell import Shell\nsh = Shell()\n"
            "r = sh.run_cell('%sql SELECT 1 + 1 AS two')\n"
            "assert r.result[0][0] == 2, r\n"
            "print(sorted(m for m in ('sqlalchemy', 'pandas', 'duckdb') if m in sys.modules))")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().endswith("[]")


def test_database_url_is_used_when_set(shell, tmp_path, monkeypatch):
    path = tmp_path / "env.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    run(shell, "%sql CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (7)")
    import sqlite3

    assert sqlite3.connect(path).execute("SELECT x FROM t").fetchall() == [(7,)]


def test_switching_by_alias_and_closing(shell, output, tmp_path):
    run(shell, f"%sql sqlite:///{tmp_path / 'a.db'} --alias a")
    run(shell, "%sql CREATE TABLE only_in_a (x INTEGER)")
    run(shell, f"%sql --alias b sqlite:///{tmp_path / 'b.db'}")
    fails_with(shell, output, "%sql SELECT * FROM only_in_a")
    run(shell, "%sql a")
    assert len(run(shell, "%sql SELECT * FROM only_in_a")) == 0
    output.clear()
    run(shell, "%sql --connections")
    assert output.stdout.splitlines() == [f"* a: sqlite:///{tmp_path / 'a.db'}", f"  b: sqlite:///{tmp_path / 'b.db'}"]
    run(shell, "%sql --close b")
    assert "b:" not in (output.clear() or run(shell, "%sql -l") or output.stdout)
    assert "no connection named 'b'" in fails_with(shell, output, "%sql --close b")


# -- statements with ';' inside a block ------------------------------------------------------
TRIGGER_CELL = ("%%sql\nCREATE TABLE t (x INTEGER);\nCREATE TABLE log (x INTEGER, note TEXT);\n"
                "CREATE TRIGGER t_logged AFTER INSERT ON t\nBEGIN\n"
                "  INSERT INTO log VALUES (new.x, 'first');\n"
                "  INSERT INTO log VALUES (new.x * 10, CASE WHEN new.x > 0 THEN 'second; positive' END);\n"
                "END;\nINSERT INTO t VALUES (4);")


def test_a_column_named_begin_opens_no_block(sh):
    rows = run(sh, "%%sql\nCREATE TABLE spans (begin INTEGER, finish INTEGER);\n"
                   "INSERT INTO spans VALUES (1, 2);\nSELECT begin, finish FROM spans")
    assert [tuple(r) for r in rows] == [(1, 2)]


@pytest.mark.parametrize("url", [None, "sqlite+pysqlite://"], ids=["stdlib", "sqlalchemy"])
def test_sqlite_trigger_bodies_are_one_statement(shell, output, url):
    if url is not None:
        pytest.importorskip("sqlalchemy")
        run(shell, f"%sql {url}")
    run(shell, TRIGGER_CELL)
    rows = run(shell, "%sql SELECT x, note FROM log ORDER BY x")
    assert [tuple(r) for r in rows] == [(4, "first"), (40, "second; positive")]


def test_postgresql_do_blocks_and_function_bodies_keep_their_semicolons(shell, postgres_url):
    run(shell, f"%sql {_fresh_postgres_database(postgres_url)}")
    run(shell, "%%sql\nCREATE TABLE log (n INTEGER);\n"
               "DO $$\nBEGIN\n  INSERT INTO log VALUES (1);\n  INSERT INTO log VALUES (2);\nEND\n$$;\n"
               "CREATE FUNCTION twice(x integer) RETURNS integer LANGUAGE plpgsql AS $body$\n"
               "DECLARE y integer;\nBEGIN\n  y := x * 2;\n  RETURN y;\nEND;\n$body$;\n"
               "CREATE FUNCTION thrice(x integer) RETURNS integer LANGUAGE sql\nBEGIN ATOMIC\n"
               "  INSERT INTO log VALUES (x);\n  SELECT x * 3;\nEND;\n"
               "CREATE PROCEDURE add_two() LANGUAGE sql\nBEGIN ATOMIC\n"
               "  INSERT INTO log VALUES (20);\n  INSERT INTO log VALUES (21);\nEND;\n"
               "CALL add_two()")
    rows = run(shell, "%sql SELECT twice(4) AS a, thrice(5) AS b")
    assert [tuple(r) for r in rows] == [(8, 15)]
    assert [r[0] for r in run(shell, "%sql SELECT n FROM log ORDER BY n")] == [1, 2, 5, 20, 21]


# -- bad input -----------------------------------------------------------------------------
@pytest.mark.parametrize("line", ["%sql nosuchdialect://x/y", "%sql postgresql+psycopg://u@127.0.0.1:1/db",
                                  "%sql --alias x", "%sql -x nothere", "%sql --bogus"])
def test_bad_input_is_one_line(shell, output, line):
    if "://" in line:
        pytest.importorskip("sqlalchemy")
    fails_with(shell, output, line)
    assert run(shell, "%sql SELECT 3 AS x")[0][0] == 3


# -- PostgreSQL: passwords and lost connections ----------------------------------------------
def test_passwords_are_masked(shell, output, postgres_url):
    url = postgres_url.replace("postgres@", "postgres:s3cret-pw@") + "/postgres"
    run(shell, f"%sql {url} --alias pg")
    output.clear()
    run(shell, "%sql --connections")
    assert "s3cret-pw" not in output.stdout and "postgres:***@127.0.0.1" in output.stdout
    line = fails_with(shell, output, "%sql SELECT * FROM no_such_table")
    assert "s3cret-pw" not in line


def test_a_lost_connection_says_so_and_the_next_sql_reconnects(shell, output, postgres_url):
    import psycopg

    run(shell, f"%sql {postgres_url}/postgres")
    pid = run(shell, "%sql SELECT pg_backend_pid() AS pid")[0][0]
    with psycopg.connect(postgres_url.replace("+psycopg", "") + "/postgres", autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    line = fails_with(shell, output, "%sql SELECT 1")
    assert "lost the connection" in line and "reconnects" in line
    assert run(shell, "%sql SELECT 2 AS two")[0][0] == 2


# -- completion of table and column names --------------------------------------------------
def make_customers(sh):
    run(sh, "%sql CREATE TABLE customers (customer_id INTEGER, customer_name VARCHAR(40))")
    run(sh, "%sql CREATE TABLE orders (order_id INTEGER, customer_id INTEGER)")


def completions(sh, text: str, cursor: int | None = None) -> list[tuple[str, str]]:
    result = sh.complete(text, cursor)  # what the terminal's Tab and the kernel's complete_request use
    return [(match.text, match.type) for match in result.matches]


@pytest.fixture
def patient(sh):
    """``sh`` with a completion budget no loaded machine runs out of: what is asked is answered."""
    sh.completer.budget_ms = 600_000
    return sh


def sql_magics(shell):
    return shell.magics.find("line", "sql").func.__self__


def test_table_and_column_names_complete_inside_sql(patient):
    sh = patient
    make_people(sh)
    complete = sh.completer.complete
    assert "people" in complete("%%sql\nSELECT * FROM peo").texts
    assert complete("%%sql\nSELECT * FROM people WHERE na").texts == ["name"]
    assert set(complete("%sql SELECT people.").texts) == {"people.id", "people.name"}
    assert complete("%%sql\nSELECT 'unrelated' AS zz_nothing_like_it").texts == []


def test_tables_after_from_and_columns_before_any_table_is_named(patient):
    make_customers(patient)
    assert completions(patient, "%%sql\nSELECT * FROM custo") == [("customers", "table")]
    assert completions(patient, "%%sql\nSELECT customer_n") == [("customer_name", "column")]
    assert completions(patient, "%sql SELECT customer_n") == [("customer_name", "column")]
    # the table named after the cursor decides whose columns: orders' order_id is not offered
    text = "%%sql\nSELECT o FROM customers"
    assert completions(patient, text, text.index(" FROM")) == [("orders", "table")]
    text = "%%sql\nSELECT c.customer_n FROM customers AS c JOIN orders o ON o.customer_id = c.customer_id"
    assert completions(patient, text, text.index(" FROM")) == [("c.customer_name", "column")]
    assert completions(patient, "%%sql\nSELECT * FROM customers c JOIN orders o ON o.") == [
        ("o.customer_id", "column"), ("o.order_id", "column")]


def test_assigned_sql_lines_complete_and_strings_and_comments_do_not(patient):
    make_customers(patient)
    assert completions(patient, "rows = %sql SELECT customer_n") == [("customer_name", "column")]
    assert completions(patient, "x = 1\nfirst, = %sql SELECT * FROM custo") == [("customers", "table")]
    assert completions(patient, "%sql SELECT * FROM customers WHERE customer_name LIKE 'cu") == []
    assert completions(patient, "%%sql\nSELECT 1 -- the cu") == []
    assert completions(patient, "%%sql\nSELECT 'a' AS x, cu") == [("customer_id", "column"),
                                                                  ("customer_name", "column"),
                                                                  ("customers", "table")]


def test_completion_follows_changes_to_the_schema(patient):
    make_customers(patient)
    assert completions(patient, "%sql SELECT customer_s") == []
    run(patient, "%sql ALTER TABLE customers ADD COLUMN customer_since VARCHAR(10)")
    assert completions(patient, "%sql SELECT customer_s") == [("customer_since", "column")]
    run(patient, "%%sql\nDROP TABLE orders;\nCREATE VIEW recent_customers AS SELECT customer_id FROM customers")
    assert completions(patient, "%sql SELECT * FROM ") == [("customers", "table"), ("recent_customers", "table")]


def test_completion_answers_from_its_cache_while_the_connection_is_busy(patient):
    make_customers(patient)
    assert completions(patient, "%sql SELECT customer_n") == [("customer_name", "column")]
    run(patient, "%sql ALTER TABLE customers ADD COLUMN customer_note VARCHAR(10)")
    conn = sql_magics(patient).connections.current
    busy, done = threading.Event(), threading.Event()

    def a_long_statement():  # holds the connection as a running statement does
        with conn.lock:
            busy.set()
            done.wait(600)

    statement = threading.Thread(target=a_long_statement)
    statement.start()
    try:
        busy.wait(60)
        # answered at once from what was read before (the budget is ten minutes: it did not wait)
        assert completions(patient, "%sql SELECT customer_n") == [("customer_name", "column")]
        assert statement.is_alive() and not done.is_set()
    finally:
        done.set()
        statement.join()
    assert completions(patient, "%sql SELECT customer_n") == [("customer_name", "column"),
                                                              ("customer_note", "column")]


def test_completion_opens_no_connection_and_runs_no_user_code(shell, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    shell.completer.budget_ms = 600_000
    shell.user_ns["calls"] = []
    shell.run_cell("def table():\n    calls.append(1)\n    return 'customers'")
    assert shell.completer.complete("%%sql\nSELECT * FROM {{table()}} WHERE :x > cu").texts == []
    assert sql_magics(shell).connections.current is None
    run(shell, "%sql CREATE TABLE customers (customer_id INTEGER)")
    assert shell.completer.complete("%%sql\nSELECT * FROM {{table()}} WHERE :x > cu").texts == [
        "customer_id", "customers"]
    assert shell.user_ns["calls"] == []


# -- display and settings ----------------------------------------------------------------------
def test_a_result_renders_as_text_and_html_through_the_formatter(shell):
    rs = run(shell, "%sql SELECT 1 AS one, 'a<b' AS two")
    bundle = shell.display_formatter.format(rs)[0]
    assert "| one | two |" in bundle["text/plain"]
    assert "<th>one</th>" in bundle["text/html"] and "a&lt;b" in bundle["text/html"]


def test_settings_come_from_the_config_file(output):
    from traitlets.config import Config

    from shell import Shell

    config = Config()
    config.SqlMagic.displaylimit = 1
    sh = Shell(output=output, config=config)
    rs = run(sh, "%sql SELECT 1 AS x UNION ALL SELECT 2")
    assert rs.displaylimit == 1 and "truncated to displaylimit of 1" in repr(rs)
    assert "SqlMagic" in sh.configurables()


def test_jupysql_habits_work_before_the_first_sql(shell, output):
    # A JupySQL notebook starts with these two cells; both must succeed in a fresh shell.
    assert shell.run_cell("%load_ext sql").success
    assert shell.run_cell("%config SqlMagic.displaylimit = 1").success
    assert output.stderr == ""
    rs = run(shell, "%sql SELECT 1 AS x UNION ALL SELECT 2")
    assert rs.displaylimit == 1 and "truncated to displaylimit of 1" in repr(rs)
