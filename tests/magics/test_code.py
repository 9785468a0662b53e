"""%load, %pycat and %%writefile, typed as a user types them."""

from __future__ import annotations

import textwrap

import pytest

from cell_checks import one_line_error, run_ok


@pytest.fixture(autouse=True)
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


LIB = textwrap.dedent('''\
    import functools

    def plain():
        return 1

    @functools.cache
    def cached(x):
        return x * 2

    class Config:
        name = "c"

    value = plain()
''')


@pytest.fixture
def lib(in_tmp):
    path = in_tmp / "lib.py"
    path.write_text(LIB)
    return path


# -- %load -----------------------------------------------------------------------------------
def test_load_puts_the_file_into_the_next_input_and_runs_nothing(shell, output, lib):
    run_ok(shell, output, "%load lib.py")
    assert shell.next_input == "# %load lib.py\n" + LIB
    assert shell.next_input_replace is True
    assert "value" not in shell.user_ns and output.stdout == ""


@pytest.mark.parametrize("ranges,lines", [
    ("3-4", "def plain():\n    return 1"),
    ("3:5", "def plain():\n    return 1"),
    ("4", "return 1"),  # dedented
    ("1,10-11", "import functools\nclass Config:\n    name = \"c\""),
])
def test_load_r_picks_line_ranges(shell, output, lib, ranges, lines):
    run_ok(shell, output, f"%load -r {ranges} lib.py")
    assert shell.next_input == f"# %load -r {ranges} lib.py\n{lines}"


def test_load_s_picks_functions_and_classes_with_decorators(shell, output, lib):
    run_ok(shell, output, "%load -s Config,cached lib.py")
    body = shell.next_input.split("\n", 1)[1]
    assert body == 'class Config:\n    name = "c"\n\n@functools.cache\ndef cached(x):\n    return x * 2\n'


def test_load_s_warns_about_missing_symbols(shell, output, lib):
    run_ok(shell, output, "%load -s plain,nothing,nope lib.py")
    assert output.stderr == "The symbols `nothing`, `nope` were not found\n"
    assert shell.next_input.endswith("def plain():\n    return 1\n")


def test_load_n_loads_an_objects_source(shell, output):
    run_ok(shell, output, "def greet(name):\n    return 'hi ' + name\n")
    run_ok(shell, output, "%load -n greet")
    assert shell.next_input == "# %load -n greet\ndef greet(name):\n    return 'hi ' + name\n"


def test_load_history_range_and_string_variable(shell, output):
    run_ok(shell, output, "a = 1")
    run_ok(shell, output, "b = 2")
    run_ok(shell, output, "%load 1-2")
    assert shell.next_input == "# %load 1-2\na = 1\nb = 2"
    run_ok(shell, output, "snippet = 'print(42)'")
    run_ok(shell, output, "%load snippet")
    assert shell.next_input == "# %load snippet\nprint(42)"


def test_load_expands_variables_in_the_line(shell, output, lib):
    run_ok(shell, output, "name = 'lib.py'\n%load $name")
    assert shell.next_input == "# %load lib.py\n" + LIB


def test_load_asks_before_loading_a_big_file(shell, output, in_tmp):
    (in_tmp / "big.py").write_text("x = 1\n" * 40_000)

    class No:
        def input(self, prompt="", *, password=False):
            self.prompt = prompt
            return "n"

    shell.input_provider = asker = No()
    run_ok(shell, output, "%load big.py")
    assert "seems pretty big (240000 characters)" in asker.prompt
    assert "Operation cancelled." in output.stdout and shell.next_input is None
    run_ok(shell, output, "%load -y big.py")
    assert shell.next_input.startswith("# %load -y big.py\nx = 1\n")


@pytest.mark.parametrize("line,message", [
    ("%load missing.py", "UsageError: %load: 'missing.py' was not found in history, as a file, nor in the user namespace."),
    ("%load .", "UsageError: %load: '.' is a directory"),
    ("%load", "UsageError: %load: give a file name"),
    ("%load -r x-y lib.py", "UsageError: %load -r: bad line range 'x-y'"),
    ("%load -n nothing_here", "UsageError: %load: 'nothing_here' was not found"),
    ("%load -n len", "UsageError: %load -n: no source code for 'len'"),
    ("%load https://example.com/a.py", "UsageError: %load: URLs are not fetched"),
    ("%load number", "UsageError: %load: 'number' is not a string of code; use %load -n number"),
])
def test_load_bad_sources_are_one_line(shell, output, lib, line, message):
    shell.user_ns["number"] = 5
    shell.run_cell(line)
    one_line_error(output, message)
    assert shell.next_input is None


def test_load_s_on_non_python_is_one_line(shell, output, in_tmp):
    (in_tmp / "notes.txt").write_text("this is ( not python\n")
    shell.run_cell("%load -s f notes.txt")
    one_line_error(output, "UsageError: %load -s: the source is not valid Python")


# -- %pycat ----------------------------------------------------------------------------------
def test_pycat_plain_with_nocolor(shell, output, lib):
    shell.colors = "NoColor"
    run_ok(shell, output, "%pycat lib.py")
    assert output.stdout == LIB


def test_pycat_highlights_and_goes_through_the_pager(shell, output, lib):
    paged = []
    shell.pager = paged.append
    shell.colors = "Neutral"
    run_ok(shell, output, "%pycat lib.py")
    assert len(paged) == 1 and "\x1b[" in paged[0]
    assert "def" in paged[0] and "plain" in paged[0]


def test_pycat_missing_file_is_one_line(shell, output):
    shell.run_cell("%pycat nowhere.py")
    one_line_error(output, "UsageError: %pycat: 'nowhere.py' was not found")


# -- %%writefile -----------------------------------------------------------------------------
def test_writefile_writes_overwrites_and_appends(shell, output, in_tmp):
    run_ok(shell, output, "%%writefile out.py\nx = 1\n")
    assert output.stdout == "Writing out.py\n"
    assert (in_tmp / "out.py").read_text() == "x = 1\n"
    output.clear()
    run_ok(shell, output, "%%writefile out.py\ny = 2")
    assert output.stdout == "Overwriting out.py\n"
    assert (in_tmp / "out.py").read_text() == "y = 2\n"
    output.clear()
    run_ok(shell, output, "%%writefile -a out.py\nz = 3\n")
    assert output.stdout == "Appending to out.py\n"
    assert (in_tmp / "out.py").read_text() == "y = 2\nz = 3\n"
    output.clear()
    run_ok(shell, output, "%%writefile --append new.txt\nfirst\n")
    assert output.stdout == "Writing new.txt\n" and (in_tmp / "new.txt").read_text() == "first\n"


def test_writefile_then_run(shell, output):
    run_ok(shell, output, "%%writefile script.py\nanswer = 6 * 7\n")
    run_ok(shell, output, "%run script.py")
    assert shell.user_ns["answer"] == 42


def test_writefile_expands_home_and_variables(shell, output, in_tmp, monkeypatch):
    monkeypatch.setenv("HOME", str(in_tmp))
    run_ok(shell, output, "stem = 'notes'")
    run_ok(shell, output, "%%writefile ~/{stem}.txt\nhello\n")
    assert output.stdout == f"Writing {in_tmp}/notes.txt\n"
    assert (in_tmp / "notes.txt").read_text() == "hello\n"


def test_writefile_quoted_name_with_spaces(shell, output, in_tmp):
    run_ok(shell, output, "%%writefile 'my file.txt'\nhello\n")
    assert (in_tmp / "my file.txt").read_text() == "hello\n"


@pytest.mark.parametrize("line,message", [
    ("%%writefile no/such/folder/x.py\nx = 1\n",
     "UsageError: %%writefile: cannot write 'no/such/folder/x.py': No such file or directory"),
    ("%%writefile .\nx = 1\n", "UsageError: %%writefile: cannot write '.': Is a directory"),
    ("%%writefile\nx = 1\n", "UsageError: %writefile: the following arguments are required: filename"),
])
def test_writefile_errors_are_one_line(shell, output, line, message):
    shell.run_cell(line)
    one_line_error(output, message)
    assert shell.run_cell("1 + 1").result == 2
