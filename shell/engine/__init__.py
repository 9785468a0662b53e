"""The REPL engine: execution, input transforms, display, tracebacks, events.

It imports no front end (no prompt_toolkit, no zmq); front ends plug into the
seams of :mod:`shell.engine.io`.
"""

from shell.engine.completeness import Completeness, is_complete
from shell.engine.result import ExecutionInfo, ExecutionResult
from shell.engine.shell import Shell

__all__ = ["Completeness", "ExecutionInfo", "ExecutionResult", "Shell", "is_complete"]
