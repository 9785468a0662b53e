"""``obj?`` and ``obj??`` on what users define in cells; asking never runs their code.

The expected layouts are IPython 9's (``Init signature`` for a class, the
labels padded to the longest one, ``Type: property`` for a property).
"""

from __future__ import annotations

import sys

import pytest

FOO = '''class Foo:
    """A foo."""
    def __init__(self, a, b=2):
        """Init doc."""
        self.a = a
'''


@pytest.fixture
def main_is_the_session(shell, monkeypatch):
    """As in the terminal and the kernel: ``__main__`` is the user's module, with no ``__file__``."""
    monkeypatch.setitem(sys.modules, "__main__", shell.user_module)
    return shell


def test_class_from_a_cell_shows_init_signature_docstrings_and_type(main_is_the_session, output):
    shell = main_is_the_session
    shell.run_cell(FOO)
    result = shell.run_cell("Foo?")
    assert result.success and output.stderr == ""
    assert output.stdout == ("Init signature: Foo(a, b=2)\n"
                             "Docstring:      A foo.\n"
                             "Init docstring: Init doc.\n"
                             "File:           <ipython-input-1-" + _digest(FOO) + ">\n"
                             "Type:           type\n")


def test_pinfo_of_a_class_from_a_cell(main_is_the_session, output):
    shell = main_is_the_session
    shell.run_cell(FOO)
    assert shell.run_cell("%pinfo Foo").success
    assert "Init signature: Foo(a, b=2)\n" in output.stdout and output.stderr == ""


def test_double_question_mark_shows_the_class_source_from_its_cell(main_is_the_session, output):
    shell = main_is_the_session
    shell.run_cell("x = 1")
    shell.run_cell(FOO + "\nfoo = Foo(1)\n")
    assert shell.run_cell("Foo??").success and output.stderr == ""
    assert "Source:\n" + FOO.rstrip("\n") + "\n" in output.stdout
    assert "File:           <ipython-input-2-" in output.stdout


def test_source_of_a_class_without_methods_and_of_a_nested_class(main_is_the_session, output):
    shell = main_is_the_session
    shell.run_cell("class Empty(Exception):\n    pass\n")
    shell.run_cell("class Outer:\n    class Inner:\n        size = 3\n")
    shell.run_cell("Empty??")
    assert "Source:\nclass Empty(Exception):\n    pass\n" in output.stdout
    output.clear()
    shell.run_cell("Outer.Inner??")
    assert "Source:\n    class Inner:\n        size = 3\n" in output.stdout and output.stderr == ""


def test_a_redefined_class_shows_its_newest_source(main_is_the_session, output):
    shell = main_is_the_session
    shell.run_cell("class Point:\n    x = 1\n")
    shell.run_cell("class Point:\n    x = 2\n")
    shell.run_cell("Point??")
    assert "    x = 2\n" in output.stdout and "x = 1" not in output.stdout


def test_a_class_from_a_cell_in_a_process_whose_main_is_a_script(shell, output):
    # pytest's own __main__ has a __file__: the class must still be found in its cell, not there
    shell.run_cell(FOO)
    shell.run_cell("Foo??")
    assert "Source:\nclass Foo:\n" in output.stdout
    assert "File:           <ipython-input-1-" + _digest(FOO) + ">\n" in output.stdout


PROPS = '''class P:
    @property
    def x(self):
        """The x prop."""
        print("GETTER RAN")
        return 1
    @property
    def bad(self):
        raise RuntimeError("boom")
p = P()
'''


def test_property_question_mark_never_runs_the_getter(shell, output):
    shell.run_cell(PROPS)
    assert shell.run_cell("p.x?").success
    text = output.stdout
    assert "GETTER RAN" not in text
    assert "Type:        property\n" in text
    assert "Docstring:   The x prop.\n" in text


def test_a_property_whose_getter_raises_is_still_described(shell, output):
    shell.run_cell(PROPS)
    shell.run_cell("p.bad?")
    assert "not found" not in output.stdout
    assert "Type:        property\n" in output.stdout and "Docstring:   <no docstring>\n" in output.stdout


def test_property_source_is_its_getter(shell, output):
    shell.run_cell(PROPS)
    shell.run_cell("p.x??")
    # IPython 9: the accessor's source, dedented, under a "# name.fget" line; its docstring is in it
    assert output.stdout.startswith("Type:        property\nString form: <property object at 0x")
    assert output.stdout.endswith('Source:\n# p.x.fget\n@property\ndef x(self):\n    """The x prop."""\n'
                                  '    print("GETTER RAN")\n    return 1\n')


def test_methods_are_still_bound_and_other_attributes_still_found(shell, output):
    shell.run_cell(PROPS + "p.size = 4\n")
    shell.run_cell("class Q(P):\n    def go(self, n):\n        'Go n steps.'\n")
    shell.run_cell("q = Q()")
    shell.run_cell("q.go?")
    assert "Signature: q.go(n)\n" in output.stdout and "Type:      method\n" in output.stdout
    output.clear()
    shell.run_cell("p.size?")
    assert "Type:        int\n" in output.stdout and "String form: 4\n" in output.stdout


def test_an_object_behind_a_property_is_not_found_rather_than_computed(shell, output):
    shell.run_cell(PROPS)
    assert shell.run_cell("p.x.real?").success
    assert output.stdout == "Object `p.x.real` not found.\n"


def test_a_function_from_a_cell_names_its_cell_as_in_n(shell, output):
    for _ in range(3):
        shell.run_cell("pass")
    shell.run_cell("def f(a):\n    return a\n")
    shell.run_cell("f?")
    assert "File:      <ipython-input-4-" + _digest("def f(a):\n    return a\n") + ">\n" in output.stdout


def test_objects_that_fail_when_described_are_still_described(shell, output):
    shell.run_cell("class Odd:\n    @property\n    def __doc__(self):\n        raise RuntimeError('doc')\n"
                   "    @property\n    def __signature__(self):\n        raise RuntimeError('sig')\n"
                   "    def __call__(self):\n        pass\n    def __str__(self):\n        raise RuntimeError('str')\n"
                   "odd = Odd()")
    result = shell.run_cell("odd?")
    assert result.success and output.stderr == ""
    assert "Type:        Odd\n" in output.stdout and "String form: <str failed: RuntimeError>\n" in output.stdout


def _digest(cell: str) -> str:
    """The hash part of IPython's filename for a cell's code (its SHA-1, 12 digits)."""
    import hashlib

    return hashlib.sha1(cell.encode()).hexdigest()[:12]
