"""The prompt_toolkit shell end to end: the real ``hocus`` in a pty, driven by keystrokes.

Each test has its own HOCUS_DIR. Sessions run with NO_COLOR (so prompts
arrive as plain text) and PROMPT_TOOLKIT_NO_CPR, except the one that plays
a real terminal and answers the cursor-position query itself.
"""

from __future__ import annotations

import os
import re
import sys

import pexpect
import pytest

from pty_session import spawn_hocus, type_keys

UP = "\x1b[A"
ESC = "\x1b"
TAB = "\t"
ENTER = "\r"
PASTE_START, PASTE_END = "\x1b[200~", "\x1b[201~"


@pytest.fixture
def hocus(home):
    child = spawn_hocus(home)
    child.expect_exact("In [1]: ")
    yield child
    child.close(force=True)


def run_and_show(child, expression: str, expected: str) -> None:
    type_keys(child, expression + ENTER)
    child.expect_exact(expected)


def test_a_function_typed_with_auto_indent_runs(hocus):
    # No leading spaces are typed: Enter indents after ':' and dedents after 'return'.
    type_keys(hocus, "def f(x):\rif x:\rreturn 'yes'\rreturn 'no'\r\r")
    hocus.expect_exact("In [2]: ")
    run_and_show(hocus, "f(1), f(0)", "Out[2]: ('yes', 'no')")
    run_and_show(hocus, "print(repr(In[1]))", repr("def f(x):\n    if x:\n        return 'yes'\n    return 'no'"))


def test_enter_inside_open_brackets_continues_the_cell(hocus):
    type_keys(hocus, "values = [1,\r2,\r3]\r")
    hocus.expect_exact("In [2]: ")
    run_and_show(hocus, "values", "Out[2]: [1, 2, 3]")


def test_alt_enter_inserts_a_newline_in_a_complete_cell(hocus):
    type_keys(hocus, "a = 1" + ESC + ENTER + "b = 2" + ENTER)
    hocus.expect_exact("In [2]: ")
    run_and_show(hocus, "a + b", "Out[2]: 3")
    run_and_show(hocus, "len(In[1].splitlines())", "Out[3]: 2")


def test_tab_shows_a_menu_with_types_and_signatures(hocus):
    type_keys(hocus, "def my_function_one(a, b=2): pass\r")
    hocus.expect_exact("In [2]: ")
    type_keys(hocus, "my_function_two = my_function_one\r")
    hocus.expect_exact("In [3]: ")
    type_keys(hocus, "my_fu" + TAB)
    hocus.expect_exact("my_function_one")
    hocus.expect_exact("my_function_two")
    hocus.expect_exact("(a, b=2)")
    # the menu is open: Enter accepts the highlighted completion, a second Enter runs it
    type_keys(hocus, TAB + ENTER + "(1)" + ENTER)
    hocus.expect_exact("In [4]: ")


def test_up_recalls_a_cell_from_the_previous_session(home):
    first = spawn_hocus(home)
    first.expect_exact("In [1]: ")
    run_and_show(first, "'from the first session'", "Out[1]: 'from the first session'")
    type_keys(first, "exit\r")
    first.expect(pexpect.EOF)
    first.close()

    second = spawn_hocus(home)
    try:
        second.expect_exact("In [1]: ")
        # Up at once: the earlier sessions' cells load in the background, and keys wait for them
        type_keys(second, UP + ENTER)
        second.expect_exact("Out[1]: 'from the first session'")
        # ↑ searches by the typed prefix, and auto-suggest offers the rest of the line (→ accepts)
        type_keys(second, "'fr")
        second.expect_exact("om the first session'")  # the suggestion is drawn: now → can take it
        type_keys(second, "\x1b[C" + ENTER)
        second.expect_exact("Out[2]: 'from the first session'")
    finally:
        second.close(force=True)


def test_a_twenty_line_bracketed_paste_runs_as_one_cell(hocus):
    lines = ["total = 0"] + [f"total += {i}" for i in range(1, 18)] + ["if total:", "    print('sum', total)"]
    assert len(lines) == 20
    hocus.send(PASTE_START + "\n".join(lines) + "\n" + PASTE_END)
    hocus.expect_exact("print('sum', total)")  # the whole paste is drawn in the prompt, not run line by line
    hocus.send(ENTER)
    hocus.expect_exact("sum 153")
    hocus.expect_exact("In [2]: ")
    run_and_show(hocus, "len(In[1].splitlines())", "Out[2]: 20")


def test_ctrl_c_interrupts_running_code(hocus):
    # 'sleeping' is printed once the cell runs (the drawn input spells it 'sleep' + 'ing'); the sleep outlasts
    # pexpect's timeout, so the traceback can only come from the interrupt. How fast: bench/interrupt.py.
    type_keys(hocus, "print('sleep' + 'ing'); import time; time.sleep(600)\r")
    hocus.expect_exact("sleeping")
    hocus.sendintr()
    hocus.expect_exact("KeyboardInterrupt")
    hocus.expect_exact("In [2]: ")
    run_and_show(hocus, "'alive'", "Out[2]: 'alive'")


def test_ctrl_c_clears_the_input(hocus):
    type_keys(hocus, "this is not run")
    hocus.sendintr()
    hocus.expect_exact("In [1]: ")
    run_and_show(hocus, "1 + 1", "Out[1]: 2")


def test_ctrl_c_at_an_empty_prompt_prints_nothing(hocus):
    # As IPython 9: no "KeyboardInterrupt" line, no new prompt; the same at the instant first prompt and later.
    hocus.send("\x03")
    type_keys(hocus, "'first'\r")
    hocus.expect_exact("Out[1]: 'first'")
    assert "KeyboardInterrupt" not in hocus.before
    hocus.expect_exact("In [2]: ")
    hocus.send("\x03")
    type_keys(hocus, "'second'\r")
    hocus.expect_exact("Out[2]: 'second'")
    assert "KeyboardInterrupt" not in hocus.before
    assert "\n" not in hocus.before.split("'second'")[0]  # the prompt stayed on its line


def test_switching_to_vi_mode_at_runtime(hocus):
    type_keys(hocus, "%config TerminalShell.editing_mode = 'vi'\r")
    hocus.expect_exact("[ins] In [2]: ")
    type_keys(hocus, "abc = 5" + ESC)
    hocus.expect_exact("nav")  # only what changed is redrawn
    type_keys(hocus, "0x" + ENTER)  # vi: to the start of the line, delete a character, run
    hocus.expect_exact("In [3]: ")
    run_and_show(hocus, "bc", "Out[3]: 5")


def test_vi_mode_from_the_config_file_and_the_command_line(home):
    (home / "config.py").write_text("c.TerminalShell.editing_mode = 'vi'\n")
    child = spawn_hocus(home)
    try:
        child.expect_exact("[ins] In [1]: ")
    finally:
        child.close(force=True)
    (home / "config.py").unlink()
    child = spawn_hocus(home, "--TerminalShell.editing_mode=vi")
    try:
        child.expect_exact("[ins] In [1]: ")
    finally:
        child.close(force=True)


def test_exit_status_and_ctrl_d(home):
    child = spawn_hocus(home)
    child.expect_exact("In [1]: ")
    type_keys(child, "exit(3)\r")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 3
    child = spawn_hocus(home)
    child.expect_exact("In [1]: ")
    child.sendeof()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


# -- the instant first prompt (drawn before prompt_toolkit has loaded) ------------------------------
def test_keys_typed_the_moment_the_first_prompt_appears_are_all_kept(home):
    child = spawn_hocus(home)
    child.expect_exact("In [1]: ")
    child.send("6*7\r")  # at once, in one piece: prompt_toolkit may not have loaded yet
    child.expect_exact("Out[1]: 42")
    child.expect_exact("In [2]: ")
    child.close(force=True)


def test_up_at_the_instant_first_prompt_recalls_the_last_cell(home):
    first = spawn_hocus(home)
    first.expect_exact("In [1]: ")
    run_and_show(first, "'from the first session'", "Out[1]: 'from the first session'")
    type_keys(first, "exit\r")
    first.expect(pexpect.EOF)
    second = spawn_hocus(home)
    try:
        second.expect_exact("In [1]: ")
        second.send(UP + ENTER)  # at once: earlier sessions' cells must be there for the very first key
        second.expect_exact("Out[1]: 'from the first session'")
    finally:
        second.close(force=True)


def test_lines_typed_at_once_run_in_order_and_up_recalls_them(home):
    child = spawn_hocus(home)
    try:
        child.expect_exact("In [1]: ")
        child.send("x = 20\rx + 1\r" + UP + ENTER + "%config TerminalShell.editing_mode\r")
        child.expect_exact("Out[2]: 21")
        child.expect_exact("Out[3]: 21")  # the line run before prompt_toolkit took over is in its history
        child.expect_exact("TerminalShell.editing_mode = 'emacs'")  # the terminal's own settings, from the first keys
        child.expect_exact("In [5]: ")
    finally:
        child.close(force=True)


def test_a_cell_typed_at_once_is_interrupted_by_ctrl_c(home):
    # The line may run before prompt_toolkit has loaded: the terminal must turn Ctrl-C into SIGINT meanwhile.
    child = spawn_hocus(home)
    try:
        child.expect_exact("In [1]: ")
        child.send("print('sleep' + 'ing'); import time; time.sleep(30)\r")
        child.expect_exact("sleeping")
        child.sendintr()
        child.expect_exact("KeyboardInterrupt")
        child.expect_exact("In [2]: ")
        run_and_show(child, "'alive'", "Out[2]: 'alive'")
    finally:
        child.close(force=True)


def test_a_block_typed_at_once_is_indented_as_at_the_full_prompt(home):
    child = spawn_hocus(home)
    try:
        child.expect_exact("In [1]: ")
        child.send("n = 2\rdef f(x):\rif x:\rreturn x * n\rreturn 0\r\rf(21), f(0)\r")
        child.expect_exact("Out[3]: (42, 0)")
        run_and_show(child, "In[2]", "Out[4]: 'def f(x):\\n    if x:\\n        return x * n\\n    return 0'")
    finally:
        child.close(force=True)


def test_ctrl_c_at_the_first_prompt_clears_the_line_and_kills_nothing(home):
    child = spawn_hocus(home)
    child.expect_exact("In [1]: ")
    child.send("junk\x03")
    child.send("2+2\r")
    child.expect_exact("Out[1]: 4")
    assert "Traceback" not in child.before
    child.close(force=True)


def test_the_terminal_echoes_input_in_cells_after_the_first_prompt(home):
    # The instant prompt turns echo off while prompt_toolkit loads; the cell's input() must get it back.
    child = spawn_hocus(home)
    child.expect_exact("In [1]: ")
    type_keys(child, "name = input('who? ')\r")
    # input()'s own prompt, at the start of a line: not the "who? " of the typed line as it is drawn
    child.expect(r"\n(?:\x1b\[[0-9;?]*[A-Za-z])*who\? ")
    child.send("bob\r")
    child.expect_exact("bob")  # echoed by the terminal itself
    child.expect_exact("In [2]: ")
    run_and_show(child, "name", "Out[2]: 'bob'")
    child.close(force=True)


def test_load_prefills_the_next_prompt(hocus, home):
    (home / "snippet.py").write_text("print('from the file')\n")
    type_keys(hocus, "%load snippet.py\r")
    hocus.expect_exact("print('from the file')")
    type_keys(hocus, ENTER)
    hocus.expect_exact("from the file\r\n")
    hocus.expect_exact("In [3]: ")


def test_long_help_goes_through_the_pager(home):
    marker = home / "paged.txt"
    child = spawn_hocus(home, env={"PAGER": f"sh -c 'cat > {marker}'"})
    try:
        child.expect_exact("In [1]: ")
        type_keys(child, "def documented(): pass\r")
        child.expect_exact("In [2]: ")
        type_keys(child, "documented.__doc__ = 'line\\n' * 100\r")
        child.expect_exact("In [3]: ")
        type_keys(child, "documented?\r")
        child.expect_exact("In [4]: ")
        assert "Docstring" in marker.read_text() or "line" in marker.read_text()
    finally:
        child.close(force=True)


def expect_answering_cpr(child, pattern: str) -> int:
    """Wait for ``pattern``, answering every cursor-position query on the way; how many were answered."""
    answered = 0
    while child.expect([r"\x1b\[6n", pattern]) == 0:
        child.send("\x1b[1;1R")
        answered += 1
    return answered


def test_a_real_terminal_session_with_colours(home):
    """Colours on, and the cursor-position query answered as a terminal does."""
    child = spawn_hocus(home, cpr=True, colors=True)
    try:
        answered = expect_answering_cpr(child, re.escape("\x1b[0;92;1m1"))  # the bright bold prompt number
        type_keys(child, "%%bash\recho from-bash\r\r")
        answered += expect_answering_cpr(child, "from-bash\r\n")
        answered += expect_answering_cpr(child, re.escape("\x1b[0;92;1m2"))
        type_keys(child, "exit\r")
        expect_answering_cpr(child, pexpect.EOF)
        assert answered >= 1
        assert "WARNING" not in child.before
    finally:
        child.close(force=True)


def test_embed_twice_on_the_full_prompt(tmp_path, home):
    script = tmp_path / "prog.py"
    script.write_text(
        "from shell import embed\n"
        "def work(items):\n"
        "    scale = 3\n"
        "    embed(header='first stop')\n"
        "    embed(header='second stop')\n"
        "    return [i * scale for i in items]\n"
        "print('result', work([1, 2]))\n")
    env = {**os.environ, "TERM": "xterm", "HOCUS_DIR": str(home), "NO_COLOR": "1", "PROMPT_TOOLKIT_NO_CPR": "1"}
    child = pexpect.spawn(sys.executable, [str(script)], env=env, encoding="utf-8", timeout=20, dimensions=(40, 120))
    try:
        child.expect_exact("first stop")
        child.expect_exact("In [1]: ")
        run_and_show(child, "[i * scale for i in items]", "Out[1]: [3, 6]")
        type_keys(child, "exit\r")
        child.expect_exact("second stop")
        child.expect_exact("In [1]: ")
        run_and_show(child, "(lambda: scale * 2)()", "Out[1]: 6")
        type_keys(child, "exit\r")
        child.expect_exact("result [3, 6]")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0


def test_alt_f_accepts_one_word_of_the_suggestion(hocus):
    run_and_show(hocus, "word_one = 1; word_two = 2", "In [2]: ")
    type_keys(hocus, "wor")
    hocus.expect_exact("d_one = 1; word_two = 2")  # the suggestion is drawn: now Alt-F can take from it
    type_keys(hocus, ESC + "f" + ENTER)  # Alt-F: accept up to the end of the next word
    run_and_show(hocus, "In[2]", "Out[3]: 'word_one'")


def test_ctrl_r_finds_an_earlier_cell_and_enter_runs_it(hocus):
    run_and_show(hocus, "alpha_value = 'first'", "In [2]: ")
    run_and_show(hocus, "beta_value = 'second'", "In [3]: ")
    type_keys(hocus, "\x12")  # Ctrl-R
    hocus.expect_exact("I-search backward:")
    type_keys(hocus, "alpha")
    hocus.expect_exact("_value = 'first'")  # found and drawn
    # the first Enter ends the search: the found cell is in the prompt, cursor on "alpha"; the cell is
    # complete, so the second Enter runs it, wherever the cursor is on its line
    type_keys(hocus, ENTER + ENTER)
    hocus.expect_exact("In [4]: ")
    run_and_show(hocus, "In[3]", "Out[4]: \"alpha_value = 'first'\"")
