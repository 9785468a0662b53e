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


def test_unknown_options_before_code_are_errors_not_code():
    # IPython 9: %timeit -Z 1 -> UsageError: option -Z not recognized; `--` ends the options.
    for line in ["-Z 1", "-n 2 -Z 1", "-o -Z 1", "--bogus 1", "--bogus=3 1", "-1"]:
        with pytest.raises(MagicArgumentError) as info:
            timed(line)
        bad = line.split()[-2] if len(line.split()) > 1 else line
        assert bad.split("=")[0] in str(info.value) and "\n" not in str(info.value), line
        assert str(info.value).startswith("%timed: unknown option '")
    assert timed("-- -Z 1").statement == "-Z 1"
    assert timed("- 1").statement == "- 1"


def _builtin_magics_with_arguments():
    import importlib

    from magics.arguments import construct_parser
    from magics.builtin import BUILTIN_MAGICS
    from magics.decorators import magic_spec

    seen = set()
    for _kind, _name, target in BUILTIN_MAGICS:
        module_name, _, class_name = target.partition(":")
        cls = getattr(importlib.import_module(module_name), class_name)
        for klass in cls.__mro__:
            for value in vars(klass).values():
                spec = magic_spec(value)
                if spec and getattr(value, "__magic_arguments__", None) and spec.name not in seen \
                        and not construct_parser(value).keep_unknown_options:  # %%bash -x: bash's option
                    seen.add(spec.name)
                    yield spec.name, value


@pytest.mark.parametrize("name,func", list(_builtin_magics_with_arguments()))
def test_every_builtin_magic_names_an_unknown_option_in_one_line(name, func):
    with pytest.raises(MagicArgumentError) as info:
        parse_argstring(func, "-Z 1")
    assert "-Z" in str(info.value) and "\n" not in str(info.value)
