"""Shared fixtures: a fresh Shell with its output captured, an isolated HOCUS_DIR, scripted pdb input."""

from __future__ import annotations

import io
import signal
import sys
from pathlib import Path

import pytest

# pytest imports test files with --import-mode=importlib, so helper modules shared by several
# folders (cell_checks, live_output) are found through this folder on sys.path.
sys.path.insert(0, str(Path(__file__).resolve().parent))


def _signals_as_from_a_terminal() -> None:
    """Ctrl-C and hang-up as a terminal delivers them, even when pytest was started with them ignored.

    A program started in the background by a non-interactive shell (``cmd &``)
    or under ``nohup`` inherits SIGINT or SIGHUP ignored, and so do the shells
    and kernels the tests start; the tests of Ctrl-C and of SIGHUP are about
    a user's session, where neither is ignored.
    """
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if signal.getsignal(signal.SIGHUP) is signal.SIG_IGN:
        signal.signal(signal.SIGHUP, signal.SIG_DFL)


_signals_as_from_a_terminal()


class CapturedOutput:
    """An Output seam that records what the engine writes."""

    def __init__(self):
        self.out: list[str] = []
        self.err: list[str] = []

    def write(self, text: str) -> None:
        self.out.append(text)

    def write_err(self, text: str) -> None:
        self.err.append(text)

    @property
    def stdout(self) -> str:
        return "".join(self.out)

    @property
    def stderr(self) -> str:
        return "".join(self.err)

    def clear(self) -> None:
        self.out.clear()
        self.err.clear()


@pytest.fixture(scope="module", autouse=True)
def _release_the_modules_shells():
    """Collect each module's shells when it ends.

    A Shell is a web of objects that refer to each other, freed by the
    cycle collector, which runs rarely; until then each one keeps its
    history database open (three file descriptors). Thousands of tests
    would otherwise hold over a thousand descriptors, past what ``select()``
    (pexpect) accepts.
    """
    yield
    import gc

    gc.collect()


@pytest.fixture(autouse=True)
def hocus_dir(tmp_path, monkeypatch):
    """Every test gets its own user data folder, never the developer's ~/.hocus."""
    path = tmp_path / "hocus-home"
    monkeypatch.setenv("HOCUS_DIR", str(path))
    return path


@pytest.fixture
def output():
    return CapturedOutput()


@pytest.fixture
def shell(output):
    """A Shell whose engine output (results, tracebacks) goes to ``output``."""
    from shell import Shell

    return Shell(output=output)


@pytest.fixture
def pdb_input(monkeypatch, capsys):
    """Feed pdb these commands; return a function giving what pdb printed."""

    def feed(*commands: str):
        monkeypatch.setattr(sys, "stdin", io.StringIO("".join(c + "\n" for c in commands)))
        return lambda: capsys.readouterr().out

    return feed
