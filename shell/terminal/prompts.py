"""``In [N]:``, ``   ...:`` and ``Out[N]:`` for the prompt_toolkit front end.

Usage::

    prompts = Prompts(shell, vi_state=lambda: "ins")
    PromptSession(message=prompts.in_prompt, prompt_continuation=prompts.continuation)
    shell.display_pub.out_prompt = out_prompt(colors=True)

The prompts are prompt_toolkit formatted text with style classes
(``class:in-prompt``, ``class:in-number``...), coloured by the front end's
style; the ``Out[N]:`` prompt is printed by the engine's display publisher
(which the front end keeps, pictures and all, changing only its template),
so it is plain ANSI.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from prompt_toolkit.formatted_text import StyleAndTextTuples  # only for the checker: loaded before prompt_toolkit

__all__ = ["Prompts", "out_prompt", "PROMPT_STYLE", "ansi_in_prompt"]

PROMPT_STYLE = {
    "in-prompt": "ansigreen",
    "in-number": "ansibrightgreen bold",
    "continuation": "ansigreen",
    "debugger-prompt": "ansigreen",
    "vi-mode": "ansiyellow",
    "magic": "ansimagenta bold",
    "shell-escape": "ansiyellow bold",
    "bottom-toolbar": "noreverse bg:default fg:ansibrightblack",
}


class Prompts:
    """The input prompts, as callables prompt_toolkit re-renders (so ``N`` and the vi mode stay current)."""

    def __init__(self, shell: Any, vi_state: Callable[[], str | None], *, colors: bool = True):
        self.shell = shell
        self.vi_state = vi_state
        self.colors = colors

    def _mode(self) -> StyleAndTextTuples:
        state = self.vi_state()
        return [("class:vi-mode", f"[{state}] ")] if state else []

    def in_prompt(self) -> StyleAndTextTuples:
        number = str(self.shell.execution_count)
        if not self.colors:  # one fragment: the terminal gets "In [N]: " in one piece
            return [("class:in-prompt", "".join(fragment[1] for fragment in self._mode()) + f"In [{number}]: ")]
        return self._mode() + [("class:in-prompt", "In ["), ("class:in-number", number), ("class:in-prompt", "]: ")]

    def width(self) -> int:
        return sum(len(fragment[1]) for fragment in self.in_prompt())

    def continuation(self, width: int, line_number: int, wrap_count: int) -> StyleAndTextTuples:
        return [("class:continuation", " " * max(width - 5, 0) + "...: ")]


def out_prompt(colors: bool) -> str:
    """The ``Out[N]:`` template for the engine's text publisher: red when colours are on."""
    return "\x1b[31mOut[\x1b[31;1m{n}\x1b[0;31m]: \x1b[0m" if colors else "Out[{n}]: "


_ANSI_CODES = {"bold": "1", "ansigreen": "32", "ansiyellow": "33", "ansibrightgreen": "92"}


def ansi_in_prompt(number: int, vi_state: str | None = None, *, colors: bool = True) -> str:
    """``In [N]:`` as plain ANSI text, looking as prompt_toolkit draws it with :data:`PROMPT_STYLE`.

    The instant first prompt (:mod:`.instant`) is written before prompt_toolkit
    is loaded; prompt_toolkit then draws :meth:`Prompts.in_prompt` over it.
    """
    mode = f"[{vi_state}] " if vi_state else ""
    if not colors:
        return f"{mode}In [{number}]: "

    def styled(style_class: str, text: str) -> str:
        codes = ";".join(_ANSI_CODES[word] for word in PROMPT_STYLE[style_class].split())
        return f"\x1b[0;{codes}m{text}"

    parts = [styled("vi-mode", mode)] if mode else []
    parts += [styled("in-prompt", "In ["), styled("in-number", str(number)), styled("in-prompt", "]: ")]
    return "".join(parts) + "\x1b[0m"
