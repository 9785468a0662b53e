"""History survives what breaks IPython's: concurrent writers, crashes, signals, corrupt files, full disks.

Most of these run real processes: ``python -m shell`` driven over a pipe, or a
small script using the engine, so exits, signals and locks are the real ones.
"""

from __future__ import annotations

import os
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from waiting import PATIENCE, eventually

from shell import Shell
from shell.engine.history.store import HistoryStore

TIMEOUT = 120


def cells_in(path: Path, session: int | None = None) -> list[tuple[int, int, str]]:
    conn = sqlite3.connect(path)
    try:
        sql = "SELECT session, number, source_raw FROM cells"
        params: tuple = ()
        if session is not None:
            sql += " WHERE session=?"
            params = (session,)
        return conn.execute(sql + " ORDER BY session, number", params).fetchall()
    finally:
        conn.close()


def wait_for_cells(path: Path, count: int) -> None:
    """Read the database (never creating it) until it holds ``count`` cells, as the writer commits them."""
    assert eventually(lambda: path.exists() and len(cells_in_read_only(path)) >= count), \
        f"the history writer never committed {count} cells"


def cells_in_read_only(path: Path) -> list[tuple]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT number FROM cells").fetchall()
    except sqlite3.OperationalError:  # the table is not made yet
        return []
    finally:
        conn.close()


def sessions_in(path: Path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT id, end IS NOT NULL, num_cells FROM sessions ORDER BY id").fetchall()
    finally:
        conn.close()


def env_for(hocus_dir: Path) -> dict[str, str]:
    return {**os.environ, "HOCUS_DIR": str(hocus_dir), "NO_COLOR": "1"}


def run_script(code: str, hocus_dir: Path, *, prefix: tuple[str, ...] = (), timeout: float = TIMEOUT):
    return subprocess.run([*prefix, sys.executable, "-c", textwrap.dedent(code)], capture_output=True,
                          text=True, timeout=timeout, env=env_for(hocus_dir), cwd=hocus_dir.parent)


@pytest.fixture(autouse=True)
def close_processes():
    """Every process a test started is gone, and its pipes closed, when the test ends."""
    yield
    for proc in STARTED:
        if proc.poll() is None:
            proc.kill()
        proc.wait(30)
        for pipe in (proc.stdin, proc.stdout, proc.stderr):
            if pipe is not None:
                pipe.close()
    STARTED.clear()


STARTED: list[subprocess.Popen] = []


def start(command: list[str], hocus_dir: Path, **kwargs) -> subprocess.Popen:
    proc = subprocess.Popen(command, env=env_for(hocus_dir), cwd=hocus_dir.parent, **kwargs)
    STARTED.append(proc)
    return proc


class Hocus:
    """``python -m shell`` over a pipe: send cells, wait for text, send signals."""

    def __init__(self, hocus_dir: Path, *args: str):
        self.proc = start([sys.executable, "-m", "shell", "--simple-prompt", "--no-banner", *args], hocus_dir,
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.seen = b""

    def send(self, *cells: str) -> None:
        for cell in cells:
            self.proc.stdin.write(cell.encode() + b"\n")
        self.proc.stdin.flush()

    def expect(self, text: str) -> None:
        fd = self.proc.stdout.fileno()
        while text.encode() not in self.seen:
            readable, _, _ = select.select([fd], [], [], PATIENCE)  # a safety net, not a measurement
            assert readable, f"never saw {text!r} in {self.seen!r}"
            chunk = os.read(fd, 4096)
            assert chunk, f"hocus ended before {text!r}: {self.seen!r} {self.proc.stderr.read()!r}"
            self.seen += chunk

    def finish(self, timeout: float = 60) -> tuple[int, str]:
        self.proc.stdin.close()
        status = self.proc.wait(timeout)
        return status, self.proc.stderr.read().decode()


def one_warning(stderr: str) -> str:
    """The single line a broken history file may cost, and no traceback."""
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("hocus: history: ")
    return lines[0]


# -- concurrency ----------------------------------------------------------------------------------
WRITER = """
    import sys
    from shell import Shell
    worker = int(sys.argv[1])
    sh = Shell()
    for i in range(1, 2001):
        sh.run_cell(f"w{worker} = {i}")
        if worker % 2 and i % 7 == 0:
            sh.history.flush()          # small transactions from the main thread too
        if i % 400 == 0:
            assert sh.history.search(f"w{worker} = *", n=1)[0][2] == f"w{worker} = {i}"
            assert sh.history.last(1) != []
    sh.history.close()                  # a library program ends its history itself (no atexit hook of ours)
"""


def test_four_processes_writing_at_once_lose_nothing_and_print_nothing(hocus_dir):
    hocus_dir.mkdir()
    procs = [start([sys.executable, "-c", textwrap.dedent(WRITER), str(worker)], hocus_dir,
                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for worker in range(4)]
    results = [proc.communicate(timeout=300) for proc in procs]
    for proc, (out, err) in zip(procs, results):
        assert proc.returncode == 0, err
        assert out == "" and err == "", (out, err)
    rows = cells_in(hocus_dir / "history.sqlite")
    assert len(rows) == 8000
    by_session: dict[int, list[tuple[int, str]]] = {}
    for session, number, source in rows:
        by_session.setdefault(session, []).append((number, source))
    assert len(by_session) == 4
    for cells in by_session.values():
        worker = cells[0][1].split()[0]
        assert cells == [(i, f"{worker} = {i}") for i in range(1, 2001)]
    assert all(ended and count == 2000 for _, ended, count in sessions_in(hocus_dir / "history.sqlite"))


# -- crashes, exits and signals ------------------------------------------------------------------------
def test_kill_9_mid_session_keeps_the_earlier_cells(hocus_dir):
    hocus = Hocus(hocus_dir)
    hocus.send("a = 1", "b = 2", "print('sum', a + b)",
               "import time; print('sleeping', flush=True); time.sleep(120)")
    hocus.expect("sleeping")
    wait_for_cells(hocus_dir / "history.sqlite", 3)  # the writer thread committed them: what kill -9 must not undo
    hocus.proc.kill()
    hocus.proc.wait(30)
    sources = [source for _, _, source in cells_in(hocus_dir / "history.sqlite")]
    assert sources[:3] == ["a = 1", "b = 2", "print('sum', a + b)"]


@pytest.mark.parametrize("how", ["exit", "end of input"])
def test_leaving_the_shell_records_every_cell_and_the_end(hocus_dir, how):
    hocus = Hocus(hocus_dir)
    hocus.send(*(f"x{i} = {i}" for i in range(1, 31)))
    if how == "exit":
        hocus.send("exit")
    status, stderr = hocus.finish()
    assert status == 0 and stderr == ""
    count = 31 if how == "exit" else 30
    assert len(cells_in(hocus_dir / "history.sqlite")) == count
    assert sessions_in(hocus_dir / "history.sqlite") == [(1, 1, count)]


def copy_of_the_file_alone(hocus_dir: Path, tmp_path: Path) -> Path:
    """history.sqlite copied without its -wal and -shm: what a backup or a sync of that one file gets."""
    copy = tmp_path / "copy" / "history.sqlite"
    copy.parent.mkdir()
    shutil.copyfile(hocus_dir / "history.sqlite", copy)
    return copy


@pytest.mark.parametrize("how", ["exit", "end of input"])
def test_after_a_clean_exit_the_file_alone_holds_every_cell(hocus_dir, tmp_path, how):
    hocus = Hocus(hocus_dir)
    hocus.send(*(f"x{i} = {i}" for i in range(1, 11)))
    if how == "exit":
        hocus.send("exit")
    assert hocus.finish() == (0, "")
    copy = copy_of_the_file_alone(hocus_dir, tmp_path)
    assert [source for _, _, source in cells_in(copy)][:10] == [f"x{i} = {i}" for i in range(1, 11)]
    assert sessions_in(copy)[0][1] == 1  # the session's end is in the file too


def test_invalid_utf8_piped_in_costs_no_other_cell(hocus_dir):
    # stdin decodes an undecodable byte to a lone surrogate, which SQLite cannot take: the writer
    # dropped the whole batch with it. Now the cell is stored with a \u escape, and one line says so.
    hocus = Hocus(hocus_dir)
    hocus.proc.stdin.write(b"a = 1\nb = '\xff'\nc = 3\nd = 4\nprint('sum', a + c + d)\n")
    hocus.proc.stdin.flush()
    hocus.expect("sum 8")
    status, stderr = hocus.finish()
    assert status == 0
    assert [line for line in stderr.splitlines() if line.startswith("hocus:")] == [
        "hocus: history: cell 2 holds text that is not valid Unicode; stored with \\u escapes in its place"]
    assert [source for _, _, source in cells_in(hocus_dir / "history.sqlite")] == [
        "a = 1", "b = '\\udcff'", "c = 3", "d = 4", "print('sum', a + c + d)"]


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGHUP"])
def test_a_terminating_signal_ends_the_session_cleanly(hocus_dir, signame):
    hocus = Hocus(hocus_dir)
    hocus.send("a = 1", "b = 2", "import time; print('sleeping', flush=True); time.sleep(120)")
    hocus.expect("sleeping")
    hocus.proc.send_signal(getattr(signal, signame))
    assert hocus.proc.wait(30) == -getattr(signal, signame)
    assert len(cells_in(hocus_dir / "history.sqlite")) == 3
    assert sessions_in(hocus_dir / "history.sqlite") == [(1, 1, 3)]


PENDING = """
    import signal, sys, time
    from shell import Shell
    from shell.engine.history.store import HistoryStore
    from shell.session import install_exit_flush
    {setup}
    install_exit_flush()                       # the application's choice, as the hocus command makes it
    store = HistoryStore(write_delay=600)      # the writer holds everything back: only a flush writes it
    sh = Shell(history=store)
    for i in range(1, 51):
        sh.run_cell(f"p = {{i}}")
    print("ready", flush=True)
    time.sleep(120)
"""


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGHUP"])
def test_a_signal_writes_cells_the_writer_still_held(hocus_dir, signame):
    hocus_dir.mkdir()
    proc = start([sys.executable, "-c", textwrap.dedent(PENDING.format(setup=""))], hocus_dir,
                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline() == "ready\n"
    proc.send_signal(getattr(signal, signame))
    assert proc.wait(30) == -getattr(signal, signame)
    assert proc.stderr.read() == ""
    assert [source for _, _, source in cells_in(hocus_dir / "history.sqlite")] == [f"p = {i}" for i in range(1, 51)]


def test_signal_handlers_chain_to_the_previous_one_and_leave_sigint_alone(hocus_dir):
    hocus_dir.mkdir()
    setup = textwrap.dedent("""
        def mine(signum, frame):
            print("previous handler ran; SIGINT is default:",
                  signal.getsignal(signal.SIGINT) is signal.default_int_handler, flush=True)
            sys.exit(7)
        signal.signal(signal.SIGTERM, mine)
    """).replace("\n", "\n    ")
    proc = start([sys.executable, "-c", textwrap.dedent(PENDING.format(setup=setup))], hocus_dir,
                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline() == "ready\n"
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(30) == 7
    assert proc.stdout.read() == "previous handler ran; SIGINT is default: True\n"
    assert len(cells_in(hocus_dir / "history.sqlite")) == 50


MID_COMMIT = """
    import os, signal, sys, threading
    from shell import Shell
    from shell.session import install_exit_flush
    install_exit_flush()
    sh = Shell()
    for i in range(1, 4):
        sh.run_cell(f"m = {i}")
    sh.history.wait()                          # the file is open: the next cell is committed by the main thread
    def signal_inside_the_commit(frame, event, arg):
        # the cell's transaction has begun (BEGIN IMMEDIATE holds the write lock) when its work starts
        if event == "call" and frame.f_code.co_name == "work" and frame.f_code.co_filename.endswith("database.py"):
            sys.setprofile(None)
            os.kill(os.getpid(), signal.SIGTERM)
    sys.setprofile(signal_inside_the_commit)
    sh.run_cell("m = 4")
    print("the signal did not end the process", flush=True)
"""


def test_a_signal_during_the_main_threads_own_commit_loses_nothing(hocus_dir):
    # The handler runs on the thread whose transaction it interrupted: writing on a fresh
    # connection would wait for that transaction's lock, which never comes, and lose the cell.
    hocus_dir.mkdir()
    proc = start([sys.executable, "-c", textwrap.dedent(MID_COMMIT)], hocus_dir,
                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = proc.communicate(timeout=TIMEOUT)
    assert (proc.returncode, out, err) == (-signal.SIGTERM, "", "")
    assert [source for _, _, source in cells_in(hocus_dir / "history.sqlite")] == [f"m = {i}" for i in range(1, 5)]
    assert sessions_in(hocus_dir / "history.sqlite") == [(1, 1, 4)]


LIBRARY = """
    import atexit, signal
    from shell import Shell
    before = {name: signal.getsignal(getattr(signal, name)) for name in ("SIGTERM", "SIGHUP", "SIGINT")}
    sh = Shell()
    assert sh.run_cell("x = 1").success and sh.history.wait()
    after = {name: signal.getsignal(getattr(signal, name)) for name in ("SIGTERM", "SIGHUP", "SIGINT")}
    print("handlers unchanged:", before == after, "atexit hooks:", atexit._ncallbacks())
"""


def test_a_library_shell_installs_no_signal_handler_and_no_atexit_hook(hocus_dir):
    hocus_dir.mkdir()
    proc = start([sys.executable, "-c", textwrap.dedent(LIBRARY)], hocus_dir,
                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = proc.communicate(timeout=120)
    assert (proc.returncode, err) == (0, "")
    baseline = subprocess.run([sys.executable, "-c", "import atexit; from shell import Shell; print(atexit._ncallbacks())"],
                              capture_output=True, text=True, timeout=120).stdout.strip()
    assert out == f"handlers unchanged: True atexit hooks: {baseline}\n"


def test_no_history_and_history_path_options(hocus_dir, tmp_path):
    hocus = Hocus(hocus_dir, "--no-history")
    hocus.send("secret = 1", "%history")
    hocus.expect("secret = 1\n%history")
    assert hocus.finish() == (0, "")
    assert not (hocus_dir / "history.sqlite").exists()

    elsewhere = tmp_path / "sub" / "mine.sqlite"
    hocus = Hocus(hocus_dir, "--history-path", str(elsewhere))
    hocus.send("kept = 2")
    assert hocus.finish() == (0, "")
    assert cells_in(elsewhere) == [(1, 1, "kept = 2")]
    assert not (hocus_dir / "history.sqlite").exists()


# -- broken files -----------------------------------------------------------------------------------
def shell_on(hocus_dir: Path, output) -> Shell:
    sh = Shell(output=output)
    sh.run_cell("a = 1")
    sh.run_cell("b = a + 1")
    sh.run_cell("%history")
    assert output.stdout.endswith("a = 1\nb = a + 1\n%history\n"), output.stdout
    assert sh.history.last(2) == ["%history", "b = a + 1"]
    sh.history.wait()
    return sh


def moved_aside(hocus_dir: Path) -> list[Path]:
    return sorted(p for p in hocus_dir.glob("history.sqlite.corrupt-*") if not p.name.endswith("-wal"))


def test_a_file_of_garbage_is_moved_aside(hocus_dir, output):
    hocus_dir.mkdir()
    garbage = os.urandom(5000)
    (hocus_dir / "history.sqlite").write_bytes(garbage)
    sh = shell_on(hocus_dir, output)
    warning = one_warning(output.stderr)
    [corrupt] = moved_aside(hocus_dir)
    assert corrupt.name in warning and "not an SQLite database" in warning
    assert corrupt.read_bytes() == garbage
    assert not sh.history.in_memory
    assert [s for _, _, s in cells_in(hocus_dir / "history.sqlite")] == ["a = 1", "b = a + 1", "%history"]


def test_a_truncated_database_is_moved_aside(hocus_dir, output):
    store = HistoryStore(hocus_dir / "history.sqlite")
    for i in range(1, 3001):
        store.store_cell(i, f"value_{i} = {'x' * 50}")
    store.close()
    conn = sqlite3.connect(hocus_dir / "history.sqlite")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    path = hocus_dir / "history.sqlite"
    size = path.stat().st_size
    with open(path, "r+b") as handle:
        handle.truncate(size // 3)
    sh = shell_on(hocus_dir, output)
    assert "truncated" in one_warning(output.stderr)
    [corrupt] = moved_aside(hocus_dir)
    assert corrupt.stat().st_size == size // 3
    assert [s for _, _, s in cells_in(path)] == ["a = 1", "b = a + 1", "%history"]
    assert not sh.history.in_memory


def test_a_corrupt_page_found_while_reading_is_moved_aside(hocus_dir, output):
    store = HistoryStore(hocus_dir / "history.sqlite")
    for i in range(1, 2001):
        store.store_cell(i, f"value_{i} = {'x' * 50}")
    store.close()
    path = hocus_dir / "history.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(3 * page, len(data) - page, 2 * page):  # scribble over every other page past the schema
        data[offset:offset + 200] = os.urandom(200)
    path.write_bytes(bytes(data))
    sh = Shell(output=output)
    sh.run_cell("a = 1")
    sh.run_cell("%history -g value_1*")
    sh.run_cell("%history -l 3")
    assert "Traceback" not in output.stderr
    assert len([line for line in output.stderr.splitlines() if line.startswith("hocus:")]) <= 2
    assert moved_aside(hocus_dir) and "moved it to history.sqlite.corrupt-" in output.stderr
    assert sh.history.last(3) == ["%history -l 3", "%history -g value_1*", "a = 1"]


def test_a_directory_where_the_file_should_be(hocus_dir, output):
    (hocus_dir / "history.sqlite").mkdir(parents=True)
    (hocus_dir / "history.sqlite" / "keep.txt").write_text("mine")
    sh = shell_on(hocus_dir, output)
    assert "is a directory" in one_warning(output.stderr)
    assert sh.history.in_memory
    assert (hocus_dir / "history.sqlite" / "keep.txt").read_text() == "mine"


def without_write_permission() -> tuple[str, ...]:
    """A command prefix under which a 0o555 folder really is read-only (root ignores permissions)."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: cannot make a folder read-only")
    caps = "-dac_override,-dac_read_search"
    return (setpriv, f"--inh-caps={caps}", f"--bounding-set={caps}")


SESSION = """
    from shell import Shell
    sh = Shell()
    sh.run_cell("a = 1")
    sh.run_cell("b = a + 1")
    sh.run_cell("%history -n")
    print(sh.history.in_memory, sh.history.last(5))
"""


@pytest.mark.parametrize("existing", ["no file", "a database", "garbage"])
def test_a_read_only_folder_keeps_history_in_memory(hocus_dir, existing):
    prefix = without_write_permission()
    hocus_dir.mkdir()
    if existing == "a database":  # written by a process that has ended, so no WAL is left open
        run_script("from shell import Shell; sh = Shell(); sh.run_cell('old = 0'); sh.history.close()", hocus_dir)
        conn = sqlite3.connect(hocus_dir / "history.sqlite")
        assert conn.execute("SELECT source_raw FROM cells").fetchall() == [("old = 0",)]
        conn.close()  # the last connection to close checkpoints and removes the WAL
        assert sorted(p.name for p in hocus_dir.iterdir()) == ["history.sqlite"]
    elif existing == "garbage":
        (hocus_dir / "history.sqlite").write_bytes(b"not a database at all" * 10)
    before = sorted(p.name for p in hocus_dir.iterdir())
    hocus_dir.chmod(0o555)
    try:
        proc = run_script(SESSION, hocus_dir, prefix=prefix)
    finally:
        hocus_dir.chmod(0o755)
    assert proc.returncode == 0, proc.stderr
    warning = one_warning(proc.stderr)
    earlier = ", 'old = 0'" if existing == "a database" else ""  # the old history stays in sight, read-only
    assert ("showing its history read-only" in warning) == (existing == "a database"), warning
    assert proc.stdout == ("   1: a = 1\n   2: b = a + 1\n   3: %history -n\n"
                           f"True ['%history -n', 'b = a + 1', 'a = 1'{earlier}]\n")
    assert sorted(p.name for p in hocus_dir.iterdir()) == before


READ_BACK = """
    from shell import Shell
    sh = Shell()
    sh.run_cell("new = 1")
    print(sh.history.in_memory, sh.history.last(5), sh.history.get_range_by_str("~1/"))
"""


def test_a_read_only_file_still_shows_the_old_history(hocus_dir):
    prefix = without_write_permission()
    hocus_dir.mkdir()
    run_script("from shell import Shell; sh = Shell(); sh.run_cell('old = 0'); sh.run_cell('older = 1'); "
               "sh.history.close()", hocus_dir)
    (hocus_dir / "history.sqlite").chmod(0o444)
    proc = run_script(READ_BACK, hocus_dir, prefix=prefix)
    assert proc.returncode == 0, proc.stderr
    warning = one_warning(proc.stderr)
    assert "history.sqlite" in warning and "showing its history read-only" in warning
    assert proc.stdout == "True ['new = 1', 'older = 1', 'old = 0'] [(1, 1, 'old = 0'), (1, 2, 'older = 1')]\n"
    assert [source for _, _, source in cells_in(hocus_dir / "history.sqlite")] == ["old = 0", "older = 1"]


def test_a_full_disk_keeps_the_rest_of_the_session_in_memory(hocus_dir):
    hocus_dir.mkdir()
    code = """
        import resource, signal
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)     # a write past the limit fails like ENOSPC
        resource.setrlimit(resource.RLIMIT_FSIZE, (300_000, 300_000))
        from shell import Shell
        sh = Shell()
        for i in range(1, 301):
            sh.run_cell(f"x{i} = {'a' * 2000!r}")
            if i % 50 == 0:
                sh.history.wait()
        print(sh.history.in_memory, len(sh.history.get_range()), len(sh.history.search("x*")))
    """
    proc = run_script(code, hocus_dir)
    assert proc.returncode == 0, proc.stderr
    one_warning(proc.stderr)
    assert proc.stdout == "True 300 300\n"


def test_cells_stored_while_the_writer_takes_a_batch_are_all_written():
    """A cell submitted while the writer thread copies its batch once killed the thread
    ("deque mutated during iteration"), and the rest of the session was never written."""
    from collections import deque

    from shell.engine.history.writer import BackgroundWriter

    written: list = []
    writer = BackgroundWriter(written.extend)

    class SubmittedMeanwhile(deque):
        """The pending queue, with a cell arriving from the main thread mid-copy (deterministically)."""

        arrived = False

        def __iter__(self):
            for item in deque.__iter__(self):
                if not self.arrived:
                    self.arrived = True
                    self.append("late cell")
                yield item

    writer.pending = SubmittedMeanwhile()
    writer.submit("first cell")
    assert writer.wait(10)
    writer.submit("next cell")
    assert writer.wait(10)
    assert set(written) >= {"first cell", "next cell"}
    writer.stop()
