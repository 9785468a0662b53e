"""Built-in magics run against a shell that implements only :class:`magics.surface.ShellSurface`.

docs/magics/extensions.md promises third-party authors that the surface is
all a magic needs; these tests hold the built-in magics to the same promise.
The fake (``surface_fake.py``) imports nothing from ``shell``: a magic that
reached past the surface into the engine's parts fails here.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the fake lives beside this file

from surface_fake import FakeShell  # noqa: E402

from magics.errors import UsageError  # noqa: E402
from magics.surface import ShellSurface  # noqa: E402


@pytest.fixture
def fake(tmp_path):
    return FakeShell(tmp_path / "hocus-home")


def line(shell: FakeShell, name: str, arg: str = ""):
    return shell.magics.find("line", name).func(arg)


def cell(shell: FakeShell, name: str, arg: str, body: str):
    return shell.magics.find("cell", name).func(arg, body)


def test_the_fake_is_a_shell_surface(fake):
    assert isinstance(fake, ShellSurface)


def test_time_compiles_and_runs_through_the_surface(fake):
    fake.user_ns["x"] = 20
    assert line(fake, "time", "x * 2 + 2") == 42
    assert "Wall time:" in fake.stdout


def test_timeit_runs_its_statement(fake):
    fake.user_ns["calls"] = []
    line(fake, "timeit", "-n 3 -r 1 calls.append(1)")
    assert fake.user_ns["calls"] == [1, 1, 1]
    assert "per loop" in fake.stdout


def test_precision_goes_through_the_surface(fake):
    assert line(fake, "precision", "3") == "%.3f"
    assert fake.format_plain(3.14159) == "3.142"
    with pytest.raises(UsageError, match="%precision"):
        line(fake, "precision", "three")


def test_pprint_toggles_pretty_printing(fake):
    line(fake, "pprint")
    assert fake.pretty_printing is False
    assert "Pretty printing has been turned OFF" in fake.stdout


def test_capture_redirects_the_shells_output(fake):
    cell(fake, "capture", "captured", "print('noisy')\nget_ipython().write('engine text\\n')\n"
                                      "get_ipython().display(7)\n")
    captured = fake.user_ns["captured"]
    assert captured.stdout == "noisy\nengine text\n"
    assert [output.data["text/plain"] for output in captured.outputs] == ["7"]
    assert "noisy" not in fake.stdout and "engine text" not in fake.stdout


def test_xmode_and_tb_use_the_mode_setting(fake):
    line(fake, "xmode", "plain")
    assert fake.xmode == "Plain"
    fake.run_cell("1 / 0")
    fake.err.clear()
    line(fake, "tb", "Verbose")
    assert fake.stderr == "[Verbose] ZeroDivisionError: division by zero\n"


def test_history_and_recall_read_the_surface_history(fake):
    fake.run_cell("a = 1")
    fake.run_cell("b = a + 1")
    line(fake, "history", "1-2")
    assert fake.stdout == "a = 1\nb = a + 1\n"
    line(fake, "recall", "2")
    assert fake.next_input == ("b = a + 1", False)


def test_who_lists_user_variables(fake):
    fake.run_cell("alpha = 1\nbeta = 'b'")
    line(fake, "who")
    assert fake.stdout.split() == ["alpha", "beta"]


def test_reset_asks_through_read_input(fake):
    fake.user_ns["gone"] = 1
    fake.answers.append("y")
    line(fake, "reset")
    assert "gone" not in fake.user_ns and fake.answers == []


def test_page_shows_the_plain_text_of_an_object(fake):
    fake.user_ns["x"] = [1, 2]
    line(fake, "page", "x")
    assert fake.paged == ["[1, 2]"]


def test_alias_and_dirs_magics_use_hocus_dir(fake, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    line(fake, "alias", "--persist hi echo hi")
    assert (fake.hocus_dir / "aliases.json").exists()
    line(fake, "bookmark", "here")
    assert "here" in (fake.hocus_dir / "bookmarks.json").read_text()
