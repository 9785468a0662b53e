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
first word that is not an option, and everything after it is handed over
verbatim, quotes and all, never split into shell words. A word that looks
like an option but is not one of the magic's (``%timeit -Z 1``) is a
one-line error naming it, as in IPython, never the start of the code; ``--``
ends the options (``%timeit -- -x``). Magics that hand the rest to another
program (``%%bash -x``) declare ``@rest(..., keep_unknown_options=True)``.
"""

from __future__ import annotations

import argparse
import re
import shlex
from typing import Any, Callable, NoReturn, TypeVar

from magics.errors import MagicArgumentError

F = TypeVar("F", bound=Callable[..., Any])

_NEGATIVE_NUMBER = re.compile(r"-\d+$|-\d*\.\d+$")  # argparse's rule: a value, not an option
_WORD = re.compile(r"""(?:[^\s'"]+|'[^']*'?|"(?:\\.|[^"\\])*"?)+""")


class MagicArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser that reports errors as :class:`MagicArgumentError`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("add_help", False)
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)
        self.rest_name: str | None = None
        self.keep_unknown_options = False
        self._words: list[str] = []  # the words being parsed, so an error can name a bad option

    def error(self, message: str) -> NoReturn:
        unknown = next((word for word in self._words if self._is_unknown_option(word)), None)
        if unknown is not None and not message.startswith("unknown option"):
            self._unknown_option(unknown.split("=", 1)[0])  # name the option, not what it left missing
        raise MagicArgumentError(f"%{self.prog}: {message}")

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        raise MagicArgumentError(message or f"%{self.prog}: invalid arguments")

    def parse_line(self, line: str) -> argparse.Namespace:
        """Parse a magic's argument line (a string, as typed after the name)."""
        if self.rest_name is None:
            self._words = _split_words(line)
            return self.parse_args(self._words)
        options, rest = self._split_options(line)
        self._words = _split_words(options)
        args = self.parse_args(self._words)
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
                if _looks_like_option(word) and not self.keep_unknown_options:
                    self._unknown_option(word.split("=", 1)[0])
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

    def _is_unknown_option(self, word: str) -> bool:
        """A word argparse takes for an option (not ``-1``, not ``"-n 1"``) that this magic lacks."""
        if not _looks_like_option(word) or " " in word or _NEGATIVE_NUMBER.match(word):
            return False
        return self._option_action(word) is None

    def _unknown_option(self, option: str) -> None:
        known = " ".join(action.option_strings[0] for action in self._actions if action.option_strings)
        self.error(f"unknown option {option!r} (options: {known}; -- ends them)" if known
                   else f"unknown option {option!r} (this magic takes none; -- ends options)")

    @staticmethod
    def _attached(word: str, action: argparse.Action) -> bool:
        """``-n10`` carries its value with it."""
        return any(word.startswith(o) and len(word) > len(o) and not o.startswith("--")
                   for o in action.option_strings if len(o) == 2)


def _looks_like_option(word: str) -> bool:
    """``-Z``, ``-1``, ``--bogus=3`` are options to IPython's parser; ``-`` alone is not."""
    return word.startswith("-") and len(word) > 1 and not word[1].isspace()


def _split_words(text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError as err:  # unbalanced quotes
        raise MagicArgumentError(f"cannot split arguments: {err}") from None


def magic_arguments(description: str | None = None) -> Callable[[F], F]:
    """Start a magic's argument declaration; put it above the ``@argument`` lines."""

    def decorate(func: F) -> F:
        _parser_decls(func)
        setattr(func, "__magic_description__", description)
        _refresh_doc(func)
        return func

    return decorate


def argument(*args: Any, **kwargs: Any) -> Callable[[F], F]:
    """Declare one argument, with ``argparse.ArgumentParser.add_argument``'s signature."""

    def decorate(func: F) -> F:
        _parser_decls(func).insert(0, ("argument", args, kwargs))
        return func

    return decorate


def rest(name: str, help: str = "the code to run", *, keep_unknown_options: bool = False) -> Callable[[F], F]:
    """Declare that everything after the options is taken verbatim into ``name``.

    ``keep_unknown_options``: an option the magic does not know starts the
    rest instead of being an error, for magics whose rest is another
    program's command line (``%%bash -x``).
    """

    def decorate(func: F) -> F:
        _parser_decls(func).insert(0, ("rest", (name,), {"help": help, "keep": keep_unknown_options}))
        return func

    return decorate


def _parser_decls(func: Callable[..., Any]) -> list[tuple[str, tuple[Any, ...], dict[str, Any]]]:
    """The argument declarations kept on ``func`` itself, created empty on first use."""
    if "__magic_arguments__" not in func.__dict__:
        setattr(func, "__magic_arguments__", [])
    decls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = func.__dict__["__magic_arguments__"]
    return decls


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
            parser.keep_unknown_options = kwargs["keep"]
            parser.add_argument(args[0], nargs="?", metavar=args[0], help=kwargs["help"])
    return parser


def parse_argstring(magic_func: Callable, line: str) -> argparse.Namespace:
    """Parse ``line`` with the arguments declared on ``magic_func``."""
    func = getattr(magic_func, "__func__", magic_func)
    parser = func.__dict__.get("__magic_parser__")
    if parser is None:
        parser = construct_parser(func)
        setattr(func, "__magic_parser__", parser)
    return parser.parse_line(line)


def _refresh_doc(func: Callable[..., Any]) -> None:
    """Append usage and options to the docstring, for ``%name?``."""
    help_text = construct_parser(func).format_help()
    help_text = help_text.replace("usage: ", "usage: %", 1)
    doc = (func.__doc__ or "").rstrip()
    func.__doc__ = f"{_dedent(doc)}\n\n{help_text}" if doc else help_text


def _dedent(doc: str) -> str:
    import inspect

    return inspect.cleandoc(doc)
