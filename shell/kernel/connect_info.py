"""``%connect_info``: how to attach another front end to this kernel, as ipykernel prints it.

``jupyter console --existing`` and ``jupyter qtconsole --existing`` attach to
a running kernel through its connection file; ``%connect_info`` prints that
file and the command. The kernel installs the magic at start-up
(:func:`install_connect_info`), because only the kernel knows its file; a
terminal session has no such magic.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shell.engine.shell import Shell

__all__ = ["install_connect_info"]


def install_connect_info(shell: Shell, connection_file: str | Path) -> None:
    """Register ``%connect_info`` on ``shell``, for the kernel whose connection file is ``connection_file``."""
    path = Path(connection_file).resolve()

    def connect_info(line: str = "") -> None:
        """Print this kernel's connection file and how to connect another client to it.

        In the simplest case, when called from the most recently launched
        kernel, secondary clients can be connected with just::

            $> jupyter <app> --existing
        """
        try:
            info = path.read_text(encoding="utf-8")
        except OSError as err:
            shell.write_err(f"Could not get connection info: cannot read {path}: {err.strerror}\n")
            return
        from shell.kernel.app import _runtime_dir

        shown = path.name if path.parent == _runtime_dir().resolve() else str(path)
        shell.write(f"{info.rstrip()}\n\n"
                    "Paste the above JSON into a file, and connect with:\n"
                    "    $> jupyter <app> --existing <file>\n"
                    "or, if you are local, you can connect with just:\n"
                    f"    $> jupyter <app> --existing {shown}\n"
                    "or even just:\n"
                    "    $> jupyter <app> --existing\n"
                    "if this is the most recent Jupyter kernel you have started.\n")

    shell.register_magic_function(connect_info, "line", "connect_info")
