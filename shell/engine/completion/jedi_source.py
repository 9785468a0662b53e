"""jedi's ``Interpreter`` on the live namespace, within the completion budget.

Usage::

    source = JediSource()
    source.complete("x = 'a'\\nx.up", [shell.user_ns], cursor=10, unsafe=False, timeout=0.1)
    # -> [Candidate('upper', ...)], or None when jedi was not ready, overran or failed

jedi infers what the fast source cannot (``"abc".upper().sp``, names bound
earlier in the same cell, parameters of a function being written), but it
is slow: importing it and its first inference over the typeshed stubs take
a second or more, and a warm request still takes tens of milliseconds. So:

- jedi is imported, and warmed on a few small completions, in a
  background thread started by the first request that needs it; requests
  before it is ready go on without jedi rather than wait;
- each request runs in a :class:`~.budget.BudgetedCall` and is abandoned
  when it overruns; while an abandoned run is still unwinding, later
  requests skip jedi instead of queueing behind it;
- whatever jedi raises (it has crashed and recursed on odd objects) ends
  that request's jedi part and nothing else;
- in safe mode jedi is told not to run code either
  (``allow_unsafe_executions``): it then never calls a property getter,
  and reads the property's annotated return type instead. jedi still asks
  every object it meets ``hasattr(obj, "__wrapped__")``, which would run a
  ``__getattr__``; so in safe mode an object whose class has one is shown
  to jedi as its class (and the routing does not ask jedi at all when
  such an object is reached through an attribute or a subscript).
"""

from __future__ import annotations

import threading
from typing import Any, Mapping

from shell.engine.completion.budget import BudgetedCall
from shell.engine.completion.evaluation import has_dynamic_attributes
from shell.engine.completion.model import Candidate

__all__ = ["JediSource"]

_WARM_UP = ("import os\nos.path.jo", "print(se", "'abc'.upper().sp")


class JediSource:
    """Completions from jedi, or None whenever jedi cannot answer in time."""

    def __init__(self) -> None:
        self._ready = threading.Event()
        self._loader: threading.Thread | None = None
        self._failed: BaseException | None = None
        self._running: BudgetedCall | None = None
        self._lock = threading.Lock()

    @property
    def ready(self) -> bool:
        return self._ready.is_set() and self._failed is None

    def load(self) -> None:
        """Start importing and warming jedi in the background (once)."""
        with self._lock:
            if self._loader is None:
                self._loader = threading.Thread(target=self._warm_up, name="hocus-jedi-loader", daemon=True)
                self._loader.start()

    def wait_ready(self, timeout: float | None = None) -> bool:
        """Start loading if needed and wait for it; True when jedi can be used."""
        self.load()
        self._ready.wait(timeout)
        return self.ready

    def _warm_up(self) -> None:
        try:
            import jedi

            for code in _WARM_UP:
                jedi.Interpreter(code, [{}]).complete()
        except BaseException as err:  # noqa: BLE001 - no jedi, or a broken one: complete without it
            self._failed = err
        finally:
            self._ready.set()

    def complete(self, code: str, namespaces: list[Mapping[str, Any]], *, cursor: int, unsafe: bool,
                 timeout: float) -> list[Candidate] | None:
        """jedi's completions at the end of ``code``; None when it is not ready, overran or failed.

        ``code`` is the Python before the cursor; ``cursor`` is where that
        end is in the text the candidates' offsets refer to.
        """
        if not self.ready:
            self.load()
            return None
        if timeout <= 0 or (self._running is not None and self._running.alive):
            return None  # no time left, or an abandoned run still unwinding: do not queue behind it
        if not unsafe:
            namespaces = [_without_dynamic_objects(ns) for ns in namespaces]
        call = BudgetedCall(lambda: _complete(code, namespaces, unsafe, cursor),
                            name="hocus-jedi-completion")
        self._running = call
        outcome = call.wait(timeout)
        if not outcome.finished or outcome.error is not None:
            return None
        return outcome.value


def _complete(code: str, namespaces: list[Mapping[str, Any]], unsafe: bool, cursor: int) -> list[Candidate]:
    import jedi

    line = code.count("\n") + 1
    column = len(code) - (code.rfind("\n") + 1)
    interpreter = jedi.Interpreter(code, list(namespaces))
    state = getattr(interpreter, "_inference_state", None)
    if state is not None:  # jedi >= 0.18 reads this flag wherever it would run code
        state.allow_unsafe_executions = unsafe
    found = []
    for completion in interpreter.complete(line, column):
        name = completion.name_with_symbols
        rest = completion.complete
        typed = len(name) - len(rest) if rest is not None else 0
        found.append(Candidate(name, cursor - typed, cursor, completion.type or "",
                               prefix=code[len(code) - typed:] if typed else "", source="jedi"))
    return found


def _without_dynamic_objects(namespace: Mapping[str, Any]) -> dict[str, Any]:
    """The namespace with objects that have a ``__getattr__`` replaced by their class."""
    return {name: type(value) if has_dynamic_attributes(value) else value
            for name, value in list(namespace.items())}
