"""The kernel's debugger: Jupyter's ``debug_request`` answered with debugpy.

A ``debug_request`` carries a Debug Adapter Protocol request; its
``debug_reply`` carries the DAP response, and DAP events (``stopped``,
``continued``...) go out as ``debug_event`` on IOPub. This module is
imported on the first ``debug_request``, and debugpy on the first
``initialize``: a kernel nobody debugs pays nothing for it.

What is answered here and what debugpy answers:

===========================  ==========================================================
request                      answered by
===========================  ==========================================================
``initialize``               starts debugpy (once; on the main thread, whose cells it
                             traces), connects, then debugpy answers
``attach``                   debugpy, told to step only through the user's code (not
                             hocus's own modules, nor, with ``justMyCode`` off, the
                             standard library code that runs cells)
``dumpCell``                 writes the cell's file (:mod:`shell.kernel.debug_cells`); a
                             cell that ran before debugpy started is mapped onto the
                             code it compiled then, so its frames name the cell's file
``setBreakpoints``           debugpy, after that same mapping; the lines set are kept
                             for ``debugInfo``
``debugInfo``                here: the cell file recipe, every cell's breakpoints and
                             the stopped threads, so a reloaded page picks up
``inspectVariables``         here, from the namespace (:mod:`shell.kernel.debug_variables`)
``variables``                debugpy while a thread is stopped, else the namespace;
                             the shell's own names left out either way
``richInspectVariables``     the shell's display formatter (in the stopped frame if any)
``copyToGlobals``            debugpy's ``setExpression`` on ``globals()``
``source``                   here: a cell's file, a file on disk, or a cell in linecache
``modules``                  here: the modules loaded from ``.py`` files
``threads``                  debugpy, without the kernel's own threads
``disconnect``               debugpy (never ending the kernel), then the link closes
anything else                debugpy (``setBreakpoints``, ``stackTrace``, ``scopes``,
                             ``evaluate``, ``next``, ``continue``, ``stepIn``...)
===========================  ==========================================================

Bad requests get a DAP error response (``success: false`` and a
``message``); the kernel goes on serving. Between cells, the debugger keeps
stepping and tracing to the cell that runs (:mod:`shell.kernel.debugpy_threads`).
"""

from __future__ import annotations

import ast
import json
import linecache
import os
import sys
import threading
from types import FrameType
from typing import TYPE_CHECKING, Any, Callable

from shell.kernel import debugpy_threads
from shell.kernel.dap_client import DapConnection, DapError, Message
from shell.kernel.debug_cells import CellFiles
from shell.kernel.debug_variables import NamespaceExplorer, hidden_names

if TYPE_CHECKING:
    from shell.engine.shell import Shell
    from shell.kernel.main_thread import MainThreadCalls

LOCALHOST = "127.0.0.1"
GROUP_ROWS = ("special variables", "function variables", "class variables", "protected variables")


class BadDebugRequest(ValueError):
    """A debug request the kernel cannot act on: the message says why, in one line."""


def _hocus_folders() -> list[str]:
    """The folders of hocus's own code, which stepping and the call stack skip."""
    import magics
    import shell

    return [os.path.dirname(os.path.abspath(package.__file__ or "")) for package in (shell, magics)]


def _cell_machinery() -> list[str]:
    """The standard library code hocus runs every cell in: skipped too when ``justMyCode`` is off.

    Cells run inside ``contextlib`` context managers, and a cell with a
    top-level ``await`` on an ``asyncio`` loop (and its ``selectors``). With the standard library
    stepped through (VS Code's ``jupyter.debugJustMyCode`` set to false), a
    step off the end of a cell would stop in them on its way back to the
    kernel; ipykernel skips every module it loaded at start-up instead.
    """
    import asyncio
    import contextlib
    import selectors

    return [os.path.abspath(module.__file__ or "") for module in (contextlib, selectors)] + [
        os.path.dirname(os.path.abspath(asyncio.__file__))]


class KernelDebugger:
    """Answers ``debug_request`` contents for one kernel; see the module docstring."""

    def __init__(self, shell: Shell, publish_event: Callable[[Message], None], main_calls: MainThreadCalls,
                 *, files: CellFiles | None = None):
        self.shell = shell
        self.publish_event = publish_event
        self.main_calls = main_calls
        self.files = files or CellFiles()
        self.link: DapConnection | None = None
        self.endpoint: tuple[str, int] | None = None  # where debugpy listens, once started
        self.breakpoints: dict[str, list[dict[str, Any]]] = {}
        self.earlier_names: dict[str, str] = {}  # cell file -> the name its text ran under before debugpy started
        self.stopped_threads: set[int] = set()
        self.explorer = NamespaceExplorer()
        self._lock = threading.Lock()
        self._local: dict[str, Callable[[Message, dict[str, Any]], Message]] = {
            "initialize": self._initialize,
            "attach": self._attach,
            "setBreakpoints": self._set_breakpoints,
            "dumpCell": self._dump_cell,
            "debugInfo": self._debug_info,
            "inspectVariables": self._inspect_variables,
            "variables": self._variables,
            "richInspectVariables": self._rich_inspect_variables,
            "copyToGlobals": self._copy_to_globals,
            "source": self._source,
            "modules": self._modules,
            "threads": self._threads,
            "disconnect": self._disconnect,
        }

    @property
    def started(self) -> bool:
        return self.link is not None and not self.link.closed

    # -- the entry point -----------------------------------------------------------------
    def handle(self, request: Any) -> Message:
        """The ``debug_reply`` content for a ``debug_request`` content."""
        seq = request.get("seq", 0) if isinstance(request, dict) else 0
        command = request.get("command") if isinstance(request, dict) else None
        try:
            if not isinstance(request, dict) or not isinstance(command, str) or not command:
                raise BadDebugRequest("a debug request needs a 'command' (a DAP request)")
            arguments = request.get("arguments", {})
            if arguments is None:
                arguments = {}
            if not isinstance(arguments, dict):
                raise BadDebugRequest(f"{command}: 'arguments' must be an object")
            local = self._local.get(command)
            if local is not None:
                return local(request, arguments)
            if not self.started:
                raise BadDebugRequest(f"{command}: the debugger is not started (send 'initialize' and 'attach' first)")
            return self._forward(request, command, arguments)
        except (BadDebugRequest, DapError) as err:
            return error_response(seq, command, str(err))
        except Exception as err:  # noqa: BLE001 - a failing request gets an error reply, never a dead kernel
            return error_response(seq, command, f"{command}: {type(err).__name__}: {err}")

    def stop(self) -> None:
        """Let go of stopped threads and close the link (the kernel is shutting down)."""
        if self.started:
            try:
                self._request("disconnect", {"restart": False, "terminateDebuggee": False}, timeout=2.0)
            except DapError:
                pass
        self._close()

    def _before_cell(self) -> None:
        """On the thread about to run a cell: traced, even after an interrupt untraced it.

        An interrupt while a breakpoint holds the thread is raised inside
        debugpy's wait: the cell ends with the KeyboardInterrupt, debugpy says
        ``continued``, and CPython stops tracing a thread whose tracer raised.
        :meth:`_after_cell` marks the thread running, this traces it again.
        """
        if threading.current_thread() is threading.main_thread():
            debugpy_threads.trace_this_thread()

    def _after_cell(self) -> None:
        """On the thread that ran a cell: a step still under way ends with the outermost cell."""
        frame: FrameType | None = sys._getframe(1)
        inside_cell = False
        while frame is not None and not inside_cell:
            inside_cell = self.shell.compiler.label(frame.f_code.co_filename) is not None
            frame = frame.f_back
        debugpy_threads.end_stepping(inside_cell)

    # -- starting and stopping -------------------------------------------------------------
    def _initialize(self, request: Message, arguments: dict[str, Any]) -> Message:
        if not self.started:
            if self.endpoint is None:
                self.endpoint = self.main_calls.call(_listen)
                self.shell.compiler.cell_namer = self._name_cell
                self.shell.events.register("pre_execute", self._before_cell)
                self.shell.events.register("post_execute", self._after_cell)
            host, port = self.endpoint
            self.link = DapConnection(host, port, on_event=self._on_event)
        return self._forward(request, "initialize", arguments)

    def _attach(self, request: Message, arguments: dict[str, Any]) -> Message:
        self._require_started("attach")
        arguments = dict(arguments)
        arguments.pop("connect", None)  # debugpy listens in this process; there is nothing to connect to
        arguments.setdefault("justMyCode", True)
        given = arguments.get("rules")
        rules: list[Any] = given if isinstance(given, list) else []
        skipped = _hocus_folders() + ([] if arguments["justMyCode"] else _cell_machinery())
        arguments["rules"] = [*rules, *({"path": path, "include": False} for path in skipped)]
        return self._forward(request, "attach", arguments)

    def _disconnect(self, request: Message, arguments: dict[str, Any]) -> Message:
        if not self.started:
            return response(request, {})
        # The debuggee is this kernel: a front end letting go of the debugger never ends it.
        arguments = {**arguments, "terminateDebuggee": False, "restart": False}
        try:
            return self._forward(request, "disconnect", arguments)
        finally:
            self._close()

    def _close(self) -> None:
        if self.link is not None:
            self.link.close()
        self.link = None
        self.breakpoints.clear()
        with self._lock:
            self.stopped_threads.clear()

    # -- breakpoints and cells ---------------------------------------------------------------
    def _set_breakpoints(self, request: Message, arguments: dict[str, Any]) -> Message:
        self._require_started("setBreakpoints")
        path = _source_path(arguments, "setBreakpoints")
        self._map_to_earlier_cell(path)
        reply = self._forward(request, "setBreakpoints", arguments)
        if reply.get("success"):
            # debugpy may move a breakpoint to the next line that runs: keep the lines it set
            lines = [{"line": found["line"]} for found in reply.get("body", {}).get("breakpoints", [])
                     if isinstance(found.get("line"), int)]
            if lines:
                self.breakpoints[path] = lines
            else:
                self.breakpoints.pop(path, None)
        return reply

    def _map_to_earlier_cell(self, path: str) -> None:
        """Breakpoints in a cell that ran before the debugger started hit the code it compiled then.

        That code carries the cell's ``<ipython-input-N-...>`` name, not its
        file's: debugpy is told the two are the same lines (its source maps),
        so a function defined before the debugger was switched on stops too.
        """
        text = self.files.read(path)
        if not text:
            return
        lines = text.splitlines(keepends=True)
        lines[-1] = lines[-1].rstrip("\r\n") + "\n"  # as the engine keeps a cell's lines (a notebook cell ends in none)
        for name in self.shell.compiler.cells_newest_first():
            if name != path and not name.startswith(self.files.prefix) and linecache.getlines(name) == lines:
                self._request("setPydevdSourceMap", {"source": {"path": path}, "pydevdSourceMaps": [
                    {"line": 1, "endLine": len(lines), "runtimeSource": {"path": name}, "runtimeLine": 1}]})
                self.earlier_names[path] = name
                return

    def _name_cell(self, source: str) -> str:
        """The name a cell is compiled under while the debugger is on (the engine's ``cell_namer``).

        Its file's, unless its text ran before debugpy started and its file
        was mapped onto that code (:meth:`_map_to_earlier_cell`): run again,
        it keeps the name it ran under then, so the breakpoints set in it,
        which debugpy placed in that code, are in the code that runs.
        """
        if self.earlier_names:
            earlier = self.earlier_names.get(self.files.path_for(source))
            if earlier is not None:
                return earlier
        return self.files.name_cell(source)

    def _dump_cell(self, request: Message, arguments: dict[str, Any]) -> Message:
        code = arguments.get("code")
        if not isinstance(code, str):
            raise BadDebugRequest("dumpCell: 'code' must be a string (the cell's source)")
        path = self.files.dump(code)
        if self.started:  # VS Code dumps every cell, then steps into functions of cells that ran before
            self._map_to_earlier_cell(path)
        return response(request, {"sourcePath": path})

    def _debug_info(self, request: Message, arguments: dict[str, Any]) -> Message:
        with self._lock:
            stopped = sorted(self.stopped_threads)
        return response(request, {
            "isStarted": self.started,
            **self.files.hash_params(),
            "breakpoints": [{"source": path, "breakpoints": lines} for path, lines in self.breakpoints.items()],
            "stoppedThreads": stopped,
            "richRendering": True,
            "exceptionPaths": ["Python Exceptions"],
            "copyToGlobals": True,
        })

    def _source(self, request: Message, arguments: dict[str, Any]) -> Message:
        path = _source_path(arguments, "source")
        text = self.files.read(path)
        if text is None and os.path.isfile(path):
            with open(path, encoding="utf-8", errors="replace") as file:
                text = file.read()
        if text is None and linecache.getlines(path):
            text = "".join(linecache.getlines(path))  # a cell run before the debugger started
        if text is None:
            raise BadDebugRequest(f"source: no source for {path!r}")
        return response(request, {"content": text})

    def _threads(self, request: Message, arguments: dict[str, Any]) -> Message:
        self._require_started("threads")
        reply = self._forward(request, "threads", arguments)
        body = reply.get("body") or {}
        if isinstance(body.get("threads"), list):  # the kernel's own threads are not the user's
            body["threads"] = [found for found in body["threads"]
                               if not debugpy_threads.is_kernel_thread(str(found.get("name", "")))]
        return reply

    def _modules(self, request: Message, arguments: dict[str, Any]) -> Message:
        modules = []
        for index, module in enumerate(list(sys.modules.values())):
            path = getattr(getattr(module, "__spec__", None), "origin", None)
            if isinstance(path, str) and path.endswith(".py"):
                modules.append({"id": index, "name": module.__name__, "path": path})
        return response(request, {"modules": modules, "totalModules": len(modules)})

    # -- variables ---------------------------------------------------------------------------
    def _user_variables(self) -> dict[str, Any]:
        """The user's names, without ``debugpy`` when it is the debugger's own module.

        VS Code runs ``import debugpy; debugpy.debug_this_thread()`` as a
        hidden cell before each debug session; ipykernel leaves the name out
        of the Variables view too.
        """
        names = self.shell.user_variables()
        if "debugpy" in names and names["debugpy"] is sys.modules.get("debugpy"):
            del names["debugpy"]
        return names

    def _hidden(self) -> set[str]:
        return hidden_names(self.shell.user_ns, self._user_variables())

    def _inspect_variables(self, request: Message, arguments: dict[str, Any]) -> Message:
        rows = self.explorer.top_level(self._user_variables())
        return response(request, {"variables": rows})

    def _variables(self, request: Message, arguments: dict[str, Any]) -> Message:
        reference = arguments.get("variablesReference")
        if not isinstance(reference, int):
            raise BadDebugRequest("variables: 'variablesReference' must be an integer")
        if not self._stopped():
            return response(request, {"variables": self.explorer.children(reference)})
        reply = self._forward(request, "variables", arguments)
        if reply.get("success"):
            hidden = self._hidden()
            body = reply.setdefault("body", {})
            body["variables"] = [row for row in body.get("variables", []) if row.get("name") not in hidden]
        return reply

    def _rich_inspect_variables(self, request: Message, arguments: dict[str, Any]) -> Message:
        name = arguments.get("variableName")
        if not isinstance(name, str):
            raise BadDebugRequest("richInspectVariables: 'variableName' must be a string")
        if name in GROUP_ROWS:
            return response(request, {"data": {}, "metadata": {}})
        if not name.isidentifier():
            raise BadDebugRequest(f"richInspectVariables: {name!r} is not a variable name")
        frame = arguments.get("frameId")
        if self._stopped() and isinstance(frame, int):
            data, metadata = self._rich_in_frame(name, frame)
        else:
            if name not in self.shell.user_ns:
                raise BadDebugRequest(f"richInspectVariables: name {name!r} is not defined")
            data, metadata = self.shell.display_formatter.format(self.shell.user_ns[name])
        return response(request, {"data": data, "metadata": {k: v for k, v in metadata.items() if k in data}})

    def _rich_in_frame(self, name: str, frame: int) -> tuple[dict[str, Any], dict[str, Any]]:
        """The bundle of ``name`` as the stopped frame sees it, formatted on the stopped thread."""
        expression = (f"__import__('shell.kernel.debug_variables', fromlist=['rich_bundle'])"
                      f".rich_bundle({name})")
        reply = self._request("evaluate", {"expression": expression, "frameId": frame, "context": "clipboard"})
        if not reply.get("success"):
            raise BadDebugRequest(f"richInspectVariables: {reply.get('message') or 'evaluation failed'}")
        bundle = json.loads(ast.literal_eval(reply["body"]["result"]))
        return bundle["data"], bundle["metadata"]

    def _copy_to_globals(self, request: Message, arguments: dict[str, Any]) -> Message:
        source, target = arguments.get("srcVariableName"), arguments.get("dstVariableName")
        frame = arguments.get("srcFrameId")
        if not (isinstance(source, str) and source.isidentifier() and isinstance(target, str)
                and target.isidentifier() and isinstance(frame, int)):
            raise BadDebugRequest("copyToGlobals: needs 'srcVariableName' and 'dstVariableName' (names) "
                                  "and 'srcFrameId' (a frame of a stopped thread)")
        self._require_started("copyToGlobals")
        reply = self._request("setExpression", {"expression": f"globals()[{target!r}]", "value": source,
                                                "frameId": frame})
        reply.update(request_seq=request.get("seq", 0), command="copyToGlobals")
        return reply

    # -- talking to debugpy ------------------------------------------------------------------
    def _forward(self, request: Message, command: str, arguments: dict[str, Any]) -> Message:
        reply = self._request(command, arguments)
        reply["request_seq"] = request.get("seq", 0)
        return reply

    def _request(self, command: str, arguments: dict[str, Any], timeout: float | None = None) -> Message:
        link = self.link
        if link is None or link.closed:
            raise BadDebugRequest(f"{command}: the debugger is not started (send 'initialize' first)")
        return link.request(command, arguments) if timeout is None else link.request(command, arguments, timeout)

    def _require_started(self, command: str) -> None:
        if not self.started:
            raise BadDebugRequest(f"{command}: the debugger is not started (send 'initialize' first)")

    def _stopped(self) -> bool:
        with self._lock:
            return bool(self.stopped_threads)

    def _on_event(self, event: Message) -> None:
        """From the link's reader thread: note stopped threads, then pass the event on as ``debug_event``."""
        body = event.get("body") or {}
        with self._lock:
            if event.get("event") == "stopped" and isinstance(body.get("threadId"), int):
                self.stopped_threads.add(body["threadId"])
            elif event.get("event") == "continued":
                if body.get("allThreadsContinued", True):
                    self.stopped_threads.clear()
                else:
                    self.stopped_threads.discard(body.get("threadId"))
        self.publish_event(event)


def _listen() -> tuple[str, int]:
    """On the main thread: start debugpy in this process, tracing this thread; where it listens.

    The kernel's own threads are marked first, so a breakpoint never holds
    the thread that would answer ``continue``. The frozen-module check is
    skipped: it only prints a warning, and stepping never enters the
    frozen standard-library modules it is about.
    """
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    debugpy_threads.hide_kernel_threads()
    import debugpy

    port = _free_port()
    endpoint = debugpy.listen((LOCALHOST, port), in_process_debug_adapter=True)
    if not endpoint:  # older debugpy returned None here (debugpy issue 1656)
        return LOCALHOST, port
    return str(endpoint[0]), int(endpoint[1])


def _free_port() -> int:
    """A port nothing listens on now: older debugpy does not say which port its in-process listener took."""
    import socket

    with socket.socket() as probe:
        probe.bind((LOCALHOST, 0))
        return int(probe.getsockname()[1])


def _source_path(arguments: dict[str, Any], command: str) -> str:
    source = arguments.get("source")
    path = source.get("path") if isinstance(source, dict) else None
    if not isinstance(path, str) or not path:
        raise BadDebugRequest(f"{command}: 'source' must have a 'path'")
    return path


def response(request: Message, body: dict[str, Any]) -> Message:
    """A successful DAP response to ``request``."""
    return {"type": "response", "request_seq": request.get("seq", 0), "success": True,
            "command": request.get("command"), "body": body}


def error_response(seq: Any, command: Any, message: str) -> Message:
    """A failed DAP response: ``message`` is the one line a front end shows."""
    return {"type": "response", "request_seq": seq if isinstance(seq, int) else 0, "success": False,
            "command": command if isinstance(command, str) else "", "message": message, "body": {}}
