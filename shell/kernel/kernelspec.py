"""``hocus kernel install``: write a kernelspec that Jupyter front ends list.

The spec's ``argv`` runs the installing interpreter (``sys.executable -m
shell kernel -f {connection_file}``), so a notebook gets the environment hocus
was installed in. Where it goes:

- ``--user``: the user's Jupyter data folder (``$JUPYTER_DATA_DIR``, else
  ``~/.local/share/jupyter``, or ``~/Library/Jupyter`` on macOS);
- ``--sys-prefix``: ``sys.prefix/share/jupyter`` (the current environment);
- ``--prefix P``: ``P/share/jupyter``;
- none of these: ``--sys-prefix`` inside a virtual environment, else ``--user``.

Names follow jupyter_client's rule, which ipykernel's install applies: ASCII
letters, digits and ``- . _``, lowercased (``--name "My Kernel"`` is refused,
where it would be a folder ``jupyter kernelspec list`` warns about); a name
starting with ``.`` is refused too (a hidden folder, or ``..``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import struct
import sys
import zlib
from pathlib import Path

from shell.kernel.kernel_info import debugger_available
from shell.kernel.wire import PROTOCOL_VERSION

DEFAULT_NAME = "hocus"
_KERNEL_NAME = re.compile(r"[a-z0-9._\-]+", re.IGNORECASE)  # jupyter_client.kernelspec._kernel_name_pat
DEFAULT_DISPLAY_NAME = "Python 3 (hocus)"

LOGO_SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">
<rect width="64" height="64" rx="12" fill="#4b2a8c"/>
<text x="32" y="44" font-family="sans-serif" font-size="34" font-weight="bold" fill="#ffd43b" text-anchor="middle">h</text>
</svg>
"""


def kernel_spec(display_name: str = DEFAULT_DISPLAY_NAME, interrupt_mode: str = "signal") -> dict:
    return {
        "argv": [sys.executable, "-m", "shell", "kernel", "-f", "{connection_file}"],
        "display_name": display_name,
        "language": "python",
        "interrupt_mode": interrupt_mode,
        # a kernel manager with transport_encryption="auto" then provides CurveZMQ keys (shell.kernel.exposure)
        # JupyterLab enables its debugger for a kernel whose spec says "debugger": true
        "metadata": {"debugger": debugger_available(),
                     **({"supported_encryption": ["curve"]} if _has_curve() else {})},
        "kernel_protocol_version": PROTOCOL_VERSION,
    }


def _has_curve() -> bool:
    try:
        import zmq
    except ImportError:
        return False
    return bool(zmq.has("curve"))


def kernels_dir(*, user: bool = False, sys_prefix: bool = False, prefix: str | None = None) -> Path:
    """The ``kernels`` folder the options choose (see the module docstring)."""
    if prefix:
        return Path(prefix) / "share" / "jupyter" / "kernels"
    if not user and not sys_prefix:
        sys_prefix = sys.prefix != sys.base_prefix
    if sys_prefix:
        return Path(sys.prefix) / "share" / "jupyter" / "kernels"
    return _user_data_dir() / "kernels"


def install(*, user: bool = False, sys_prefix: bool = False, prefix: str | None = None,
            name: str = DEFAULT_NAME, display_name: str | None = None,
            interrupt_mode: str = "signal") -> Path:
    """Write ``kernel.json`` and logos into ``kernels/NAME``; return that folder."""
    name = name.lower()
    if not _KERNEL_NAME.fullmatch(name) or not name.isascii():
        raise ValueError(f"Invalid kernel name {name!r}. Kernel names can only contain ASCII letters and "
                         "numbers and these separators: - . _ (hyphen, period, and underscore).")
    if name.startswith("."):
        raise ValueError(f"{name!r} is not a valid kernel name: it must not start with '.'")
    target = kernels_dir(user=user, sys_prefix=sys_prefix, prefix=prefix) / name
    target.mkdir(parents=True, exist_ok=True)
    spec = kernel_spec(display_name or DEFAULT_DISPLAY_NAME, interrupt_mode)
    (target / "kernel.json").write_text(json.dumps(spec, indent=1) + "\n")
    (target / "logo-svg.svg").write_text(LOGO_SVG)
    for size in (32, 64):
        (target / f"logo-{size}x{size}.png").write_bytes(_square_png(size, (0x4B, 0x2A, 0x8C)))
    return target


def _user_data_dir() -> Path:
    if os.environ.get("JUPYTER_DATA_DIR"):
        return Path(os.environ["JUPYTER_DATA_DIR"])
    try:
        from jupyter_core.paths import jupyter_data_dir

        return Path(jupyter_data_dir())
    except ImportError:
        pass
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Jupyter"
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "jupyter"


def _square_png(size: int, rgb: tuple[int, int, int]) -> bytes:
    """A plain square PNG of one colour: a logo without shipping binary files."""
    row = b"\x00" + bytes(rgb) * size
    raw = row * size

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def build_install_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hocus kernel install", description="Install the hocus kernelspec.")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--user", action="store_true", help="for this user only")
    where.add_argument("--sys-prefix", action="store_true", help="into the current environment (sys.prefix)")
    where.add_argument("--prefix", metavar="P", help="under prefix P (P/share/jupyter/kernels)")
    parser.add_argument("--name", default="hocus", help="kernelspec name (default: hocus)")
    parser.add_argument("--display-name", help='name shown in front ends (default: "Python 3 (hocus)")')
    parser.add_argument("--interrupt-mode", choices=("signal", "message"), default="signal",
                        help="how front ends interrupt the kernel (default: signal)")
    return parser


def main(argv: list[str]) -> int:
    """``hocus kernel install ...``; returns the exit status."""
    args = build_install_parser().parse_args(argv)
    try:
        target = install(user=args.user, sys_prefix=args.sys_prefix, prefix=args.prefix, name=args.name,
                         display_name=args.display_name, interrupt_mode=args.interrupt_mode)
    except (OSError, ValueError) as err:
        print(f"hocus kernel install: {err}", file=sys.stderr)
        return 1
    print(f"Installed kernelspec {target.name} in {target}")
    return 0
