"""The protocol: request messages in, reply contents out, side effects on IOPub.

:class:`RequestHandlers` knows nothing of sockets. The transport gives it a
parsed message and a ``reply(msg_type, content)`` function; tests do the
same with plain dicts::

    handlers = RequestHandlers(shell, iopub)
    handlers.dispatch({"header": {"msg_type": "is_complete_request", ...},
                       "content": {"code": "for i in x:"}}, reply)

Every request is wrapped in ``status: busy`` / ``status: idle`` on IOPub.
A request with content the handler cannot use, or of an unknown type, gets
an error reply (``status: error``) and the kernel goes on serving.
"""

from __future__ import annotations

import contextlib
import re
import threading
from typing import TYPE_CHECKING, Any, Callable

from shell.kernel.kernel_info import kernel_info_content
from shell.kernel.outputs import IOPub, KernelOutput, error_content

if TYPE_CHECKING:
    from shell.engine.completion.model import CompletionResult
    from shell.engine.result import ExecutionResult
    from shell.engine.shell import Shell

Reply = Callable[[str, dict[str, Any]], None]

# Requests that carry no reply (comm messages go one way).
NO_REPLY = {"comm_open", "comm_msg", "comm_close"}
# What the control thread answers itself; it must not touch the engine while a cell runs. Other
# requests sent on control (execute_request, as the spec allows) are run by the engine's thread.
CONTROL_REQUESTS = {"kernel_info_request", "interrupt_request", "shutdown_request"}
CONTROL_REQUESTS |= {"debug_request"}  # answered by the kernel's debugger (debugger.py), registered by app.py
CONTROL_REQUESTS |= {"create_subshell_request", "delete_subshell_request", "list_subshell_request"}  # subshells.py


class _ThreadAborting(threading.local):
    aborting = False


class BadRequest(ValueError):
    """A request whose content does not follow the spec."""


class RequestHandlers:
    """Answers the shell and control requests of the messaging spec for one engine."""

    def __init__(self, shell: Shell, iopub: IOPub, *, output: KernelOutput | None = None,
                 flush: Callable[[], None] = lambda: None, stdin: Any = None, comms: Any = None,
                 executing: Callable[[], contextlib.AbstractContextManager] = contextlib.nullcontext,
                 on_shutdown: Callable[[bool], None] = lambda restart: None,
                 on_exit: Callable[[], None] | None = None,
                 on_interrupt: Callable[[], None] = lambda: None):
        self.shell = shell
        self.iopub = iopub
        self.output = output
        self.flush = flush
        self.stdin = stdin
        self.comms = comms
        self.executing = executing
        self.on_shutdown = on_shutdown
        self.on_exit = on_exit or (lambda: on_shutdown(False))
        self.on_interrupt = on_interrupt
        self._thread = _ThreadAborting()  # each subshell's queue is aborted on its own (subshells.py)
        self.handlers: dict[str, Callable[[dict[str, Any]], dict[str, Any] | None]] = {
            "execute_request": self.execute,
            "complete_request": self.complete,
            "inspect_request": self.inspect,
            "is_complete_request": self.is_complete,
            "history_request": self.history,
            "kernel_info_request": self.kernel_info,
            "comm_info_request": self.comm_info,
            "comm_open": self.comm_open,
            "comm_msg": self.comm_msg,
            "comm_close": self.comm_close,
            "shutdown_request": self.shutdown,
            "interrupt_request": self.interrupt,
        }

    @property
    def aborting(self) -> bool:
        """Set after an error with stop_on_error: this thread's queued executes are aborted."""
        return self._thread.aborting

    @aborting.setter
    def aborting(self, aborting: bool) -> None:
        self._thread.aborting = aborting

    # -- dispatch --------------------------------------------------------------------
    def dispatch(self, msg: dict[str, Any], reply: Reply, *, control: bool = False) -> None:
        """Handle one request: busy, the handler, the reply, idle.

        ``control=True`` is for the control thread, which may run while a cell
        runs: it answers only :data:`CONTROL_REQUESTS` and leaves the current
        parent (the cell's) alone.
        """
        msg_type = msg["header"]["msg_type"]
        if not control:
            self.iopub.parent = msg
        self.iopub.publish("status", {"execution_state": "busy"}, parent=msg)
        try:
            handler = self.handlers.get(msg_type)
            content: dict[str, Any] | None
            if control and msg_type not in CONTROL_REQUESTS:
                content = _error_reply("UnknownMessageType",
                                       f"{msg_type!r} is not answered on the control channel")
            elif handler is None:
                content = _error_reply("UnknownMessageType", f"hocus does not handle {msg_type!r} messages")
            else:
                try:
                    if not isinstance(msg.get("content"), dict):
                        raise BadRequest("content must be a JSON object")
                    content = handler(msg)
                except Exception as err:  # noqa: BLE001 - a bad request gets an error reply, never a dead kernel
                    content = _error_reply(type(err).__name__, f"{msg_type}: {err}")
            if content is not None and msg_type not in NO_REPLY:
                reply(_reply_type(msg_type), content)
        finally:
            if not control:
                self.flush()
            self.iopub.publish("status", {"execution_state": "idle"}, parent=msg)

    def abort(self, msg: dict[str, Any], reply: Reply) -> None:
        """Answer a queued request without running it (after an error with ``stop_on_error``)."""
        msg_type = msg["header"]["msg_type"]
        self.iopub.parent = msg
        self.iopub.publish("status", {"execution_state": "busy"})
        reply(_reply_type(msg_type), {"status": "aborted", "execution_count": self.shell.execution_count})
        self.iopub.publish("status", {"execution_state": "idle"})

    # -- execute -------------------------------------------------------------------------
    def execute(self, msg: dict[str, Any]) -> dict[str, Any]:
        content = msg["content"]
        code = _field(content, "code", str)
        silent = _field(content, "silent", bool, False)
        store_history = _field(content, "store_history", bool, not silent)
        user_expressions = _field(content, "user_expressions", dict, {})
        stop_on_error = _field(content, "stop_on_error", bool, True)
        metadata = msg.get("metadata") or {}
        cell_id = metadata.get("cellId")
        shell = self.shell
        deleted = metadata.get("deletedCells")  # JupyterLab: the cells deleted since its last execute_request
        if isinstance(deleted, list):
            shell.cells_deleted([cell for cell in deleted if isinstance(cell, str)])

        def announce(count: int | None) -> None:
            # Called once the cell has its number: one peeked before could be taken by a subshell's cell.
            number = shell.next_execution_count if count is None else count
            self.iopub.publish("execute_input", {"code": code, "execution_count": number})

        if self.stdin is not None:
            self.stdin.allowed = _field(content, "allow_stdin", bool, True)
        if self.output is not None:
            self.output.last_error = None
            self.output.pages.clear()
        result = None
        try:
            with self.executing():
                result = shell.run_cell(code, store_history=store_history, silent=silent,
                                        cell_id=cell_id if isinstance(cell_id, str) else None,
                                        on_start=None if silent else announce)
        except KeyboardInterrupt as err:  # an interrupt that arrived just as the cell ended
            if result is None:
                if self.output is not None:
                    self.output.write_error(err, "KeyboardInterrupt")
                return {"status": "error", "execution_count": shell.execution_count,
                        **error_content(err, "KeyboardInterrupt")}
        self.flush()
        count = result.execution_count if result.execution_count is not None else shell.execution_count
        reply: dict[str, Any] = {"execution_count": count, "payload": self._payloads(result),
                                 "user_expressions": self._user_expressions(user_expressions)}
        if result.success:
            reply["status"] = "ok"
        else:
            error = result.error_before_exec or result.error_in_exec
            assert error is not None  # not a success
            reported = self.output.last_error if self.output is not None else None
            reply.update({"status": "error", **(reported or error_content(error))})
            if stop_on_error and not silent:
                self.aborting = True
        if result.exit_requested:
            self.on_exit()  # exit() in a cell: this reply goes out, then the kernel ends (as ipykernel)
        return reply

    def _payloads(self, result: ExecutionResult) -> list[dict[str, Any]]:
        """The reply's payloads: what the cell paged, and what its result asks of the front end."""
        payloads: list[dict[str, Any]] = []
        pages = self.output.pages if self.output is not None else []
        if pages:
            payloads.append({"source": "page", "data": {"text/plain": "\n".join(pages)}, "start": 0})
            pages.clear()
        if result.next_input is not None:
            payloads.append({"source": "set_next_input", "text": result.next_input,
                             "replace": result.next_input_replace})
        if result.exit_requested:
            payloads.append({"source": "ask_exit", "keepkernel": False})
        return payloads

    def _user_expressions(self, expressions: dict[str, Any]) -> dict[str, Any]:
        results: dict[str, Any] = {}
        for name, expr in expressions.items():
            try:
                value = self.shell.ev(str(expr))
                data, metadata = self.shell.display_formatter.format(value)
                results[name] = {"status": "ok", "data": data, "metadata": metadata}
            except BaseException as err:  # noqa: BLE001 - reported in the reply, as the spec says
                results[name] = {"status": "error", **error_content(err)}
        return results

    # -- introspection -------------------------------------------------------------------
    def complete(self, msg: dict[str, Any]) -> dict[str, Any]:
        content = msg["content"]
        code = _field(content, "code", str)
        cursor = _cursor(content, code)
        return {"status": "ok", **completion_reply(self.shell.complete, code, cursor)}

    def inspect(self, msg: dict[str, Any]) -> dict[str, Any]:
        content = msg["content"]
        code = _field(content, "code", str)
        cursor = _cursor(content, code)
        detail = _field(content, "detail_level", int, 0)
        name = name_at_cursor(code, cursor)
        if not name:
            return {"status": "ok", "found": False, "data": {}, "metadata": {}}
        try:
            text = self.shell.inspect_object(name, 1 if detail else 0)
        except NameError:
            return {"status": "ok", "found": False, "data": {}, "metadata": {}}
        return {"status": "ok", "found": True, "data": {"text/plain": text}, "metadata": {}}

    def is_complete(self, msg: dict[str, Any]) -> dict[str, Any]:
        code = _field(msg["content"], "code", str)
        verdict = self.shell.is_complete(code)
        reply: dict[str, Any] = {"status": verdict.status}
        if verdict.status == "incomplete":
            reply["indent"] = verdict.indent
        return reply

    def history(self, msg: dict[str, Any]) -> dict[str, Any]:
        from shell.kernel import history_query  # loaded by the first history_request, not at start-up

        return {"status": "ok", "history": history_query.history_entries(self.shell, msg["content"])}

    def kernel_info(self, msg: dict[str, Any]) -> dict[str, Any]:
        return kernel_info_content()

    # -- comms ---------------------------------------------------------------------------
    def comm_info(self, msg: dict[str, Any]) -> dict[str, Any]:
        from shell.kernel.comms import comm_info

        if self.comms is None:
            return {"status": "ok", "comms": {}}
        target = msg["content"].get("target_name")
        return comm_info(self.comms, target if isinstance(target, str) else None)

    def comm_open(self, msg: dict[str, Any]) -> None:
        _field(msg["content"], "comm_id", str)
        _field(msg["content"], "target_name", str)
        if self.comms is not None:
            self.comms.comm_open(None, None, msg)

    def comm_msg(self, msg: dict[str, Any]) -> None:
        _field(msg["content"], "comm_id", str)
        if self.comms is not None:
            self.comms.comm_msg(None, None, msg)

    def comm_close(self, msg: dict[str, Any]) -> None:
        _field(msg["content"], "comm_id", str)
        if self.comms is not None:
            self.comms.comm_close(None, None, msg)

    # -- lifecycle -----------------------------------------------------------------------
    def shutdown(self, msg: dict[str, Any]) -> dict[str, Any]:
        restart = _field(msg["content"], "restart", bool, False)
        reply = {"status": "ok", "restart": restart}
        self.iopub.publish("shutdown_reply", reply, parent=msg)
        self.on_shutdown(restart)
        return reply

    def interrupt(self, msg: dict[str, Any]) -> dict[str, Any]:
        self.on_interrupt()
        return {"status": "ok"}


def completion_reply(completer: Callable[[str, int], CompletionResult], code: str, cursor: int) -> dict[str, Any]:
    """``matches``, ``cursor_start``, ``cursor_end`` and typed ``metadata`` from the engine's completer."""
    found = completer(code, cursor)
    items = [{"start": match.start, "end": match.end, "text": match.text, "type": match.type,
              "signature": match.signature} for match in found.matches]
    return {"matches": found.texts, "cursor_start": found.start, "cursor_end": found.end,
            "metadata": {"_jupyter_types_experimental": items}}


_NAME = re.compile(r"[A-Za-z_][\w.]*")


def name_at_cursor(code: str, cursor: int) -> str:
    """The dotted name the cursor is on, or else the function whose call it is inside (``f(x|``)."""
    cursor = max(0, min(cursor, len(code)))
    for match in _NAME.finditer(code):
        if match.start() <= cursor <= match.end() and not _in_number(code, match.start()):
            return match.group().rstrip(".")
    depth = 0
    for i in range(cursor - 1, -1, -1):
        ch = code[i]
        if ch == ")":
            depth += 1
        elif ch == "(":
            if depth == 0:
                before = re.search(r"[A-Za-z_][\w.]*\s*$", code[:i])
                return before.group().strip().rstrip(".") if before else ""
            depth -= 1
    return ""


def _in_number(code: str, start: int) -> bool:
    return start > 0 and (code[start - 1].isdigit() or code[start - 1] == ".")


def _cursor(content: dict[str, Any], code: str) -> int:
    cursor = content.get("cursor_pos")
    if cursor is None:
        return len(code)
    if not isinstance(cursor, int) or isinstance(cursor, bool):
        raise BadRequest("cursor_pos must be an integer")
    return max(0, min(cursor, len(code)))


_MISSING = object()


def _field(content: dict[str, Any], name: str, kind: type, default: Any = _MISSING) -> Any:
    value = content.get(name, _MISSING)
    if value is _MISSING or (value is None and default is not _MISSING):
        if default is _MISSING:
            raise BadRequest(f"missing {name!r}")
        return default
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise BadRequest(f"{name!r} must be {kind.__name__}, not {type(value).__name__}")
    return value


def _reply_type(msg_type: str) -> str:
    return msg_type[: -len("_request")] + "_reply" if msg_type.endswith("_request") else msg_type + "_reply"


def _error_reply(ename: str, evalue: str) -> dict[str, Any]:
    return {"status": "error", "ename": ename, "evalue": evalue, "traceback": []}
