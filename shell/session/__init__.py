"""The session bootstrap: one start-up for the terminal, the kernel and ``embed()``.

Usage::

    from shell.session import start_session
    sh = start_session()        # $HOCUS_DIR/config.py, extensions, startup files, as `hocus` does
    sh.run_cell("x = 1")

Front ends use the steps one by one (:class:`SessionBootstrap`): settings
first, then the shell built with the front end's seams, then the start.
:mod:`.config` loads the settings, :mod:`.bootstrap` starts the session,
:mod:`.exit_flush` holds the process-wide history hooks an application may
install. Both front ends import this package; it imports neither.
"""

from shell.session.bootstrap import (SessionBootstrap, ShellApp, load_extensions, run_startup_scripts,
                                     start_session)
from shell.session.config import (apply_ipython_names, configurable_classes, drop_bad_values, help_all,
                                  load_config, load_config_file, split_config_flags)
from shell.session.exit_flush import install_exit_flush

__all__ = ["SessionBootstrap", "ShellApp", "start_session", "load_extensions", "run_startup_scripts",
           "load_config", "load_config_file", "apply_ipython_names", "split_config_flags", "configurable_classes",
           "drop_bad_values", "help_all",
           "install_exit_flush"]
