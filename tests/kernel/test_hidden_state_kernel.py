"""Hidden-state warnings through a real kernel, with execute requests shaped as JupyterLab sends them.

JupyterLab (packages/cells/src/widget.ts, ``CodeCell.execute``) sends each
execute request with metadata made of the cell's own metadata, then
``deletedCells`` (the ids of cells deleted since the last request, which
packages/notebook/src/cellexecutor.ts empties after each reply) and
``recordTiming``, then ``cellId``. The warning reaches the user as a stderr
stream in the output of the cell that reads the name, before its own output.
"""

from __future__ import annotations

import uuid

import pytest

from kernel_client import collect, shell_reply


class Lab:
    """What a JupyterLab notebook sends: one cell id per cell, and the deletions since the last run."""

    def __init__(self, kc):
        self.kc = kc
        self.deleted: list[str] = []

    def run(self, cell_id: str, code: str) -> tuple[dict, list[dict]]:
        kc = self.kc
        content = {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                   "allow_stdin": True, "stop_on_error": True}
        metadata = {"trusted": True, "deletedCells": list(self.deleted), "recordTiming": False, "cellId": cell_id}
        msg = kc.session.msg("execute_request", content, metadata=metadata)
        kc.shell_channel.send(msg)
        msg_id = msg["header"]["msg_id"]
        reply = shell_reply(kc, msg_id)["content"]
        self.deleted.clear()  # as cellexecutor.ts does once the reply is in
        outputs = [m for m in collect(kc, msg_id) if m["msg_type"] == "stream"]
        return reply, outputs

    def delete(self, cell_id: str) -> None:
        self.deleted.append(cell_id)


def streams(outputs: list[dict]) -> list[tuple[str, str]]:
    return [(m["content"]["name"], m["content"]["text"]) for m in outputs]


def warned(outputs: list[dict]) -> str:
    return "".join(text for name, text in streams(outputs) if name == "stderr")


@pytest.fixture
def lab(kc):
    kc.execute_interactive("%reset -f", timeout=60)  # the module's kernel is shared: start from no lineage
    return Lab(kc)


def new_id() -> str:
    return str(uuid.uuid4())


def test_a_deleted_cells_name_warns_on_stderr_before_the_output(lab):
    defining, reading = new_id(), new_id()
    reply, _ = lab.run(defining, "a = 20")
    count = reply["execution_count"]
    lab.delete(defining)
    reply, outputs = lab.run(reading, "print(a * 2)")
    assert reply["status"] == "ok"
    first, *rest = streams(outputs)
    assert first == ("stderr", f"hidden state: 'a' was made by cell [{count}] (id {defining[:8]}), which has been "
                               "deleted; define 'a' in a cell that exists, or run `del a`\n")
    assert "".join(text for name, text in rest if name == "stdout") == "40\n"


def test_an_edited_cells_name_warns(lab):
    cell, reader = new_id(), new_id()
    reply, _ = lab.run(cell, "x = 1\ny = 2")
    count = reply["execution_count"]
    lab.run(cell, "y = 3")  # the same cell, edited: it no longer binds x
    reply, outputs = lab.run(reader, "x + y")
    assert reply["status"] == "ok"
    assert warned(outputs) == (f"hidden state: 'x' was made by cell [{count}] (id {cell[:8]}), whose code no longer "
                               "binds it; bind 'x' in a cell again, or run `del x`\n")


def test_a_stale_chain_warns_and_rerun_stale_fixes_it(lab):
    load, clean, use = new_id(), new_id(), new_id()
    lab.run(load, "df = [3, None, 1]")
    reply, _ = lab.run(clean, "df2 = [v for v in df if v is not None]")
    clean_count = reply["execution_count"]
    reply, _ = lab.run(load, "df = [7, None]")  # re-loaded
    load_count = reply["execution_count"]
    reply, outputs = lab.run(use, "print(df2)")
    assert warned(outputs) == (f"hidden state: 'df2' is stale: cell [{clean_count}] (id {clean[:8]}) computed it "
                               f"from 'df', which cell [{load_count}] (id {load[:8]}) has re-bound since; run "
                               f"`%rerun --stale` (or re-run cell [{clean_count}] (id {clean[:8]}))\n")
    _, outputs = lab.run(new_id(), "%rerun --stale")
    assert "df2 = [v for v in df if v is not None]" in "".join(text for _, text in streams(outputs))
    _, outputs = lab.run(use, "print(df2)")
    assert streams(outputs) == [("stdout", "[7]\n")]


def test_a_notebook_run_in_order_gets_no_warning(lab):
    cells = [(new_id(), code) for code in ("import math\nvalues = [1, 4, 9]", "roots = [math.sqrt(v) for v in values]",
                                           "values = roots", "total = sum(values)", "print(total)")]
    for _ in range(2):  # Run All twice
        for cell_id, code in cells:
            reply, outputs = lab.run(cell_id, code)
            assert reply["status"] == "ok" and warned(outputs) == ""
