"""The terminal shell: a prompt_toolkit prompt over the engine.

Usage::

    from shell import Shell
    from shell.terminal.app import TerminalShell

    shell = Shell(colors="Neutral")
    status = TerminalShell(shell).interact()      # until exit, Ctrl-D or exit(N)

:class:`TerminalShell` *has* an engine; it owns only prompting. Each cell is
read by a prompt_toolkit ``PromptSession`` (:mod:`.keys` decides what Enter
does, :mod:`.lexer` highlights, :mod:`.completion` and :mod:`.history`
adapt the engine's completer and history store, :mod:`.toolbar` shows the
signature under the cursor), then given to ``shell.run_cell`` with the
terminal back in its normal mode, so Ctrl-C interrupts running code as
SIGINT does anywhere.

It is a traitlets Configurable registered with the shell, so its settings
come from ``$HOCUS_DIR/config.py`` (``c.TerminalShell.editing_mode = "vi"``),
from ``--TerminalShell.editing_mode=vi`` and, at runtime, from
``%config TerminalShell.editing_mode = "vi"``.
"""

from __future__ import annotations

from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

from prompt_toolkit import PromptSession
from prompt_toolkit.application.current import get_app_or_none
from prompt_toolkit.auto_suggest import AutoSuggestFromHistory
from prompt_toolkit.enums import EditingMode
from prompt_toolkit.key_binding.vi_state import InputMode
from prompt_toolkit.keys import Keys
from prompt_toolkit.output import ColorDepth
from prompt_toolkit.shortcuts import CompleteStyle
from prompt_toolkit.styles import BaseStyle, Style, merge_styles, style_from_pygments_cls
from traitlets import Bool, CaselessStrEnum, Int, Unicode, observe
from traitlets.config import Configurable

from shell.terminal.loop import ReadEvalPrintLoop

if TYPE_CHECKING:
    from prompt_toolkit.layout.processors import Processor

    from shell.engine.shell import Shell
    from shell.terminal.validation import CellValidator

from shell.terminal import prepare_engine
from shell.terminal.completion import EngineCompleter
from shell.terminal.debugger_prompt import DebuggerPrompt
from shell.terminal.history import EngineHistory
from shell.terminal.keys import cell_key_bindings
from shell.terminal.lexer import CellLexer
from shell.terminal.prompts import PROMPT_STYLE, Prompts
from shell.terminal.simple import banner as banner_text
from shell.terminal.toolbar import SignatureToolbar

__all__ = ["TerminalShell"]

# What a user types first: Enter, Backspace, Tab, the arrows, and printable ASCII.
_WARM_KEYS = (Keys.ControlM, Keys.ControlH, Keys.ControlI, Keys.Up, Keys.Down, Keys.Left, Keys.Right,
              *(chr(code) for code in range(32, 127)))

_VI_STATES = {InputMode.INSERT: "ins", InputMode.INSERT_MULTIPLE: "ins", InputMode.NAVIGATION: "nav",
              InputMode.REPLACE: "rep", InputMode.REPLACE_SINGLE: "rep"}


class TerminalShell(Configurable, ReadEvalPrintLoop):
    """The interactive terminal front end (prompt_toolkit) for one :class:`~shell.engine.Shell`."""

    editing_mode = CaselessStrEnum(("emacs", "vi"), "emacs",
                                   help="Key bindings: 'emacs' or 'vi' (the vi mode is shown in the prompt).").tag(config=True)
    highlighting_style = Unicode("default", help="The pygments style for highlighting input "
                                                 "(e.g. 'monokai', 'friendly', 'solarized-dark').").tag(config=True)
    highlight_input = Bool(True, help="Highlight the cell being typed with pygments.").tag(config=True)
    confirm_exit = Bool(False, help="Ask before Ctrl-D ends the session.").tag(config=True)
    auto_suggest = Bool(True, help="Suggest the rest of the line from history, fish-style "
                                   "(→, Ctrl-E or Ctrl-F accepts; Alt-F accepts a word).").tag(config=True)
    complete_while_typing = Bool(False, help="Open the completion menu while typing, not only on Tab "
                                             "(↑/↓ then browse history without prefix search).").tag(config=True)
    signature_toolbar = Bool(True, help="Show the signature and first docstring line of the "
                                        "function being called under the cursor.").tag(config=True)
    syntax_check = Bool(False, help="Check a cell before running it: an invalid cell is not run, the error "
                                    "is shown below it and the cursor moves to it.").tag(config=True)
    history_load_limit = Int(10000, min=0, help="How many earlier cells ↑ and auto-suggest can reach.").tag(config=True)

    _session: PromptSession | None = None
    _loop: Any = None  # the asyncio loop every prompt of this session runs on
    _instant: Any = None
    _history: EngineHistory | None = None
    _warmed_up = False

    def __init__(self, shell: Shell, *, input: Any = None, output: Any = None, **kwargs: Any):
        from shell.session import drop_bad_values

        # Checked here, not with the engine's settings: that would import prompt_toolkit before the
        # instant prompt. A refused value costs one line, as the others do, not the session.
        drop_bad_values(shell.config, classes=[TerminalShell], warn=shell.write_err)
        super().__init__(parent=shell, **kwargs)
        self.shell = shell
        shell.front_end = "terminal"
        self._io = {"input": input, "output": output}  # prompt_toolkit Input/Output; None: the terminal
        shell.add_configurable(self)
        self.colors = shell.colors != "NoColor"
        prepare_engine(shell)
        self.prompts = Prompts(shell, vi_state=self._vi_state, colors=self.colors)
        # %debug, %pdb and breakpoint() read their commands at a prompt like this one, Tab completing in the frame
        shell.debugger_prompt = DebuggerPrompt(editing_mode=lambda: self.editing_mode, style=self._style,
                                               colors=self.colors, **self._io)

    # -- settings that change the live session ----------------------------------------------
    @observe("editing_mode")
    def _editing_mode_changed(self, change: dict[str, Any]) -> None:
        if self._session is not None:
            self._session.editing_mode = self._mode()

    @observe("highlighting_style")
    def _style_changed(self, change: dict[str, Any]) -> None:
        if self._session is not None:
            self._session.style = self._style()

    @observe("complete_while_typing", "auto_suggest", "highlight_input", "signature_toolbar", "syntax_check",
             "history_load_limit")
    def _typing_changed(self, change: dict[str, Any]) -> None:
        if self._session is not None:
            self._session = None  # made again, with the new setting, for the next cell

    def _mode(self) -> EditingMode:
        return EditingMode.VI if self.editing_mode == "vi" else EditingMode.EMACS

    def _vi_state(self) -> str | None:
        if self.editing_mode != "vi":
            return None
        app = get_app_or_none()
        return _VI_STATES.get(app.vi_state.input_mode, "ins") if app is not None else "ins"

    def _style(self) -> BaseStyle:
        from pygments.styles import get_style_by_name
        from pygments.util import ClassNotFound

        try:
            pygments_style = get_style_by_name(self.highlighting_style)
        except ClassNotFound:
            self.shell.write_err(f"hocus: unknown highlighting style {self.highlighting_style!r}; using 'default'\n")
            pygments_style = get_style_by_name("default")
        return merge_styles([style_from_pygments_cls(pygments_style), Style.from_dict(PROMPT_STYLE)])

    # -- the session ------------------------------------------------------------------------------
    @property
    def session(self) -> PromptSession:
        """The prompt_toolkit session, made on first use (and again after a typing setting changes)."""
        if self._session is None:
            self._session = self._make_session()
        return self._session

    def _make_session(self) -> "_Session":
        instant = self._instant  # the first prompt's history began loading with the instant prompt
        history = EngineHistory(self.shell.history, limit=self.history_load_limit,
                                preload=instant.history if instant is not None else None,
                                recent=instant.ran if instant is not None else ())
        self._history = history
        toolbar = SignatureToolbar(self.shell)
        session = _Session(
            message=self.prompts.in_prompt,
            prompt_continuation=self.prompts.continuation,
            multiline=True,
            editing_mode=self._mode(),
            key_bindings=cell_key_bindings(self.shell.is_complete),
            lexer=CellLexer() if self.highlight_input and self.colors else None,
            completer=EngineCompleter(self.shell),
            complete_in_thread=True,
            complete_while_typing=self.complete_while_typing,
            complete_style=CompleteStyle.COLUMN,
            enable_history_search=not self.complete_while_typing,
            history=history,
            auto_suggest=AutoSuggestFromHistory() if self.auto_suggest else None,
            enable_open_in_editor=True,
            enable_suspend=True,
            style=self._style(),
            include_default_pygments_style=False,
            color_depth=None if self.colors else ColorDepth.MONOCHROME,
            bottom_toolbar=toolbar if self.signature_toolbar else None,
            validator=_syntax_validator(self.shell) if self.syntax_check else None,
            validate_while_typing=False,
            tempfile_suffix=".py",
            reserve_space_for_menu=6,
            input_processors=[_matching_brackets()],
            **self._io,
        )
        # A terminal that does not answer the cursor-position query gets no "WARNING ... Press ENTER"
        # interruption: prompt_toolkit simply works without the answer (see _settle_cursor_position_requests).
        session.app.renderer.cpr_not_supported_callback = None
        return session

    interrupted_at_prompt = "KeyboardInterrupt\n\n"  # prompt_toolkit has already ended the line

    def read_cell(self, offered: str | None = None) -> str:
        """Prompt for one cell (pre-filled with ``offered``: what ``%load`` put up as the next input).

        Every prompt runs on the one event loop of this terminal session, as
        in IPython: making and tearing down a loop per cell would sit between
        Enter and the result.
        """
        session = self.session
        instant, self._instant = self._instant, None
        if instant is not None:
            instant.hand_over()
            if instant.typed_ahead:
                self._give_keys(session, instant.typed_ahead)
        if self._loop is None:
            import asyncio

            self._loop = asyncio.new_event_loop()
        try:
            return self._loop.run_until_complete(session.prompt_async(default=offered or "", pre_run=self._pre_run))
        finally:
            if instant is not None:
                instant.release()
            _settle_cursor_position_requests(session)

    def _give_keys(self, session: PromptSession, data: bytes) -> None:
        """Keys typed at the instant prompt and not run there: handled as if typed at this prompt.

        They wait until the buffer holds the history (so a ↑ among them
        recalls), and are handled before any key read from the terminal after
        them.
        """
        from prompt_toolkit.input.typeahead import store_typeahead
        from prompt_toolkit.input.vt100_parser import Vt100Parser

        keys: list = []
        parser = Vt100Parser(keys.append)
        parser.feed(data.decode("utf-8", "surrogateescape"))
        parser.flush()
        app = session.app

        def feed() -> None:
            app.key_processor.feed_multiple(keys)
            app.key_processor.process_keys()

        if self._history is None or not self._history.when_loaded(feed):
            store_typeahead(session.input, keys)

    def _pre_run(self) -> None:
        """Once the first prompt is on screen, do the first cell's one-time work while the user types."""
        if not self._warmed_up:
            self._warmed_up = True
            self._loop.call_later(0.02, self._warm_up, self.session.app)

    def _warm_up(self, app: Any) -> None:
        """The engine's first-cell work, then prompt_toolkit's key tables, a few keys per turn of the loop.

        prompt_toolkit merges its ~1,000 key bindings when the first key
        arrives (about 5 ms) and looks each new key up once (about 0.5 ms):
        done here, in slices, the first keystrokes and the first Enter do not
        wait for it, and a key typed meanwhile is handled between two slices.
        """
        self.shell.warm_up()
        bindings = getattr(app.key_processor, "_bindings", None)  # the merged registry the keys go through
        if bindings is None:
            return
        keys = [(key,) for key in _WARM_KEYS]

        def step(start: int) -> None:
            if get_app_or_none() is not app:  # the prompt has ended: the next one warms what is left
                self._warmed_up = False
                return
            for key in keys[start:start + 8]:
                bindings.get_bindings_for_keys(key)
                bindings.get_bindings_starting_with_keys(key)
            if start + 8 < len(keys):
                self._loop.call_soon(step, start + 8)

        step(0)

    def interact(self, banner: bool = True, instant: Any = None) -> int:
        """Read and run cells until ``exit``, Ctrl-D or end of input; return the exit status.

        ``instant`` is the :class:`~shell.terminal.instant.InstantPrompt`
        already on screen (banner included), which the first prompt replaces.
        """
        shell = self.shell
        self._instant = instant
        if banner and instant is None:
            shell.write(banner_text() + "\n")
        try:
            return self.run_loop()
        finally:
            if self._instant is not None:
                self._instant.release()
                self._instant = None
            self._close_loop()

    def leave_at_end_of_input(self) -> bool:
        return not self.confirm_exit or self._confirm_exit()

    def _close_loop(self) -> None:
        """Close the prompts' loop without waiting for its worker threads (a completion stuck in jedi
        must not hold up leaving the shell)."""
        loop, self._loop = self._loop, None
        if loop is not None and not loop.is_closed():
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    def _confirm_exit(self) -> bool:
        """Ask before Ctrl-D ends the session: Enter or y leaves, n or Ctrl-C stays, Ctrl-D leaves."""
        try:
            asking: PromptSession[str] = PromptSession(**self._io)
            question: Coroutine[Any, Any, str] = asking.prompt_async("Do you really want to exit ([y]/n)? ")
            answer = self._loop.run_until_complete(question)
        except KeyboardInterrupt:
            return False
        except EOFError:
            return True
        return answer.strip().lower() in ("", "y", "yes")


def _settle_cursor_position_requests(session: PromptSession) -> None:
    """After the first prompt, stop asking a terminal that never answered where its cursor is.

    prompt_toolkit asks (``ESC [6n``) at every prompt until an answer or a
    2-second timer settles it, and waits up to a second for the answer when
    Enter is pressed. A terminal that does not answer (a pexpect pty, some
    serial consoles) would then stall every cell by a second; real
    terminals answer within milliseconds, so one unanswered prompt is
    enough to decide.
    """
    from prompt_toolkit.renderer import CPR_Support

    renderer = session.app.renderer
    if renderer.cpr_support is CPR_Support.UNKNOWN and session.app.output.responds_to_cpr:
        renderer.cpr_support = CPR_Support.NOT_SUPPORTED


class _Session(PromptSession):
    """A PromptSession whose bottom toolbar takes no line while it has nothing to say."""

    _toolbar: Any = None

    @property
    def bottom_toolbar(self) -> Any:
        toolbar = self._toolbar
        if toolbar is None or (callable(toolbar) and not toolbar()):
            return None
        return toolbar

    @bottom_toolbar.setter
    def bottom_toolbar(self, value: Any) -> None:
        self._toolbar = value


def _matching_brackets() -> Processor:
    """Highlight the bracket matching the one at the cursor, while typing."""
    from prompt_toolkit.enums import DEFAULT_BUFFER
    from prompt_toolkit.filters import has_focus, is_done
    from prompt_toolkit.layout.processors import ConditionalProcessor, HighlightMatchingBracketProcessor

    return ConditionalProcessor(HighlightMatchingBracketProcessor(chars="[](){}"),
                                filter=has_focus(DEFAULT_BUFFER) & ~is_done)


def _syntax_validator(shell: Shell) -> CellValidator:
    from shell.terminal.validation import CellValidator

    return CellValidator(shell)

