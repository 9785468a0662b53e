"""IPython's magics and shell APIs that hocus lacked (issue 15): each expected value is IPython 9's.

IPython's values were read from IPython 9 in a separate process (never in
this one: the IPython bridge owns IPython's shell here): the texts ``%store``,
``%autoawait``, ``%doctest_mode`` and ``%%file`` print, what ``parse_options``
returns, which cells ``%history 4-`` lists.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from cell_checks import one_line_error, run_ok
from magics.base import Magics
from magics.errors import UsageError
from shell import Shell


@pytest.fixture
def shell(output):
    return Shell(output=output)


# -- Magics.parse_options ------------------------------------------------------------------------
@pytest.mark.parametrize("args, kwargs, expected", [
    (("-n 5 -q foo bar", "n:q"), {}, ({"n": "5", "q": ""}, "foo bar")),
    (("-n 5 -n 6 'a b' c", "n:"), {}, ({"n": ["5", "6"]}, "a b c")),
    (("-n 5 x", "n:"), {"list_all": True}, ({"n": ["5"]}, "x")),
    (("--number=3 y", "n:", "number="), {}, ({"number": "3"}, "y")),
    (("-n 1 x y", "n:"), {"mode": "list"}, ({"n": "1"}, ["x", "y"])),
    (("", "n:"), {}, ({}, "")),
    (("a 'b", "n:"), {"strict": False}, ({}, "a b")),
    (("-n 2 keep   spaces", "n:"), {"preserve_non_opts": True}, ({"n": "2"}, "keep   spaces")),
])
def test_parse_options_is_ipythons(args, kwargs, expected):
    # IPython 9's Magics.parse_options gives exactly these (checked side by side)
    opts, rest = Magics(shell=None).parse_options(*args, **kwargs)
    assert (dict(opts), rest) == expected


def test_parse_options_reads_as_attributes_and_refuses_unknown_options():
    class Ported(Magics):
        options_table = {"count": "-n 3"}

        def count(self, line):
            return self.parse_options(line, "n:v")

    opts, rest = Ported(shell=None).count("-v word")
    assert opts.n == "3" and opts.v == "" and "v" in opts and rest == "word"
    with pytest.raises(AttributeError):
        opts.q
    with pytest.raises(UsageError, match='option -z not recognized \\(allowed: "n:"\\)'):  # IPython's text
        Magics(shell=None).parse_options("-z x", "n:")


# -- %store --------------------------------------------------------------------------------------
def test_store_keeps_variables_across_sessions(shell, output, hocus_dir):
    run_ok(shell, output, "data = [1, 'two']\nn = 41")
    run_ok(shell, output, "%store data n")
    assert output.stdout == "Stored 'data' (list)\nStored 'n' (int)\n"  # IPython 9's words
    output.clear()
    run_ok(shell, output, "%store")
    assert output.stdout == ("Stored variables and their in-db values:\n"
                             "data             -> [1, 'two']\n"
                             "n                -> 41\n")
    code = ("from shell import Shell\ns = Shell()\ns.run_cell('%store -r')\nprint(s.user_ns['data'], s.user_ns['n'])\n"
            "s.run_cell('%store -r missing')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout == "[1, 'two'] 41\nno stored variable or alias missing\n", done.stderr
    assert (hocus_dir / "store" / "data").is_file()


def test_store_forgets(shell, output):
    run_ok(shell, output, "x = 1\n%store x\n%store -d x")
    output.clear()
    shell.run_cell("%store -d x")
    one_line_error(output, "UsageError: Can't delete variable 'x'")
    run_ok(shell, output, "y = 2\n%store y\n%store -z")
    output.clear()
    run_ok(shell, output, "%store")
    assert output.stdout == "Stored variables and their in-db values:\n"


def test_store_to_a_file(shell, output, tmp_path):
    target = tmp_path / "out.txt"
    run_ok(shell, output, f"y = [1]\n%store y >{target}\n%store y >>{target}")
    assert output.stdout.splitlines()[0] == f"Writing 'y' (list) to file '{target}'."
    assert target.read_text() == "[1]\n[1]\n"


@pytest.mark.parametrize("cell, start", [
    ("%store nope", "UsageError: Unknown variable 'nope'"),
    ("%store -d", "UsageError: You must provide the variable to forget"),
    ("%store -q x", 'UsageError: option -q not recognized (allowed: "drz")'),
    ("import threading\nlock = threading.Lock()\n%store lock", "UsageError: %store: cannot store 'lock'"),
    ("f = lambda: 1\n%store f", "Warning: f is <function <lambda>"),
])
def test_bad_store_lines_are_one_line(shell, output, cell, start):
    shell.run_cell(cell)
    one_line_error(output, start)


def test_load_ext_storemagic_is_accepted(shell, output):
    run_ok(shell, output, "%load_ext storemagic")


# -- %autoawait, %colors, %doctest_mode ---------------------------------------------------------
def test_autoawait(shell, output):
    run_ok(shell, output, "%autoawait")
    assert output.stdout == "IPython autoawait is `on`, and set to use `asyncio`\n"  # IPython 9
    run_ok(shell, output, "import asyncio\n%autoawait off")
    output.clear()
    result = shell.run_cell("await asyncio.sleep(0)")
    # IPython 9 with autoawait off: SyntaxError: 'await' outside function
    assert isinstance(result.error_before_exec or result.error_in_exec, SyntaxError)
    assert "SyntaxError: 'await' outside function" in output.stderr
    output.clear()
    run_ok(shell, output, "%autoawait\n%autoawait on")
    run_ok(shell, output, "await asyncio.sleep(0, 'back')")
    assert output.stdout.startswith("IPython autoawait is `off`")
    assert "Out[" in output.stdout and "'back'" in output.stdout


@pytest.mark.parametrize("cell, start", [
    ("%autoawait trio", "UsageError: %autoawait: hocus runs top-level await on asyncio only, not trio"),
    ("%autoawait maybe", "UsageError: %autoawait: expected on, off or asyncio"),
    ("%colors", "UsageError: %colors: you must specify a color theme. See '%colors?'. Available themes:"),
    ("%colors pride", "UsageError: %colors: no theme 'pride'"),
])
def test_bad_mode_lines_are_one_line(shell, output, cell, start):
    shell.run_cell(cell)
    one_line_error(output, start)


def test_colors(shell, output):
    run_ok(shell, output, "%colors linux")
    assert shell.colors == "Linux"
    run_ok(shell, output, "%colors NoColor")
    assert shell.colors == "NoColor"


def test_doctest_mode(shell, output):
    run_ok(shell, output, "%doctest_mode")
    assert output.stdout == "Exception reporting mode: Plain\nDoctest mode is: ON\n"  # IPython 9
    output.clear()
    run_ok(shell, output, "list(range(30))")
    assert "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16" in output.stdout  # one line: plain repr
    output.clear()
    run_ok(shell, output, "%doctest_mode")
    assert output.stdout == "Exception reporting mode: Context\nDoctest mode is: OFF\n"
    assert shell.xmode == "Context" and shell.display_formatter.plain.pprint is True


# -- %%file, %timeit -v, history ranges -----------------------------------------------------------
def test_file_is_writefile(shell, output, tmp_path):
    target = tmp_path / "notes.txt"
    run_ok(shell, output, f"%%file {target}\nhello\n")
    assert target.read_text() == "hello\n" and output.stdout == f"Writing {target}\n"  # IPython 9's words
    output.clear()
    run_ok(shell, output, f"%%file -a {target}\nmore\n")
    assert target.read_text() == "hello\nmore\n" and output.stdout == f"Appending to {target}\n"


def test_timeit_v_stores_the_result(shell, output):
    run_ok(shell, output, "%timeit -n 1 -r 2 -q -v res 1 + 1")
    # IPython 9: res is the TimeitResult, res.loops == 1, res.repeat == 2
    assert type(shell.user_ns["res"]).__name__ == "TimeitResult"
    assert (shell.user_ns["res"].loops, shell.user_ns["res"].repeat) == (1, 2)
    assert output.stdout == ""
    shell.run_cell("%timeit -n 1 -r 1 -v 3x 1")
    one_line_error(output, "UsageError: %timeit: -v needs a variable name, not '3x'")


def test_open_ended_history_ranges(shell, output):
    for number in range(1, 6):
        run_ok(shell, output, f"x{number} = {number}")
    output.clear()
    run_ok(shell, output, "%history -n 4-")
    # IPython 9: "4-" is cell 4 to the end of the session, the %history line itself included
    assert output.stdout.split("\n")[:3] == ["   4: x4 = 4", "   5: x5 = 5", "   6: %history -n 4-"]


# -- last_execution_result and __IPYTHON__ --------------------------------------------------------
def test_last_execution_result(shell, output):
    assert shell.last_execution_result is None and shell.last_execution_succeeded
    seen = []
    shell.events.register("post_run_cell", lambda result: seen.append(shell.last_execution_result is result))
    shell.run_cell("1 / 0")
    assert seen == [True]
    assert shell.last_execution_result.execution_count == 1 and not shell.last_execution_succeeded
    run_ok(shell, output, "get_ipython().last_execution_result.info.raw_cell")
    assert shell.last_execution_succeeded and "Out[2]: 'get_ipython().last_execution_result" in output.stdout


def test_ipython_detection_only_where_ipython_can_be_imported():
    # With IPython installed, as in IPython: __IPYTHON__ is True in cells, and IPython's own
    # get_ipython() (what libraries call next) answers for hocus.
    code = ("from shell import Shell\ns = Shell()\n"
            "s.run_cell('import IPython\\nprint(__IPYTHON__, IPython.get_ipython().last_execution_result"
            ".info.raw_cell.startswith(\"import IPython\"))')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout == "True True\n", done.stderr
    # Without IPython, __IPYTHON__ would send libraries to an import that fails: it is not set.
    hidden = ("import builtins\nimport shell.bridge.hook as hook\nhook._installed = False  # as if not installed\n"
              "from shell import Shell\ns = Shell()\ns.run_cell('import builtins')\n"
              "print(hasattr(builtins, '__IPYTHON__'))")
    done = subprocess.run([sys.executable, "-c", hidden], capture_output=True, text=True, timeout=120)
    assert done.stdout == "False\n", done.stderr
