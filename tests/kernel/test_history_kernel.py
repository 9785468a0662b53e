"""History through a real kernel process: what a notebook user saw run is in the database.

Each test starts kernels of its own with their own ``HOCUS_DIR``, so the
database read afterwards holds only what these kernels wrote.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
from pathlib import Path

import pytest
from kernel_client import execute, stdout_of

ROUNDS = 20
CELLS = 6


def start_kernel_in(hocus_dir: Path):
    from jupyter_client.manager import start_new_kernel

    env = {**os.environ, "HOCUS_DIR": str(hocus_dir)}
    return start_new_kernel(kernel_name="hocus", startup_timeout=60, env=env)


def sources_in(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [row[0] for row in conn.execute("SELECT source_raw FROM cells ORDER BY id")]
    finally:
        conn.close()


def test_kill_9_at_script_pace_loses_at_most_the_last_acknowledged_cell(hocus_env, tmp_path):
    # As a script drives a kernel: each cell sent once the previous reply came back, then
    # SIGKILL right after the last reply. docs/history.md promises that at most that last
    # cell is lost; whole sessions were lost when the first commit came 25-50 ms late.
    hocus_dir = tmp_path / "hocus"
    for round_ in range(ROUNDS):
        km, kc = start_kernel_in(hocus_dir)
        try:
            for i in range(CELLS):
                reply, _ = execute(kc, f"r{round_}_c{i} = {i}")
                assert reply["status"] == "ok"
            os.kill(km.provisioner.process.pid, signal.SIGKILL)
            km.provisioner.process.wait(30)
        finally:
            kc.stop_channels()
            km.cleanup_resources()
    stored = set(sources_in(hocus_dir / "history.sqlite"))
    lost = [f"r{r}_c{i} = {i}" for r in range(ROUNDS) for i in range(CELLS - 1)
            if f"r{r}_c{i} = {i}" not in stored]
    assert lost == []


def ascii_json(obj) -> bytes:
    """JSON with non-ASCII as \\u escapes: how a client gets a lone surrogate into a cell's code."""
    from jupyter_client.jsonutil import json_default

    return json.dumps(obj, default=json_default, ensure_ascii=True).encode("ascii")


@pytest.mark.parametrize("bad", ["x = '\udcff'", "s = 'caf\udce9'  # bytes decoded with surrogateescape"])
def test_a_cell_holding_a_lone_surrogate_loses_no_neighbour(hocus_env, tmp_path, bad):
    hocus_dir = tmp_path / "hocus"
    km, kc = start_kernel_in(hocus_dir)
    try:
        kc.session.pack = ascii_json  # the code arrives as "\udcff": the kernel sees the surrogate itself
        cells = ["a = 1", "b = 2", bad, "c = 3", "d = 4"]
        for cell in cells:
            execute(kc, cell)
        reply, _ = execute(kc, "d + c + b + a")
        assert reply["status"] == "ok"  # the kernel goes on after the bad cell
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    # the good cells whole; the bad one stored with its surrogate as a \u escape, not dropped
    assert sources_in(hocus_dir / "history.sqlite") == [
        "a = 1", "b = 2", bad.encode("utf-8", "backslashreplace").decode(), "c = 3", "d = 4", "d + c + b + a"]


def test_bytes_that_are_not_utf8_in_a_request_still_get_a_reply(kc):
    # jupyter_client packs a lone surrogate as the raw byte 0xff; its own unpacker, and so
    # ipykernel, reads such bytes as U+FFFD. The request was dropped, and the client waited forever.
    reply, outputs = execute(kc, "x = '\udcff'\nprint(len(x), ord(x))")
    assert reply["status"] == "ok"
    assert stdout_of(outputs) == "1 65533\n"


def test_after_a_shutdown_request_the_file_alone_holds_every_cell(hocus_env, tmp_path):
    hocus_dir = tmp_path / "hocus"
    km, kc = start_kernel_in(hocus_dir)
    try:
        for i in range(5):
            execute(kc, f"k{i} = {i}")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)
    copy = tmp_path / "copy.sqlite"  # the database file without its -wal: what a backup of that file holds
    shutil.copyfile(hocus_dir / "history.sqlite", copy)
    assert sources_in(copy) == [f"k{i} = {i}" for i in range(5)]
