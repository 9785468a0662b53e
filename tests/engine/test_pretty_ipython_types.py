"""The pretty printer on types IPython 9 prints its own way: Counter subclasses, UserList,
mappingproxy, SimpleNamespace, and ``_repr_pretty_ = None``.

Each expected text is what ``IPython.lib.pretty.pretty`` gives for the same object.
"""

from __future__ import annotations

import collections
import types

from shell.engine.display.pretty import pretty

LONG = {f"key{i}": "x" * 10 for i in range(8)}


class MyCounter(collections.Counter):
    pass


class MyList(collections.UserList):
    pass


class Pretty:
    def _repr_pretty_(self, p, cycle):
        p.text("pretty")


class PrettyOff(Pretty):
    _repr_pretty_ = None

    def __repr__(self):
        return "repr, not pretty"


class OwnRepr(Pretty):
    def __repr__(self):
        return "own repr"


def test_a_counter_subclass_prints_under_its_own_name():
    assert pretty(MyCounter("abracadabra")) == "MyCounter({'a': 5, 'b': 2, 'r': 2, 'c': 1, 'd': 1})"
    assert pretty(MyCounter()) == "MyCounter()"
    assert pretty(MyCounter({f"k{i}": i for i in range(3)}), width=20) == (
        "MyCounter({'k2': 2,\n"
        "           'k1': 1,\n"
        "           'k0': 0})")


def test_a_userlist_prints_like_a_list_under_its_name():
    assert pretty(collections.UserList([1, 2])) == "UserList([1, 2])"
    assert pretty(MyList([1, 2, 3])) == "MyList([1, 2, 3])"
    assert pretty(MyList(range(3)), width=10) == "MyList([0,\n        1,\n        2])"
    cyclic = MyList([1])
    cyclic.append(cyclic)
    assert pretty(cyclic) == "MyList([1, MyList(...)])"


def test_a_mappingproxy_wraps_across_lines():
    assert pretty(types.MappingProxyType({"a": 1})) == "mappingproxy({'a': 1})"
    assert pretty(types.MappingProxyType(LONG)) == "mappingproxy({" + ",\n              ".join(
        f"'key{i}': 'xxxxxxxxxx'" for i in range(8)) + "})"


def test_a_simple_namespace_wraps_across_lines():
    assert pretty(types.SimpleNamespace(a=1, b="x")) == "namespace(a=1, b='x')"
    assert pretty(types.SimpleNamespace(**LONG)) == "namespace(" + ",\n          ".join(
        f"key{i}='xxxxxxxxxx'" for i in range(8)) + ")"
    assert pretty(types.SimpleNamespace()) == "namespace()"


def test_repr_pretty_set_to_none_falls_back_to_repr():
    assert pretty(PrettyOff()) == "repr, not pretty"


def test_a_subclass_with_its_own_repr_is_printed_by_it():
    assert pretty(OwnRepr()) == "own repr"
    assert pretty(Pretty()) == "pretty"


def test_the_shell_shows_them_so(shell, output):
    shell.run_cell("import collections\nclass C(collections.Counter): pass\nC('aab')")
    assert output.stdout == "Out[1]: C({'a': 2, 'b': 1})\n"
