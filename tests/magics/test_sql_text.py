"""The pure parts of ``%sql``: splitting statements, finding parameters, masking, rendering."""

from __future__ import annotations

import sys

import pytest

from magics.builtin.sql.connections import mask_password
from magics.builtin.sql.errors import SqlError, describe
from magics.builtin.sql.params import (bind_values, ends_in_quotes, escape_colons, find_parameters,
                                       interpolate)
from magics.builtin.sql.resultset import ResultSet
from magics.builtin.sql.statements import split_statements
from magics.errors import UsageError


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql", "duckdb"])
@pytest.mark.parametrize("sql,expected", [
    ("SELECT 1", ["SELECT 1"]),
    ("SELECT 1; SELECT 2;", ["SELECT 1", "SELECT 2"]),
    ("INSERT INTO t VALUES (';'); SELECT 2", ["INSERT INTO t VALUES (';')", "SELECT 2"]),
    ('SELECT "a;b" FROM t', ['SELECT "a;b" FROM t']),
    ("SELECT 1 -- not; split\n; SELECT 2", ["SELECT 1 -- not; split", "SELECT 2"]),
    ("SELECT /* ; */ 1", ["SELECT /* ; */ 1"]),
    ("SELECT 'it''s; fine'", ["SELECT 'it''s; fine'"]),
    ("BEGIN; INSERT INTO t VALUES (1); COMMIT;", ["BEGIN", "INSERT INTO t VALUES (1)", "COMMIT"]),
    ("-- only a comment\n", []),
    (" ; ;", []),
])
def test_split_statements(sql, expected, dialect):
    assert split_statements(sql, dialect) == expected


TRIGGER = ("CREATE TRIGGER tr AFTER INSERT ON t BEGIN\n  INSERT INTO log VALUES (new.x);\n"
           "  UPDATE log SET note = CASE WHEN new.x > 1 THEN 'big; very' END;\nEND")


@pytest.mark.parametrize("sql,expected", [
    (f"CREATE TABLE t (x);\n{TRIGGER};\nINSERT INTO t VALUES (1);", ["CREATE TABLE t (x)", TRIGGER,
                                                                     "INSERT INTO t VALUES (1)"]),
    ("CREATE TEMP TRIGGER tr BEFORE DELETE ON t BEGIN SELECT RAISE(ABORT, 'no; never'); END; SELECT 1",
     ["CREATE TEMP TRIGGER tr BEFORE DELETE ON t BEGIN SELECT RAISE(ABORT, 'no; never'); END", "SELECT 1"]),
])
def test_sqlite_triggers_keep_their_body(sql, expected):
    assert split_statements(sql, "sqlite") == expected


FUNCTION = "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql"
PLPGSQL = ("CREATE FUNCTION g(x int) RETURNS int LANGUAGE plpgsql AS $body$\nDECLARE y int;\nBEGIN\n"
           "  y := x * 2;\n  RETURN y;\nEND;\n$body$")
ATOMIC = "CREATE PROCEDURE p() LANGUAGE sql\nBEGIN ATOMIC\n  INSERT INTO t VALUES (1);\n  SELECT 2;\nEND"
DO = "DO $$\nBEGIN\n  PERFORM 1;\n  PERFORM 2;\nEND\n$$"


@pytest.mark.parametrize("sql,expected", [
    (f"{FUNCTION}; SELECT 2", [FUNCTION, "SELECT 2"]),
    (f"{PLPGSQL};\n{DO};\nCALL p();", [PLPGSQL, DO, "CALL p()"]),
    (f"{ATOMIC};\nCALL p()", [ATOMIC, "CALL p()"]),
    ("SELECT 1; -- a note\nSELECT 2", ["SELECT 1", "SELECT 2"]),
    ("CREATE TABLE t (begin int, x int); SELECT 2", ["CREATE TABLE t (begin int, x int)", "SELECT 2"]),
    ("BEGIN ISOLATION LEVEL SERIALIZABLE; SELECT 1; COMMIT", ["BEGIN ISOLATION LEVEL SERIALIZABLE", "SELECT 1",
                                                              "COMMIT"]),
])
def test_postgresql_bodies_keep_their_semicolons(sql, expected):
    assert split_statements(sql, "postgresql") == expected


def test_without_sqlparse_several_statements_are_a_one_line_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "sqlparse", None)  # as if not installed
    assert split_statements("SELECT 1", "duckdb") == ["SELECT 1"]  # nothing to split: not needed
    with pytest.raises(SqlError, match=r"needs sqlparse: pip install 'hocus\[sql\]'"):
        split_statements("SELECT 1; SELECT 2", "duckdb")


def test_parameters_skip_strings_comments_and_casts():
    sql = "SELECT x::int, :a, ':b', \"c:d\", $tag$ :e $tag$, :a, :f_2 FROM t -- :g\n/* :h */"
    assert find_parameters(sql) == ["a", "f_2"]
    assert escape_colons("SELECT ':b', :a") == "SELECT '\\:b', :a"


@pytest.mark.parametrize("sql,inside", [
    ("SELECT 'cu", True), ("SELECT 'it''s", True), ("SELECT 'it''s' AND cu", False), ('SELECT "Cu', True),
    ("SELECT 1 -- cu", True), ("SELECT 1 -- x\nAND cu", False), ("SELECT /* cu", True), ("/* x */ cu", False),
    ("DO $$ BEGIN cu", True), ("DO $b$ x $b$; SELECT cu", False), ("SELECT cu", False), ("", False),
])
def test_ends_in_quotes(sql, inside):
    assert ends_in_quotes(sql) is inside


def test_bind_values_names_a_missing_variable():
    assert bind_values(["a"], {"a": 1, "b": 2}) == {"a": 1}
    with pytest.raises(UsageError, match=":missing"):
        bind_values(["missing"], {})


def test_interpolation_only_with_double_braces():
    assert interpolate("SELECT '{1,2}'::int[] FROM {{name}}", {"name": "t"}) == "SELECT '{1,2}'::int[] FROM t"
    with pytest.raises(UsageError, match="NameError"):
        interpolate("SELECT {{nope}}", {})


@pytest.mark.parametrize("url,masked", [
    ("postgresql://user:secret@host/db", "postgresql://user:***@host/db"),
    ("postgresql+psycopg://u:p%40ss@127.0.0.1:5432/db", "postgresql+psycopg://u:***@127.0.0.1:5432/db"),
    ("postgresql://user@host/db", "postgresql://user@host/db"),
    ("sqlite:///tmp/x.db", "sqlite:///tmp/x.db"),
])
def test_mask_password(url, masked):
    assert mask_password(url) == masked


def test_describe_is_one_line_with_the_driver_class():
    import sqlite3

    with pytest.raises(sqlite3.Error) as info:
        sqlite3.connect(":memory:").execute("SELECT * FROM foo")
    assert describe(info.value) == "(sqlite3.OperationalError) no such table: foo"
    assert describe(ValueError("a\nb")) == "(ValueError) a"


def test_resultset_renders_text_and_html():
    rs = ResultSet(["n", "word"], [(1, "a<b"), (10, None)])
    assert str(rs) == ("+----+------+\n| n  | word |\n+----+------+\n|  1 | a<b  |\n| 10 | None |\n"
                       "+----+------+")
    assert "<td>a&lt;b</td>" in rs._repr_html_()
    assert ResultSet(["x"], [(i,) for i in range(5)], displaylimit=2).__str__().endswith(
        "5 rows, truncated to displaylimit of 2.")
    assert rs == [(1, "a<b"), (10, None)] and len(rs) == 2 and rs[1][0] == 10


def test_wide_characters_are_aligned_by_their_width_on_screen():
    # CJK ideographs and most emoji take two columns of a terminal; a combining accent takes none.
    rs = ResultSet(["city", "n"], [("東京", 1), ("Zürich", 22), ("🙂 ok", 3), ("cafe\u0301", 4)])
    assert str(rs) == ("+--------+----+\n"
                       "| city   | n  |\n"
                       "+--------+----+\n"
                       "| 東京   |  1 |\n"
                       "| Zürich | 22 |\n"
                       "| 🙂 ok  |  3 |\n"
                       "| cafe\u0301   |  4 |\n"
                       "+--------+----+")
    wide = ResultSet(["名前"], [("ab",)])
    assert str(wide).splitlines() == ["+------+", "| 名前 |", "+------+", "| ab   |", "+------+"]
