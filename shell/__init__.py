"""hocus: an interactive Python shell in the IPython tradition.

Usage::

    from shell import Shell, embed
    sh = Shell()
    sh.run_cell("x = 1")
    embed()          # open the interactive shell here, on the caller's namespace

The engine lives in :mod:`shell.engine`; the front ends in
:mod:`shell.terminal` (and, later, :mod:`shell.kernel`).
"""

from typing import Any

from shell.engine import ExecutionInfo, ExecutionResult, Shell

__version__ = "0.1.0"


def embed(*, header: str = "", banner: str | None = None, colors: str | None = None, config: Any = None,
          _stack_depth: int = 2) -> None:
    """Open an interactive shell on the caller's globals and locals; see :mod:`shell.terminal.embed`."""
    from shell.terminal.embed import embed as _embed

    _embed(header=header, banner=banner, colors=colors, config=config, _stack_depth=_stack_depth)


async def embed_async(*, header: str = "", banner: str | None = None, colors: str | None = None,
                      config: Any = None, _stack_depth: int = 2) -> None:
    """``await embed_async()``: a shell inside a running asyncio program; see :mod:`shell.terminal.embed`."""
    from shell.terminal.embed import embed_async as _embed_async

    await _embed_async(header=header, banner=banner, colors=colors, config=config, _stack_depth=_stack_depth)


__all__ = ["ExecutionInfo", "ExecutionResult", "Shell", "embed", "embed_async", "__version__"]
