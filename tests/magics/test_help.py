"""Help: obj?, obj??, %magic?, %%magic?, wildcard search, %quickref and %page, as typed in cells."""

from __future__ import annotations

from magics import Magics, cell_magic, line_magic


def test_question_mark_shows_signature_and_docstring(shell, output):
    result = shell.run_cell("len?")
    assert result.success
    assert "Signature:" in output.stdout and "len(obj, /)" in output.stdout
    assert "Return the number of items in a container." in output.stdout


def test_pinfo_is_what_question_mark_runs(shell, output):
    shell.run_line_magic("pinfo", "len")
    direct = output.stdout
    output.clear()
    shell.run_cell("?len")
    assert output.stdout == direct


def test_double_question_mark_shows_source(shell, output):
    shell.run_cell("def twice(x):\n    '''Double it.'''\n    return 2 * x\n")
    shell.run_cell("twice??")
    assert "return 2 * x" in output.stdout
    output.clear()
    shell.run_cell("twice?")
    assert "Double it." in output.stdout and "return 2 * x" not in output.stdout


def test_unknown_object_is_one_line_and_the_shell_goes_on(shell, output):
    result = shell.run_cell("no_such_thing?")
    assert output.stdout == "Object `no_such_thing` not found.\n"
    assert output.stderr == ""
    assert result.success
    assert shell.run_cell("x = 1").success and shell.user_ns["x"] == 1
    output.clear()
    shell.run_cell("%pinfo2 os.nothing_here")
    assert output.stdout == "Object `os.nothing_here` not found.\n"


def test_line_magic_help(shell, output):
    shell.run_cell("%lsmagic?")
    text = output.stdout
    assert "Docstring:" in text and "List the available line and cell magics." in text
    assert "meta.py" in text and "line magic %lsmagic" in text


def test_magic_help_without_percent_when_no_object_has_the_name(shell, output):
    shell.run_cell("xmode?")
    assert "Switch the exception reporting mode" in output.stdout


def test_variable_wins_over_magic_in_help(shell, output):
    shell.run_cell("xmode = 42")
    shell.run_cell("xmode?")
    assert "int" in output.stdout and "Switch the exception" not in output.stdout


def test_cell_magic_help_and_source(shell, output):
    class Shout(Magics):
        @cell_magic
        def shout(self, line, cell):
            """Print the cell in capitals."""
            return cell.upper()

    shell.register_magics(Shout)
    shell.run_cell("%%shout?")
    assert "Print the cell in capitals." in output.stdout and "cell magic %%shout" in output.stdout
    output.clear()
    shell.run_cell("%%shout??")
    assert "return cell.upper()" in output.stdout


def test_magic_argument_help_shows_usage(shell, output):
    shell.run_cell("%alias_magic?")
    assert "usage: %alias_magic [-l] [-c] [-p PARAMS] name target" in output.stdout


def test_unknown_magic_help(shell, output):
    shell.run_cell("%nosuchmagic?")
    assert output.stdout == "Object `%nosuchmagic` not found.\n"


def test_pinfo_without_a_name_is_a_usage_error(shell, output):
    assert not shell.run_cell("%pinfo").success
    assert output.stderr == "UsageError: %pinfo: which object? For example: %pinfo len\n"


def test_pinfo_goes_through_the_pager(shell, output):
    paged = []
    shell.pager = paged.append
    shell.run_cell("len?")
    assert len(paged) == 1 and "len(obj, /)" in paged[0]
    assert output.stdout == ""


def test_wildcard_search(shell, output):
    shell.run_cell("import os\nalpha = 1\nalphabet = 2\n_alpine = 3")
    shell.run_cell("al*?")
    assert output.stdout.split() == ["all", "alpha", "alphabet"]
    output.clear()
    shell.run_cell("os.*path*?")
    assert "os.path" in output.stdout.split() and "os.fspath" in output.stdout.split()


def test_psearch_options(shell, output):
    shell.run_cell("alpha = 1\n_alpine = 3\ndef alfunc(): pass")
    shell.run_cell("%psearch -e builtin al*")
    assert output.stdout.split() == ["alfunc", "alpha"]
    output.clear()
    shell.run_cell("%psearch -a -e builtin _al*")
    assert output.stdout.split() == ["_alpine"]
    output.clear()
    shell.run_cell("%psearch -i AL* function")
    assert output.stdout.split() == ["alfunc"]
    output.clear()
    shell.run_cell("%psearch -s builtin -e user a*")
    assert "alpha" not in output.stdout.split() and "abs" in output.stdout.split()


def test_psearch_bad_input(shell, output):
    assert not shell.run_cell("%psearch -e galaxy a*").success
    assert output.stderr == "UsageError: %psearch: unknown namespace 'galaxy'; choose from user and builtin\n"
    output.clear()
    assert shell.run_cell("%psearch nothere.*").success
    assert output.stdout == "" and output.stderr == ""


def test_quickref(shell, output):
    shell.run_cell("?")
    assert "quick reference" in output.stdout and "%pinfo" in output.stdout
    assert "%%debug" in output.stdout  # the list of every magic


def test_page_pretty_prints_and_raw(shell, output):
    shell.run_cell("data = {'key': list(range(30)), 'other': 'x' * 50}")
    shell.run_cell("%page data")
    assert output.stdout.count("\n") > 1  # pretty-printed over several lines
    output.clear()
    shell.run_cell("%page -r data")
    assert output.stdout == str(shell.user_ns["data"]) + "\n"


def test_page_defaults_to_last_result_and_reports_unknown(shell, output):
    shell.run_cell("6 * 7")
    output.clear()
    shell.run_cell("%page")
    assert output.stdout == "42\n"
    output.clear()
    shell.run_cell("%page missing")
    assert output.stdout == "Object `missing` not found.\n"
    output.clear()
    shell.run_cell("%page x[")
    assert output.stderr.startswith("UsageError: %page: cannot read 'x['") and output.stderr.count("\n") == 1


def test_help_for_magic_defined_as_function(shell, output):
    @line_magic
    def greet(line):
        """Say hello."""
        return f"hello {line}"

    shell.register_magic_function(greet)
    shell.run_cell("%greet??")
    assert 'return f"hello {line}"' in output.stdout
