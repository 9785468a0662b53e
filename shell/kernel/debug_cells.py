"""Cells as source files the debugger can name: the same name in the kernel and in JupyterLab.

A breakpoint is set on a *file* and a line. JupyterLab names a cell's
file itself, from the cell's text, with the recipe the kernel announces in
its ``debugInfo`` reply (``hashMethod``, ``hashSeed``, ``tmpFilePrefix``,
``tmpFileSuffix``)::

    files = CellFiles()
    files.path_for("x = 1\\n")     # '/tmp/hocus_ipykernel_4242/1602534638.py'
    files.dump("x = 1\\n")         # the same path, now written, for debugpy and the `source` request

Once the debugger has started, the engine compiles every cell under this
name (see :meth:`CellFiles.name_cell`), so a breakpoint set in a cell before
it runs is hit when it runs, and one set in a function is hit wherever the
function is called from. The hash is MurmurHash2 (32-bit, little-endian) of
the cell's UTF-8 bytes, the method JupyterLab knows under ``"Murmur2"``.
"""

from __future__ import annotations

import atexit
import os
import shutil
import struct
import tempfile

HASH_METHOD = "Murmur2"
HASH_SEED = 0xC70F6907  # any fixed seed works: JupyterLab takes it from debugInfo
SUFFIX = ".py"

_M = 0x5BD1E995
_MASK = 0xFFFFFFFF


def murmur2(text: str, seed: int = HASH_SEED) -> int:
    """MurmurHash2 of ``text``'s UTF-8 bytes: what JupyterLab's ``Murmur2`` computes for a cell."""
    data = text.encode("utf-8", "surrogatepass")
    length = len(data)
    h = (seed ^ length) & _MASK
    whole = length - length % 4
    for (k,) in struct.iter_unpack("<I", data[:whole]):
        k = (k * _M) & _MASK
        k ^= k >> 24
        k = (k * _M) & _MASK
        h = ((h * _M) & _MASK) ^ k
    tail = data[whole:]
    if tail:
        h ^= int.from_bytes(tail, "little")
        h = (h * _M) & _MASK
    h ^= h >> 13
    h = (h * _M) & _MASK
    h ^= h >> 15
    return h


class CellFiles:
    """The folder of cell files of one kernel process (``<tmp>/hocus_ipykernel_<pid>/``), removed at exit."""

    def __init__(self, folder: str | None = None):
        # "ipykernel_" in the path: JupyterLab then shows a frame as "Cell [N]", not as the file's path
        self.folder = folder or os.path.join(tempfile.gettempdir(), f"hocus_ipykernel_{os.getpid()}")
        self.prefix = self.folder + os.sep
        self._made = False

    def path_for(self, code: str) -> str:
        return f"{self.prefix}{murmur2(code)}{SUFFIX}"

    def dump(self, code: str) -> str:
        """Write ``code`` to its file (JupyterLab's ``dumpCell``); its path."""
        path = self.path_for(code)
        self._make_folder()
        with open(path, "w", encoding="utf-8", errors="surrogatepass") as file:
            file.write(code)
        return path

    def name_cell(self, code: str) -> str:
        """The name the engine compiles a cell under while the debugger is on: its file, written if new.

        debugpy reads the file to show a frame's source, and the ``source``
        request reads it for a cell that was never dumped (one stepped into).
        """
        path = self.path_for(code)
        if not os.path.exists(path):
            self.dump(code)
        return path

    def read(self, path: str) -> str | None:
        """The text of a cell file, or None if ``path`` is not one of this kernel's cells."""
        if not path.startswith(self.prefix) or not os.path.isfile(path):
            return None
        with open(path, encoding="utf-8", errors="surrogatepass") as file:
            return file.read()

    def hash_params(self) -> dict[str, object]:
        """The ``debugInfo`` fields JupyterLab names cell files with."""
        return {"hashMethod": HASH_METHOD, "hashSeed": HASH_SEED,
                "tmpFilePrefix": self.prefix, "tmpFileSuffix": SUFFIX}

    def _make_folder(self) -> None:
        if self._made:
            return
        os.makedirs(self.folder, mode=0o700, exist_ok=True)
        self._made = True
        atexit.register(shutil.rmtree, self.folder, ignore_errors=True)
