"""The object that transformed cells call: ``__hocus__`` in the user namespace.

Input transforms turn ``%timeit x`` into ``__hocus__.line_magic('timeit', 'x')``
and ``!ls`` into ``__hocus__.system('ls')``. The engine puts one
:class:`TransformHook` per shell into the namespace under that name (and
puts it back if the user deletes it), so generated code never needs a
global lookup of "the current shell".

``$name`` and ``{expr}`` in shell lines are expanded here, at run time, from
the caller's local variables over the user namespace, so they also work
inside functions defined in cells.
"""

from __future__ import annotations

import sys
from collections import ChainMap
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from shell.engine.processes.slist import SList
    from shell.engine.shell import Shell


class TransformHook:
    """What generated code calls; each method receives the caller's frame implicitly."""

    __slots__ = ("_shell",)

    def __init__(self, shell: "Shell") -> None:
        self._shell = shell

    def line_magic(self, name: str, line: str) -> Any:
        __tracebackhide__ = True
        return self._shell.magic_runner.run_line(name, line, _caller_locals())

    def cell_magic(self, name: str, line: str, cell: str) -> Any:
        __tracebackhide__ = True
        return self._shell.magic_runner.run_cell(name, line, cell, _caller_locals())

    def system(self, command: str) -> None:
        __tracebackhide__ = True
        from shell.engine.transforms.expansion import expand  # $name and {expr}: loaded by the first ! line

        self._shell.system(expand(command, self._namespace()))

    def getoutput(self, command: str) -> "SList":
        __tracebackhide__ = True
        from shell.engine.transforms.expansion import expand

        return self._shell.getoutput(expand(command, self._namespace()))

    def echo_rewrite(self, call: str) -> None:
        """Show the call an autocall line became, as IPython does (``------> f(1)``)."""
        self._shell.write(f"------> {call}\n")

    def displayhook(self, value: Any) -> None:
        __tracebackhide__ = True
        self._shell.displayhook(value)

    def _namespace(self) -> ChainMap[str, Any]:
        return ChainMap(_caller_locals(2), self._shell.user_ns)

    def __repr__(self) -> str:
        return "<hocus transform hook>"


def _caller_locals(depth: int = 1) -> dict[str, Any]:
    """Locals of the code that called the hook method (``depth`` frames above it)."""
    return sys._getframe(depth + 1).f_locals
