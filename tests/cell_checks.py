"""Checks that several test folders make on a cell run through ``Shell.run_cell``.

``run_ok`` runs a cell that must succeed (the engine's stderr is the failure
message); ``one_line_error`` checks the house rule that bad input costs one
clear line of stderr and nothing more. Both take the ``output`` seam from
tests/conftest.py.
"""

from __future__ import annotations


def run_ok(shell, output, source: str):
    """Run ``source``; it must succeed. Returns the ExecutionResult."""
    result = shell.run_cell(source)
    assert result.success, output.stderr
    return result


def one_line_error(output, start: str) -> None:
    """What the engine wrote to stderr is exactly one line, starting with ``start``."""
    lines = output.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(start), output.stderr
