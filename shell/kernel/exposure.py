"""Who can reach a kernel, checked before it starts: the key, the address, the transport.

Usage::

    try:
        for warning in exposure_warnings(info, insecure=args.insecure):
            print(warning, file=sys.stderr)
    except ExposedKernel as err:
        sys.exit(f"hocus kernel: {err}")

Anyone who can send a correctly signed message to the shell port runs code
as the kernel's user. What stands in the way, and against what:

- **The key** (HMAC-SHA256 over every message). Without the key, a message
  is dropped. It protects against anyone who can reach the ports but cannot
  read the connection file (mode 0600). An empty key turns that off, so the
  kernel refuses to start with one unless ``--insecure`` says it is meant.
- **Loopback** (``127.0.0.1``, the default). Only programs on this machine
  reach the ports. Listening on any other address (``--ip 0.0.0.0``)
  reaches the network, and the traffic, code and outputs included, is in
  plain text there: the kernel says so in one line.
- **IPC** (``--transport ipc``). Unix sockets in the runtime folder instead
  of TCP ports: nothing on the network, and filesystem permissions keep
  other users out.
- **CurveZMQ** (keys in the connection file, provided by a kernel manager
  with ``transport_encryption``). Traffic is encrypted and only clients
  that know the server key connect, which protects TCP against
  eavesdropping; it does not protect against anyone who can read the
  connection file, which holds every key.
"""

from __future__ import annotations

import ipaddress

from shell.kernel.connection import ConnectionInfo


class ExposedKernel(ValueError):
    """A connection that would let anyone who reaches the ports run code, not asked for explicitly."""


def exposure_warnings(info: ConnectionInfo, *, insecure: bool = False) -> list[str]:
    """One line per way ``info`` exposes the kernel; :class:`ExposedKernel` for an empty key unless ``insecure``."""
    warnings = []
    if not info.key:
        if not insecure:
            raise ExposedKernel("the connection file has an empty key, so anyone who reaches its ports could run "
                                "code as you; refusing to start (pass --insecure to allow it)")
        warnings.append("hocus kernel: WARNING: messages are not signed (empty key, --insecure); anyone who "
                        "reaches the ports can run code as you")
    if info.transport == "tcp" and not is_loopback(info.ip):
        encryption = "encrypted with CurveZMQ" if info.curve_secretkey else "in plain text, code and outputs included"
        warnings.append(f"hocus kernel: WARNING: listening on {info.ip}, reachable from other machines; traffic is "
                        f"{encryption} (use --ip 127.0.0.1 or --transport ipc to stay on this machine)")
    return warnings


def is_loopback(ip: str) -> bool:
    """Whether ``ip`` is reachable from this machine only (``localhost`` counts)."""
    if ip == "localhost":
        return True
    try:
        return ipaddress.ip_address(ip).is_loopback
    except ValueError:  # a host name or a wildcard (*): assume the network
        return False
