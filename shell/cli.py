"""The ``hocus`` command line: what to run, and which front end to run it in.

::

    hocus                     interactive shell
    hocus -c CODE             run CODE, then exit (add -i to stay)
    hocus script.py ARGS...   run a script with sys.argv = [script.py, ARGS...], then exit
    hocus script.ipy ARGS...  the same for a file in hocus syntax (magics, !commands), as %run does
    hocus -i script.py        run a script, then stay in the shell with its names
    hocus -m module ARGS...   run a module as __main__, then exit
    hocus kernel -f FILE      serve as a Jupyter kernel (``hocus kernel install`` writes a kernelspec)
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

from shell import __version__

if TYPE_CHECKING:
    from traitlets.config import Config

    from shell.engine.shell import Shell
    from shell.terminal.app import TerminalShell

COLOR_SCHEMES = ("NoColor", "Neutral", "Linux", "LightBG")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hocus", description="An interactive Python shell in the IPython tradition.",
        epilog="Environment: HOCUS_DIR (user data folder, default ~/.hocus), NO_COLOR (no colours).")
    parser.add_argument("-c", dest="code", metavar="CODE", help="run CODE, then exit (unless -i)")
    parser.add_argument("-m", dest="module", metavar="MODULE", help="run MODULE as __main__, then exit (unless -i)")
    parser.add_argument("-i", dest="interactive", action="store_true", help="stay in the shell after -c, -m or a script")
    parser.add_argument("--no-banner", dest="banner", action="store_false", help="do not print the banner")
    parser.add_argument("--colors", type=_color_scheme, metavar="SCHEME",
                        help=f"colour scheme: {', '.join(COLOR_SCHEMES)} (NO_COLOR in the environment means NoColor)")
    parser.add_argument("--no-history", dest="history", action="store_false",
                        help="keep this session's history in memory only (HistoryStore.enabled = False)")
    parser.add_argument("--history-path", metavar="PATH",
                        help="the history database file (default: $HOCUS_DIR/history.sqlite)")
    parser.add_argument("--simple-prompt", action="store_true",
                        help="use the plain line-based prompt (automatic when stdin is not a terminal or TERM=dumb)")
    parser.add_argument("--help-all", action="store_true",
                        help="list every setting (also for $HOCUS_DIR/config.py and --Class.name=value)")
    parser.add_argument("--version", action="version", version=f"hocus {__version__}")
    parser.add_argument("script", nargs="?", help="a Python file to run (.ipy: hocus syntax, magics included)")
    parser.add_argument("args", nargs="*", help="arguments for the script or module")
    return parser


def _color_scheme(value: str) -> str:
    for scheme in COLOR_SCHEMES:
        if value.lower() == scheme.lower():
            return scheme
    raise argparse.ArgumentTypeError(f"unknown colour scheme {value!r}; choose one of {', '.join(COLOR_SCHEMES)}")


def choose_colors(requested: str | None) -> str:
    """``--colors`` wins; otherwise NoColor for NO_COLOR, dumb terminals and pipes, else Neutral.

    The chosen scheme is the front end's default: ``c.Shell.colors`` in
    config.py wins over it (as NO_COLOR's own rules ask), ``--colors`` over both.
    """
    if requested:
        return requested
    if "NO_COLOR" in os.environ or os.environ.get("TERM") == "dumb" or not sys.stdout.isatty():
        return "NoColor"
    return "Neutral"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    put_the_current_directory_on_sys_path()
    if argv[:1] == ["kernel"]:
        from shell.kernel import main as kernel_main  # zmq is imported only on this path

        return kernel_main(argv[1:])
    from shell.session import SessionBootstrap, split_config_flags

    parser = build_parser()
    try:
        argv, flags = split_config_flags(argv, takes_value=_TAKES_VALUE)
    except ValueError as err:
        parser.error(str(err))
    own, target_args = _split_argv(argv)
    args = parser.parse_args(own)
    args.args = target_args
    from shell.terminal.images import show_images

    boot = SessionBootstrap(defaults=_front_end_defaults(), overrides=_command_line_config(args, flags))
    shell = boot.build_shell()
    shell.keep_standard_fds()  # a cell closing fd 1 must not end the session's output
    shell.front_end = "terminal"
    show_images(shell)  # figures and PNGs drawn in the terminal, or saved and named (%config TerminalImages)
    if args.help_all:
        return _print_help_all(shell)
    boot.start(shell)  # __main__, history flushed at exit and on SIGTERM/SIGHUP, extensions, startup files
    status = 0
    ran_something = args.code is not None or args.module is not None or args.script is not None
    if args.code is not None:
        result = shell.run_cell(args.code)
        status = 0 if result.success else _status_of(result.error_before_exec or result.error_in_exec)
        if result.exit_requested:
            return result.exit_code or 0
    elif args.module is not None:
        status = _run_module(shell, args.module, args.args)
    elif args.script is not None:
        status = _run_script(shell, args.script, args.args)
    if shell.exit_requested:  # asked by the script or module's last cell (%run, runpy)
        return shell.exit_code or 0
    if ran_something and not args.interactive:
        return status
    banner = args.banner and not ran_something
    from shell.terminal import terminal_available  # the interactive prompts, not needed by -c, -m or a script
    from shell.terminal.simple import SimplePrompt

    if not args.simple_prompt and terminal_available():
        return _run_terminal(shell, banner)
    prompt = SimplePrompt(shell)
    return prompt.interact(banner=banner)


def _run_terminal(shell: Shell, banner: bool) -> int:
    """The prompt_toolkit shell; its first prompt is drawn at once and takes keys while prompt_toolkit loads."""
    from shell.terminal import prepare_engine
    from shell.terminal.instant import InstantPrompt

    prepare_engine(shell)  # a line typed at the instant prompt may run before TerminalShell exists
    instant = InstantPrompt.show(shell, banner=banner)
    try:
        terminal_class = instant.serve_while(_terminal_shell_class) if instant else _terminal_shell_class()
        asked_exit = instant is not None and instant.exit_requested()  # `exit` typed at the instant prompt
        terminal = None if asked_exit else terminal_class(shell)
    except BaseException:
        if instant is not None:
            instant.release()
        raise
    if terminal is None:
        assert instant is not None and instant.last_result is not None
        instant.release()
        return instant.last_result.exit_code or 0
    return terminal.interact(banner=banner, instant=instant)


def _terminal_shell_class() -> type[TerminalShell]:
    from shell.terminal.app import TerminalShell  # prompt_toolkit is imported only on this path

    return TerminalShell


_TAKES_VALUE = {"-c", "-m", "--colors", "--history-path"}


def put_the_current_directory_on_sys_path() -> None:
    """Put ``''`` (the current directory, wherever ``%cd`` takes it) on ``sys.path``, as IPython does.

    The ``hocus`` script starts with its own folder on ``sys.path``, not the
    user's, so ``import mymodule``, ``-m mod``, ``%run -m mod`` and
    ``%load_ext localext`` would not find the project's modules. Like
    IPython, ``''`` goes just before the first site-packages folder, after
    the standard library, so a local ``random.py`` cannot break the shell
    itself; and not at all under ``python -P`` / ``PYTHONSAFEPATH``.
    """
    if "" in sys.path or sys.flags.safe_path:
        return
    position = next((index for index, entry in enumerate(sys.path)
                     if os.path.basename(entry) in ("site-packages", "dist-packages")), 0)
    sys.path.insert(position, "")


def _split_argv(argv: list[str]) -> tuple[list[str], list[str]]:
    """Split hocus's own options from the arguments of the script or ``-m`` module.

    As with ``python``, everything after the script name or ``-m MODULE``
    belongs to the script, even words that look like hocus options.
    """
    i = 0
    while i < len(argv):
        word = argv[i]
        if word == "-m" and i + 1 < len(argv):
            return argv[: i + 2], argv[i + 2:]
        if word in _TAKES_VALUE:
            i += 2
            continue
        if word == "--" or not word.startswith("-") or word == "-":
            start = i + 1 if word == "--" else i
            return argv[:start] + argv[start:start + 1], argv[start + 1:]
        i += 1
    return argv, []


def _front_end_defaults() -> Config:
    """What the terminal chooses by itself (colours for this terminal); config.py wins over it."""
    from traitlets.config import Config

    config = Config()
    config.Shell.colors = choose_colors(None)
    return config


def _command_line_config(args: argparse.Namespace, flags: Config) -> Config:
    """``--Class.name=value`` flags, then the options below (``--colors``, history), each winning."""
    history = _history_config(args)
    if history is not None:
        flags.merge(history)
    if args.colors:
        flags.Shell.colors = args.colors
    return flags


def _print_help_all(shell: Shell) -> int:
    from shell.session import configurable_classes, help_all
    from shell.terminal.app import TerminalShell

    print(help_all([*configurable_classes(), *shell.configurables().values(), TerminalShell]))
    return 0


def _history_config(args: argparse.Namespace) -> Config | None:
    """``--no-history`` and ``--history-path`` as HistoryStore settings (None when neither is given)."""
    if args.history and not args.history_path:
        return None
    from traitlets.config import Config

    config = Config()
    config.HistoryStore.enabled = args.history
    if args.history_path:
        config.HistoryStore.path = os.path.abspath(os.path.expanduser(args.history_path))
    return config


def _status_of(err: BaseException | None) -> int:
    if isinstance(err, SystemExit):
        code = err.code
        if code is None:
            return 0
        return code if isinstance(code, int) else 1
    return 1


def _run_script(shell: Shell, path: str, args: list[str]) -> int:
    try:
        with open(path, "rb") as handle:
            source = handle.read()
    except OSError as err:
        shell.write_err(f"hocus: cannot run {path}: {err.strerror or err}\n")
        return 2
    sys.argv = [path, *args]
    shell.user_ns["__file__"] = os.path.abspath(path)
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    if path.lower().endswith(".ipy"):
        return _run_ipy(shell, path, source)
    try:
        code = compile(source, path, "exec", dont_inherit=True)
        shell.run_code_object(code)
    except SystemExit as err:
        return _status_of(err)
    except BaseException as err:  # noqa: BLE001 - reported like a cell's error
        shell.last_error = err
        if isinstance(err, SyntaxError):
            shell.write_err(shell.tracebacks.format_exception_only(err))
        else:
            shell.showtraceback(err)
        return 1
    return 0


def _run_ipy(shell: Shell, path: str, source: bytes) -> int:
    """An ``.ipy`` file, as ``ipython file.ipy`` runs it: hocus syntax, one silent cell (no ``Out[]``, no history)."""
    try:
        text = source.decode("utf-8")
    except UnicodeDecodeError as err:
        shell.write_err(f"hocus: cannot run {path}: not UTF-8 text ({err.reason} at byte {err.start})\n")
        return 2
    result = shell.run_cell(text, silent=True)
    return 0 if result.success else _status_of(result.error_before_exec or result.error_in_exec)


def _run_module(shell: Shell, module: str, args: list[str]) -> int:
    import runpy

    sys.argv = [module, *args]
    try:
        namespace = runpy.run_module(module, run_name="__main__", alter_sys=True)
    except SystemExit as err:
        return _status_of(err)
    except ImportError as err:
        shell.write_err(f"hocus: {err}\n")
        return 1
    except BaseException as err:  # noqa: BLE001
        shell.last_error = err
        shell.showtraceback(err)
        return 1
    shell.user_ns.update({k: v for k, v in namespace.items() if not k.startswith("__")})
    return 0
