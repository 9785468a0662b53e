"""A Debug Adapter Protocol client: the kernel's line to debugpy.

The debugger listens in the kernel's own process (debugpy's in-process
adapter); :class:`DapConnection` is the kernel's TCP connection to it. A
request waits for the response with its ``seq``, whatever arrives in
between; events go to ``on_event`` from the reader thread::

    link = DapConnection("127.0.0.1", port, on_event=publish)
    link.request("initialize", {"adapterID": "hocus"})   # the response message (a dict)
    link.close()

Messages are framed as DAP frames them: ``Content-Length: N\\r\\n\\r\\n``
and N bytes of UTF-8 JSON.
"""

from __future__ import annotations

import itertools
import json
import logging
import socket
import threading
from typing import Any, Callable

from shell.kernel.debugpy_threads import mark_untraced

log = logging.getLogger("hocus.kernel")

RESPONSE_TIMEOUT = 30.0  # seconds; a wait for debugpy, never a goal (a loaded machine answers late)

Message = dict[str, Any]


class DapError(RuntimeError):
    """The connection to debugpy failed or closed, or a response did not come."""


class _Pending:
    def __init__(self) -> None:
        self.done = threading.Event()
        self.response: Message | None = None


class DapConnection:
    """One client connection to a DAP server; requests may come from any thread."""

    def __init__(self, host: str, port: int, on_event: Callable[[Message], None]):
        self._socket = _connect(host, port)
        self._on_event = on_event
        self._seq = itertools.count(1)
        self._send_lock = threading.Lock()
        self._pending: dict[int, _Pending] = {}
        self.closed = False
        self._reader = threading.Thread(target=self._read_loop, name="hocus-debug-reader", daemon=True)
        mark_untraced(self._reader)
        self._reader.start()

    def request(self, command: str, arguments: dict[str, Any] | None = None,
                timeout: float = RESPONSE_TIMEOUT) -> Message:
        """Send a request; its response (``success`` false is a response too)."""
        seq = next(self._seq)
        pending = self._pending[seq] = _Pending()
        message: Message = {"type": "request", "seq": seq, "command": command}
        if arguments is not None:
            message["arguments"] = arguments
        try:
            self._send(message)
            if not pending.done.wait(timeout):
                raise DapError(f"debugpy did not answer {command!r} within {timeout:g} s")
        finally:
            self._pending.pop(seq, None)
        if pending.response is None:
            raise DapError(f"the connection to debugpy closed before it answered {command!r}")
        return pending.response

    def close(self) -> None:
        self.closed = True
        try:
            self._socket.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._socket.close()

    def _send(self, message: Message) -> None:
        if self.closed:
            raise DapError("the connection to debugpy is closed")
        body = json.dumps(message, ensure_ascii=False, allow_nan=False).encode("utf-8")
        with self._send_lock:
            self._socket.sendall(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def _read_loop(self) -> None:
        stream = self._socket.makefile("rb")
        try:
            while True:
                message = _read_message(stream)
                if message is None:
                    break
                if message.get("type") == "response":
                    pending = self._pending.get(message.get("request_seq", -1))
                    if pending is not None:
                        pending.response = message
                        pending.done.set()
                elif message.get("type") == "event":
                    try:
                        self._on_event(message)
                    except Exception:  # noqa: BLE001 - one bad event must not end the connection
                        log.exception("debugger: could not pass on the %r event", message.get("event"))
        except OSError:
            pass  # the connection closed (close() shuts the socket down under this thread)
        except ValueError:
            log.exception("debugger: a message from debugpy could not be read; the connection is closed")
        finally:
            self.closed = True
            for pending in list(self._pending.values()):
                pending.done.set()  # with no response: the waiting request raises DapError


def _connect(host: str, port: int, patience: float = RESPONSE_TIMEOUT) -> socket.socket:
    """Connect, waiting while the server is still starting (older debugpy opens its socket in a thread)."""
    import time

    give_up = time.monotonic() + patience
    while True:
        try:
            return socket.create_connection((host, port))
        except ConnectionRefusedError:
            if time.monotonic() > give_up:
                raise DapError(f"debugpy is not listening on {host}:{port}") from None
            time.sleep(0.02)


def _read_message(stream: Any) -> Message | None:
    """The next framed message, or None at the end of the stream."""
    length = None
    while True:
        line = stream.readline()
        if not line:
            return None
        if line in (b"\r\n", b"\n"):
            if length is not None:
                break
            continue
        name, _, value = line.decode("ascii", "replace").partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    body = stream.read(length)
    if len(body) < length:
        return None
    message = json.loads(body.decode("utf-8"))
    return message if isinstance(message, dict) else {}
