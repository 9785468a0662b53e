"""The base class for magics that share state.

Subclass :class:`Magics`, mark methods with ``@line_magic``/``@cell_magic``/
``@line_cell_magic``, and register the class with a shell
(``shell.register_magics(MyMagics)``) or ship it in an extension. The shell
creates one instance per registry and passes itself; use it only through the
surface described in :mod:`magics.surface`.

New magics declare their arguments with ``@magic_arguments``
(:mod:`magics.arguments`). Magics ported from IPython may keep their
``getopt``-style parsing: :meth:`Magics.parse_options` is IPython's::

    opts, args = self.parse_options(line, "n:r:q", "number=")
    opts.n, opts.get("r"), "q" in opts
"""

from __future__ import annotations

import os
import shlex
import sys
from typing import TYPE_CHECKING, Any

from magics.errors import UsageError

if TYPE_CHECKING:
    from magics.surface import ShellSurface


class Options(dict):
    """Parsed options: a dict that also reads as attributes (``opts.n``), like IPython's ``Struct``."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


class Magics:
    """A group of magics with shared state, bound to the shell they work for."""

    options_table: dict[str, str] = {}
    """Default options put before a magic's line by :meth:`parse_options`, by magic method name."""

    def __init__(self, shell: ShellSurface):
        self.shell: ShellSurface = shell

    def parse_options(self, arg_str: str, opt_str: str, *long_opts: str, mode: str = "string",
                      list_all: bool = False, posix: bool = os.name == "posix", strict: bool = True,
                      preserve_non_opts: bool = False) -> tuple[Options, Any]:
        """IPython's option parsing for magics: ``getopt`` over the line split as a shell would.

        ``opt_str`` and ``long_opts`` are :func:`getopt.getopt`'s. Returns the
        options (``-n 5`` → ``opts.n == "5"``, a flag → ``""``, an option given
        twice → a list, every value a list with ``list_all``) and the rest of
        the line, joined again (``mode="string"``) or as a list
        (``mode="list"``). ``strict=False`` tolerates unbalanced quotes;
        ``preserve_non_opts`` keeps the rest as typed. An unknown option is a
        :class:`~magics.errors.UsageError`, as in IPython.
        """
        if mode not in ("string", "list"):
            raise ValueError(f"incorrect mode given: {mode}")
        caller = sys._getframe(1).f_code.co_name
        arg_str = f"{self.options_table.get(caller, '')} {arg_str}"
        found: dict[str, Any] = {}
        args: Any = arg_str.split()
        remainder = arg_str
        if args:
            import getopt  # only magics ported from IPython parse this way

            try:
                opts, args = getopt.getopt(_split_arguments(arg_str, posix, strict), opt_str, list(long_opts))
            except getopt.GetoptError as err:
                allowed = " ".join(("",) + long_opts) if long_opts else ""
                raise UsageError(f'{err.msg} (allowed: "{opt_str}"{allowed})') from None
            for option, value in opts:
                if preserve_non_opts:
                    remainder = remainder.replace(option, "", 1).replace(value, "", 1)
                key = option[2:] if option.startswith("--") else option[1:]
                if key in found:
                    found[key] = found[key] + [value] if isinstance(found[key], list) else [found[key], value]
                else:
                    found[key] = [value] if list_all else value
        if mode == "string":
            args = remainder.lstrip() if preserve_non_opts else " ".join(args)
        return Options(found), args


def _split_arguments(line: str, posix: bool, strict: bool) -> list[str]:
    """The line as a shell splits it; unless ``strict``, an unbalanced quote ends at the line's end."""
    lexer = shlex.shlex(line, posix=posix)
    lexer.whitespace_split = True
    lexer.commenters = ""
    words: list[str] = []
    try:
        for word in lexer:
            words.append(word)
    except ValueError:
        if strict:
            raise UsageError(f"cannot parse {line.strip()!r}: unbalanced quotes") from None
        words.append(lexer.token)
    return words
