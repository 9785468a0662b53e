"""Declarative, argparse-based arguments for magics.

Usage::

    from magics import Magics, line_magic, magic_arguments, argument, parse_argstring

    class Greeter(Magics):
        @magic_arguments()
        @argument("-n", "--times", type=int, default=1, help="how often")
        @argument("name", help="whom to greet")
        @line_magic
        def greet(self, line):
            '''Greet someone.'''
            args = parse_argstring(self.greet, line)
            return " ".join([f"hello {args.name}"] * args.times)

``@argument`` takes exactly what ``argparse.ArgumentParser.add_argument``
takes. Arguments are listed top to bottom in the order they are declared.
A bad line raises :class:`~magics.errors.MagicArgumentError` with argparse's
one-line message; ``%greet?`` shows the usage and options appended to the
docstring.

Magics that take Python code after their options (``%timeit -n 10 x + 1``)
declare the code with ``@rest("statement")``: options are read up to the
first word that is not one of the magic's options, and everything after it
is handed over verbatim, quotes and all, never split into shell words.
"""

from __future__ import annotations

import argparse
import re
import shlex
from typing import Any, Callable

from magics.errors import MagicArgumentError

_WORD = re.compile(r"""(?:[^\s'"]+|'[^']*'?|"(?:\\.|[^"\\])*"?)+""")


class MagicArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser that reports errors as :class:`MagicArgumentError`."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("add_help", False)
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)
        self.rest_name: str | None = None

    def error(self, message: str):
        raise MagicArgumentError(f"%{self.prog}: {message}")

    def exit(self, status: int = 0, message: str | None = None):
        raise MagicArgumentError(message or f"%{self.prog}: invalid arguments")

    def parse_line(self, line: str) -> argparse.Namespace:
        """Parse a magic's argument line (a string, as typed after the name)."""
        if self.rest_name is None:
            return self.parse_args(_split_words(line))
        options, rest = self._split_options(line)
        args = self.parse_args(_split_words(options))
        setattr(args, self.rest_name, rest)
        return args

    def _split_options(self, line: str) -> tuple[str, str]:
        """Split ``line`` into its leading options and the verbatim rest."""
        pending_value = False
        for match in _WORD.finditer(line):
            word = match.group()
            if pending_value:
                pending_value = False
                continue
            if word == "--":
                return line[: match.start()], line[match.end():].strip()
            action = self._option_action(word)
            if action is None:
                return line[: match.start()], line[match.start():].strip()
            pending_value = action.nargs != 0 and "=" not in word and not self._attached(word, action)
        return line, ""

    def _option_action(self, word: str) -> argparse.Action | None:
        if not word.startswith("-") or word == "-":
            return None
        key = word.split("=", 1)[0]
        for option, action in self._option_string_actions.items():
            if key == option or (len(option) == 2 and not option.startswith("--") and key.startswith(option)):
                return action
        return None

    @staticmethod
    def _attached(word: str, action: argparse.Action) -> bool:
        """``-n10`` carries its value with it."""
        return any(word.startswith(o) and len(word) > len(o) and not o.startswith("--")
                   for o in action.option_strings if len(o) == 2)


def _split_words(text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError as err:  # unbalanced quotes
        raise MagicArgumentError(f"cannot split arguments: {err}") from None


def magic_arguments(description: str | None = None) -> Callable:
    """Start a magic's argument declaration; put it above the ``@argument`` lines."""

    def decorate(func):
        _parser_decls(func)
        func.__magic_description__ = description
        _refresh_doc(func)
        return func

    return decorate


def argument(*args: Any, **kwargs: Any) -> Callable:
    """Declare one argument, with ``argparse.ArgumentParser.add_argument``'s signature."""

    def decorate(func):
        _parser_decls(func).insert(0, ("argument", args, kwargs))
        return func

    return decorate


def rest(name: str, help: str = "the code to run") -> Callable:
    """Declare that everything after the options is taken verbatim into ``name``."""

    def decorate(func):
        _parser_decls(func).insert(0, ("rest", (name,), {"help": help}))
        return func

    return decorate


def _parser_decls(func) -> list:
    if "__magic_arguments__" not in func.__dict__:
        func.__magic_arguments__ = []
    return func.__magic_arguments__


def construct_parser(func: Callable) -> MagicArgumentParser:
    """Build the argparse parser described by ``func``'s decorators."""
    func = getattr(func, "__func__", func)
    spec = getattr(func, "__magic__", None)
    name = spec.name if spec else func.__name__
    parser = MagicArgumentParser(prog=name, description=getattr(func, "__magic_description__", None))
    for what, args, kwargs in getattr(func, "__magic_arguments__", []):
        if what == "argument":
            parser.add_argument(*args, **kwargs)
        else:
            parser.rest_name = args[0]
            parser.add_argument(args[0], nargs="?", metavar=args[0], help=kwargs["help"])
    return parser


def parse_argstring(magic_func: Callable, line: str) -> argparse.Namespace:
    """Parse ``line`` with the arguments declared on ``magic_func``."""
    func = getattr(magic_func, "__func__", magic_func)
    parser = func.__dict__.get("__magic_parser__")
    if parser is None:
        parser = func.__magic_parser__ = construct_parser(func)
    return parser.parse_line(line)


def _refresh_doc(func) -> None:
    """Append usage and options to the docstring, for ``%name?``."""
    help_text = construct_parser(func).format_help()
    help_text = help_text.replace("usage: ", "usage: %", 1)
    doc = (func.__doc__ or "").rstrip()
    func.__doc__ = f"{_dedent(doc)}\n\n{help_text}" if doc else help_text


def _dedent(doc: str) -> str:
    import inspect

    return inspect.cleandoc(doc)
