"""``hocus kernel``: build a kernel from its parts and serve until shutdown.

::

    hocus kernel -f CONNECTION_FILE     serve the connection file's ports (what Jupyter runs)
    hocus kernel                        write a new connection file, then serve

(``hocus kernel install`` is :mod:`shell.kernel.kernelspec`.)

:class:`Kernel` composes the engine with the kernel's seams (streams,
display publisher, stdin, comms), the request handlers and the sockets.
The main thread runs cells; see :mod:`shell.kernel.transport` for the others.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path
from typing import Any

from shell.kernel.comms import install_comms
from shell.kernel.connection import (ConnectionInfo, new_connection_info, read_connection_file,
                                     write_connection_file)
from shell.kernel.exposure import ExposedKernel, exposure_warnings
from shell.kernel.handlers import CONTROL_REQUESTS, RequestHandlers
from shell.kernel.interrupts import InterruptGate
from shell.kernel.library_view import KernelView
from shell.kernel.main_thread import MainThreadCalls
from shell.kernel.outputs import IOPub, KernelDisplayPublisher, KernelOutput
from shell.kernel.parent_watch import watch_parent
from shell.kernel.shell_router import ShellRouter
from shell.kernel.stdin import StdinInput
from shell.kernel.streams import FDCapture, IOPubStream, flush_c_stdio
from shell.kernel.transport import KernelSockets, log
from shell.kernel.wire import Session
from shell.session import SessionBootstrap, split_config_flags

PARENT_GONE_GRACE = 1.0
EXIT_LINGER = 1.0  # seconds the process stays up after the reply to a cell that ran exit()
"""Seconds a kernel whose launcher died has to finish its shutdown (history flush) before it exits anyway."""


class Kernel:
    """One kernel process: an engine behind the five sockets of ``info``."""

    def __init__(self, info: ConnectionInfo, *, capture_fds: bool = True, boot: SessionBootstrap | None = None):
        boot = boot or SessionBootstrap(defaults=kernel_defaults())
        self.info = info
        self.session = Session(info.key, info.signature_scheme)
        self.sockets = KernelSockets(info, self.session)
        self.iopub = IOPub(self.sockets.iopub.send)
        writer_parent = lambda: self.iopub.parent  # noqa: E731 - each thread's text goes to its own request
        self.stdout = IOPubStream("stdout", self.iopub.stream, fd=1 if capture_fds else None, parent=writer_parent)
        self.stderr = IOPubStream("stderr", self.iopub.stream, fd=2 if capture_fds else None, parent=writer_parent)
        self.fd_captures = [FDCapture(1, self.stdout.write), FDCapture(2, self.stderr.write)] if capture_fds else []
        sys.stdout, sys.stderr = self.stdout, self.stderr
        self.gate = InterruptGate()
        self.stdin = StdinInput(self._request_input)
        self.output = KernelOutput(self.iopub, self.stdout, self.stderr, self.flush_output)
        self.shell = boot.build_shell(output=self.output, error_reporter=self.output, pager=self.output.page,
                                      input_provider=self.stdin,
                                      display_publisher=KernelDisplayPublisher(self.iopub, self.flush_output,
                                                                               self._unstored_count))
        self.shell.keep_standard_fds()  # a cell closing fd 1 or 2 must not cut the capture pipes
        from shell.display.figures import enable_inline  # MPLBACKEND only: matplotlib loads on the user's import

        enable_inline(self.shell)
        self.comms = install_comms(self.iopub)
        self.handlers = RequestHandlers(self.shell, self.iopub, output=self.output, flush=self.flush_output,
                                        stdin=self.stdin, comms=self.comms, executing=self.gate.executing,
                                        on_shutdown=self._shutdown, on_exit=self._exit_after_reply,
                                        on_interrupt=self.gate.interrupt)
        # The debugger answers debug_request on control; it is imported on the first one (debugger.py).
        self.main_calls = MainThreadCalls(self.sockets.main_wake, self.sockets.stop_event)
        self.debugger: Any = None
        self.handlers.handlers["debug_request"] = self._debug_request
        # Kernel subshells (JEP 91): the router reads the shell socket; from the first subshell on, in a thread.
        self.shell_router = ShellRouter(self.sockets, self.iopub)
        self.shell_router.enable_subshells(self.handlers, stdin=self.stdin)
        # Libraries written for IPython see a ZMQInteractiveShell with a .kernel (shell.bridge).
        self.shell.front_end = "kernel"
        self.shell.kernel = KernelView(iopub=self.iopub, session=self.session, comm_manager=self.comms,
                                       handlers=self.handlers)
        # plotly picks its renderer by the shell class's module ("ipykernel."); tell it what it picks
        # under ipykernel, or every first fig.show() also sends 4.8 MB of inlined plotly.js
        os.environ.setdefault("PLOTLY_RENDERER", "plotly_mimetype")
        self._shell_idents: list[bytes] = []
        self._queued: list[tuple[list[bytes], dict[str, Any]]] = []
        # Last, so extensions and startup files find the kernel whole (comms, the inline backend):
        # __main__ (classes defined in cells pickle), history flushed at exit and on SIGTERM, and
        # $HOCUS_DIR's extensions and startup files, as in the terminal.
        boot.start(self.shell)

    # -- output ------------------------------------------------------------------------
    def _unstored_count(self) -> int:
        """The number an unstored cell's result shows (the spec wants one): the cell it runs inside, in
        this thread (``%rerun`` in a subshell's cell is that cell's ``Out``), else the next number."""
        return self.shell.running_execution_count or self.shell.execution_count

    def flush_output(self) -> None:
        """Everything printed so far (Python, C, child processes) onto IOPub, in order per stream."""
        if self.fd_captures:
            flush_c_stdio()
            for capture in self.fd_captures:
                capture.flush()
        self.stdout.flush()
        self.stderr.flush()

    # -- serving -----------------------------------------------------------------------
    def serve(self) -> None:
        """Answer requests until a shutdown request (or the parent process goes away)."""
        self.gate.install()
        self.sockets.start(self._on_control)
        watch_parent(self._parent_gone)
        sockets = self.sockets
        while not sockets.stop_event.is_set():
            try:
                received = self.shell_router.receive_for_main()
                if received is not None:
                    self._on_shell(*received)
                    self._answer_queued()
                while sockets.handed_over:
                    self._on_handed_over(*sockets.handed_over.popleft())
                self.main_calls.run_pending()  # e.g. starting debugpy, which traces the thread that starts it
            except KeyboardInterrupt:
                continue
            except Exception:  # noqa: BLE001 - keep serving
                log.exception("error while answering a shell request")
        sockets.stop_event.set()
        self.shell_router.close()  # subshells stopped, the last replies sent
        if self._linger_after_exit:
            time.sleep(self._linger_after_exit)  # no requests are served meanwhile; the process stays up
        sockets.join()
        self.flush_output()
        sockets.iopub.stop()

    def _on_shell(self, idents: list[bytes], msg: dict[str, Any], *, abort: bool = False) -> None:
        self._shell_idents = idents

        def reply(msg_type: str, content: dict[str, Any]) -> None:
            if self.handlers.aborting and not abort:
                # Collect what was queued before this error reply goes out: only those get aborted,
                # not what the front end sends once it has seen the reply.
                self._queued.extend(self._drain_shell())
            self.shell_router.send(msg_type, content, msg, idents)

        if abort and msg["header"]["msg_type"] == "execute_request":
            self.handlers.abort(msg, reply)
        else:
            self.handlers.dispatch(msg, reply)

    def _drain_shell(self) -> list[tuple[list[bytes], dict[str, Any]]]:
        return self.shell_router.drain_for_main()

    def _answer_queued(self) -> None:
        """After an error with ``stop_on_error``: abort the executes that were waiting, answer the rest."""
        queued, self._queued = self._queued, []
        self.handlers.aborting = False
        for idents, msg in queued:
            self._on_shell(idents, msg, abort=True)

    def _on_control(self, idents: list[bytes], msg: dict[str, Any]) -> None:
        if msg["header"].get("msg_type") not in CONTROL_REQUESTS:  # execute_request...: the engine's thread runs it
            self.sockets.hand_to_main(idents, msg)
            return

        def reply(msg_type: str, content: dict[str, Any]) -> None:
            self.sockets.send(self.sockets.control, msg_type, content, msg, idents)

        self.handlers.dispatch(msg, reply, control=True)

    def _on_handed_over(self, idents: list[bytes], msg: dict[str, Any]) -> None:
        """A shell request that came on the control channel: run in turn, answered on control."""
        def reply(msg_type: str, content: dict[str, Any]) -> None:
            self.sockets.reply_on_control(msg_type, content, msg, idents)

        self.handlers.dispatch(msg, reply)
        self.handlers.aborting = False  # stop_on_error is about the shell queue, which this did not come from

    def _exit_after_reply(self) -> None:
        """``exit()`` in a cell: stop serving, but let the process live a moment after the reply.

        The front end reads the reply (with its ``ask_exit`` payload) only
        while the kernel process is alive: jupyter_console checks
        ``client.is_alive()`` before it does. ipykernel stops its loop 0.1 s
        after ``exit()``; this waits a little longer, for a loaded machine.
        """
        self._linger_after_exit = EXIT_LINGER
        self._shutdown(restart=False)

    _linger_after_exit = 0.0

    def _debug_request(self, msg: dict[str, Any]) -> dict[str, Any]:
        """A ``debug_request`` (control thread): its DAP response, from the debugger made on first use."""
        if self.debugger is None:
            from shell.kernel.debugger import KernelDebugger

            self.debugger = KernelDebugger(self.shell, lambda event: self.iopub.publish("debug_event", event),
                                           self.main_calls)
        return self.debugger.handle(msg["content"])

    def _shutdown(self, restart: bool) -> None:
        if self.debugger is not None:
            self.debugger.stop()  # a thread held at a breakpoint runs on, and sees the interrupt below
        self.sockets.stop_event.set()
        if self.gate.armed:
            self.gate.interrupt()

    def _parent_gone(self, parent: int) -> None:
        """The launcher died: stop as after a shutdown request, and for good a second later (a cell may not stop)."""
        if not self.sockets.stop_event.is_set():  # already ending (after exit() the front end may go first)
            log.warning("parent process %d is gone; shutting down", parent)
        self._shutdown(restart=False)
        time.sleep(PARENT_GONE_GRACE)
        os._exit(1)

    def _request_input(self, prompt: str, password: bool) -> str:
        """Ask the front end for a line on the stdin channel; wait (interruptibly) for the reply."""
        self.flush_output()
        sockets = self.sockets
        while sockets.stdin.poll(0):  # answers to an earlier, interrupted request
            sockets.stdin.recv_multipart()
        sockets.send(sockets.stdin, "input_request", {"prompt": prompt, "password": password},
                     self.iopub.parent, self._shell_idents)
        while True:
            if sockets.stop_event.is_set():
                raise EOFError("the kernel is shutting down")
            received = sockets.receive(sockets.stdin, "stdin")
            if received is None:
                continue
            _, msg = received
            if msg["msg_type"] == "input_reply":
                value = msg["content"].get("value", "")
                return value if isinstance(value, str) else str(value)


def kernel_defaults() -> Any:
    """What the kernel chooses by itself: the Neutral colours (a notebook shows ANSI colours); config.py wins."""
    from traitlets.config import Config

    config = Config()
    config.Shell.colors = "Neutral"
    return config


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hocus kernel", description="Run hocus as a Jupyter kernel.",
                                     epilog="Settings: $HOCUS_DIR/config.py, and --Class.name=value before the "
                                            "other options win over it (hocus --help-all lists them).")
    parser.add_argument("-f", dest="connection_file", metavar="CONNECTION_FILE",
                        help="the connection file a front end wrote (without it, write a new one)")
    parser.add_argument("--ip", default="127.0.0.1", help="address to listen on when writing a new connection file "
                        "(anything but loopback reaches the network: a warning says so)")
    parser.add_argument("--transport", choices=("tcp", "ipc"), default="tcp",
                        help="for a new connection file: TCP ports, or Unix sockets named after --ip (default: tcp)")
    parser.add_argument("--insecure", action="store_true",
                        help="start even though the connection file's key is empty (messages unsigned)")
    parser.add_argument("--debug", action="store_true", help="log the kernel's own messages at debug level")
    parser.add_argument("--no-capture-fd", dest="capture_fds", action="store_false",
                        help="leave file descriptors 1 and 2 alone (C-level output is not captured)")
    return parser


def main(argv: list[str]) -> int:
    parser = build_parser()
    try:
        argv, flags = split_config_flags(argv, takes_value=("-f", "--ip", "--transport"))
    except ValueError as err:
        parser.error(str(err))
    args = parser.parse_args(argv)
    boot = SessionBootstrap(defaults=kernel_defaults(), overrides=flags)
    path = args.connection_file
    new_file = not (path and Path(path).exists())
    if not new_file:
        info = read_connection_file(path)
    else:
        path = path or _runtime_dir() / f"kernel-{os.getpid()}.json"
        ip = args.ip if args.transport == "tcp" or args.ip != "127.0.0.1" else str(Path(path).with_suffix("")) + "-ipc"
        info = new_connection_info(ip, args.transport)
    try:
        for warning in exposure_warnings(info, insecure=args.insecure):
            print(warning, file=sys.stderr, flush=True)
    except ExposedKernel as err:
        print(f"hocus kernel: {err}", file=sys.stderr, flush=True)
        return 2
    if new_file:
        write_connection_file(info, path)
        print(f"hocus kernel: connection file {path}\nconnect with: jupyter console --existing {path}",
              file=sys.stderr, flush=True)
    unbound = info.unbound_channels()
    kernel = Kernel(info, capture_fds=args.capture_fds, boot=boot)
    from shell.kernel.connect_info import install_connect_info

    install_connect_info(kernel.shell, path)  # %connect_info, for jupyter console --existing
    if unbound:  # ports (or socket names) picked while binding, written back for the front end (as ipykernel)
        write_connection_file(info, path)
    _configure_logging(kernel, args.debug)
    kernel.serve()
    kernel.sockets.remove_ipc_files()
    sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
    import atexit

    atexit._run_exitfuncs()
    os._exit(0)


def _configure_logging(kernel: Kernel, debug: bool) -> None:
    """The kernel's own log goes to the original stderr, not into the notebook."""
    fd = kernel.fd_captures[1].saved_fd if kernel.fd_captures else 2
    stream = os.fdopen(os.dup(fd), "w", buffering=1)
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("[hocus kernel %(levelname)s] %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.DEBUG if debug else logging.WARNING)
    log.propagate = False
    import faulthandler
    import signal

    # `kill -USR1 <pid>` prints every thread's stack to the kernel's own stderr: for a kernel that seems stuck.
    faulthandler.register(signal.SIGUSR1, file=stream, all_threads=True)


def _runtime_dir() -> Path:
    if os.environ.get("JUPYTER_RUNTIME_DIR"):
        return Path(os.environ["JUPYTER_RUNTIME_DIR"])
    try:
        from jupyter_core.paths import jupyter_runtime_dir

        return Path(jupyter_runtime_dir())
    except ImportError:
        return Path.home() / ".local" / "share" / "jupyter" / "runtime"
