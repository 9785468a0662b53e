"""IPython's input syntax that users type from habit: call escapes, %autocall, help on
expressions, pasted prompts, a late ``from __future__``, and ``$x``/``{x}`` in every magic.

Each expected value is what IPython 9 gives for the same input (checked side by side
with ``TransformerManager().transform_cell`` and ``InteractiveShell.run_cell``).
"""

from __future__ import annotations

import pytest

from shell.engine.transforms.syntax import transform_cell

ARGS = "def f(*args):\n    return args\n"


# -- call escapes work with autocall off ---------------------------------------------------

@pytest.mark.parametrize(("cell", "expected"), [
    (",f a b", ("a", "b")),      # IPython: f("a", "b")
    (";f a b", ("a b",)),        # IPython: f("a b")
    ("/f 1,2", (1, 2)),          # IPython: f(1,2)
    ("/f 1 2", (1, 2)),          # IPython: f(1, 2)
    ("  ,f a", ("a",)),          # a pasted indent first
    (",f", ("",)),               # IPython: f("")
])
def test_call_escapes_work_with_autocall_off(shell, cell, expected):
    shell.run_cell(ARGS)
    assert shell.autocall == 0
    result = shell.run_cell(cell)
    assert result.success and result.result == expected


def test_call_escapes_rewrite_as_ipython_does():
    assert transform_cell(",f a b\n") == 'f("a", "b")\n'
    assert transform_cell(";f a b\n") == 'f("a b")\n'
    assert transform_cell("/f 1,2\n") == "f(1,2)\n"


def test_call_escape_inside_a_block(shell):
    shell.run_cell(ARGS)
    result = shell.run_cell("def g():\n    return ,f x y\n")  # not at a statement start: Python's error
    assert isinstance(result.error_before_exec, SyntaxError)
    assert shell.run_cell("def g():\n    ,f x y\n    return 1\ng()").result == 1


def test_a_quote_in_an_escaped_word_stays_one_string(shell):
    shell.run_cell(ARGS)
    assert shell.run_cell(',f a"b').result == ('a"b',)


# -- %autocall --------------------------------------------------------------------------------

def test_autocall_modes(shell, output):
    shell.run_cell(ARGS)
    shell.run_cell("%autocall 1")
    assert output.stdout.endswith("Automatic calling is: Smart\n")
    output.clear()
    assert shell.run_cell("f 1, 2").result == (1, 2)
    assert output.stdout == "------> f(1, 2)\nOut[3]: (1, 2)\n"  # IPython echoes the rewritten call
    assert shell.run_cell("f").result is f_of(shell)  # Smart: a bare name is not called
    shell.run_cell("%autocall 2")
    assert shell.run_cell("f").result == ()  # Full: it is
    shell.run_cell("%autocall 0")
    assert isinstance(shell.run_cell("f 1").error_before_exec, SyntaxError)


def f_of(shell):
    return shell.user_ns["f"]


def test_autocall_toggles_like_ipython(shell, output):
    shell.run_cell("%autocall")
    shell.run_cell("%autocall")
    shell.run_cell("%autocall")
    assert output.stdout == ("Automatic calling is: Smart\nAutomatic calling is: Off\n"
                             "Automatic calling is: Smart\n")


def test_autocall_leaves_python_alone(shell):
    shell.run_cell(ARGS + "d = {'k': 1}")
    shell.run_cell("%autocall 2")
    assert shell.run_cell("f(3)").result == (3,)
    assert shell.run_cell("x = f\nx is f").result is True  # two lines: autocall is for one-line cells
    assert shell.run_cell("d ['k']").result == 1  # callable? no; subscriptable: indexing stays
    assert shell.run_cell("f [1]").result == ([1],)  # a function cannot be indexed: IPython calls it


@pytest.mark.parametrize("mode", ["3", "x", "on"])
def test_autocall_bad_mode_is_one_line(shell, output, mode):
    result = shell.run_cell(f"%autocall {mode}")
    assert output.stderr == "UsageError: Valid modes: 0->Off, 1->Smart, 2->Full\n"
    assert result.success is False or output.stderr  # the shell goes on
    assert shell.run_cell("1 + 1").result == 2


# -- help on expressions ------------------------------------------------------------------------

@pytest.mark.parametrize(("cell", "expected"), [
    ("a = b + c?", "__hocus__.line_magic('pinfo', 'c')"),
    ("x = \\\nzip?", "__hocus__.line_magic('pinfo', 'zip')"),
    ("container[0]?", "__hocus__.line_magic('pinfo', 'container[0]')"),
    ("a = b + c??", "__hocus__.line_magic('pinfo2', 'c')"),
    ("f(a)?", "f(a)?"),  # IPython: no target, the line is left for compile() to report
])
def test_help_on_the_end_of_an_expression(cell, expected):
    assert transform_cell(cell).rstrip("\n") == expected


def test_help_on_an_indexed_container_describes_the_item(shell, output):
    shell.run_cell("container = [len, 2]")
    shell.run_cell("container[0]?")
    assert "Return the number of items in a container." in output.stdout
    output.clear()
    shell.run_cell("container[5]?")
    assert output.stderr + output.stdout == "Object `container[5]` not found.\n"


def test_help_after_a_backslash_continuation(shell, output):
    shell.run_cell("x = \\\nzip?")
    assert "Yield tuples until an input is exhausted." in output.stdout


# -- pasted prompts ---------------------------------------------------------------------------

@pytest.mark.parametrize(("cell", "expected"), [
    (">>>     print(1)\n", "print(1)\n"),
    ("   ...: x = 1\n   ...: y = 2\n", "x = 1\ny = 2\n"),
    ("[ins] In [11]: x = 1\n", "x = 1\n"),
    ("[nav] In [11]: def f():\n          ...:     pass\n", "def f():\n    pass\n"),
])
def test_pasted_prompts(cell, expected):
    assert transform_cell(cell) == expected


def test_pasted_continuation_lines_run(shell):
    assert shell.run_cell("   ...: x = 1\n   ...: y = x + 1\n   ...: y").result == 2


# -- from __future__ after other statements ------------------------------------------------

def test_future_import_in_the_middle_of_a_cell(shell):
    result = shell.run_cell(
        "x = 1\nfrom __future__ import annotations\ndef f(a: undefined): pass\nf.__annotations__")
    assert result.success and result.result == {"a": "undefined"}  # IPython: the import applies from there on


def test_statements_before_a_late_future_import_run_without_it(shell):
    result = shell.run_cell("def g(a: undefined_name): pass\nfrom __future__ import annotations\n")
    assert isinstance(result.error_in_exec, NameError)


# -- $x and {x} in every magic's line ---------------------------------------------------------

def test_macro_name_from_a_local_variable(shell):
    shell.run_cell("a = 1")
    shell.run_cell("def make():\n    name = 'inner'\n    %macro {name} 1\n")
    shell.run_cell("make()")
    assert "inner" in shell.user_ns and "a = 1" in str(shell.user_ns["inner"])


def test_dollar_and_braces_in_a_line_magic(shell, output):
    shell.run_cell("n = 3")
    shell.run_cell("%precision {n}")
    shell.run_cell("1/3")
    assert output.stdout == "Out[2]: '%.3f'\nOut[3]: 0.333\n"  # IPython's output, as typed with 3


def test_python_code_magics_keep_their_braces(shell):
    assert shell.run_cell("%time {1: 2}").result == {1: 2}  # IPython: %time is @no_var_expand


def test_ipythons_autocall_setting_name_works(shell, output):
    shell.run_cell(ARGS)
    shell.run_cell("%config InteractiveShell.autocall = 2")
    assert output.stderr == "" and shell.run_cell("f").result == ()


def test_ipythons_autocall_attribute_is_the_sessions(shell):
    shell.run_cell(ARGS)
    assert shell.run_cell("import IPython\nip = IPython.get_ipython()\nip.autocall").result == 0
    shell.run_cell("ip.autocall = 2")
    assert shell.autocall == 2 and shell.run_cell("f").result == ()


def test_double_question_mark_shows_the_source_of_a_function_from_a_cell(shell, output):
    shell.run_cell('def f(x):\n    "doc"\n    return x + 1\n')
    shell.run_cell("f??")
    # IPython 9: the Source field holds the cell's text of the function
    assert output.stdout.startswith("Signature: f(x)\nSource:")
    assert 'def f(x):\n    "doc"\n    return x + 1\n' in output.stdout
    assert output.stdout.rstrip().endswith("Type:      function")


def test_help_after_a_continuation_keeps_the_cells_line_count():
    assert transform_cell("x = \\\nzip?").count("\n") == 1
    assert transform_cell("x = \\\nzip?\ny = 1/0").splitlines()[2] == "y = 1/0"  # tracebacks point at line 3
