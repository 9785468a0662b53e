"""Code typed in ``In [N]`` is named after that cell everywhere: ``obj?``, pdb, ``%prun``, tracebacks.

Tracebacks label it ``Cell In[N]`` (as IPython 9 does); pdb, the profiler
and ``obj?`` show its filename ``<ipython-input-N-HASH>``, IPython's name for
it, never an internal serial.
"""

from __future__ import annotations

import re


def cell_file(n: int) -> str:
    """A regular expression for IPython's filename of the code of ``In [n]``."""
    return rf"<ipython-input-{n}-[0-9a-f]{{12}}>"

FAILING = "def f(x):\n    y = x * 2\n    return 1 / (x - 3)\n"


def _advance(shell, cells: int) -> None:
    for _ in range(cells):
        shell.run_cell("pass")


def test_debug_post_mortem_names_the_cell_a_function_was_typed_in(shell, output, pdb_input):
    _advance(shell, 4)
    shell.run_cell(FAILING)  # In [5]
    shell.run_cell("f(3)")
    printed = pdb_input("q")
    shell.run_cell("%debug")
    assert re.search(rf"> {cell_file(5)}\(3\)f\(\)\n(      \d .*\n)*----> 3     return 1 / \(x - 3\)", printed())


def test_automatic_pdb_names_the_cells(shell, output, pdb_input):
    shell.run_cell(FAILING)  # In [1]
    shell.run_cell("%pdb on")
    printed = pdb_input("up", "q")
    shell.run_cell("f(3)")  # In [3]
    text = printed()
    assert re.search(rf"> {cell_file(1)}\(3\)f\(\)", text) and re.search(rf"> {cell_file(3)}\(1\)<module>\(\)", text)


def test_prun_lists_functions_under_their_cell(shell, output):
    _advance(shell, 2)
    shell.run_cell("def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n")  # In [3]
    shell.run_cell("%%prun -l 4\nfib(8)\n")  # In [4]
    assert re.search(rf"{cell_file(3)}:1\(fib\)", output.stdout)
    assert re.search(rf"{cell_file(4)}:1\(<module>\)", output.stdout)
    assert "hocus-cell" not in output.stdout


def test_a_traceback_and_obj_question_mark_agree_on_the_cell(shell, output):
    _advance(shell, 6)
    shell.run_cell(FAILING)  # In [7]
    shell.run_cell("f(3)")
    assert "Cell In[7], line 3, in f(x)\n" in output.stderr
    shell.run_cell("f?")
    assert re.search(rf"File:      {cell_file(7)}\n", output.stdout)


def test_warnings_name_the_cell(shell, output):
    import warnings

    shell.run_cell("import warnings")
    shell.run_cell("def old():\n    warnings.warn('use new()', DeprecationWarning)\n")  # In [2]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        shell.run_cell("old()")
    assert [(bool(re.fullmatch(cell_file(2), w.filename)), w.lineno) for w in caught] == [(True, 2)]


def test_a_capture_cell_body_is_named_after_its_cell(shell, output):
    shell.run_cell("pass")
    shell.run_cell("%%capture out\nx = 1\n1/0\n")  # In [2]
    captured = shell.user_ns["out"].stderr
    assert "Cell In[2], line 2\n" in captured and "----> 2 1/0\n" in captured
    assert "Cell <" not in captured


def test_code_run_without_storing_keeps_its_lines_when_the_cell_of_its_number_runs(shell, output):
    shell.run_cell("def g():\n    return 1 / 0\n", store_history=False)  # runs under the number 1
    shell.run_cell("x = 1")  # In [1]
    shell.run_cell("g()")
    assert "Cell In[1], line 2, in g()\n      1 def g():\n----> 2     return 1 / 0\n" in output.stderr
    output.clear()
    shell.run_cell("x?")
    shell.run_cell("g?")
    # run under the number 1 too, but its own text gives it a name of its own, as in IPython
    import hashlib

    digest = hashlib.sha1(b"def g():\n    return 1 / 0\n").hexdigest()[:12]
    assert f"File:      <ipython-input-1-{digest}>\n" in output.stdout
