"""Which values a cell shows: the trailing ``;`` rule and ``ast_node_interactivity``.

Each expected value is IPython 9's for the same cell; ``test_ipython_agrees``
runs the same tables through IPython's ``InteractiveShell`` in a separate
process, so the tables cannot drift from the reference.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from shell import Shell

# (cell, the values its displayhook shows), with echo/cecho magics that return their text
SEMICOLON_CASES = [
    ("%echo hi;", ["'hi;'"]),                       # the ';' belongs to the magic's text
    ("%%cecho\nSELECT * FROM t;", ["'SELECT * FROM t;'"]),
    ("x = %echo a;\nx", ["'a;'"]),
    ("%echo hi;  # a comment", ["'hi;  # a comment'"]),
    ("%timeit -n1 -r1 -q -o 1;", ["'TimeitResult'"]),  # a value returned by -o is shown
    ("%timeit -n1 -r1 -q 1;", []),                 # without -o %timeit returns nothing
    ("%time 1 + 1;", []),                           # %time silences, as IPython's @output_can_be_silenced
    ("%%time\n1 + 1;", []),
    ("%time 1 + 1", ["2"]),
    ("1 + 1;", []),
    ("1; # done", []),
    ("a = !echo b;\na;", []),
    ("if True:\n    2;", []),
    ("'a;'", ["'a;'"]),
    ("2  # done;", ["2"]),
]

# (ast_node_interactivity, cell, the values shown)
INTERACTIVITY_CASES = [
    ("last_expr", "1\n2", ["2"]),
    ("last_expr", "1\nx = 2", []),
    ("all", "1\n2\nx = 3\nx", ["1", "2", "3"]),
    ("all", "for i in range(2):\n    i", ["0", "1"]),
    ("all", "if True:\n    7\n    8\nelse:\n    9", ["7", "8"]),
    ("all", "def f():\n    5\nf()", []),               # not inside function bodies
    ("all", "class A:\n    10", []),                   # nor class bodies
    ("all", "None\n3", ["3"]),
    ("all", "a = 1\nb = 2;", []),
    ("all", "1\n2;", []),                               # a trailing ';' hides every value of the cell
    ("all", "import asyncio\nawait asyncio.sleep(0, 4)\n5", ["4", "5"]),
    ("last", "1\n2", ["2"]),
    ("last", "for i in range(2):\n    i", ["0", "1"]),
    ("last", "1\nx = 2", []),
    ("last_expr_or_assign", "1\n2", ["2"]),
    ("last_expr_or_assign", "x = 5", ["5"]),
    ("last_expr_or_assign", "x = 5\nx += 1", ["6"]),
    ("last_expr_or_assign", "y: int = 3", ["3"]),
    ("last_expr_or_assign", "a, b = 1, 2", []),
    ("last_expr_or_assign", "a = b = 7", []),
    ("last_expr_or_assign", "q = 9;", []),
    ("last_expr_or_assign", "import os", []),
    ("none", "1\n2", []),
]


def shown(text: str) -> str:
    """A result's text/plain as the tables give it (a timing varies: named by its type)."""
    return "'TimeitResult'" if "per loop" in text else text


class Recorder:
    """A display publisher that keeps the text/plain of each result, per cell."""

    def __init__(self):
        self.cells: list[list[str]] = []

    def publish_result(self, execution_count, data, metadata=None) -> None:
        self.cells[-1].append(shown(data["text/plain"]))

    def publish(self, data, metadata=None, *, transient=None, update=False) -> None:
        pass

    def clear_output(self, wait=False) -> None:
        pass


def hocus_shows(cells: list[str], interactivity: str = "last_expr", output=None) -> list[list[str]]:
    recorder = Recorder()
    shell = Shell(output=output, display_publisher=recorder)
    shell.register_magic_function(lambda line: line, "line", "echo")
    shell.register_magic_function(lambda line, cell: cell.rstrip("\n"), "cell", "cecho")
    shell.ast_node_interactivity = interactivity
    for cell in cells:
        recorder.cells.append([])
        result = shell.run_cell(cell)
        assert result.success, (cell, output.stderr if output else "")
    return recorder.cells


@pytest.mark.parametrize("cell, expected", SEMICOLON_CASES)
def test_trailing_semicolon_rule_looks_at_the_transformed_code(cell, expected, output):
    assert hocus_shows([cell], output=output) == [expected]


@pytest.mark.parametrize("interactivity, cell, expected", INTERACTIVITY_CASES)
def test_ast_node_interactivity_shows_what_ipython_shows(interactivity, cell, expected, output):
    assert hocus_shows([cell], interactivity, output) == [expected]


def test_sql_results_show_despite_the_statements_semicolon(shell, output):
    # issue 13 item 3: SQL users end every statement with ';'
    assert shell.run_cell("%sql sqlite://").success
    output.clear()
    result = shell.run_cell("%%sql\nCREATE TABLE t (a INT, b TEXT);\nINSERT INTO t VALUES (1, 'x');\nSELECT * FROM t;")
    assert result.success, output.stderr
    assert "| 1 | x |" in output.stdout and "Out[2]:" in output.stdout
    output.clear()
    shell.run_cell("%sql SELECT 41 + 1 AS answer;")
    assert "|     42 |" in output.stdout and "Out[3]:" in output.stdout
    output.clear()
    shell.run_cell("rows = %sql SELECT 1;\nrows;")  # the cell's own ';' still hides
    assert output.stdout == "" and shell.user_ns["rows"] is not None


def test_every_value_shown_gets_its_own_out_as_ipython(shell, output):
    shell.ast_node_interactivity = "all"
    result = shell.run_cell("1\n2\nx = 3\nx")
    assert output.stdout == "Out[1]: 1\nOut[1]: 2\nOut[1]: 3\n"
    ns = shell.user_ns
    # IPython: Out keeps the last, and each value shifts _, __, ___
    assert ns["Out"] == {1: 3} and (ns["_"], ns["__"], ns["___"]) == (3, 2, 1)
    assert result.result == 3


def test_silent_cells_show_nothing_whatever_the_setting(shell, output):
    shell.ast_node_interactivity = "all"
    shell.run_cell("1\n2", silent=True)
    assert output.stdout == ""


def test_a_bad_interactivity_value_is_refused(shell):
    from traitlets import TraitError

    with pytest.raises(TraitError):
        shell.ast_node_interactivity = "everything"
    assert shell.ast_node_interactivity == "last_expr"


def test_interactivity_from_the_config_and_from_percent_config(output):
    from traitlets.config import Config

    config = Config()
    config.Shell.ast_node_interactivity = "all"
    shell = Shell(output=output, config=config)
    shell.run_cell("1\n2")
    assert output.stdout == "Out[1]: 1\nOut[1]: 2\n"
    output.clear()
    shell.run_cell("%config Shell.ast_node_interactivity = 'none'")
    shell.run_cell("3")
    assert output.stdout == ""


def test_tracebacks_still_point_at_the_cells_lines_when_every_value_is_shown(shell, output):
    shell.ast_node_interactivity = "all"
    shell.run_cell("1\nfor i in range(2):\n    1 / i")
    assert "----> 3" in output.stderr or "line 3" in output.stderr, output.stderr
    assert "ZeroDivisionError" in output.stderr


_IPYTHON_RUNNER = textwrap.dedent("""
    import json, sys
    from IPython.core.interactiveshell import InteractiveShell
    ip = InteractiveShell.instance()
    ip.register_magic_function(lambda line: line, "line", "echo")
    ip.register_magic_function(lambda line, cell: cell.rstrip("\\n"), "cell", "cecho")
    seen = []
    def record(format_dict, md_dict=None):
        text = format_dict["text/plain"]
        seen[-1].append("'TimeitResult'" if "per loop" in text else text)
    ip.displayhook.write_output_prompt = lambda: None
    ip.displayhook.write_format_data = record
    for interactivity, cell in json.load(sys.stdin):
        ip.ast_node_interactivity = interactivity
        seen.append([])
        ip.run_cell(cell, store_history=True)
    sys.stdout.write("\\n" + json.dumps(seen))
""")


def test_ipython_agrees():
    pytest.importorskip("IPython")
    cases = [("last_expr", cell, expected) for cell, expected in SEMICOLON_CASES] + INTERACTIVITY_CASES
    done = subprocess.run([sys.executable, "-c", _IPYTHON_RUNNER], input=json.dumps([c[:2] for c in cases]),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.rsplit("\n", 1)[-1])
    assert [(c[0], c[1], s) for c, s in zip(cases, seen)] == [(c[0], c[1], c[2]) for c in cases]
