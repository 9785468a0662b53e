"""Connection files: where a kernel listens and the key that signs its messages.

A front end (jupyter_client) writes the file and starts ``hocus kernel -f
FILE``; :func:`read_connection_file` loads it (ports given as 0 are picked
when the sockets are bound and written back, as ipykernel does; CurveZMQ
keys are kept when a kernel manager provides them). Started without ``-f``, the
kernel makes its own with :func:`new_connection_info` (random free ports on
loopback, a random key) and :func:`write_connection_file` saves it with mode
0600 so that only its owner can read the key.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
from dataclasses import asdict, dataclass, field
from pathlib import Path

CHANNELS = ("shell", "iopub", "stdin", "control", "hb")


@dataclass
class ConnectionInfo:
    """What a connection file holds."""

    ip: str = "127.0.0.1"
    transport: str = "tcp"
    shell_port: int = 0
    iopub_port: int = 0
    stdin_port: int = 0
    control_port: int = 0
    hb_port: int = 0
    key: str = ""
    signature_scheme: str = "hmac-sha256"
    kernel_name: str = "hocus"
    curve_publickey: str = ""
    curve_secretkey: str = ""
    extra: dict = field(default_factory=dict)

    def url(self, channel: str) -> str:
        """The ZMQ endpoint of ``channel`` (``shell``, ``iopub``, ``stdin``, ``control``, ``hb``)."""
        port = getattr(self, f"{channel}_port")
        if self.transport == "ipc":
            return f"ipc://{self.ip}-{port}"
        return f"{self.transport}://{self.ip}:{port}"

    def to_dict(self) -> dict:
        data = asdict(self)
        extra = data.pop("extra")
        for name in ("curve_publickey", "curve_secretkey"):  # written only when a kernel manager provided them
            if not data[name]:
                del data[name]
        return {**extra, **data}

    def unbound_channels(self) -> list[str]:
        """The channels whose port is 0: the kernel picks one and writes it back to the file."""
        return [channel for channel in CHANNELS if not getattr(self, f"{channel}_port")]


def read_connection_file(path: str | os.PathLike) -> ConnectionInfo:
    """Load a connection file; unknown keys are kept in ``extra``."""
    data = json.loads(Path(path).read_text())
    known = {name for name in ConnectionInfo.__dataclass_fields__ if name != "extra"}
    info = ConnectionInfo(**{k: v for k, v in data.items() if k in known})
    info.extra = {k: v for k, v in data.items() if k not in known}
    return info


def new_connection_info(ip: str = "127.0.0.1", transport: str = "tcp") -> ConnectionInfo:
    """Random free TCP ports on ``ip`` and a random key.

    With ``transport="ipc"``, ``ip`` is the path prefix of five Unix sockets
    (``PREFIX-1`` ...), whose numbers are picked when they are bound.
    """
    if transport == "ipc":
        return ConnectionInfo(ip=ip, transport="ipc", key=secrets.token_hex(32))
    info = ConnectionInfo(ip=ip, key=secrets.token_hex(32))
    for channel, port in zip(CHANNELS, _free_ports(ip, len(CHANNELS))):
        setattr(info, f"{channel}_port", port)
    return info


def write_connection_file(info: ConnectionInfo, path: str | os.PathLike) -> Path:
    """Write ``info`` as JSON readable only by its owner (mode 0600)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(info.to_dict(), handle, indent=1)
    os.chmod(path, 0o600)
    return path


def _free_ports(ip: str, count: int) -> list[int]:
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind((ip, 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()
