"""The one way a session starts, whatever its front end: settings, shell, ``__main__``, extensions, startup files.

Usage::

    boot = SessionBootstrap(overrides=flags, defaults=front_end_defaults)   # config.py + command line
    shell = boot.build_shell(output=my_output, display_publisher=my_publisher)
    ...                                  # the front end wires its own seams to the shell
    boot.start(shell)                    # __main__, extensions, startup files, exit flush

    sh = start_session()                 # all of it at once, for a program using Shell() itself

``hocus`` (terminal, ``-c``, scripts, ``-m``), ``hocus kernel`` and
``embed()`` all go through :class:`SessionBootstrap`, so a kernel and a
terminal started on the same ``$HOCUS_DIR`` see the same settings and the
same startup names. The steps follow IPython's ``InteractiveShellApp``:
build the shell with the merged config, then load the configured
extensions, then run ``$HOCUS_DIR/startup/*.py`` and ``*.ipy`` in name order.

The process-wide parts — ``sys.modules["__main__"]`` and the atexit and
SIGTERM/SIGHUP history flush — are the application's choice: the bootstrap
installs them when asked (the ``hocus`` command and the kernel ask;
``embed()`` runs inside someone else's program and does not), and a plain
``Shell()`` installs none of them. Nothing here imports a front end.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Callable, Iterable

from traitlets import List, Unicode
from traitlets.config import Configurable

from shell.engine.shell import Shell, default_hocus_dir
from shell.session.config import load_config

__all__ = ["ShellApp", "SessionBootstrap", "start_session", "load_extensions", "run_startup_scripts"]


class ShellApp(Configurable):
    """What a session does as it starts, besides building the shell (IPython's ``InteractiveShellApp``)."""

    extensions = List(Unicode(), help="Extensions to load as the session starts, before the startup files, "
                                      "as %load_ext does: modules with load_hocus_extension(shell) or "
                                      "load_ipython_extension(shell) (IPython's "
                                      "InteractiveShellApp.extensions).").tag(config=True)


class SessionBootstrap:
    """Settings for one session, then the shell built with them, then the session started."""

    def __init__(self, *, hocus_dir: str | os.PathLike | None = None, overrides: Any = None,
                 defaults: Any = None, warn: Callable[[str], None] | None = None):
        self.hocus_dir = Path(hocus_dir) if hocus_dir else default_hocus_dir()
        self.config = load_config(self.hocus_dir, overrides=overrides, defaults=defaults, warn=warn)

    def build_shell(self, **seams: Any) -> Shell:
        """A :class:`~shell.engine.Shell` with this session's settings and the front end's ``seams``.

        ``seams`` are the Shell's constructor arguments (``output``,
        ``display_publisher``, ``input_provider``, ``user_ns``...); a setting
        from config.py or the command line wins over the Shell's own defaults.
        """
        return Shell(config=self.config, hocus_dir=self.hocus_dir, **seams)

    def start(self, shell: Shell, *, main_module: bool = True, exit_flush: bool = True,
              startup: bool = True) -> None:
        """Start the session: ``__main__``, the exit flush, the extensions, then the startup files.

        ``main_module`` makes the user namespace ``sys.modules["__main__"]``
        (so classes defined in cells pickle); ``exit_flush`` writes pending
        history at exit and on SIGTERM/SIGHUP. Both change the whole process,
        so a front end living inside someone else's program passes False.
        """
        app = ShellApp(parent=shell)
        shell.add_configurable(app)
        if main_module:
            sys.modules["__main__"] = shell.user_module
        if exit_flush:
            from shell.session.exit_flush import install_exit_flush

            install_exit_flush()
        load_extensions(shell, app.extensions)
        if startup:
            run_startup_scripts(shell)


def start_session(*, config: Any = None, hocus_dir: str | os.PathLike | None = None, main_module: bool = True,
                  exit_flush: bool = True, startup: bool = True, **seams: Any) -> Shell:
    """A started session for a program using the engine itself: what ``hocus`` does, without a prompt.

    ``config`` (a traitlets Config) wins over ``$HOCUS_DIR/config.py``. The
    keywords are :meth:`SessionBootstrap.start`'s and the Shell's.
    """
    boot = SessionBootstrap(hocus_dir=hocus_dir, overrides=config)
    shell = boot.build_shell(**seams)
    boot.start(shell, main_module=main_module, exit_flush=exit_flush, startup=startup)
    return shell


def load_extensions(shell: Shell, names: Iterable[str]) -> None:
    """Load each extension as ``%load_ext`` does; one that fails costs one line, and the next still loads."""
    for name in names:
        try:
            shell.run_line_magic("load_ext", name)
        except Exception as err:  # noqa: BLE001 - a broken extension must not stop the session
            cause = err.__cause__ or err
            detail = f"{type(cause).__name__}: {cause}" if str(cause) else type(cause).__name__
            shell.write_err(f"hocus: extension {name!r} could not be loaded: {detail.splitlines()[0]}\n")


def run_startup_scripts(shell: Shell) -> None:
    """Run ``$HOCUS_DIR/startup/*.py`` and ``*.ipy`` in name order, in the user namespace.

    Each runs as a cell that is not stored in history and shows no result;
    an error in one is reported and the next one still runs.
    """
    folder = Path(shell.hocus_dir) / "startup"
    if not folder.is_dir():
        return
    for path in sorted(p for p in folder.iterdir() if p.suffix in (".py", ".ipy") and p.is_file()):
        try:
            source = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            shell.write_err(f"hocus: startup script {path} could not be read: {err}\n")
            continue
        previous = shell.user_ns.get("__file__")
        shell.user_ns["__file__"] = str(path)
        try:
            shell.run_cell(source, store_history=False, silent=True)
        finally:
            if previous is None:
                shell.user_ns.pop("__file__", None)
            else:
                shell.user_ns["__file__"] = previous
