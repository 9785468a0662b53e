"""The kernel as libraries written for ipykernel reach it: ``get_ipython().kernel``.

ipywidgets' ``Output`` widget asks the kernel for the request being
answered (``kernel.get_parent()``) and routes the output of that request
into itself by its ``msg_id``; older widget code uses
``kernel.comm_manager``; a few libraries read ``kernel.session`` or
``kernel.shell_handlers``. :class:`KernelView` answers those from the
hocus kernel's parts, without exposing its sockets.
"""

from __future__ import annotations

from typing import Any


class KernelView:
    """What ``get_ipython().kernel`` is in the hocus kernel."""

    implementation = "hocus"

    def __init__(self, *, iopub: Any, session: Any, comm_manager: Any, handlers: Any):
        self._iopub = iopub
        self.session = session
        self.comm_manager = comm_manager
        self._handlers = handlers

    def get_parent(self, channel: str = "shell") -> dict[str, Any]:
        """The request being answered now (an execute, or a widget's comm message)."""
        return self._iopub.parent or {}

    @property
    def parent_header(self) -> dict[str, Any]:
        return self.get_parent().get("header", {})

    @property
    def shell_handlers(self) -> dict[str, Any]:
        """Message type -> handler, as ipykernel's kernel lists them."""
        return self._handlers.handlers

    def __repr__(self) -> str:
        return "<hocus kernel>"
