"""``In``, ``Out`` and the underscore names, kept in step with the user namespace.

``In[N]`` is the source of cell N as the user typed it (re-runnable with
``run_cell``), ``Out[N]`` its displayed result. The names ``_i``, ``_ii``,
``_iii``, ``_iN`` and ``_``, ``__``, ``___``, ``_N`` are plain variables in
the user namespace, as in IPython, so ``del _`` or ``_ = 5`` behave as
Python would.
"""

from __future__ import annotations

from typing import Any


class InputList(list):
    """``In``: a list of the session's cell sources; ``In[0]`` is empty."""

    def __init__(self):
        super().__init__([""])


class CellCaches:
    """Owns ``In``/``Out`` and writes the underscore names into a namespace."""

    def __init__(self, user_ns: dict[str, Any]):
        self.user_ns = user_ns
        self.In = InputList()
        self.Out: dict[int, Any] = {}
        self.install()

    def install(self) -> None:
        """Put ``In``, ``Out`` and empty underscore names into the namespace."""
        ns = self.user_ns
        ns["In"] = ns["_ih"] = self.In
        ns["Out"] = ns["_oh"] = self.Out
        for name in ("_i", "_ii", "_iii", "_", "__", "___"):
            ns.setdefault(name, "")

    def store_input(self, count: int, source: str) -> None:
        """Record cell ``count``'s source and shift ``_i``/``_ii``/``_iii``."""
        while len(self.In) < count:
            self.In.append("")
        if len(self.In) == count:
            self.In.append(source)
        else:
            self.In[count] = source
        ns = self.user_ns
        ns["_iii"], ns["_ii"], ns["_i"] = ns.get("_ii", ""), ns.get("_i", ""), source
        ns[f"_i{count}"] = source

    def store_output(self, count: int | None, value: Any) -> None:
        """Record a displayed result: ``Out[count]``, ``_count``, and shift ``_``/``__``/``___``."""
        ns = self.user_ns
        ns["___"], ns["__"], ns["_"] = ns.get("__", ""), ns.get("_", ""), value
        if count:
            self.Out[count] = value
            ns[f"_{count}"] = value

    def reset(self, *, inputs: bool = True, outputs: bool = True) -> None:
        """Forget the stored inputs and/or outputs (``%reset in`` / ``%reset out``)."""
        ns = self.user_ns
        if outputs:
            for count in list(self.Out):
                ns.pop(f"_{count}", None)
            self.Out.clear()
            ns["_"] = ns["__"] = ns["___"] = ""
        if inputs:
            for count in range(1, len(self.In)):
                ns.pop(f"_i{count}", None)
            del self.In[1:]
            ns["_i"] = ns["_ii"] = ns["_iii"] = ""
