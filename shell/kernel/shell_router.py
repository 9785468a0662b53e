"""Who reads the shell socket, and which thread answers each request (kernel subshells).

Until the first subshell is created, the main thread reads the shell
socket itself between cells and sends its replies, as a kernel without
subshells does: :meth:`ShellRouter.receive_for_main` and
:meth:`ShellRouter.send` are then a lock around the socket calls, nothing
more, so a kernel nobody creates a subshell in pays nothing for them.

From the first subshell on (:meth:`ShellRouter.start_routing`), a thread of
its own, ``hocus-shell-router``, owns the socket for good: it reads every
request, even while the main thread runs a cell, hands requests without a
``subshell_id`` to the main thread and the others to their subshell
(:mod:`shell.kernel.subshells`), and sends the replies every thread queues
with :meth:`ShellRouter.send`. A ZMQ socket must not be used by two threads
at once: the lock makes the hand-over from the main thread to the router
one clean step, and after it only the router touches the socket.
"""

from __future__ import annotations

import collections
import select
import threading
from typing import TYPE_CHECKING, Any

import zmq

from shell.kernel.subshells import Request, UnknownSubshellError, answer_unknown
from shell.kernel.transport import POLL_MS, Wake, log

if TYPE_CHECKING:
    from shell.kernel.handlers import RequestHandlers
    from shell.kernel.outputs import IOPub
    from shell.kernel.stdin import StdinInput
    from shell.kernel.subshells import SubshellManager
    from shell.kernel.transport import KernelSockets


class ShellRouter:
    """Reads the shell socket for the main thread, or (once routing) for every subshell too."""

    def __init__(self, sockets: KernelSockets, iopub: IOPub):
        self._sockets = sockets
        self._iopub = iopub
        self.subshells: SubshellManager | None = None  # set by the kernel; None: every request is the main shell's
        self._lock = threading.Lock()  # the socket's while the main thread still reads it
        self._routed = False
        self._handing_over = False  # set before the router thread starts: the main thread stops reading
        self._for_main: collections.deque[Request] = collections.deque()
        self._outbox: collections.deque[tuple[str, dict[str, Any], dict[str, Any], list[bytes]]] = collections.deque()
        self._wake = Wake()  # the router: a reply is waiting in the outbox
        self._thread: threading.Thread | None = None

    # -- the main thread's side -------------------------------------------------------------------
    def receive_for_main(self) -> Request | None:
        """The main shell's next request, or None (nothing yet, or ``main_wake`` was set)."""
        sockets = self._sockets
        if not self._handing_over:
            with self._lock:
                received = None if self._routed else sockets.receive(sockets.shell, "shell", wake=sockets.main_wake)
            if received is None or self._is_for_main(received):
                return received
            return None
        if not self._for_main:
            select.select([sockets.main_wake], [], [], POLL_MS / 1000)
            sockets.main_wake.clear()
        return self._for_main.popleft() if self._for_main else None

    def drain_for_main(self) -> list[Request]:
        """The main shell's requests waiting now (to abort after an error with ``stop_on_error``)."""
        drained: list[Request] = []
        if not self._routed:
            sockets = self._sockets
            with self._lock:
                while not self._routed and sockets.shell.poll(0):
                    received = sockets.receive(sockets.shell, "shell", timeout_ms=0)
                    if received is not None:
                        drained.append(received)
            drained = [received for received in drained if self._is_for_main(received)]
        while self._for_main:
            drained.append(self._for_main.popleft())
        return drained

    # -- any thread ---------------------------------------------------------------------------------
    def send(self, msg_type: str, content: dict[str, Any], parent: dict[str, Any], idents: list[bytes]) -> None:
        """A reply on the shell channel, from any thread."""
        if not self._routed:
            with self._lock:
                if not self._routed:
                    self._sockets.send(self._sockets.shell, msg_type, content, parent, idents)
                    return
        self._outbox.append((msg_type, content, parent, idents))
        self._wake.set()

    # -- routing ------------------------------------------------------------------------------------
    def enable_subshells(self, handlers: RequestHandlers, *, stdin: StdinInput | None = None) -> SubshellManager:
        """Answer the subshell control requests with ``handlers``' engine; routing starts with the first subshell."""
        from shell.kernel.subshells import SubshellManager

        self.subshells = SubshellManager(handlers, self.send, stdin=stdin, on_first=self.start_routing)
        handlers.handlers.update(self.subshells.control_handlers())
        return self.subshells

    def start_routing(self) -> None:
        """Start the router thread (before the first subshell exists); it takes the socket over."""
        if self._thread is None:
            self._handing_over = True  # the main thread polls no more, so the router gets the lock at once
            self._thread = threading.Thread(target=self._run, name="hocus-shell-router", daemon=True)
            self._thread.start()
            self._sockets.main_wake.set()  # the main thread stops waiting on the socket, and lets go of it

    def close(self) -> None:
        """After the kernel stopped serving: the router has ended, and every queued reply is sent."""
        if self.subshells is not None:
            self.subshells.close()
        if self._thread is not None:
            self._thread.join()
            self._send_outbox()

    def _run(self) -> None:
        sockets = self._sockets
        with self._lock:
            self._routed = True
        while not sockets.stop_event.is_set():
            try:
                self._send_outbox()
                received = sockets.receive(sockets.shell, "shell", wake=self._wake)
                self._send_outbox()
                if received is not None and self._is_for_main(received):
                    self._for_main.append(received)
                    sockets.main_wake.set()
            except zmq.ZMQError:
                return
            except Exception:  # noqa: BLE001 - keep routing
                log.exception("error while routing a shell request")

    def _send_outbox(self) -> None:
        while self._outbox:
            self._sockets.send(self._sockets.shell, *self._outbox.popleft())

    def _is_for_main(self, received: Request) -> bool:
        """True for a main-shell request; a subshell's is queued in its subshell (or answered as unknown)."""
        idents, msg = received
        subshell_id = msg["header"].get("subshell_id")
        if subshell_id is None:
            return True
        try:
            if self.subshells is None:
                raise UnknownSubshellError(subshell_id)
            self.subshells.get(subshell_id).put(idents, msg)
        except UnknownSubshellError as err:
            log.warning("cannot answer %s: %s", msg["header"].get("msg_type"), err)
            answer_unknown(self._iopub, self.send, idents, msg, err)
        return False
