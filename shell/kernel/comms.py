"""Comms (ipywidgets and friends) through the ``comm`` package.

Widget libraries call ``comm.create_comm(...)``; the ``comm`` package is
designed for the running kernel to supply that function and the
:class:`comm.base_comm.CommManager`. :func:`install_comms` does so for one
kernel: comms it creates publish ``comm_open``/``comm_msg``/``comm_close``
on IOPub, and the manager it returns handles the front end's comm messages.
"""

from __future__ import annotations

from typing import Any

import comm
from comm.base_comm import BaseComm, BuffersType, CommManager, MaybeDict

from shell.kernel.outputs import IOPub


class KernelComm(BaseComm):
    """A comm whose messages go out on one kernel's IOPub."""

    iopub: IOPub | None = None

    def publish_msg(self, msg_type: str, data: MaybeDict = None, metadata: MaybeDict = None,
                    buffers: BuffersType = None, **keys: Any) -> None:
        if self.iopub is None:
            return
        content = {"data": data or {}, "comm_id": self.comm_id, **keys}
        self.iopub.publish(msg_type, content, metadata=metadata or {}, buffers=buffers)


def install_comms(iopub: IOPub) -> CommManager:
    """Make ``comm.create_comm`` and ``comm.get_comm_manager`` serve this kernel; return its manager."""
    manager = CommManager()
    comm_class = type("HocusComm", (KernelComm,), {"iopub": iopub})
    comm.create_comm = comm_class
    comm.get_comm_manager = lambda: manager
    return manager


def comm_info(manager: CommManager, target_name: str | None = None) -> dict[str, Any]:
    """``comm_info_reply`` content: the open comms, optionally only those for ``target_name``."""
    comms = {comm_id: {"target_name": c.target_name} for comm_id, c in list(manager.comms.items())
             if target_name is None or c.target_name == target_name}
    return {"status": "ok", "comms": comms}
