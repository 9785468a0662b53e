"""Environment variables: ``%env`` and ``%set_env``.

Usage::

    %env                     # every variable, as a dict (values of *KEY*, *TOKEN*, *SECRET* hidden)
    %env HOME                # one value: '/home/me'
    %env DEBUG=1             # set one; prints  env: DEBUG=1
    %env DEBUG 1             # the same
    %env DATA=$folder/data   # $name and {expr} come from the namespace
    %set_env DEBUG 0         # set, like %env NAME=value

Changes go to ``os.environ``, so ``!cmd``, ``%%bash`` and every program
started later see them, as do Python libraries that read the environment.
"""

from __future__ import annotations

import os
import re

from magics.base import Magics
from magics.decorators import expand_vars, line_magic
from magics.errors import UsageError

_SECRET = re.compile(r"key|token|secret|passw", re.IGNORECASE)


def split_assignment(text: str) -> tuple[str, str] | None:
    """``NAME=value`` or ``NAME value`` -> ``(NAME, value)``; a bare ``NAME`` -> None.

    Whichever comes first in the line separates name from value, so
    ``%env OPTS a=b`` sets OPTS to ``a=b``. Matching quotes around the value
    are removed: ``%env MSG="hello world"``.
    """
    match = re.match(r"([^=\s]*)\s*(=|\s)(.*)\Z", text.strip(), re.S)
    if match is None:
        return None
    name, value = match.group(1), match.group(3).strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1]
    return name, value


class EnvironmentMagics(Magics):
    """Read and set environment variables of this process (and so of every child)."""

    @expand_vars
    @line_magic
    def env(self, line: str = "") -> dict[str, str] | str | None:
        """List (``%env``), get (``%env NAME``) or set (``%env NAME=value``, ``%env NAME value``).

        The listing hides values whose names suggest secrets (KEY, TOKEN,
        SECRET, PASSWORD); ``%env NAME`` still shows one explicitly.
        """
        if not line.strip():
            return {name: "<hidden>" if _SECRET.search(name) else value for name, value in os.environ.items()}
        if split_assignment(line) is None:
            name = line.strip()
            if name not in os.environ:
                raise UsageError(f"%env: the environment has no variable {name}")
            return os.environ[name]
        return self.set_env(line)

    @expand_vars
    @line_magic
    def set_env(self, line: str = "") -> None:
        """Set an environment variable: ``%set_env NAME value`` or ``%set_env NAME=value``."""
        parts = split_assignment(line)
        if parts is None or not parts[0]:
            raise UsageError("%set_env: expected NAME=value or NAME value")
        name, value = parts
        if "\0" in name or "\0" in value:
            raise UsageError("%set_env: names and values cannot contain NUL characters")
        os.environ[name] = value
        self.shell.write(f"env: {name}={value}\n")
