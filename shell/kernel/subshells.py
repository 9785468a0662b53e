"""Kernel subshells (JEP 91): more threads of shell requests, against the one namespace.

A front end asks on the control channel::

    create_subshell_request  {}                    -> {"status": "ok", "subshell_id": "3f2a..."}
    list_subshell_request    {}                    -> {"status": "ok", "subshell_id": ["3f2a..."]}
    delete_subshell_request  {"subshell_id": ...}  -> {"status": "ok"}

and then puts ``"subshell_id": "3f2a..."`` in the header of a shell request
(``execute_request``, ``complete_request``...) to have that subshell answer
it. Each subshell is a thread with a queue of its own: its requests are
answered in order, while the main shell (no ``subshell_id``) may be busy
with a long cell. :class:`~shell.kernel.shell_router.ShellRouter` reads the
shell socket and hands each request to its subshell.

A subshell's thread runs the same :class:`~shell.kernel.handlers.RequestHandlers`
against the same engine, with what must stay apart kept per thread: the
current request on IOPub (so its output is its own), the error and pages
of its cell, ``stop_on_error`` aborting, and stdin (refused: the stdin
channel is the main shell's). SIGINT reaches the main thread only, so
``interrupt_request`` interrupts the main shell, as in ipykernel.
"""

from __future__ import annotations

import queue
import threading
import uuid
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from shell.kernel.handlers import RequestHandlers
    from shell.kernel.outputs import IOPub
    from shell.kernel.stdin import StdinInput

Request = tuple[list[bytes], dict[str, Any]]
SendReply = Callable[[str, dict[str, Any], dict[str, Any], list[bytes]], None]
"""``send(msg_type, content, parent, idents)``: a reply on the shell channel, from any thread."""

NO_STDIN = "input() is not available in a subshell: the stdin channel belongs to the main shell"


class UnknownSubshellError(KeyError):
    """A ``subshell_id`` that names no subshell of this kernel (ipykernel's name for it)."""

    def __init__(self, subshell_id: object):
        super().__init__(subshell_id)
        self.subshell_id = subshell_id

    def __str__(self) -> str:
        return f"Unknown subshell_id {self.subshell_id!r}"


def unknown_subshell_reply(error: UnknownSubshellError) -> dict[str, Any]:
    return {"status": "error", "ename": "UnknownSubshellError", "evalue": str(error), "traceback": []}


def answer_unknown(iopub: IOPub, send: SendReply, idents: list[bytes], msg: dict[str, Any],
                   error: UnknownSubshellError) -> None:
    """A request for a subshell that is not there: busy, an error reply, idle; nothing runs.

    The statuses matter as much as the reply: a front end knows a request
    without a reply (``comm_msg``) is done by its idle status.
    """
    from shell.kernel.handlers import NO_REPLY

    msg_type = str(msg["header"].get("msg_type", ""))
    iopub.publish("status", {"execution_state": "busy"}, parent=msg)
    if msg_type not in NO_REPLY:
        reply_type = msg_type[: -len("_request")] + "_reply" if msg_type.endswith("_request") else msg_type + "_reply"
        send(reply_type, unknown_subshell_reply(error), msg, idents)
    iopub.publish("status", {"execution_state": "idle"}, parent=msg)


class Subshell:
    """One child subshell: a thread answering its own queue of shell requests, in order."""

    def __init__(self, subshell_id: str, handlers: RequestHandlers, send: SendReply, *, stdin: StdinInput | None):
        self.id = subshell_id
        self._handlers = handlers
        self._send = send
        self._stdin = stdin
        self._queue: queue.SimpleQueue[Request | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._stopping = False
        self._busy = False
        self.thread = threading.Thread(target=self._run, name=f"hocus-subshell-{subshell_id}", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def put(self, idents: list[bytes], msg: dict[str, Any]) -> None:
        """Queue a request; a subshell being deleted takes no more (UnknownSubshellError)."""
        with self._lock:
            if self._stopping:
                raise UnknownSubshellError(self.id)
            self._queue.put((idents, msg))

    def stop(self) -> None:
        """End the thread: now if it is idle (returns once it has ended), else after its current request.

        Waiting for a cell that runs on would stall the control channel,
        interrupts and shutdown included, so a busy subshell is left to
        finish; requests still queued get UnknownSubshellError replies.
        """
        with self._lock:
            self._stopping = True
            busy = self._busy
        self._queue.put(None)
        if not busy and self.thread is not threading.current_thread():
            self.thread.join()

    def _run(self) -> None:
        self._handlers.iopub.own_parent_in_this_thread()
        if self._stdin is not None:
            self._stdin.refuse_in_this_thread(NO_STDIN)
        while True:
            item = self._queue.get()
            if item is None:
                return
            with self._lock:
                stopping = self._stopping
                self._busy = not stopping
            try:
                if stopping:
                    answer_unknown(self._handlers.iopub, self._send, *item, UnknownSubshellError(self.id))
                else:
                    self._answer(*item)
            except Exception:  # noqa: BLE001 - one request's failure must not end the subshell
                from shell.kernel.transport import log

                log.exception("error while answering a request in subshell %s", self.id)
            finally:
                with self._lock:
                    self._busy = False

    def _answer(self, idents: list[bytes], msg: dict[str, Any], *, abort: bool = False) -> None:
        handlers = self._handlers
        waiting: list[Request] = []

        def reply(msg_type: str, content: dict[str, Any]) -> None:
            if handlers.aborting and not abort:
                # stop_on_error: what was queued before this error reply goes out is aborted, not
                # what the front end sends once it has seen the reply (as the main shell does)
                waiting.extend(self._drain())
            self._send(msg_type, content, msg, idents)

        if abort and msg["header"].get("msg_type") == "execute_request":
            handlers.abort(msg, reply)
        else:
            handlers.dispatch(msg, reply)
        if waiting:
            handlers.aborting = False
            for queued in waiting:
                self._answer(*queued, abort=True)
        handlers.aborting = False

    def _drain(self) -> list[Request]:
        drained: list[Request] = []
        while True:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return drained
            if item is None:  # deleted meanwhile: keep the stop for the loop
                self._queue.put(None)
                return drained
            drained.append(item)


class SubshellManager:
    """Creates, finds, lists and deletes the subshells of one kernel; safe to call from any thread.

    ``on_first`` runs once, before the first subshell exists (the kernel
    starts routing shell requests by ``subshell_id`` then: a kernel nobody
    creates a subshell in reads its shell socket as before).
    """

    def __init__(self, handlers: RequestHandlers, send: SendReply, *, stdin: StdinInput | None = None,
                 on_first: Callable[[], None] = lambda: None):
        self._handlers = handlers
        self._send = send
        self._stdin = stdin
        self._on_first: Callable[[], None] | None = on_first
        self._lock = threading.Lock()
        self._subshells: dict[str, Subshell] = {}

    def create(self) -> str:
        with self._lock:
            if self._on_first is not None:
                self._on_first()
                self._on_first = None
            subshell = Subshell(str(uuid.uuid4()), self._handlers, self._send, stdin=self._stdin)
            self._subshells[subshell.id] = subshell
        subshell.start()
        return subshell.id

    def get(self, subshell_id: object) -> Subshell:
        with self._lock:
            found = self._subshells.get(subshell_id) if isinstance(subshell_id, str) else None
        if found is None:
            raise UnknownSubshellError(subshell_id)
        return found

    def ids(self) -> list[str]:
        with self._lock:
            return list(self._subshells)

    def delete(self, subshell_id: object) -> None:
        with self._lock:
            subshell = self._subshells.pop(subshell_id, None) if isinstance(subshell_id, str) else None
        if subshell is None:
            raise UnknownSubshellError(subshell_id)
        subshell.stop()

    def close(self) -> None:
        """Stop every subshell (the kernel is shutting down)."""
        with self._lock:
            subshells, self._subshells = list(self._subshells.values()), {}
        for subshell in subshells:
            subshell.stop()

    # -- the control requests -------------------------------------------------------------------
    def control_handlers(self) -> dict[str, Callable[[dict[str, Any]], dict[str, Any]]]:
        """Handlers for :class:`~shell.kernel.handlers.RequestHandlers`, answered on the control thread."""
        return {"create_subshell_request": self._create_request,
                "delete_subshell_request": self._delete_request,
                "list_subshell_request": self._list_request}

    def _create_request(self, msg: dict[str, Any]) -> dict[str, Any]:
        return {"status": "ok", "subshell_id": self.create()}

    def _delete_request(self, msg: dict[str, Any]) -> dict[str, Any]:
        subshell_id = msg["content"].get("subshell_id")
        if not isinstance(subshell_id, str):
            from shell.kernel.handlers import BadRequest

            shown = "missing" if subshell_id is None else f"{type(subshell_id).__name__}, not str"
            raise BadRequest(f"'subshell_id' must be the str a create_subshell_reply gave ({shown})")
        try:
            self.delete(subshell_id)
        except UnknownSubshellError as err:
            return unknown_subshell_reply(err)
        return {"status": "ok"}

    def _list_request(self, msg: dict[str, Any]) -> dict[str, Any]:
        return {"status": "ok", "subshell_id": self.ids()}
