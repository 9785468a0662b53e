"""The REPL engine: execution, input transforms, display, tracebacks, events.

It imports no front end (no prompt_toolkit, no zmq); front ends plug into the
seams of :mod:`shell.engine.io`.

Here, the engine itself: :mod:`.shell` (the :class:`Shell`, with its parts in
the mixins :mod:`.introspection_calls`, :mod:`.magic_calls`,
:mod:`.program_commands`, :mod:`.error_reports`, :mod:`.magic_surface` and
:mod:`.namespace`),
:mod:`.execution` (compiling and running a cell), :mod:`.io` and :mod:`.result`
(the front-end contract), :mod:`.events`, :mod:`.caches` (``In``, ``Out``,
``_``), :mod:`.concurrent_cells` (cells running at once in a kernel's
subshells), :mod:`.magic_runner` and :mod:`.exiting`.

Its parts, one subpackage each: :mod:`.transforms` (a cell's way in),
:mod:`.completion`, :mod:`.inspection`, :mod:`.display`, :mod:`.tracebacks`,
:mod:`.history`, :mod:`.processes` (programs a session runs),
:mod:`.lineage` (which cell made each name: hidden-state warnings) and
:mod:`.debugging` (``%debug``, ``%pdb``, ``breakpoint()``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from shell.engine.result import ExecutionInfo, ExecutionResult
from shell.engine.shell import Shell

if TYPE_CHECKING:
    from shell.engine.transforms.completeness import Completeness, is_complete


def __getattr__(name: str) -> Any:
    # Only a prompt asks whether input is complete: ``hocus -c`` and a kernel's cells never load it.
    if name in ("Completeness", "is_complete"):
        from shell.engine.transforms import completeness

        return getattr(completeness, name)
    raise AttributeError(f"module 'shell.engine' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))

__all__ = ["Completeness", "ExecutionInfo", "ExecutionResult", "Shell", "is_complete"]
