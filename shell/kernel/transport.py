"""The five ZMQ sockets and the threads that serve them.

=========  ======  ===========================================================
channel    socket  served by
=========  ======  ===========================================================
shell      ROUTER  the main thread: requests that use the engine, in order
control    ROUTER  its own thread: kernel_info, interrupt, shutdown, even while a cell runs;
                   other requests sent on control (``execute_request``, as the spec allows)
                   are handed to the main thread, and their replies go back on control
stdin      ROUTER  the main thread, while ``input()`` waits for an ``input_reply``
iopub      XPUB    whichever thread publishes, one at a time under a lock; a thread
                   of its own greets new subscribers with ``iopub_welcome`` (5.5)
heartbeat  REP     its own thread: echoes every ping
=========  ======  ===========================================================

ZMQ sockets are not thread-safe: each is used by one thread, except IOPub,
which threads take turns on behind a lock (the full memory barrier ZMQ asks
for when a socket changes threads). Output floods stay bounded by the
streams' batching and ZMQ's high-water mark. Incoming messages that fail
:meth:`Session.deserialize` — bad signature, replay, bad frames or JSON —
are logged and dropped.
"""

from __future__ import annotations

import collections
import logging
import os
import threading
from typing import Any, Callable

import zmq

from shell.kernel.connection import CHANNELS, ConnectionInfo
from shell.kernel.wire import MessageError, Session

log = logging.getLogger("hocus.kernel")

POLL_MS = 100

# ``(idents, msg)``: one request as received, and what a control-request handler is called with.
Received = tuple[list[bytes], dict[str, Any]]
ControlHandler = Callable[[list[bytes], dict[str, Any]], None]


class DropLog:
    """Logs dropped messages without letting a flood of them flood the log."""

    def __init__(self) -> None:
        self.count = 0

    def dropped(self, channel: str, reason: str) -> None:
        self.count += 1
        if self.count <= 10 or self.count % 1000 == 0:
            log.warning("dropped a message on %s: %s (%d dropped so far)", channel, reason, self.count)


class IOPubChannel:
    """Owns the XPUB socket; :meth:`send` may be called from any thread.

    A message goes to ZMQ from the thread that publishes it, under a lock: a
    ZMQ socket may be used by several threads one at a time, the lock being
    the full memory barrier ZMQ asks for. Handing messages to a thread of
    its own instead cost every request two thread switches and a fight for
    the GIL just as the reply was being sent. New subscribers are welcomed
    (``iopub_welcome``) before the next message, and by the thread when all
    is quiet.
    """

    def __init__(self, socket: zmq.Socket, session: Session):
        self.socket = socket
        self.session = session
        self._lock = threading.RLock()  # re-entrant: a signal handler may publish while its thread sends
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="hocus-iopub", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def send(self, msg_type: str, content: dict[str, Any], parent: dict[str, Any] | None, *,
             metadata: dict[str, Any] | None = None, buffers: list[bytes] | None = None) -> None:
        try:
            frames = self.session.serialize(msg_type, content, parent, idents=[f"kernel.{msg_type}".encode()],
                                            metadata=metadata, buffers=buffers)
            with self._lock:
                self._greet_subscribers()  # a front end that just subscribed is welcomed before this message
                self.socket.send_multipart(frames, copy=False)
        except Exception:  # noqa: BLE001 - one unsendable message must not stop IOPub (or its sender)
            log.exception("could not send a %s message on IOPub", msg_type)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(1)

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            with self._lock:
                self._greet_subscribers()

    def _greet_subscribers(self) -> None:
        while self.socket.poll(0):
            event = self.socket.recv()
            if event[:1] == b"\x01":
                topic = event[1:]
                frames = self.session.serialize("iopub_welcome", {"subscription": topic.decode("utf-8", "replace")},
                                                None, idents=[topic] if topic else None)
                self.socket.send_multipart(frames)


class Wake:
    """A pipe that wakes a thread waiting in ``receive``: another thread has work for it."""

    def __init__(self) -> None:
        self._read, self._write = os.pipe()
        os.set_blocking(self._read, False)
        os.set_blocking(self._write, False)

    def fileno(self) -> int:
        return self._read

    def set(self) -> None:
        try:
            os.write(self._write, b"!")
        except BlockingIOError:  # the pipe is full of wake-ups already
            pass

    def clear(self) -> None:
        try:
            while os.read(self._read, 4096):
                pass
        except BlockingIOError:
            pass


class KernelSockets:
    """Binds the five sockets of a connection file and runs the heartbeat, control and IOPub threads."""

    def __init__(self, info: ConnectionInfo, session: Session):
        self.info = info
        self.session = session
        self.context = zmq.Context()
        self.drops = DropLog()
        self.ipc_files: list[str] = []
        self.shell = self._bind(zmq.ROUTER, "shell")
        self.control = self._bind(zmq.ROUTER, "control")
        self.stdin = self._bind(zmq.ROUTER, "stdin")
        iopub = self.context.socket(zmq.XPUB)
        iopub.setsockopt(zmq.XPUB_VERBOSE, 1)  # every subscriber gets its welcome, not just the first
        iopub.setsockopt(zmq.LINGER, 1000)
        self._secure_and_bind(iopub, "iopub")
        self.iopub = IOPubChannel(iopub, session)
        self.heartbeat = self._bind(zmq.REP, "hb")
        self.stop_event = threading.Event()
        self._threads: list[threading.Thread] = []
        self.handed_over: collections.deque[tuple[list[bytes], dict[str, Any]]] = collections.deque()
        self.main_wake = Wake()
        self._control_outbox: collections.deque[tuple[Any, ...]] = collections.deque()
        self._control_wake = Wake()

    def _bind(self, kind: int, channel: str) -> zmq.Socket:
        sock = self.context.socket(kind)
        sock.setsockopt(zmq.LINGER, 1000)
        if kind == zmq.ROUTER:
            sock.setsockopt(zmq.ROUTER_HANDOVER, 1)  # a reconnecting front end takes over its identity
        self._secure_and_bind(sock, channel)
        return sock

    def _secure_and_bind(self, sock: zmq.Socket, channel: str) -> None:
        """Bind ``channel``'s endpoint: a port of 0 becomes a free one (recorded in ``info``).

        With the CurveZMQ keys a kernel manager put in the connection file,
        the socket is a Curve server: traffic is encrypted, and only clients
        that know the server's public key can connect.
        """
        info = self.info
        if info.curve_secretkey:
            sock.curve_secretkey = info.curve_secretkey.encode("ascii")
            sock.curve_publickey = info.curve_publickey.encode("ascii")
            sock.curve_server = True
        if getattr(info, f"{channel}_port"):
            sock.bind(info.url(channel))
        elif info.transport == "ipc":
            port = 1 + CHANNELS.index(channel)
            while os.path.exists(f"{info.ip}-{port}"):
                port += len(CHANNELS)
            setattr(info, f"{channel}_port", port)
            sock.bind(info.url(channel))
        else:
            setattr(info, f"{channel}_port", sock.bind_to_random_port(f"{info.transport}://{info.ip}"))
        if info.transport == "ipc":
            self.ipc_files.append(f"{info.ip}-{getattr(info, f'{channel}_port')}")

    def remove_ipc_files(self) -> None:
        """The Unix socket files of an IPC kernel, once it has stopped."""
        for path in self.ipc_files:
            try:
                os.remove(path)
            except OSError:
                pass

    def start(self, on_control: ControlHandler) -> None:
        """Start IOPub, heartbeat and control; ``on_control(idents, msg)`` answers control requests."""
        self.iopub.start()
        for target, name, args in ((self._heartbeat, "hocus-heartbeat", ()),
                                   (self._control_loop, "hocus-control", (on_control,))):
            thread = threading.Thread(target=target, args=args, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)

    def receive(self, sock: zmq.Socket, channel: str, timeout_ms: int = POLL_MS,
                wake: Wake | None = None) -> Received | None:
        """The next valid message on ``sock`` as ``(idents, msg)``, or None (timeout, dropped, or ``wake`` set)."""
        if wake is None:
            if not sock.poll(timeout_ms):
                return None
        else:
            poller = zmq.Poller()
            poller.register(sock, zmq.POLLIN)
            poller.register(wake.fileno(), zmq.POLLIN)
            if sock not in dict(poller.poll(timeout_ms)):
                wake.clear()
                return None
        frames = sock.recv_multipart()
        try:
            return self.session.deserialize(frames)
        except MessageError as err:
            self.drops.dropped(channel, str(err))
        except Exception as err:  # noqa: BLE001 - nothing a client sends may kill the kernel
            self.drops.dropped(channel, f"{type(err).__name__}: {err}")
        return None

    def send(self, sock: zmq.Socket, msg_type: str, content: dict[str, Any], parent: dict[str, Any] | None,
             idents: list[bytes]) -> None:
        sock.send_multipart(self.session.serialize(msg_type, content, parent, idents=idents))

    def _heartbeat(self) -> None:
        while not self.stop_event.is_set():
            try:
                if self.heartbeat.poll(POLL_MS):
                    self.heartbeat.send(self.heartbeat.recv())
            except zmq.ZMQError:
                return

    # -- shell requests that came on the control channel ------------------------------------------
    def hand_to_main(self, idents: list[bytes], msg: dict[str, Any]) -> None:
        """From the control thread: a request for the main thread (``execute_request`` sent on control)."""
        self.handed_over.append((idents, msg))
        self.main_wake.set()

    def reply_on_control(self, msg_type: str, content: dict[str, Any], parent: dict[str, Any],
                         idents: list[bytes]) -> None:
        """From any thread: the control thread sends this reply (only it may use the control socket)."""
        self._control_outbox.append((msg_type, content, parent, idents))
        self._control_wake.set()

    def _control_loop(self, on_control: ControlHandler) -> None:
        while not self.stop_event.is_set():
            try:
                received = self.receive(self.control, "control", wake=self._control_wake)
                while self._control_outbox:
                    self.send(self.control, *self._control_outbox.popleft())
                if received is not None:
                    on_control(*received)
            except zmq.ZMQError:
                return
            except Exception:  # noqa: BLE001
                log.exception("error while answering a control request")

    def join(self, timeout: float = 2.0) -> None:
        for thread in self._threads:
            thread.join(timeout)
