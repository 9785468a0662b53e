"""``%sql`` in the real ``hocus`` terminal, in a pty: Tab completes table and column names (issue 13, item 14)."""

from __future__ import annotations

import time

import pytest

from pty_session import spawn_hocus

TAB = "\t"


@pytest.fixture
def hocus(tmp_path):
    child = spawn_hocus(tmp_path, hocus_dir=tmp_path / "hocus", env={"DATABASE_URL": None}, dimensions=(40, 200))
    child.expect_exact("In [1]: ")
    yield child
    child.close(force=True)


def run(child, source: str, next_prompt: int) -> str:
    """Type one line and Enter; what the shell printed before the next prompt."""
    child.send(source + "\r")
    child.expect_exact(f"In [{next_prompt}]: ")
    return child.before


def type_slowly(child, text: str) -> None:
    for key in text:
        child.send(key)
        time.sleep(0.02)  # as typed: keys never arrive in one read (not a wait for anything)


def test_tab_completes_table_and_column_names_and_follows_ddl(hocus):
    run(hocus, "%config Completer.budget_ms = 600000", 2)  # no loaded machine runs out of it
    run(hocus, "%sql CREATE TABLE customers (customer_id INTEGER, customer_name TEXT)", 3)
    # Each word is typed half-way and finished with Tab (the one completion is inserted, and
    # drawn as the rest of the word); only the completed query runs.
    type_slowly(hocus, "%sql SELECT customer_n")
    hocus.send(TAB)
    hocus.expect_exact("ame")
    type_slowly(hocus, " FROM custo")
    hocus.send(TAB)
    hocus.expect_exact("mers")
    printed = run(hocus, "", 4)
    assert "| customer_name |" in printed, printed
    run(hocus, "%sql ALTER TABLE customers ADD COLUMN customer_since TEXT", 5)
    type_slowly(hocus, "%sql SELECT customer_s")
    hocus.send(TAB)
    hocus.expect_exact("ince")
    printed = run(hocus, " FROM customers", 6)
    assert "| customer_since |" in printed, printed
