"""The Jupyter wire format: signing, serialising and checking messages.

A message on a ZMQ socket is a list of frames::

    [ident, ..., b"<IDS|MSG>", signature, header, parent_header, metadata, content, buffer, ...]

:class:`Session` turns a message into frames and back. Every incoming
message's signature (HMAC over the four JSON frames with the connection
file's key) is checked with :func:`hmac.compare_digest`; a wrong signature,
a signature seen before (a replay), missing frames, invalid JSON or a header
without ``msg_id``/``msg_type`` raise :class:`MessageError`, which the
transport logs before dropping the message::

    session = Session(key=b"secret")
    frames = session.serialize("status", {"execution_state": "idle"}, parent=None)
    idents, msg = session.deserialize(frames)
"""

from __future__ import annotations

import collections
import hashlib
import hmac
import json
import os
import uuid
from datetime import datetime, timezone
from typing import Any

DELIMITER = b"<IDS|MSG>"
PROTOCOL_VERSION = "5.5"
_SCHEMES = {"hmac-sha256": hashlib.sha256}


class MessageError(ValueError):
    """An incoming message that must not be handled: bad frames, signature, JSON or header."""


class ReplayGuard:
    """Remembers the most recent ``size`` signatures; a signature seen twice is a replay."""

    def __init__(self, size: int = 2 ** 14):
        self._order: collections.deque[bytes] = collections.deque()
        self._seen: set[bytes] = set()
        self.size = size

    def check_and_add(self, signature: bytes) -> bool:
        """True the first time ``signature`` is seen, False for a replay."""
        if signature in self._seen:
            return False
        self._seen.add(signature)
        self._order.append(signature)
        if len(self._order) > self.size:
            self._seen.discard(self._order.popleft())
        return True


def json_default(obj: Any) -> Any:
    """Make the few non-JSON values that reach messages (dates, bytes, sets) sendable."""
    if isinstance(obj, datetime):
        return obj.isoformat()
    if isinstance(obj, (bytes, bytearray, memoryview)):
        import base64

        return base64.b64encode(bytes(obj)).decode("ascii")
    if isinstance(obj, (set, frozenset, tuple)):
        return list(obj)
    return repr(obj)


def dumps(obj: Any) -> bytes:
    return json.dumps(obj, default=json_default, ensure_ascii=False).encode("utf-8", "replace")


def now() -> str:
    return datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")


class Session:
    """Signs outgoing messages and checks incoming ones for one kernel."""

    def __init__(self, key: bytes | str = b"", scheme: str = "hmac-sha256", *, username: str | None = None,
                 replay_window: int = 2 ** 14):
        if isinstance(key, str):
            key = key.encode("ascii")
        if scheme not in _SCHEMES:
            raise ValueError(f"unsupported signature scheme {scheme!r}; hocus supports {', '.join(_SCHEMES)}")
        self.key = key
        self._digest = _SCHEMES[scheme]
        self.session_id = uuid.uuid4().hex
        self.username = username or os.environ.get("USER", "hocus")
        self._replays = ReplayGuard(replay_window)

    def sign(self, parts: list[bytes]) -> bytes:
        """The hex HMAC of the JSON frames; empty when the key is empty (signing disabled)."""
        if not self.key:
            return b""
        mac = hmac.new(self.key, digestmod=self._digest)
        for part in parts:
            mac.update(part)
        return mac.hexdigest().encode("ascii")

    def header(self, msg_type: str) -> dict[str, Any]:
        return {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "username": self.username,
                "session": self.session_id, "date": now(), "version": PROTOCOL_VERSION}

    def serialize(self, msg_type: str, content: dict[str, Any], parent: dict[str, Any] | None, *,
                  idents: list[bytes] | None = None, metadata: dict[str, Any] | None = None,
                  buffers: list[bytes] | None = None) -> list[bytes]:
        """Frames for a new message of ``msg_type`` in reply to (or caused by) ``parent``."""
        parent_header = parent.get("header", {}) if parent else {}
        parts = [dumps(self.header(msg_type)), dumps(parent_header), dumps(metadata or {}), dumps(content)]
        frames = list(idents or []) + [DELIMITER, self.sign(parts)] + parts
        frames.extend(bytes(memoryview(b)) if not isinstance(b, bytes) else b for b in buffers or [])
        return frames

    def deserialize(self, frames: list[bytes]) -> tuple[list[bytes], dict[str, Any]]:
        """``(idents, message)`` from received frames, or :class:`MessageError`."""
        try:
            split = frames.index(DELIMITER)
        except ValueError:
            raise MessageError("no <IDS|MSG> delimiter") from None
        idents, rest = frames[:split], frames[split + 1:]
        if len(rest) < 5:
            raise MessageError(f"{len(rest)} frames after the delimiter; a message needs at least 5")
        signature, parts, buffers = rest[0], rest[1:5], rest[5:]
        if self.key:
            if not hmac.compare_digest(signature, self.sign(parts)):
                raise MessageError("bad signature")
            if not self._replays.check_and_add(signature):
                raise MessageError("replayed signature")
        try:
            header, parent, metadata, content = (json.loads(part) for part in parts)
        except (ValueError, UnicodeDecodeError) as err:
            raise MessageError(f"invalid JSON: {err}") from None
        if not all(isinstance(x, dict) for x in (header, parent, metadata, content)):
            raise MessageError("header, parent_header, metadata and content must be JSON objects")
        for field in ("msg_id", "msg_type"):
            if not isinstance(header.get(field), str):
                raise MessageError(f"header has no string {field!r}")
        msg = {"header": header, "msg_id": header["msg_id"], "msg_type": header["msg_type"],
               "parent_header": parent, "metadata": metadata, "content": content, "buffers": buffers}
        return idents, msg
