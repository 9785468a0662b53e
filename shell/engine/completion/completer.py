"""The :class:`Completer`: one place that answers "what can go here?" for every front end.

Usage::

    result = shell.complete("import o", 8)        # Shell.complete makes the Completer on first use
    result.start, result.end                      # the span to replace
    [(m.text, m.type) for m in result.matches]    # [('os', 'module'), ('operator', 'module'), ...]

The terminal's Tab menu and the kernel's ``complete_request`` both call
it. A request runs the fast sources first (:mod:`.routing` picks which),
then, only for Python the fast sources could not fully resolve, jedi in a
worker thread with whatever is left of the time budget. The merged list is
ranked (:mod:`.ranking`) and the first few function and class completions
get a signature.

Settings (``%config Completer``, or ``c.Completer.<name>`` in
``$HOCUS_DIR/config.py``):

- ``evaluation``: ``"safe"`` (default) never runs code to complete —
  no property, no ``__getattr__``, no call; ``"unsafe"`` evaluates the
  expression before the dot or bracket, like IPython's greedy mode;
- ``budget_ms``: how long a request may take, jedi included (100);
- ``use_jedi``: whether jedi is asked at all (True).
"""

from __future__ import annotations

import time
from typing import Any, Mapping

from traitlets import Bool, CaselessStrEnum, Float
from traitlets.config import Configurable

from shell.engine.completion.imports import ModuleIndex
from shell.engine.completion.jedi_source import JediSource
from shell.engine.completion.model import Completion, CompletionResult
from shell.engine.completion.ranking import rank
from shell.engine.completion.routing import Request
from shell.engine.completion.runtime import signature_text

__all__ = ["Completer"]

SIGNATURES_SHOWN = 30  # signatures for the first completions only: a menu shows a page, not hundreds
SIGNATURE_CACHE_SIZE = 1024


class Completer(Configurable):
    """Completions for a cell of text at a cursor offset, within a time budget."""

    evaluation = CaselessStrEnum(
        ("safe", "unsafe"), "safe",
        help="'safe' completes without running any code (no property getters, no __getattr__, no calls); "
             "'unsafe' evaluates the expression being completed, like IPython's greedy completion.",
    ).tag(config=True)
    budget_ms = Float(
        100.0, min=0.0,
        help="Longest time one completion request may take, in milliseconds. Past it, jedi's work is "
             "abandoned and the fast sources' completions are returned.",
    ).tag(config=True)
    use_jedi = Bool(
        True, help="Ask jedi (static inference on the live namespace) where the fast sources fall short.",
    ).tag(config=True)

    def __init__(self, shell: Any = None, *, namespace: Mapping[str, Any] | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.shell = shell
        self._namespace = namespace
        self.modules = ModuleIndex()
        self.jedi = JediSource()
        self.last_error: BaseException | None = None  # a fast source's own failure, kept for debugging
        self._signatures: dict[int, tuple[Any, str]] = {}

    @property
    def namespace(self) -> Mapping[str, Any]:
        """The namespace completed against: the shell's, or the one given."""
        if self._namespace is not None:
            return self._namespace
        return self.shell.user_ns if self.shell is not None else {}

    def complete(self, text: str, cursor: int | None = None) -> CompletionResult:
        """Completions for ``text`` at ``cursor`` (a character offset; default the end).

        A cursor past the end counts as the end, a negative one as the
        start. Never raises for what the user typed, never runs user code
        in safe mode, and returns within about ``budget_ms``.
        """
        if not isinstance(text, str):
            raise TypeError(f"complete() needs the cell's text as str, not {type(text).__name__}")
        cursor = len(text) if cursor is None else min(max(int(cursor), 0), len(text))
        started = time.monotonic()
        deadline = started + self.budget_ms / 1000
        request = self._request(text, cursor, deadline)
        try:
            candidates = request.run()
        except Exception as err:  # noqa: BLE001 - a bug in a source must not break typing
            self.last_error = err
            candidates = []
        if request.jedi_code is not None and self.use_jedi:
            found = self.jedi.complete(request.jedi_code, [self.namespace], cursor=cursor,
                                       unsafe=self.evaluation == "unsafe", timeout=deadline - time.monotonic())
            candidates += found or []
        ranked, start, end = rank(candidates, text)
        if not ranked:
            return CompletionResult([], cursor, cursor)
        for candidate in ranked[:SIGNATURES_SHOWN]:
            if not candidate.signature and candidate.obj is not None:
                candidate.signature = self._signature(candidate.obj)
        matches = [Completion(c.text, c.start, c.end, c.type, c.signature) for c in ranked]
        return CompletionResult(matches, start, end)

    def _signature(self, obj: Any) -> str:
        """``signature_text``, remembered: reading a built-in's signature means tokenizing its text."""
        cached = self._signatures.get(id(obj))
        if cached is not None and cached[0] is obj:
            return cached[1]
        if len(self._signatures) >= SIGNATURE_CACHE_SIZE:
            self._signatures.clear()
        text = signature_text(obj)
        self._signatures[id(obj)] = (obj, text)
        return text

    def _request(self, text: str, cursor: int, deadline: float) -> Request:
        shell = self.shell
        return Request(text, cursor, namespace=self.namespace, registry=getattr(shell, "magics", None),
                       automagic=bool(getattr(shell, "automagic", False)), unsafe=self.evaluation == "unsafe",
                       modules=self.modules, deadline=deadline)
