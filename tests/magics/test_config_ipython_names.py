"""IPython's configuration names under hocus: ``%config`` and the config file (issue 12).

Notebooks set these in their first cells; each lands on hocus's setting, or
is accepted with a one-line note, so a "Run All" never stops there.
"""

from __future__ import annotations

import pytest

from shell import Shell
from shell.session import load_config_file

from cell_checks import run_ok


@pytest.mark.parametrize("ipython_class", ["InteractiveShell", "ZMQInteractiveShell", "TerminalInteractiveShell"])
def test_ast_node_interactivity_by_ipythons_name(shell, output, ipython_class):
    run_ok(shell, output, f"%config {ipython_class}.ast_node_interactivity = 'all'")
    assert shell.ast_node_interactivity == "all" and output.stderr == ""
    output.clear()
    run_ok(shell, output, "1\n2")
    assert output.stdout == "Out[2]: 1\nOut[2]: 2\n"


def test_asking_for_an_ipython_setting_shows_hocus_s(shell, output):
    run_ok(shell, output, "%config InteractiveShell.ast_node_interactivity")
    assert output.stdout == "Shell.ast_node_interactivity = 'last_expr'\n"


def test_ipython_class_alone_shows_the_hocus_class_settings(shell, output):
    run_ok(shell, output, "%config InteractiveShell")
    assert "--Shell.ast_node_interactivity=<Enum>" in output.stdout


@pytest.mark.parametrize("line, attribute, value", [
    ("%config InteractiveShell.colors = 'linux'", "colors", "Linux"),
    ("%config InteractiveShell.colors = 'nocolor'", "colors", "NoColor"),
    ("%config InteractiveShell.xmode = 'Plain'", "xmode", "Plain"),
    ("%config TerminalInteractiveShell.xmode = 'Minimal'", "xmode", "Minimal"),
    ("%config InteractiveShell.automagic = False", "automagic", False),
    ("%config InteractiveShell.pdb = True", "pdb", True),
])
def test_shell_settings_by_ipythons_names(shell, output, line, attribute, value):
    run_ok(shell, output, line)
    assert getattr(shell, attribute) == value and output.stderr == ""


@pytest.mark.parametrize("line, attribute, value", [
    ("%config IPCompleter.greedy = True", "evaluation", "unsafe"),
    ("%config Completer.greedy = True", "evaluation", "unsafe"),
    ("%config IPCompleter.evaluation = 'limited'", "evaluation", "safe"),
    ("%config IPCompleter.evaluation = 'dangerous'", "evaluation", "unsafe"),
    ("%config IPCompleter.use_jedi = False", "use_jedi", False),
    ("%config Completer.use_jedi = False", "use_jedi", False),
])
def test_completer_settings_by_ipythons_names(shell, output, line, attribute, value):
    run_ok(shell, output, line)
    assert getattr(shell.completer, attribute) == value and output.stderr == ""


@pytest.mark.parametrize("line, note", [
    ("%config InteractiveShell.sphinxify_docstring = True",
     "Note: InteractiveShell.sphinxify_docstring: an IPython setting hocus does not have; ignored\n"),
    ("%config ZMQInteractiveShell.separate_in = ''",
     "Note: ZMQInteractiveShell.separate_in: an IPython setting hocus does not have; ignored\n"),
    ("%config IPCompleter.jedi_compute_type_timeout = 100",
     "Note: IPCompleter.jedi_compute_type_timeout: an IPython setting hocus does not have; ignored\n"),
    ("%config PlainTextFormatter.max_seq_length = 0",
     "Note: PlainTextFormatter.max_seq_length: an IPython setting hocus does not have; ignored\n"),
    ("%config InteractiveShell.xmode = 'Docs'",
     "Note: InteractiveShell.xmode: hocus has no 'Docs' traceback mode (Plain, Context, Verbose, Minimal); ignored\n"),
    ("%config TerminalInteractiveShell.editing_mode = 'vi'",
     "Note: TerminalInteractiveShell.editing_mode: a setting of the terminal, and this session has none; ignored\n"),
    ("%config InlineBackend.figure_format = 'retina'",
     "Note: InlineBackend.figure_format: no inline figures in this session yet (%matplotlib inline starts them); "
     "ignored\n"),
])
def test_a_setting_hocus_cannot_honour_is_a_one_line_note_and_the_cell_succeeds(shell, output, line, note):
    result = shell.run_cell(line)
    assert result.success and output.stderr == note
    assert shell.xmode == "Context"


def test_bad_values_and_hocus_s_own_unknown_names_are_still_errors(shell, output):
    result = shell.run_cell("%config InteractiveShell.ast_node_interactivity = 'everything'")
    assert not result.success and output.stderr.startswith("UsageError: %config: Shell.ast_node_interactivity:")
    assert output.stderr.count("\n") == 1 and shell.ast_node_interactivity == "last_expr"
    output.clear()
    assert not shell.run_cell("%config Completer.bogus = 1").success
    assert output.stderr.startswith("UsageError: %config: Completer has no setting 'bogus'")


def test_plain_text_width_by_ipythons_name(shell, output):
    run_ok(shell, output, "%config PlainTextFormatter.max_width = 20")
    output.clear()
    run_ok(shell, output, "list(range(12))")
    assert output.stdout.count("\n") > 2  # wrapped at 20 columns


def test_config_file_with_ipythons_names(tmp_path, output):
    (tmp_path / "config.py").write_text(
        "c.InteractiveShell.ast_node_interactivity = 'last_expr_or_assign'\n"
        "c.InteractiveShell.sphinxify_docstring = True\n"
        "c.IPCompleter.greedy = True\n"
        "c.TerminalInteractiveShell.editing_mode = 'vi'\n"
        "c.Completer.budget_ms = 50\n")
    notes: list[str] = []
    config = load_config_file(tmp_path, warn=notes.append)
    assert notes == [f"hocus: {tmp_path / 'config.py'}: Note: InteractiveShell.sphinxify_docstring: "
                     "an IPython setting hocus does not have; ignored\n"]
    assert config.TerminalShell.editing_mode == "vi"
    shell = Shell(output=output, config=config)
    assert shell.completer.evaluation == "unsafe" and shell.completer.budget_ms == 50
    shell.run_cell("x = 5")
    assert output.stdout == "Out[1]: 5\n"
