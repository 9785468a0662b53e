"""The prompt_toolkit front end's parts, fast: a real PromptSession on pipe input, no terminal.

As in prompt_toolkit's own tests/test_cli.py: keystrokes go into a pipe
input, the screen into a DummyOutput, and the cell ``prompt()`` returns is
checked.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from prompt_toolkit.completion import CompleteEvent
from prompt_toolkit.document import Document
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from shell import Shell
from shell.engine.transforms.completeness import is_complete
from shell.terminal.app import TerminalShell
from shell.terminal.completion import EngineCompleter
from shell.session import help_all, load_config_file, run_startup_scripts, split_config_flags
from shell.terminal.history import EngineHistory
from shell.terminal.keys import enter_action
from shell.terminal.lexer import CellLexer, cell_language
from shell.terminal.toolbar import SignatureToolbar, call_under_cursor


def read_cell(keys: str, shell=None, offered=None) -> str:
    shell = shell or Shell()
    with create_pipe_input() as pipe:
        terminal = TerminalShell(shell, input=pipe, output=DummyOutput())
        pipe.send_text(keys)
        return terminal.read_cell(offered)


# -- Enter --------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("x = 1", ("run", "x = 1")),
    ("for i in x:", ("newline", "    ")),
    ("def f():\n    return 1", ("newline", "")),            # dedent after return
    ("def f():\n    if x:\n        pass", ("newline", "    ")),
    ("def f():\n    return 1\n", ("run", "def f():\n    return 1")),   # the blank last line runs it
    ("def f():\n    return 1\n    ", ("run", "def f():\n    return 1")),
    ("x = [1,", ("newline", "     ")),
    ("x = [1,\n", ("newline", "     ")),                    # a blank line inside brackets does not run
    ("%%bash\necho hi", ("newline", "")),
    ("%%bash\necho hi\n", ("run", "%%bash\necho hi")),
    ("1 +* 2", ("run", "1 +* 2")),                           # invalid: run, the engine reports it
    ("", ("run", "")),
])
def test_enter_action(text, expected):
    assert enter_action(text, is_complete) == expected


def test_a_block_typed_with_auto_indent():
    assert read_cell("def f(x):\rif x:\rreturn 1\rreturn 2\r\r") == (
        "def f(x):\n    if x:\n        return 1\n    return 2")


def test_alt_enter_and_enter_in_the_middle_insert_newlines():
    assert read_cell("a = 1\x1b\rb = 2\r") == "a = 1\nb = 2"


def test_bracketed_paste_is_one_cell_and_is_not_run_line_by_line():
    lines = "\n".join(f"x{i} = {i}" for i in range(20))
    assert read_cell("\x1b[200~" + lines + "\n\x1b[201~\r") == lines


def test_next_input_prefills_the_prompt():
    shell = Shell()
    result = shell.run_cell("get_ipython().set_next_input('# %load x.py\\nprint(1)\\n')")
    assert result.next_input == "# %load x.py\nprint(1)\n"  # the front end gets it with the cell's result
    assert read_cell("\r", shell, offered=result.next_input) == "# %load x.py\nprint(1)"
    assert shell.run_cell("1").next_input is None  # offered once: the next cell asks nothing


def test_editing_mode_follows_config_at_runtime():
    shell = Shell()
    with create_pipe_input() as pipe:
        terminal = TerminalShell(shell, input=pipe, output=DummyOutput())
        assert shell.configurables()["TerminalShell"] is terminal
        result = shell.run_cell("%config TerminalShell.editing_mode = 'vi'")
        assert result.success
        pipe.send_text("abc = 5\x1b0x\r")  # vi: Esc, to the line start, delete a character, Enter
        assert terminal.read_cell() == "bc = 5"
        assert terminal.prompts.in_prompt()[0][1].startswith("[")


def test_no_pager_when_stdout_is_not_a_terminal():
    shell = Shell()
    TerminalShell(shell, output=DummyOutput())
    assert shell.pager is None  # pytest captures stdout: not a terminal


# -- highlighting ------------------------------------------------------------------------------
def styles(text: str, line: int) -> list[str]:
    get_line = CellLexer().lex_document(Document(text))
    return [style for style, _ in get_line(line)]


def test_cell_language():
    assert cell_language("%%bash\nls") == "bash"
    assert cell_language("%%sql sqlite://\nSELECT 1") == "sql"
    assert cell_language("%%script bash\nls") == "bash"
    assert cell_language("x = 1") == "python"


def test_cell_magics_and_shell_lines_are_highlighted_as_their_language():
    assert "class:magic" in styles("%%bash\nfor f in *; do echo $f; done", 0)
    assert any("keyword" in s for s in styles("%%bash\nfor f in *; do echo $f; done", 1))
    assert any("keyword" in s for s in styles("%%sql\nSELECT name FROM users", 1))
    assert "class:shell-escape" in styles("!ls -l | grep x", 0)
    assert "class:shell-escape" in styles("files = !ls", 0)
    assert "class:magic" in styles("%timeit f(1)", 0)
    python = styles("x = 5 % 3  # not a magic", 0)
    assert "class:magic" not in python and any("comment" in s for s in python)
    assert not any("shell" in s for s in styles("x != 3", 0))


# -- completion, history, toolbar ------------------------------------------------------------------
def test_completions_carry_type_and_signature():
    shell = Shell()
    shell.run_cell("def my_function(a, b=2): pass")
    found = list(EngineCompleter(shell).get_completions(Document("my_fun"), CompleteEvent(completion_requested=True)))
    assert [c.text for c in found] == ["my_function"]
    assert found[0].start_position == -6
    assert "function" in found[0].display_meta_text and "(a, b=2)" in found[0].display_meta_text


def test_history_comes_from_earlier_sessions(hocus_dir):
    first = Shell()
    first.run_cell("'one'")
    first.run_cell("'two'")
    first.history.close()
    strings = EngineHistory(Shell().history).load_history_strings()
    assert strings[:2] == ["'two'", "'one'"]


def test_signature_toolbar():
    shell = Shell()
    shell.run_cell("import os\ndef area(width, height=1):\n    'The area of a rectangle.'\n    return width * height")
    assert call_under_cursor("area(3, (1 + 2), ") == "area"
    assert call_under_cursor("area(3) + 1") is None
    assert call_under_cursor("f('(', ") == "f"
    toolbar = SignatureToolbar(shell)
    assert toolbar.text_for("x = area(", 9) == "area(width, height=1)  — The area of a rectangle."
    assert toolbar.text_for("os.path.join(", 13).startswith("join(")
    assert toolbar.text_for("nothing_here(", 13) == ""


def test_toolbar_runs_no_property():
    shell = Shell()
    shell.run_cell("class C:\n    @property\n    def p(self):\n        raise SystemExit('ran')\nc = C()")
    assert SignatureToolbar(shell).text_for("c.p(", 4) == ""


# -- configuration -----------------------------------------------------------------------------------
def test_config_flags_are_taken_before_the_script_only():
    rest, config = split_config_flags(["--TerminalShell.editing_mode=vi", "--Shell.xmode", "Plain", "--colors",
                                       "Linux", "x.py", "--Other.flag=1"], takes_value={"--colors"})
    assert rest == ["--colors", "Linux", "x.py", "--Other.flag=1"]
    assert config.TerminalShell.editing_mode == "vi" and config.Shell.xmode == "Plain"
    shell = Shell(config=config)
    assert shell.xmode == "Plain"
    assert TerminalShell(shell, output=DummyOutput()).editing_mode == "vi"


def test_config_file_and_a_broken_one(tmp_path):
    (tmp_path / "config.py").write_text("c.TerminalShell.highlighting_style = 'monokai'\nc.Shell.xmode = 'Minimal'\n")
    config = load_config_file(tmp_path)
    assert Shell(config=config).xmode == "Minimal"
    (tmp_path / "config.py").write_text("c.Shell.xmode = (\n")
    warnings = []
    assert not load_config_file(tmp_path, warn=warnings.append)
    assert len(warnings) == 1 and "config.py" in warnings[0]


def test_startup_scripts_run_in_name_order(hocus_dir):
    startup = hocus_dir / "startup"
    startup.mkdir(parents=True)
    (startup / "20-second.py").write_text("order.append('second')\n")
    (startup / "10-first.py").write_text("order = ['first']\n")
    (startup / "15-broken.py").write_text("1/0\n")
    (startup / "30-magic.ipy").write_text("%config Shell.xmode = 'Plain'\n")
    (startup / "notes.txt").write_text("not run\n")
    shell = Shell()
    run_startup_scripts(shell)
    assert shell.user_ns["order"] == ["first", "second"]
    assert shell.xmode == "Plain"
    assert shell.execution_count == 1  # startup scripts are not cells of the session


def test_help_all_lists_every_configurable():
    shell = Shell()
    text = help_all([*shell.configurables().values(), TerminalShell])
    for setting in ("--TerminalShell.editing_mode", "--Shell.xmode", "--Completer.budget_ms", "--HistoryStore.path"):
        assert setting in text


def test_help_all_and_flags_on_the_command_line(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "shell", "--help-all"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and "--TerminalShell.editing_mode" in proc.stdout
    proc = subprocess.run([sys.executable, "-m", "shell", "--Shell.xmode=Minimal", "-c", "1/0"],
                          capture_output=True, text=True, timeout=60)
    assert proc.stderr.strip() == "ZeroDivisionError: division by zero"
    proc = subprocess.run([sys.executable, "-m", "shell", "--Shell.xmode"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "needs a value" in proc.stderr


def test_syntax_check_keeps_an_invalid_cell_and_points_at_the_error():
    from traitlets.config import Config

    config = Config()
    config.TerminalShell.syntax_check = True
    shell = Shell(config=config)
    with create_pipe_input() as pipe:
        terminal = TerminalShell(shell, input=pipe, output=DummyOutput())
        pipe.send_text("x = (1 +* 2)\r\x03")  # Enter is refused; Ctrl-C then gives up on the cell
        with pytest.raises(KeyboardInterrupt):
            terminal.read_cell()
        buffer = terminal.session.default_buffer
        assert buffer.validation_error is not None and "SyntaxError" in buffer.validation_error.message
        pipe.send_text("%time 1 + 1\r")  # magics are checked as the engine will run them
        assert terminal.read_cell() == "%time 1 + 1"


def test_enter_with_a_menu_open_but_nothing_chosen_runs_the_cell():
    shell = Shell()
    shell.run_cell("value_one = value_two = 1")
    # (completions arrive from a thread: whether the menu is open yet when Enter comes, Enter runs)
    assert read_cell("value_\t\r", shell) in ("value_", "value_one", "value_two")


# -- the instant first prompt --------------------------------------------------------------------
@pytest.mark.parametrize("vi", [False, True])
@pytest.mark.parametrize("colors", [False, True])
def test_the_instant_prompt_shows_what_prompt_toolkit_then_draws(vi, colors):
    import re

    from shell.terminal.prompts import Prompts, ansi_in_prompt

    shell = Shell()
    shell.execution_count = 7
    drawn = "".join(text for _, text in Prompts(shell, vi_state=lambda: "ins" if vi else None,
                                                colors=colors).in_prompt())
    instant = ansi_in_prompt(7, "ins" if vi else None, colors=colors)
    assert re.sub(r"\x1b\[[0-9;]*m", "", instant) == drawn
    assert ("\x1b[" in instant) == colors
