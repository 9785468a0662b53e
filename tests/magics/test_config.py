"""%config on the live configurables, and %precision with the PlainTextFormatter settings."""

from __future__ import annotations

import pytest

from shell.engine.display.formatting import PlainTextFormatter


def test_config_lists_configurable_classes(shell, output):
    """A program's Shell(); the terminal front ends add TerminalImages (tests/kernel/test_session_front_ends.py)."""
    shell.run_cell("%config")
    assert output.stdout == ("Available objects for config:\n    Completer\n    HistoryStore\n"
                             "    PlainTextFormatter\n    Shell\n    SqlMagic\n")


def test_config_class_shows_settings_with_help_and_values(shell, output):
    shell.run_cell("%config Shell")
    text = output.stdout
    assert "--Shell.xmode=<CaselessStrEnum>" in text and "Current: 'Context'" in text
    assert "Run line magics without the % prefix" in text


def test_config_shows_one_value(shell, output):
    shell.run_cell("%config Shell.automagic")
    assert output.stdout == "Shell.automagic = True\n"


def test_config_sets_a_value_evaluated_in_the_user_namespace(shell, output):
    shell.run_cell("mode = 'Plain'")
    assert shell.run_cell("%config Shell.xmode = mode").success
    assert shell.xmode == "Plain" and shell.tracebacks.mode == "Plain"
    output.clear()
    shell.run_cell("1/0")
    assert output.stderr.startswith("Traceback (most recent call last):")


def test_config_plain_text_formatter(shell, output):
    shell.run_cell("%config PlainTextFormatter.float_precision = '%.2f'")
    output.clear()
    shell.run_cell("1/3")
    assert output.stdout == "Out[2]: 0.33\n"
    shell.run_cell("%config PlainTextFormatter.pprint = False")
    assert shell.display_formatter.plain.pprint is False


@pytest.mark.parametrize("line,start", [
    ("%config Shell.xmode = 'Bogus'", "UsageError: %config: Shell.xmode: The 'xmode' trait"),
    ("%config Shell.nope = 1", "UsageError: %config: Shell has no setting 'nope'; its settings: ast_node_interactivity, autoawait, autocall, automagic"),
    ("%config Nope.x = 1", "UsageError: %config: no configurable object 'Nope'; choose from Completer, HistoryStore, PlainTextFormatter, Shell"),
    ("%config Shell.xmode = undefined_name", "UsageError: %config: cannot evaluate 'undefined_name': NameError"),
    ("%config Shell.xmode =", "UsageError: %config: nothing after '='"),
    ("%config 12 + 3", "UsageError: %config: expected Class, Class.setting or Class.setting = value"),
    ("%config Shell = 3", "UsageError: %config: say which setting of Shell to change"),
    ("%config PlainTextFormatter.float_precision = '%q'", "UsageError: %config: PlainTextFormatter.float_precision: Precision must be"),
])
def test_bad_config_lines_are_one_line(shell, output, line, start):
    result = shell.run_cell(line)
    assert not result.success
    assert output.stderr.startswith(start) and output.stderr.count("\n") == 1, output.stderr
    assert shell.xmode == "Context"
    assert shell.run_cell("x = 1").success


def test_precision_digits_format_and_reset(shell, output):
    shell.run_cell("%precision 3")
    assert output.stdout == "Out[1]: '%.3f'\n"
    output.clear()
    shell.run_cell("3.14159265")
    assert output.stdout == "Out[2]: 3.142\n"
    shell.run_cell("%precision %.1e")
    output.clear()
    shell.run_cell("31415.9")
    assert output.stdout == "Out[4]: 3.1e+04\n"
    assert shell.run_line_magic("precision", "") == "%r"
    output.clear()
    shell.run_cell("0.1")
    assert output.stdout == "Out[5]: 0.1\n"


def test_precision_and_config_are_one_setting(shell):
    shell.run_line_magic("precision", "2")
    assert shell.display_formatter.plain.float_precision == "2"


def test_precision_bad_value_is_one_line(shell, output):
    assert not shell.run_cell("%precision lots").success
    assert output.stderr == "UsageError: %precision: Precision must be int or format string, not 'lots'\n"
    assert not shell.run_cell("%precision -1").success
    assert shell.display_formatter.plain.float_format == "%r"


def test_precision_follows_numpy(shell):
    numpy = pytest.importorskip("numpy")
    saved = numpy.get_printoptions()
    try:
        shell.run_line_magic("precision", "3")
        assert numpy.get_printoptions()["precision"] == 3
        shell.run_line_magic("precision", "")
        assert numpy.get_printoptions()["precision"] == 8
    finally:
        numpy.set_printoptions(**saved)


def test_plain_text_formatter_keeps_its_api_and_reads_config():
    from traitlets.config import Config

    config = Config()
    config.PlainTextFormatter.float_precision = "1"
    config.PlainTextFormatter.pprint = False
    formatter = PlainTextFormatter(config=config)
    assert formatter(2 / 3) == "0.7" and formatter.pprint is False and formatter.width == 79
    assert formatter.set_precision("") == "%r" and formatter.float_format == "%r"
    formatter.for_type(int, lambda n, p, cycle: p.text(f"int {n}"))
    assert formatter(5) == "int 5"
    with pytest.raises(ValueError):
        formatter.set_precision("%q")
