"""Editing a cell in ``$EDITOR`` and leaving with Ctrl-D: the real ``hocus`` in a pty, driven by keystrokes.

The editor is a small Python script written into the test's directory: it
records the text it was given, replaces ``1+1`` in it and exits with the
status the test asks for. Sessions run with NO_COLOR and
PROMPT_TOOLKIT_NO_CPR, as in ``test_prompt_toolkit.py``, and each test has
its own HOCUS_DIR.
"""

from __future__ import annotations

import shlex
import sys

import pexpect
import pytest

from pty_session import spawn_hocus, type_keys

ENTER = "\r"
ESC = "\x1b"
F2 = "\x1bOQ"  # xterm
CTRL_A, CTRL_B, CTRL_D = "\x01", "\x02", "\x04"
CTRL_X_CTRL_E = "\x18\x05"
CONFIRM_EXIT = "Do you really want to exit ([y]/n)?"  # the renderer drops the trailing space

EDITOR_SCRIPT = """\
import pathlib, sys
path = pathlib.Path(sys.argv[-1])
here = pathlib.Path(__file__).parent
text = path.read_text()
(here / "given.txt").write_text(text)
path.write_text(text.replace("1+1", (here / "replacement.txt").read_text()))
if {status}:
    print("editor: could not save", file=sys.stderr)
sys.exit({status})
"""


def editor(directory, replacement: str, status: int = 0) -> str:
    """A command line for ``$EDITOR`` that replaces ``1+1`` with ``replacement`` and exits with ``status``."""
    directory.mkdir(exist_ok=True)
    (directory / "replacement.txt").write_text(replacement)
    script = directory / "editor.py"
    script.write_text(EDITOR_SCRIPT.format(status=status))
    return f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}"


@pytest.fixture
def editor_dir(tmp_path):
    return tmp_path / "editor"


def start(home, *args, env=None):
    child = spawn_hocus(home, *args, env=env)
    child.expect_exact("In [1]: ")
    return child


# -- $EDITOR ------------------------------------------------------------------------------------------

def test_f2_puts_the_edited_cell_back_in_the_prompt_and_enter_runs_it(home, editor_dir):
    child = start(home, env={"EDITOR": editor(editor_dir, "40+2")})
    try:
        type_keys(child, "1+1" + F2)
        child.expect_exact("40+2")
        # Still being edited, not run: a key typed now joins the cell (40+20), it does not start a new one.
        type_keys(child, "0" + ENTER)
        child.expect_exact("Out[1]: 60")
        child.expect_exact("In [2]: ")
        assert (editor_dir / "given.txt").read_text() == "1+1"
    finally:
        child.close(force=True)


def test_f2_brings_back_a_multi_line_cell_that_enter_runs_whole(home, editor_dir):
    child = start(home, env={"EDITOR": editor(editor_dir, "def answer():\n    return 42\n\nanswer()\n")})
    try:
        type_keys(child, "1+1" + F2)
        child.expect_exact("answer()")
        type_keys(child, ENTER)
        child.expect_exact("Out[1]: 42")
        child.expect_exact("In [2]: ")
        type_keys(child, "print(repr(In[1]))" + ENTER)
        child.expect_exact(repr("def answer():\n    return 42\n\nanswer()"))
    finally:
        child.close(force=True)


@pytest.mark.parametrize("args, keys", [
    pytest.param((), (CTRL_X_CTRL_E,), id="emacs-ctrl-x-ctrl-e"),
    pytest.param(("--TerminalShell.editing_mode=vi",), (ESC, "v"), id="vi-v"),
])
def test_edit_and_execute_runs_the_edited_cell_at_once(home, editor_dir, args, keys):
    # Bash's edit-and-execute-command, from prompt_toolkit: unlike F2, no Enter is needed.
    child = start(home, *args, env={"EDITOR": editor(editor_dir, "40+2")})
    try:
        type_keys(child, "1+1")
        for key in keys:
            type_keys(child, key)
            if key == ESC:
                child.expect_exact("nav")  # vi has left insert mode before 'v' is pressed
        child.expect_exact("Out[1]: 42")
        child.expect_exact("In [2]: ")
    finally:
        child.close(force=True)


def test_a_failing_editor_leaves_the_cell_as_it_was(home, editor_dir):
    # The editor changes the file but exits 1: its text is not taken, the typed cell is kept.
    child = start(home, env={"EDITOR": editor(editor_dir, "40+2", status=1)})
    try:
        type_keys(child, "1+1" + F2)
        child.expect_exact("editor: could not save")
        child.expect_exact("In [1]: ")
        child.expect_exact("1+1")
        type_keys(child, ENTER)
        child.expect_exact("Out[1]: 2")
        child.expect_exact("In [2]: ")
        type_keys(child, "'alive'" + ENTER)
        child.expect_exact("Out[2]: 'alive'")
    finally:
        child.close(force=True)


def test_a_missing_visual_falls_back_to_editor(home, editor_dir):
    env = {"VISUAL": str(editor_dir / "no-such-editor"), "EDITOR": editor(editor_dir, "40+2")}
    child = start(home, env=env)
    try:
        type_keys(child, "1+1" + F2)
        child.expect_exact("40+2")
        type_keys(child, ENTER)
        child.expect_exact("Out[1]: 42")
    finally:
        child.close(force=True)


# -- Ctrl-D -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("answer", ["n" + ENTER, "\x03"], ids=["no", "ctrl-c"])
def test_declining_the_exit_question_keeps_the_session(home, answer):
    child = start(home, "--TerminalShell.confirm_exit=True")
    try:
        type_keys(child, "kept = 2" + ENTER)
        child.expect_exact("In [2]: ")
        child.send(CTRL_D)
        child.expect_exact(CONFIRM_EXIT)
        type_keys(child, answer)
        child.expect_exact("In [2]: ")
        type_keys(child, "kept" + ENTER)
        child.expect_exact("Out[2]: 2")
    finally:
        child.close(force=True)


@pytest.mark.parametrize("answer", ["y", ""], ids=["yes", "default"])
def test_accepting_the_exit_question_ends_the_session(home, answer):
    child = start(home, "--TerminalShell.confirm_exit=True")
    try:
        child.send(CTRL_D)
        child.expect_exact(CONFIRM_EXIT)
        type_keys(child, answer + ENTER)
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 0
    finally:
        child.close(force=True)


@pytest.mark.parametrize("keys, result", [
    pytest.param(CTRL_B + CTRL_D, "Out[1]: 2", id="mid-line-deletes-under-cursor"),
    pytest.param(CTRL_A + CTRL_D, "Out[1]: 12", id="line-start-deletes-first-char"),
    pytest.param(CTRL_D, "Out[1]: 13", id="line-end-does-nothing"),
])
def test_ctrl_d_on_a_non_empty_line_edits_instead_of_exiting(home, keys, result):
    child = start(home)
    try:
        type_keys(child, "1+12")
        for key in keys:
            type_keys(child, key)
        type_keys(child, ENTER)
        child.expect_exact(result)
        child.expect_exact("In [2]: ")
        assert child.isalive()
    finally:
        child.close(force=True)
