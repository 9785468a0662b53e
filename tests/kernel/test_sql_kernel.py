"""``%%sql`` in a real kernel process: table and column names through ``complete_request`` (issue 13, item 14)."""

from __future__ import annotations

from kernel_client import execute, shell_reply


def complete(kc, code: str, cursor: int | None = None) -> dict:
    cursor = len(code) if cursor is None else cursor
    return shell_reply(kc, kc.complete(code, cursor))["content"]


def typed(content: dict) -> list[tuple[str, str]]:
    return [(item["text"], item["type"]) for item in content["metadata"]["_jupyter_types_experimental"]]


def test_sql_cells_complete_names_from_the_connected_database(kc):
    # a budget no loaded machine runs out of, so what is asked is answered
    assert execute(kc, "%config Completer.budget_ms = 600000")[0]["status"] == "ok"
    reply, _ = execute(kc, "%%sql\nCREATE TABLE customers (customer_id INTEGER, customer_name TEXT);\n"
                           "CREATE TABLE orders (order_id INTEGER, customer_id INTEGER)")
    assert reply["status"] == "ok"

    content = complete(kc, "%%sql\nSELECT * FROM custo")
    assert content["status"] == "ok" and content["matches"] == ["customers"]
    assert (content["cursor_start"], content["cursor_end"]) == (len("%%sql\nSELECT * FROM "),
                                                                len("%%sql\nSELECT * FROM custo"))
    assert typed(content) == [("customers", "table")]

    code = "%%sql\nSELECT customer_n\nFROM customers"
    content = complete(kc, code, code.index("\nFROM"))
    assert content["matches"] == ["customer_name"] and typed(content) == [("customer_name", "column")]

    # after DDL the new column is offered
    assert execute(kc, "%sql ALTER TABLE customers ADD COLUMN customer_since TEXT")[0]["status"] == "ok"
    assert complete(kc, "%sql SELECT customer_s")["matches"] == ["customer_since"]
