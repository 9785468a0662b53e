"""A private temporary folder for files shown to the user: saved figures, pictures a terminal cannot draw."""

from __future__ import annotations

import os
import shutil
import tempfile
import weakref
from typing import IO


class ScratchFolder:
    """A private temporary folder for files shown to the user, removed with its owner (at exit at the latest).

    Made on the first file. Only the process that made it removes it, so a
    forked child that exits leaves its parent's files alone.
    """

    def __init__(self, prefix: str = "hocus-images-"):
        self.prefix = prefix
        self.path: str | None = None

    def new_file(self, prefix: str, suffix: str) -> IO[bytes]:
        """A new file in the folder, open for writing; its ``name`` is the path to show."""
        if self.path is None:
            self.path = tempfile.mkdtemp(prefix=self.prefix)
            weakref.finalize(self, _remove_folder, self.path, os.getpid())
        return tempfile.NamedTemporaryFile(prefix=prefix, suffix=suffix, dir=self.path, delete=False)


def _remove_folder(path: str, owner: int) -> None:
    if os.getpid() == owner:
        shutil.rmtree(path, ignore_errors=True)
