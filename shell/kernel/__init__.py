"""The Jupyter kernel front end: hocus's engine behind the Jupyter messaging protocol (5.5).

Run it with ``hocus kernel -f CONNECTION_FILE`` (what a kernelspec written by
``hocus kernel install`` does). The parts, one module each:

- :mod:`~shell.kernel.connection` — connection files;
- :mod:`~shell.kernel.wire` — signing and (de)serialising messages;
- :mod:`~shell.kernel.handlers` — the protocol: request dicts in, reply dicts out;
- :mod:`~shell.kernel.transport` — the five ZMQ sockets and their threads;
- :mod:`~shell.kernel.streams`, :mod:`~shell.kernel.outputs` — output capture and display;
- :mod:`~shell.kernel.stdin`, :mod:`~shell.kernel.interrupts`, :mod:`~shell.kernel.comms`;
- :mod:`~shell.kernel.kernelspec` — ``hocus kernel install``;
- :mod:`~shell.kernel.app` — puts them together.

Importing this package imports nothing heavy; :mod:`~shell.kernel.app` imports zmq.
"""

from __future__ import annotations

__all__ = ["main"]


def main(argv: list[str]) -> int:
    """``hocus kernel ...``: serve a kernel, or ``install`` a kernelspec."""
    if argv[:1] == ["install"]:
        from shell.kernel.kernelspec import main as install_main

        return install_main(argv[1:])
    from shell.kernel.app import main as app_main

    return app_main(argv)
