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

Outgoing JSON is strict, because browsers parse it strictly: NaN and the
infinities are sent as the strings ``"nan"``, ``"inf"``, ``"-inf"`` with a
warning (as jupyter_client's ``json_clean`` does for ipykernel), and a value
JSON cannot carry (an arbitrary object) raises :class:`NotJSONError` naming
where it is, never goes out as its ``repr``. :func:`json_ready` does this
for content the sender wants to check itself (display bundles, whose
errors belong in the cell that made them).
"""

from __future__ import annotations

import collections
import hashlib
import hmac
import json
import math
import numbers
import os
import uuid
import warnings
from datetime import datetime, timezone
from collections.abc import Iterable, Mapping
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


class NotJSONError(ValueError):
    """A value in a message that JSON cannot carry; the message names where it is."""


class Checked(dict):
    """Message content already made JSON-ready and serialised by :func:`json_ready`: sent as is.

    A dict, so whoever handles the message before the wire reads it as
    content; the bytes spare serialising a large bundle twice.
    """

    def __init__(self, content: dict[str, Any], encoded: bytes):
        super().__init__(content)
        self.encoded = encoded


def json_default(obj: Any) -> Any:
    """Make the few non-JSON values that reach messages sendable: dates, bytes, sets, numpy numbers."""
    if isinstance(obj, datetime):
        return obj.isoformat()
    if isinstance(obj, (bytes, bytearray, memoryview)):
        import base64

        return base64.b64encode(bytes(obj)).decode("ascii")
    if isinstance(obj, (set, frozenset, tuple)):
        return list(obj)
    if isinstance(obj, numbers.Integral):
        return int(obj)
    if isinstance(obj, numbers.Real):
        return float(obj)
    if isinstance(obj, Iterable) and not isinstance(obj, (str, Mapping)):  # numpy arrays, as jupyter_client
        return list(obj)
    raise NotJSONError(f"{_describe(obj)} can't be sent as JSON")


def dumps(obj: Any) -> bytes:
    """Strict JSON for the wire; NaN and infinities become strings, with a warning (see the module doc)."""
    if type(obj) is Checked:
        return obj.encoded
    try:
        return _strict(obj)
    except NotJSONError:
        raise
    except ValueError:  # NaN or an infinity somewhere
        cleaned, replaced = json_ready(obj)
        warnings.warn(nan_warning("a message", replaced), stacklevel=2)
        return _strict(cleaned)


def json_ready(content: dict[str, Any]) -> tuple[Checked, list[str]]:
    """``content`` ready for the wire, and where NaN or an infinity was replaced by its string.

    Raises :class:`NotJSONError` for a value JSON cannot carry, naming it
    and where it is (``data['application/json']['o'] is <object ...>``).
    """
    try:
        return Checked(content, _strict(content)), []
    except (ValueError, TypeError):
        pass  # NaN, or something JSON cannot carry: find where, below
    replaced: list[str] = []
    try:
        cleaned = _clean(content, "", replaced)
    except RecursionError:
        raise NotJSONError("the content contains itself (a circular reference), which JSON can't carry") from None
    return Checked(cleaned, _strict(cleaned)), replaced


def _strict(obj: Any) -> bytes:
    return json.dumps(obj, default=json_default, ensure_ascii=False, allow_nan=False).encode("utf-8", "replace")


def _clean(value: Any, at: str, replaced: list[str]) -> Any:
    """``value`` with non-finite floats as strings (jupyter_client's json_clean); NotJSONError names the rest."""
    if value is None or isinstance(value, (str, bool)):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        if math.isfinite(number):
            return number
        replaced.append(at)
        return repr(number)
    if isinstance(value, dict):
        cleaned = {}
        for key, item in value.items():
            where = f"{at}[{key!r}]" if at else str(key)
            if not isinstance(key, (str, int, float, bool, type(None))):
                raise NotJSONError(f"{where}: a key of type {type(key).__name__} can't be a JSON key")
            cleaned[key] = _clean(item, where, replaced)
        return cleaned
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_clean(item, f"{at}[{index}]", replaced) for index, item in enumerate(value)]
    try:
        plain = json_default(value)
    except NotJSONError:
        raise NotJSONError(f"{at} is {_describe(value)}") from None
    return plain if isinstance(plain, str) else _clean(plain, at, replaced)  # a date's text; a list to walk


def _describe(obj: Any) -> str:
    try:
        text = repr(obj)
    except Exception:  # noqa: BLE001 - a broken __repr__ must not hide the real error
        text = f"<{type(obj).__name__} object>"
    text = text if len(text) <= 60 else text[:57] + "..."
    return f"{text} (type {type(obj).__name__})"


def nan_warning(what: str, replaced: list[str]) -> str:
    """The one-line warning for the places :func:`json_ready` replaced NaN or an infinity."""
    where = ", ".join(replaced[:3]) + (f" and {len(replaced) - 3} more" if len(replaced) > 3 else "")
    return (f"Warning: {what} has NaN or infinite numbers ({where}), which JSON cannot carry; "
            "sent as the strings 'nan', 'inf', '-inf'.")


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
            # bytes that are not UTF-8 (jupyter_client sends a lone surrogate as one) become U+FFFD,
            # as jupyter_client's own unpacker does, rather than costing the request its reply
            header, parent, metadata, content = (json.loads(bytes(part).decode("utf-8", "replace"))
                                                 for part in parts)
        except ValueError as err:
            raise MessageError(f"invalid JSON: {err}") from None
        if not all(isinstance(x, dict) for x in (header, parent, metadata, content)):
            raise MessageError("header, parent_header, metadata and content must be JSON objects")
        for field in ("msg_id", "msg_type"):
            if not isinstance(header.get(field), str):
                raise MessageError(f"header has no string {field!r}")
        msg = {"header": header, "msg_id": header["msg_id"], "msg_type": header["msg_type"],
               "parent_header": parent, "metadata": metadata, "content": content, "buffers": buffers}
        return idents, msg
