"""hocus: an interactive Python shell in the IPython tradition.

Usage::

    from shell import Shell, embed
    sh = Shell()
    sh.run_cell("x = 1")
    embed()          # open the interactive shell here, on the caller's namespace

The engine lives in :mod:`shell.engine`; the front ends in
:mod:`shell.terminal` (and, later, :mod:`shell.kernel`).
"""

from shell.engine import ExecutionInfo, ExecutionResult, Shell

__version__ = "0.1.0"


def embed(**kwargs):
    """Open an interactive shell on the caller's globals and locals; see :mod:`shell.terminal.embed`."""
    from shell.terminal.embed import embed as _embed

    kwargs.setdefault("_stack_depth", 2)
    return _embed(**kwargs)


async def embed_async(**kwargs):
    """``await embed_async()``: a shell inside a running asyncio program; see :mod:`shell.terminal.embed`."""
    from shell.terminal.embed import embed_async as _embed_async

    kwargs.setdefault("_stack_depth", 2)
    return await _embed_async(**kwargs)


__all__ = ["ExecutionInfo", "ExecutionResult", "Shell", "embed", "embed_async", "__version__"]
