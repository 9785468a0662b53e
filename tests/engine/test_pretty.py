"""The pretty printer (shell/engine/display/pretty.py): the text of many structures, and its use for Out."""

from __future__ import annotations

import collections
import dataclasses
import enum

import pytest

from shell import Shell
from shell.engine.display.pretty import pretty

P = collections.namedtuple("P", "x y")

@dataclasses.dataclass
class Point:
    x: int
    y: int

@dataclasses.dataclass
class Line:
    start: Point
    end: Point
    tags: list

class Custom:
    def _repr_pretty_(self, p, cycle):
        with p.group(7, "Custom<", ">"):
            p.text("a,")
            p.breakable()
            p.text("b")

class ReprList(list):
    def __repr__(self):
        return "ReprList!"

class Color(enum.Enum):
    RED = 1

l = [1]; l.append(l)
d = {"k": 1}; d["self"] = d
CASES = [
    ("small list", [1, 2, 3], 79),
    ("long list", list(range(12)), 30),
    ("empty containers", [[], {}, (), set(), frozenset()], 79),
    ("one-tuple", (1,), 79),
    ("long tuple", tuple(range(10)), 20),
    ("dict fits", {"a": 1, "b": 2}, 79),
    ("dict wraps", {"alpha": 1, "beta": 2, "gamma": 3}, 20),
    ("nested dict keeps inner together", {"a": [1, 2, 3], "b": {"c": 4}, "d": "x" * 20}, 30),
    ("deep nesting", [[[1, 2], [3, 4]], [[5, 6], [7, 8]]], 12),
    ("set sorted", {3, 1, 2}, 79),
    ("set wraps", set(range(8)), 10),
    ("frozenset", frozenset({2, 1}), 79),
    ("list cycle", l, 79),
    ("dict cycle", d, 79),
    ("namedtuple", P(1, 2), 79),
    ("namedtuple wraps", P([1] * 5, "y" * 10), 20),
    ("dataclass", Point(1, 2), 79),
    ("nested dataclass wraps", Line(Point(0, 0), Point(10, 20), ["a", "b"]), 30),
    ("OrderedDict", collections.OrderedDict([("a", 1), ("b", 2)]), 79),
    ("defaultdict", collections.defaultdict(list, {1: [2]}), 79),
    ("Counter", collections.Counter("aab"), 79),
    ("deque", collections.deque([1, 2, 3], maxlen=5), 79),
    ("exception", ValueError("bad", 3), 79),
    ("builtin type", int, 79),
    ("library type", collections.OrderedDict, 79),
    ("_repr_pretty_", Custom(), 79),
    ("_repr_pretty_ broken", [Custom()], 10),
    ("subclass with own repr", ReprList([1]), 79),
    ("enum in list", [Color.RED], 79),
    ("strings in list wrap", ["x" * 10, "y" * 10, "z" * 10], 20),
    ("multi-line repr indented", [Custom(), "a"], 79),
    ("max_seq_length", list(range(5)), 79),
    ("list of dicts", [{"a": 1, "b": 2}, {"a": 3, "b": 4}], 20),
    ("bytes and None", [b"ab", None, True], 79),
]

EXPECTED = dict([
    ('small list', '[1, 2, 3]'),
    ('long list', '[0,\n 1,\n 2,\n 3,\n 4,\n 5,\n 6,\n 7,\n 8,\n 9,\n 10,\n 11]'),
    ('empty containers', '[[], {}, (), set(), frozenset()]'),
    ('one-tuple', '(1,)'),
    ('long tuple', '(0,\n 1,\n 2,\n 3,\n 4,\n 5,\n 6,\n 7,\n 8,\n 9)'),
    ('dict fits', "{'a': 1, 'b': 2}"),
    ('dict wraps', "{'alpha': 1,\n 'beta': 2,\n 'gamma': 3}"),
    ('nested dict keeps inner together', "{'a': [1, 2, 3],\n 'b': {'c': 4},\n 'd': 'xxxxxxxxxxxxxxxxxxxx'}"),
    ('deep nesting', '[[[1, 2],\n  [3, 4]],\n [[5, 6],\n  [7, 8]]]'),
    ('set sorted', '{1, 2, 3}'),
    ('set wraps', '{0,\n 1,\n 2,\n 3,\n 4,\n 5,\n 6,\n 7}'),
    ('frozenset', 'frozenset({1, 2})'),
    ('list cycle', '[1, [...]]'),
    ('dict cycle', "{'k': 1, 'self': {...}}"),
    ('namedtuple', 'P(x=1, y=2)'),
    ('namedtuple wraps', "P(x=[1, 1, 1, 1, 1],\n  y='yyyyyyyyyy')"),
    ('dataclass', 'Point(x=1, y=2)'),
    ('nested dataclass wraps', "Line(start=Point(x=0, y=0),\n     end=Point(x=10, y=20),\n     tags=['a', 'b'])"),
    ('OrderedDict', "OrderedDict([('a', 1), ('b', 2)])"),
    ('defaultdict', 'defaultdict(list, {1: [2]})'),
    ('Counter', "Counter({'a': 2, 'b': 1})"),
    ('deque', 'deque([1, 2, 3], maxlen=5)'),
    ('exception', "ValueError('bad', 3)"),
    ('builtin type', 'int'),
    ('library type', 'collections.OrderedDict'),
    ('_repr_pretty_', 'Custom<a, b>'),
    ('_repr_pretty_ broken', '[Custom<a,\n        b>]'),
    ('subclass with own repr', 'ReprList!'),
    ('enum in list', '[<Color.RED: 1>]'),
    ('strings in list wrap', "['xxxxxxxxxx',\n 'yyyyyyyyyy',\n 'zzzzzzzzzz']"),
    ('multi-line repr indented', "[Custom<a, b>, 'a']"),
    ('max_seq_length', '[0, 1, 2, ...]'),
    ('list of dicts', "[{'a': 1, 'b': 2},\n {'a': 3, 'b': 4}]"),
    ('bytes and None', "[b'ab', None, True]"),
])


@pytest.mark.parametrize("name, obj, width", CASES, ids=[case[0] for case in CASES])
def test_structure_text(name, obj, width):
    kwargs = {"max_seq_length": 3} if name == "max_seq_length" else {}
    assert pretty(obj, width=width, **kwargs) == EXPECTED[name]


def test_at_least_thirty_structures():
    assert len(CASES) >= 30


def test_multi_line_repr_keeps_indentation():
    class Two:
        def __repr__(self):
            return "one\ntwo"

    # as in IPython: the lines after the first start at the group's indentation
    assert pretty({"k": Two()}, width=79) == "{'k': one\n two}"


def test_float_format_applies_inside_containers():
    assert pretty([1.23456, {"x": 2.5}], float_format="%.2f") == "[1.23, {'x': 2.50}]"


def test_numpy_array_prints_its_own_repr_lined_up_in_a_container():
    numpy = pytest.importorskip("numpy")
    # IPython 9's pretty(..., max_width=40): numpy's own repr (its 75-column linewidth), lines
    # after the first indented to the group
    assert pretty({"a": numpy.arange(12) * 1000}, width=40) == (
        "{'a': array([    0,  1000,  2000,  3000,  4000,  5000,  6000,  7000,  8000,\n"
        "         9000, 10000, 11000])}")


@pytest.fixture
def numpy_printoptions():
    numpy = pytest.importorskip("numpy")
    saved = numpy.get_printoptions()
    yield numpy
    numpy.set_printoptions(**saved)


def test_out_honours_numpy_printoptions_linewidth(output, numpy_printoptions):
    # issue 13, item 24: the text IPython 9 shows for these cells
    sh = Shell(entry_points=False, output=output)
    sh.run_cell("import numpy as np\nnp.set_printoptions(linewidth=120)")
    sh.run_cell("np.arange(40)")
    sh.run_cell("[np.arange(40), 1]")
    assert output.stdout == (
        "Out[2]: \n"
        "array([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,"
        " 25, 26, 27,\n"
        "       28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39])\n"
        "Out[3]: \n"
        "[array([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,"
        " 25, 26, 27,\n"
        "        28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39]),\n"
        " 1]\n")


def test_out_honours_numpy_default_linewidth(output, numpy_printoptions):
    sh = Shell(entry_points=False, output=output)
    sh.run_cell("import numpy as np\n[np.arange(30), 1]")
    assert output.stdout == (
        "Out[1]: \n"
        "[array([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15, 16,\n"
        "        17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29]),\n"
        " 1]\n")


def test_shell_out_uses_pretty_printer_and_pprint_toggles(output):
    sh = Shell(entry_points=False, output=output)
    sh.display_formatter.plain.width = 20
    sh.run_cell("list(range(8))")
    assert "Out[1]: \n[0,\n 1," in output.stdout
    sh.run_cell("%pprint")
    sh.run_cell("list(range(8))")
    assert "Pretty printing has been turned OFF" in output.stdout
    assert "Out[3]: [0, 1, 2, 3, 4, 5, 6, 7]\n" in output.stdout
    sh.run_cell("%pprint")
    assert "Pretty printing has been turned ON" in output.stdout


def test_precision_applies_to_out(output):
    sh = Shell(entry_points=False, output=output)
    sh.run_cell("%precision 2")
    sh.run_cell("[3.14159, 2.0]")
    assert "[3.14, 2.00]" in output.stdout


@pytest.mark.parametrize("value", [2, -10**40, True, "text", "x" * 300, "two\nlines", b"\x00bytes", 1 + 2j])
def test_simple_values_print_as_their_repr_unless_a_printer_is_registered(value):
    from shell.engine.display.formatting import PlainTextFormatter

    plain = PlainTextFormatter()
    assert plain(value) == pretty(value) == repr(value)
    plain.for_type(type(value), lambda obj, p, cycle: p.text("custom"))  # IPython's printer signature
    assert plain(value) == "custom"
