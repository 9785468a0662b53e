"""``In``, ``Out`` and the underscore names, kept in step with the user namespace.

``In[N]`` is the source of cell N as the user typed it (re-runnable with
``run_cell``), ``Out[N]`` its displayed result. The names ``_i``, ``_ii``,
``_iii``, ``_iN`` and ``_``, ``__``, ``___``, ``_N`` are plain variables in
the user namespace, as in IPython, so ``del _`` or ``_ = 5`` behave as
Python would.

Inside cell N, ``_i`` is cell N-1's source, ``_ii`` N-2's and ``_iii``
N-3's (``_iN`` is the cell itself). Once the user binds ``_``, ``__`` or
``___`` themselves, or something (``gettext.install``) puts ``_`` in
builtins, the cache stops writing the three names, as IPython does; it
takes them up again when the user's names are deleted. ``Out`` is never
cached into itself.
"""

from __future__ import annotations

import builtins
from typing import Any

_UNDERSCORES = ("_", "__", "___")


class InputList(list):
    """``In``: a list of the session's cell sources; ``In[0]`` is empty."""

    def __init__(self) -> None:
        super().__init__([""])


class CellCaches:
    """Owns ``In``/``Out`` and writes the underscore names into a namespace."""

    def __init__(self, user_ns: dict[str, Any]):
        self.user_ns = user_ns
        self.In = InputList()
        self.Out: dict[int, Any] = {}
        self._previous_input = ""  # the last stored cell: ``_i`` once the next cell starts
        self._results: list[Any] = ["", "", ""]  # the last three results, newest first
        self._written: dict[str, Any] = {}  # what the cache last put in _, __, ___
        self.install()

    def install(self) -> None:
        """Put ``In``, ``Out`` and empty underscore names into the namespace."""
        ns = self.user_ns
        ns["In"] = ns["_ih"] = self.In
        ns["Out"] = ns["_oh"] = self.Out
        for name in ("_i", "_ii", "_iii", *_UNDERSCORES):
            ns.setdefault(name, "")
        self._results = ["", "", ""]  # a fresh namespace does not bring old results back as __
        self._written = dict.fromkeys(_UNDERSCORES, "")

    def store_input(self, count: int, source: str) -> None:
        """Record cell ``count``'s source and shift ``_i``/``_ii``/``_iii``."""
        while len(self.In) < count:
            self.In.append("")
        if len(self.In) == count:
            self.In.append(source)
        else:
            self.In[count] = source
        ns = self.user_ns
        ns["_iii"], ns["_ii"], ns["_i"] = ns.get("_ii", ""), ns.get("_i", ""), self._previous_input
        self._previous_input = source
        ns[f"_i{count}"] = source
        self.yield_to_builtin_underscore()

    def store_output(self, count: int | None, value: Any) -> None:
        """Record a displayed result: ``Out[count]``, ``_count``, and shift ``_``/``__``/``___``.

        ``Out`` itself is not recorded: it would hold itself and push the
        real results out of ``_``/``__``/``___`` (IPython leaves it out too).
        """
        if value is self.Out:
            return
        self.yield_to_builtin_underscore()
        ns = self.user_ns
        writable = self._underscores_are_ours() and "_" not in builtins.__dict__
        self._results = [value, *self._results[:2]]
        if writable:
            self._written = dict(zip(_UNDERSCORES, self._results))
            ns.update(self._written)
        if count:
            self.Out[count] = value
            ns[f"_{count}"] = value

    def yield_to_builtin_underscore(self) -> None:
        """Take the cache's ``_`` out of the namespace once builtins has one (``gettext.install``)."""
        if "_" in builtins.__dict__ and "_" in self.user_ns and self._is_ours("_"):
            del self.user_ns["_"]

    def _underscores_are_ours(self) -> bool:
        """Whether ``_``, ``__`` and ``___`` are unset or still what the cache wrote (the user bound none)."""
        return all(name not in self.user_ns or self._is_ours(name) for name in _UNDERSCORES)

    def _is_ours(self, name: str) -> bool:
        value = self.user_ns[name]
        # "" is also what %reset out writes: the names are the cache's again afterwards
        return value is self._written.get(name) or (type(value) is str and value == "")

    def forget(self, obj: Any) -> None:
        """Let go of ``obj`` wherever the output cache holds it (``Out``, ``_N``, ``_``, ``__``, ``___``),
        so ``%xdel`` can free it."""
        ns = self.user_ns
        for count in [count for count, value in self.Out.items() if value is obj]:
            del self.Out[count]
            if ns.get(f"_{count}") is obj:
                del ns[f"_{count}"]
        self._results = ["" if value is obj else value for value in self._results]
        for name in _UNDERSCORES:
            if self._written.get(name) is obj:
                self._written[name] = ""
            if ns.get(name) is obj:
                ns[name] = ""

    def reset(self, *, inputs: bool = True, outputs: bool = True) -> None:
        """Forget the stored inputs and/or outputs (``%reset in`` / ``%reset out``)."""
        ns = self.user_ns
        if outputs:
            for count in list(self.Out):
                ns.pop(f"_{count}", None)
            self.Out.clear()
            ns["_"] = ns["__"] = ns["___"] = ""
            self._results = ["", "", ""]
            self._written = dict.fromkeys(_UNDERSCORES, "")
        if inputs:
            for count in range(1, len(self.In)):
                ns.pop(f"_i{count}", None)
            del self.In[1:]
            ns["_i"] = ns["_ii"] = ns["_iii"] = ""
            self._previous_input = ""
