"""The debugger's command line in the terminal: a prompt_toolkit prompt with Tab completion in the frame.

Usage (what :class:`~shell.terminal.app.TerminalShell` does)::

    shell.debugger_prompt = DebuggerPrompt(editing_mode=lambda: EditingMode.EMACS, style=make_style, colors=True)

The engine's :class:`~shell.engine.debugging.debugger.Debugger` calls it for each
command with its prompt (``(Pdb) ``) and a function completing a line in
the frame being debugged; Tab opens the same menu as at ``In [N]:``, with
the frame's locals and globals, attributes (``p data.ke``) and pdb's
commands. Commands have their own ``↑`` history for the session. The
editing mode and the colours are the terminal's, read at each prompt.

The prompt runs on an event loop of its own, or, when a cell is being
awaited on one (a ``breakpoint()`` in a coroutine), in a worker thread:
prompt_toolkit cannot start a loop inside a running one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:  # prompt_toolkit loads at the first debugger prompt
    import asyncio

    from prompt_toolkit import PromptSession
    from prompt_toolkit.formatted_text import StyleAndTextTuples
    from prompt_toolkit.styles import BaseStyle

    from shell.engine.completion.model import CompletionResult
    from shell.engine.debugging.debugger import CompleteLine
    from shell.engine.shell import Shell

__all__ = ["DebuggerPrompt"]


class _FrameNames:
    """What :class:`~shell.terminal.completion.EngineCompleter` asks: ``complete(text, cursor)``, here the debugger's."""

    def __init__(self) -> None:
        self.current: CompleteLine | None = None

    def complete(self, text: str, cursor: int) -> CompletionResult:
        from shell.engine.completion.model import CompletionResult

        if self.current is None:
            return CompletionResult([], cursor, cursor)
        return self.current(text, cursor)


class DebuggerPrompt:
    """Reads one debugger command per call (the engine's ``DebuggerPrompt``); prompt_toolkit loads on the first.

    ``editing_mode`` gives ``"emacs"`` or ``"vi"``, ``style`` the prompt_toolkit
    style (None: the default pygments style with the prompts' colours).
    """

    def __init__(self, *, editing_mode: Callable[[], str], style: Callable[[], BaseStyle] | None = None,
                 colors: bool, input: Any = None, output: Any = None):
        self._editing_mode = editing_mode
        self._style = style
        self._colors = colors
        self._io = {"input": input, "output": output}  # None: the terminal
        self._names = _FrameNames()
        self._session: PromptSession[str] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    @classmethod
    def configured(cls, shell: Shell) -> DebuggerPrompt:
        """The prompt as the configuration asks for it, before the full prompt (``TerminalShell``) exists:
        a cell run at the instant prompt may open the debugger."""
        editing_mode = str(shell.config.get("TerminalShell", {}).get("editing_mode", "emacs"))
        return cls(editing_mode=lambda: editing_mode, colors=shell.colors != "NoColor")

    def __call__(self, prompt: str, complete: CompleteLine) -> str:
        import asyncio

        from prompt_toolkit.enums import EditingMode

        session = self._session or self._make_session()
        self._names.current = complete
        session.editing_mode = EditingMode.VI if self._editing_mode().lower() == "vi" else EditingMode.EMACS
        if self._style is not None:
            session.style = self._style()
        message: StyleAndTextTuples = [("class:debugger-prompt", prompt)]
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            # One loop for every debugger prompt, as the cell prompt has: a completion still running in
            # its thread when Enter is pressed finishes on a loop that is still open.
            if self._loop is None:
                self._loop = asyncio.new_event_loop()
            return self._loop.run_until_complete(session.prompt_async(message))
        return session.prompt(message, in_thread=True)  # a cell awaiting on this thread's loop

    def _make_session(self) -> PromptSession[str]:
        from prompt_toolkit import PromptSession
        from prompt_toolkit.history import InMemoryHistory
        from prompt_toolkit.output import ColorDepth
        from prompt_toolkit.shortcuts import CompleteStyle
        from prompt_toolkit.styles import Style, merge_styles, style_from_pygments_cls
        from pygments.styles import get_style_by_name

        from shell.terminal.completion import EngineCompleter
        from shell.terminal.prompts import PROMPT_STYLE

        session: PromptSession[str] = PromptSession(
            completer=EngineCompleter(self._names),
            complete_in_thread=True,
            complete_style=CompleteStyle.COLUMN,
            history=InMemoryHistory(),
            enable_history_search=True,
            style=merge_styles([style_from_pygments_cls(get_style_by_name("default")), Style.from_dict(PROMPT_STYLE)]),
            include_default_pygments_style=False,
            color_depth=None if self._colors else ColorDepth.MONOCHROME,
            reserve_space_for_menu=6,
            **self._io,
        )
        session.app.renderer.cpr_not_supported_callback = None  # as the cell prompt: no "Press ENTER" warning
        self._session = session
        return session
