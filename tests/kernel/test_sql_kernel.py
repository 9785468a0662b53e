"""``%%sql`` in a real kernel process: table and column names through ``complete_request`` (issue 13,
item 14), and a trigger cell split where SQLite says its statements end (item 6)."""

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


def test_a_trigger_cell_runs_whole_and_fires(kc):
    """Issue 13 item 6, end to end: the ';' inside BEGIN ... END stays in the trigger."""
    reply, _ = execute(kc, "%%sql sqlite://\nCREATE TABLE item (n INTEGER);\nCREATE TABLE log (msg TEXT);\n"
                           "CREATE TRIGGER noted AFTER INSERT ON item BEGIN\n"
                           "    INSERT INTO log VALUES ('added ' || NEW.n);\n"
                           "    INSERT INTO log VALUES ('twice');\nEND;\nINSERT INTO item VALUES (7);")
    assert reply["status"] == "ok", reply
    reply, outputs = execute(kc, "rows = %sql SELECT msg FROM log ORDER BY rowid\n[r[0] for r in rows]")
    assert [m["content"]["data"]["text/plain"] for m in outputs if m["msg_type"] == "execute_result"] == \
        ["['added 7', 'twice']"]
