"""What Enter does at the end of a cell: run it, or start a new line with the right indent.

Usage::

    action, value = enter_action("for i in x:", shell.is_complete)   # ("newline", "    ")
    action, value = enter_action("1 + 1", shell.is_complete)         # ("run", "1 + 1")

One decision for both places that read keys: the prompt_toolkit prompt
(:mod:`.keys`) and the instant first prompt (:mod:`.instant`), which runs a
line typed before prompt_toolkit has loaded. It imports nothing, so the
instant prompt can use it while prompt_toolkit is still loading.
"""

from __future__ import annotations

from typing import Callable

__all__ = ["enter_action"]


def enter_action(text: str, is_complete: Callable) -> tuple[str, str]:
    """What Enter does at the end of ``text``: ``("run", cell)`` or ``("newline", indent)``."""
    if not text.strip():
        return "run", ""
    lines = text.split("\n")
    if len(lines) > 1 and not lines[-1].strip():
        # A blank line typed at the end: the block (or %%magic cell) is done unless a bracket is open.
        cell = "\n".join(lines[:-1]) + "\n"
        verdict = is_complete(cell + "\n")
        if verdict.status != "incomplete":
            return "run", cell.rstrip()
        return "newline", verdict.indent
    verdict = is_complete(text)
    if verdict.status == "incomplete":
        return "newline", verdict.indent
    return "run", text
