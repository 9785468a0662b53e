"""The debugger in the real terminal shell (a pty): ``%debug``, ``%pdb``, ``breakpoint()``, ``embed()``.

What IPython's ``ipdb`` shows, hocus's debugger shows: where it stopped
(pdb's ``> file(5)f()`` line), then the lines around it, highlighted, the
current one marked ``---->`` as in tracebacks; ``ll``, ``up``, ``p`` as in
pdb; Tab completes in the frame being debugged with the engine's completer
(dict keys included, which pdb's own readline completion does not know).
Every wait is on text the shell prints.
"""

from __future__ import annotations

import os
import re
import sys
import textwrap

import pexpect
import pytest

from pty_session import spawn_hocus, type_keys

WORK = '''\
def f(x):
    """Divide one by x."""
    some_local_value = 4242
    data = {"alpha": 1}
    return 1 / x


def g():
    return f(0)
'''

KEYWORD = "\x1b[94mreturn"  # pygments' keyword colour on a dark terminal: the Neutral scheme's
STRING = "\x1b[33m"  # pygments' string colour there (the docstring)
CURRENT_LINE = "\x1b[32m----> 5\x1b[0m"  # the current line's marker, green as in a traceback
LINE_READ = "\x1b[?2004l"  # prompt_toolkit has read a line (and turns bracketed paste off)
SGR = re.compile(r"\x1b\[[0-9;]*m")  # an escape that sets a colour or an attribute


def in_prompt(n: int) -> str:
    """``In [n]:`` as a pattern, whether or not the number is coloured."""
    return r"In \[(?:\x1b\[[0-9;]*m)*%d(?:\x1b\[[0-9;]*m)*\]: " % n


@pytest.fixture
def work_dir(tmp_path):
    (tmp_path / "work.py").write_text(WORK)
    return tmp_path


@pytest.fixture
def hocus(work_dir):
    """``hocus(colors=..., env=...)``: the shell in a pty, at its first prompt; closed after the test."""
    children: list[pexpect.spawn] = []

    def start(*, colors: bool = False, env: dict | None = None) -> pexpect.spawn:
        child = spawn_hocus(work_dir, hocus_dir=work_dir / "home", colors=colors, env=env)
        children.append(child)
        child.expect(in_prompt(1))
        return child

    yield start
    for child in children:
        child.close(force=True)


def debug_after_error(child: pexpect.spawn) -> str:
    """``work.g()`` fails in In [1]; ``%debug`` in In [2]: what it shows before its prompt."""
    child.send("import work; work.g()\r")
    child.expect_exact("ZeroDivisionError")
    child.expect(in_prompt(2))
    child.send("%debug\r")
    child.expect_exact("(Pdb) ")
    return child.before


def command(child: pexpect.spawn, line: str) -> str:
    """Type a debugger command; what it printed before the next ``(Pdb)`` prompt.

    The prompt is drawn again as keys are typed: what the command printed
    starts once prompt_toolkit has ended the line, turning bracketed paste off.
    """
    child.send(line + "\r")
    child.expect_exact(LINE_READ)
    child.expect_exact("(Pdb) ")
    return child.before


def quit_debugger(child: pexpect.spawn, next_prompt: int) -> None:
    child.send("q\r")
    child.expect(in_prompt(next_prompt))


def test_debug_shows_coloured_source_around_the_line(hocus):
    child = hocus(colors=True)
    shown = debug_after_error(child)
    assert "work.py(5)f()" in shown
    assert KEYWORD in shown and CURRENT_LINE in shown
    assert "some_local_value" in shown and "      3 " in shown  # context: two lines before the current one
    assert "      7 " in shown and "      8 " not in shown  # ... and two after

    listed = command(child, "ll")
    assert "def" in listed and "Divide one by x." in listed and CURRENT_LINE in listed
    assert STRING in listed  # the docstring is highlighted as a string

    up = command(child, "up")
    assert "work.py(9)g()" in up and "\x1b[32m----> 9\x1b[0m" in up
    cell = command(child, "up")
    assert "<ipython-input-1-" in cell and "(1)<module>()" in cell
    assert "Oldest frame" in command(child, "up")  # hocus's own frames are not in the stack
    command(child, "down")
    command(child, "down")
    assert command(child, "p x").startswith("0\r\n")
    quit_debugger(child, 3)


def test_tab_completes_names_of_the_frame_being_debugged(hocus):
    child = hocus()
    debug_after_error(child)
    type_keys(child, "p some_lo\t")
    child.expect_exact("cal_value")  # the rest of the local's name, completed
    assert command(child, "").startswith("4242\r\n")
    type_keys(child, 'p data["al\t')
    child.expect_exact('pha"]')  # a dict key, from the engine's completer
    assert command(child, "").startswith("1\r\n")
    type_keys(child, "lon\t")  # pdb's commands complete in the first word
    child.expect_exact("glist")  # what completing "lon" adds (the terminal draws only what changed)
    assert "      1 def f(x):" in command(child, "")
    quit_debugger(child, 3)


def test_the_plain_prompt_completes_with_the_engines_completer_too(work_dir):
    # --simple-prompt: GNU readline asks the debugger, which asks the engine (pdb's own knows no builtins)
    child = spawn_hocus(work_dir, "--simple-prompt", hocus_dir=work_dir / "home")
    try:
        child.expect_exact("In [1]: ")
        debug_after_error(child)
        type_keys(child, "p isinst\t")
        child.expect_exact("ance")
        child.send("(some_local_value, int)\r")
        child.expect_exact("(Pdb) ")
        assert child.before.startswith("(some_local_value, int)\r\nTrue\r\n")
        child.send("q\r")
        child.expect_exact("In [3]: ")
    finally:
        child.close(force=True)


def test_breakpoint_in_a_cell_stops_and_continue_finishes_the_cell(hocus):
    child = hocus()
    type_keys(child, "if True:\ra = 20\rbreakpoint()\rprint('cell goes on', a + 22)\r\r")
    child.expect_exact("(Pdb) ")
    shown = child.before
    assert "<ipython-input-1-" in shown and "(4)<module>()" in shown
    assert "----> 4     print('cell goes on', a + 22)" in shown and "      3     breakpoint()" in shown
    assert command(child, "p a").startswith("20\r\n")
    child.send("c\r")
    child.expect_exact("cell goes on 42")
    child.expect(in_prompt(2))
    child.send("'alive'\r")  # the next cell runs without stopping
    child.expect_exact("Out[2]: 'alive'")
    child.expect(in_prompt(3))


def test_quitting_at_a_breakpoint_ends_the_cell_quietly(hocus):
    # IPython 9: `q` at a breakpoint() ends the cell with no traceback, and the session goes on
    child = hocus()
    type_keys(child, "if True:\rbreakpoint()\rprint('not reached')\r\r")
    child.expect_exact("(Pdb) ")
    quit_debugger(child, 2)
    assert "BdbQuit" not in child.before and "not reached" not in child.before
    child.send("'alive'\r")
    child.expect_exact("Out[2]: 'alive'")


def test_pythonbreakpoint_0_turns_breakpoint_off(hocus):
    child = hocus(env={"PYTHONBREAKPOINT": "0"})
    child.send("breakpoint(); print('not stopped')\r")
    assert child.expect_exact(["(Pdb) ", "not stopped"]) == 1
    child.expect(in_prompt(2))


def test_pdb_on_enters_the_debugger_after_an_exception(hocus):
    child = hocus()
    child.send("%pdb on\r")
    child.expect_exact("Automatic pdb calling has been turned ON")
    child.expect(in_prompt(2))
    child.send("import work; work.g()\r")
    child.expect_exact("ZeroDivisionError: division by zero")
    child.expect_exact("(Pdb) ")
    assert "work.py(5)f()" in child.before and "----> 5     return 1 / x" in child.before
    assert command(child, "p some_local_value").startswith("4242\r\n")
    quit_debugger(child, 3)


def test_bad_input_in_the_debugger_is_one_line_and_the_shell_survives(hocus):
    child = hocus()
    debug_after_error(child)
    assert command(child, "frobnicate").startswith("*** NameError: name 'frobnicate' is not defined\r\n")
    assert command(child, "p 1 / 0").startswith("*** ZeroDivisionError: division by zero\r\n")
    assert command(child, "context lots").startswith(
        "*** context: needs a whole number of lines, 1 or more, not 'lots'\r\n")
    assert "***" not in command(child, "context 3")  # a good value takes effect at the next stop
    shown = command(child, "up")
    assert "      8 def g():\r\n----> 9     return f(0)" in shown and "      6 " not in shown
    quit_debugger(child, 3)
    child.send("1 + 1\r")
    child.expect_exact("Out[3]: 2")


def test_no_colour_mode_writes_no_escapes_in_the_source(hocus):
    child = hocus()
    shown = debug_after_error(child)
    listing = shown[shown.index("> "):shown.rindex("\r\n")]  # pdb's text, before the prompt is drawn
    assert "work.py(5)f()" in listing and "----> 5     return 1 / x" in listing
    assert "      3     some_local_value = 4242" in listing
    assert not SGR.search(listing), listing
    listed = command(child, "ll")
    listed = listed[:listed.rindex("\r\n")]
    assert '      2     """Divide one by x."""' in listed and not SGR.search(listed), listed
    quit_debugger(child, 3)


EMBEDDING = textwrap.dedent("""\
    import work
    from shell import embed

    def main():
        answer = 41
        embed(header="embedded here", colors="Neutral")
        print("program goes on")

    main()
""")


def test_the_debugger_in_embed(work_dir):
    (work_dir / "prog.py").write_text(EMBEDDING)
    env = {**os.environ, "TERM": "xterm", "HOCUS_DIR": str(work_dir / "home"), "PROMPT_TOOLKIT_NO_CPR": "1"}
    env.pop("NO_COLOR", None)
    child = pexpect.spawn(sys.executable, [str(work_dir / "prog.py")], env=env, cwd=str(work_dir),
                          encoding="utf-8", timeout=30, dimensions=(40, 120))
    try:
        child.expect_exact("embedded here")
        child.expect(in_prompt(1))
        child.send("work.g()\r")
        child.expect_exact("ZeroDivisionError")
        child.expect(in_prompt(2))
        child.send("%debug\r")
        child.expect_exact("(Pdb) ")
        assert KEYWORD in child.before and CURRENT_LINE in child.before
        type_keys(child, "p some_lo\t")
        child.expect_exact("cal_value")
        assert command(child, "").startswith("4242\r\n")
        child.send("q\r")
        child.expect(in_prompt(3))
        type_keys(child, "if True:\rbreakpoint()\rprint('answer is', answer + 1)\r\r")
        child.expect_exact("(Pdb) ")
        assert "\x1b[32m----> 3\x1b[0m" in child.before
        type_keys(child, "p answ\t")
        child.expect_exact("er")
        assert command(child, "").startswith("41\r\n")
        child.send("c\r")
        child.expect_exact("answer is 42")
        child.expect(in_prompt(4))
        child.send("exit\r")
        child.expect_exact("program goes on")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
