"""The Variables panel when no breakpoint holds the kernel: the user's namespace as DAP variables.

JupyterLab's debugger lists the globals between cells (``inspectVariables``)
and opens a container when its row is expanded (``variables`` with the
row's ``variablesReference``). While a thread is stopped, debugpy answers
those from the stopped frame; between cells, :class:`NamespaceExplorer`
answers them from the shell's namespace::

    explorer = NamespaceExplorer()
    explorer.top_level(shell.user_variables())     # [{"name": "df", "value": "...", "type": "DataFrame", ...}]
    explorer.children(ref)                         # the items of the container with reference ``ref``

Only the user's own names are shown: what the shell put in the namespace
(``In``, ``Out``, ``_``, ``_i3``, ``_7``, ``exit``, ``get_ipython``, the
display hook...) is left out, as ipykernel leaves IPython's names out.
"""

from __future__ import annotations

import reprlib
from typing import Any, Iterable

MAX_VALUE = 1000  # characters of a value's repr in a row; the rest is "..."
MAX_CHILDREN = 300  # rows of one container; JupyterLab pages no further

Variable = dict[str, Any]


def safe_repr(value: Any) -> str:
    """A value's repr for one row: never raises, never huge."""
    try:
        text = repr(value)
    except Exception as err:  # noqa: BLE001 - a broken __repr__ must not break the panel
        return f"<repr failed: {type(err).__name__}: {err}>"
    return text if len(text) <= MAX_VALUE else text[:MAX_VALUE] + "..."


def _has_children(value: Any) -> bool:
    if isinstance(value, (str, bytes, bytearray, int, float, complex, bool, type(None))):
        return False
    if isinstance(value, (dict, list, tuple, set, frozenset)):
        return len(value) > 0
    return bool(_attributes(value))


def _attributes(value: Any) -> dict[str, Any]:
    try:
        attributes = vars(value)
    except TypeError:
        return {}
    return {name: item for name, item in attributes.items() if not name.startswith("__")}


def _items(value: Any) -> Iterable[tuple[str, str, Any]]:
    """``(name, expression suffix, item)`` for each child of a container."""
    if isinstance(value, dict):
        for key, item in value.items():
            shown = reprlib.repr(key)
            yield shown, f"[{shown}]", item
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield str(index), f"[{index}]", item
    elif isinstance(value, (set, frozenset)):
        for item in value:
            yield reprlib.repr(item), "", item
    else:
        for name, item in _attributes(value).items():
            yield name, f".{name}", item


class NamespaceExplorer:
    """DAP ``Variable`` rows for a namespace, and for the containers in it, by reference."""

    def __init__(self) -> None:
        self._containers: dict[int, tuple[str, Any]] = {}
        self._next_reference = 1

    def top_level(self, namespace: dict[str, Any]) -> list[Variable]:
        """The rows of ``namespace``; forgets the references handed out before."""
        self._containers.clear()
        self._next_reference = 1
        return [self._row(name, name, value) for name, value in sorted(namespace.items())]

    def children(self, reference: int) -> list[Variable]:
        """The rows inside the container that ``reference`` was handed out for ([] if unknown)."""
        found = self._containers.get(reference)
        if found is None:
            return []
        path, container = found
        rows = []
        for name, suffix, item in _items(container):
            rows.append(self._row(name, path + suffix if suffix else "", item))
            if len(rows) >= MAX_CHILDREN:
                break
        return rows

    def _row(self, name: str, expression: str, value: Any) -> Variable:
        reference = 0
        if _has_children(value):
            reference = self._next_reference
            self._next_reference += 1
            self._containers[reference] = (expression, value)
        row: Variable = {"name": name, "value": safe_repr(value), "type": type(value).__name__,
                         "variablesReference": reference}
        if expression:
            row["evaluateName"] = expression
        return row


def hidden_names(namespace: dict[str, Any], user_names: Iterable[str]) -> set[str]:
    """The names in ``namespace`` that the shell put there, not the user."""
    return set(namespace) - set(user_names)


def rich_bundle(value: Any) -> str:
    """``{"data": ..., "metadata": ...}`` as JSON: ``value`` shown by the running cell's shell.

    Evaluated in a stopped frame (``richInspectVariables`` while at a
    breakpoint): the frame's thread is inside a cell, so the cell's
    displayer, and with it every formatter the user registered, is at hand.
    """
    import json

    from shell.engine.display.displayer import current_displayer

    displayer = current_displayer.get()
    data: dict[str, Any]
    metadata: dict[str, Any]
    if displayer is None:
        data, metadata = {"text/plain": safe_repr(value)}, {}
    else:
        data, metadata = displayer.formatter.format(value)
    return json.dumps({"data": data, "metadata": metadata}, default=str)
