"""Declarative magic arguments: parsing, verbatim code after options, help text, one-line errors."""

from __future__ import annotations

import pytest

from magics import MagicArgumentError, argument, line_magic, magic_arguments, parse_argstring, rest


@magic_arguments()
@argument("-n", "--times", type=int, default=1, help="how often")
@argument("-q", action="store_true", help="quietly")
@argument("name", help="whom to greet")
@line_magic
def greet(line):
    """Greet someone."""
    return parse_argstring(greet, line)


@magic_arguments()
@argument("-n", type=int, help="loops")
@argument("-o", action="store_true")
@rest("statement")
@line_magic
def timed(line):
    """Time code."""
    return parse_argstring(timed, line)


def test_parses_declared_arguments():
    args = greet("-n 3 -q 'Ada Lovelace'")
    assert (args.times, args.q, args.name) == (3, True, "Ada Lovelace")


def test_bad_arguments_are_one_line_errors():
    with pytest.raises(MagicArgumentError) as info:
        greet("-n three Ada")
    assert "\n" not in str(info.value)
    assert "invalid int value: 'three'" in str(info.value)
    with pytest.raises(MagicArgumentError, match="required: name"):
        greet("")
    with pytest.raises(MagicArgumentError, match="cannot split"):
        greet("'unterminated")


def test_rest_is_taken_verbatim():
    args = timed("-n 10 -o x = {'a': 'b c'}  # comment")
    assert (args.n, args.o, args.statement) == (10, True, "x = {'a': 'b c'}  # comment")
    assert timed("-n5 sum(range(3))").statement == "sum(range(3))"
    assert timed("-n 5 -- -x").statement == "-x"
    assert timed("").statement == ""
    assert timed("a - -b").statement == "a - -b"


def test_help_is_added_to_the_docstring():
    assert greet.__doc__.startswith("Greet someone.")
    assert "usage: %greet [-n TIMES] [-q] name" in greet.__doc__
    assert "how often" in greet.__doc__
