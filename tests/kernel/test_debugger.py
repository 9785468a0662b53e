"""The kernel's debugger over the Jupyter protocol: debug_request/debug_reply on control, debug_event on IOPub.

Each test drives a real kernel through jupyter_client the way JupyterLab's
debugger does: ``initialize``, ``attach``, ``dumpCell`` and
``setBreakpoints`` for a cell, ``configurationDone``, then it runs cells
and waits for the ``stopped`` event. Waits are on messages, never on time.
"""

from __future__ import annotations

import itertools
import os
import signal
from queue import Empty

import pytest
from kernel_client import TIMEOUT, execute, shell_reply, start_kernel, stdout_of

pytest.importorskip("debugpy")


class Debugger:
    """A front end's debugger session over one kernel client (what JupyterLab's debugger service does)."""

    def __init__(self, kc):
        self.kc = kc
        self._seq = itertools.count(1)

    def request(self, command: str, **arguments) -> dict:
        """Send a debug_request on control; the debug_reply's content."""
        msg = self.kc.session.msg("debug_request", {"type": "request", "seq": next(self._seq),
                                                    "command": command, "arguments": arguments})
        return self.send(msg)

    def send(self, msg: dict) -> dict:
        self.kc.control_channel.send(msg)
        while True:
            reply = self.kc.control_channel.get_msg(timeout=TIMEOUT)
            if reply["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
                assert reply["msg_type"] == "debug_reply"
                return reply["content"]

    def ok(self, command: str, **arguments) -> dict:
        reply = self.request(command, **arguments)
        assert reply["success"], reply
        return reply.get("body") or {}

    def event(self, name: str) -> dict:
        """Read IOPub up to the next debug_event called ``name``; its body."""
        seen = []  # what came instead, for the failure's message
        while True:
            try:
                msg = self.kc.get_iopub_msg(timeout=TIMEOUT)
            except Empty:
                pytest.fail(f"no {name!r} debug_event came within {TIMEOUT} s; on IOPub meanwhile: {seen}; "
                            f"{self.state()}")
            content = msg["content"]
            if msg["msg_type"] == "debug_event" and content["event"] == name:
                return content.get("body") or {}
            if msg["msg_type"] == "debug_event":
                seen.append(f"debug_event {content['event']} {str(content.get('body') or '')[:200]}")
            else:
                seen.append(f"{msg['msg_type']} {content.get('execution_state') or content.get('text', '')[:200]}")

    def state(self) -> str:
        """What the kernel says of its debugger, and the replies that came on shell: for a failure's message."""
        try:
            info = self.request("debugInfo").get("body") or {}
        except Empty:
            return f"and the kernel did not answer debugInfo on control within {TIMEOUT} s"
        replies = []
        while True:
            try:
                reply = self.kc.get_shell_msg(timeout=1)
            except Empty:
                break
            replies.append(f"{reply['msg_type']} {reply['content'].get('status')}")
        return (f"the kernel's debugInfo: started {info.get('isStarted')}, stopped threads "
                f"{info.get('stoppedThreads')}, breakpoints {info.get('breakpoints')}; replies on shell: {replies}")

    def start(self) -> None:
        """What JupyterLab sends when its debugger is switched on."""
        self.ok("initialize", clientID="jupyterlab", clientName="JupyterLab", adapterID="hocus",
                pathFormat="path", linesStartAt1=True, columnsStartAt1=True, supportsVariableType=True,
                supportsVariablePaging=True, supportsRunInTerminalRequest=True, locale="en")
        self.ok("attach")

    def break_in(self, code: str, *lines: int) -> str:
        """Dump a cell and set breakpoints on its ``lines``; the cell's source path."""
        path = self.ok("dumpCell", code=code)["sourcePath"]
        placed = self.ok("setBreakpoints", source={"path": path}, breakpoints=[{"line": n} for n in lines],
                         lines=list(lines), sourceModified=False)
        assert [bp["line"] for bp in placed["breakpoints"]] == list(lines)
        return path

    def run_until_stopped(self, code: str) -> tuple[str, int]:
        """Run a cell that hits a breakpoint; its msg_id and the stopped thread."""
        msg_id = self.kc.execute(code)
        return msg_id, self.event("stopped")["threadId"]

    def finish(self, msg_id: str, thread: int) -> dict:
        """Continue the stopped thread; the content of the cell's execute_reply."""
        self.ok("continue", threadId=thread)
        return shell_reply(self.kc, msg_id)["content"]

    def top_frame(self, thread: int) -> dict:
        frames = self.ok("stackTrace", threadId=thread)["stackFrames"]
        return frames[0]

    def variables(self, reference: int) -> dict[str, dict]:
        rows = self.ok("variables", variablesReference=reference)["variables"]
        return {row["name"]: row for row in rows}

    def scope(self, frame: int, name: str) -> dict[str, dict]:
        scopes = {scope["name"]: scope for scope in self.ok("scopes", frameId=frame)["scopes"]}
        return self.variables(scopes[name]["variablesReference"])

    def stop(self) -> None:
        self.ok("disconnect", restart=False, terminateDebuggee=False)


SHELL_NAMES = {"In", "Out", "_", "__", "___", "_i", "_ii", "_iii", "_i1", "_1", "exit", "quit", "get_ipython",
               "display", "open", "__hocus__", "__builtins__"}


@pytest.fixture
def kernel(hocus_env):
    """A kernel of the test's own, as ``[manager, client]``.

    Each test starts from a kernel whose debugger was never switched on,
    as the debugger suites of ipykernel and other kernels do; switching the
    debugger off and on again in one kernel is a test of its own
    (:func:`test_switching_the_debugger_off_and_on_again_stops_each_time`).
    """
    km, kc = start_kernel()
    yield [km, kc]
    kc.stop_channels()
    km.shutdown_kernel(now=True)


@pytest.fixture
def kc(kernel):
    return kernel[1]


@pytest.fixture
def debugger(kernel):
    """A debug session on the test's kernel; afterwards the kernel must be usable again.

    The session is switched off (a thread held at a breakpoint runs on)
    and the kernel must answer on control and on shell. If it cannot, the
    test fails saying which, after the kernel printed its threads' stacks.
    """
    session = Debugger(kernel[1])
    yield session
    problem = _leave_usable(session)
    if problem:
        km = kernel[0]
        if km.has_kernel and km.provisioner is not None and km.provisioner.process is not None:
            os.kill(km.provisioner.process.pid, signal.SIGUSR1)  # the kernel prints its threads' stacks (app.py)
        pytest.fail(f"{problem} (the kernel printed its threads' stacks on its stderr)")


def _leave_usable(session: Debugger) -> str | None:
    """Switch the debugger off and check the kernel answers again; what is wrong, or None."""
    step = "debugInfo on control"
    try:
        if session.request("debugInfo")["body"]["isStarted"]:
            step = "disconnect on control"
            stopped = session.request("disconnect", restart=False, terminateDebuggee=False)
            if not stopped["success"]:
                return f"disconnect failed: {stopped.get('message')}"
        step = "a cell once the debugger was off"  # a cell still held, or a main thread that stopped serving
        execute(session.kc, "pass")
    except Empty:
        return f"the kernel did not answer {step} within {TIMEOUT} s"
    return None


def test_a_fresh_kernel_has_not_loaded_the_debugger(hocus_env):
    km, kc = start_kernel()
    try:
        reply, outputs = execute(kc, "import sys\n"
                                     "print(sorted(m for m in ('debugpy', 'pydevd', 'shell.kernel.debugger') "
                                     "if m in sys.modules))")
        assert reply["status"] == "ok"
        assert stdout_of(outputs) == "[]\n"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_kernel_info_and_kernelspec_say_the_debugger_works(kc, hocus_env):
    kc.kernel_info()
    content = kc.get_shell_msg(timeout=TIMEOUT)["content"]
    assert content["debugger"] is True
    assert "debugger" in content["supported_features"]
    import json

    spec = json.loads((hocus_env / "share" / "jupyter" / "kernels" / "hocus" / "kernel.json").read_text())
    assert spec["metadata"]["debugger"] is True  # what JupyterLab checks before it enables its debugger


def test_a_breakpoint_in_a_cell_as_jupyterlab_drives_it(kc, debugger):
    debugger.start()
    code = "a = 20\nb = a + 1\nc = b * 2\nprint('done', c)\n"
    path = debugger.break_in(code, 2)
    debugger.ok("configurationDone")
    msg_id = kc.execute(code)

    stopped = debugger.event("stopped")
    assert stopped["reason"] == "breakpoint"
    thread = stopped["threadId"]
    threads = {found["name"] for found in debugger.ok("threads")["threads"]}
    assert "MainThread" in threads
    assert not [name for name in threads if name.startswith("hocus-")], "the kernel's own threads are not the user's"
    frame = debugger.top_frame(thread)
    assert (frame["source"]["path"], frame["line"]) == (path, 2)

    names = debugger.scope(frame["id"], "Locals")
    assert names["a"]["value"] == "20" and "b" not in names
    assert not SHELL_NAMES & set(names), "the shell's own names are not the user's variables"
    grouped = debugger.variables(names["function variables"]["variablesReference"])
    assert not SHELL_NAMES & set(grouped)

    evaluated = debugger.ok("evaluate", expression="a * 2 + 2", frameId=frame["id"], context="repl")
    assert evaluated["result"] == "42"

    debugger.ok("next", threadId=thread)
    assert debugger.event("stopped")["reason"] == "step"
    frame = debugger.top_frame(thread)
    assert (frame["source"]["path"], frame["line"]) == (path, 3)
    assert debugger.scope(frame["id"], "Locals")["b"]["value"] == "21"

    debugger.ok("continue", threadId=thread)
    reply = shell_reply(kc, msg_id)
    assert reply["content"]["status"] == "ok"
    debugger.stop()
    reply, outputs = execute(kc, "print(c)")
    assert stdout_of(outputs) == "42\n"


def test_a_breakpoint_in_a_function_defined_by_an_earlier_cell(kc, debugger):
    debugger.start()
    definition = "def double(x):\n    y = x * 2\n    return y\n"
    debugger.ok("configurationDone")
    assert execute(kc, definition)[0]["status"] == "ok"
    path = debugger.break_in(definition, 2)
    call = "r = double(21)\nprint('result', r)\n"
    msg_id = kc.execute(call)

    stopped = debugger.event("stopped")
    frames = debugger.ok("stackTrace", threadId=stopped["threadId"])["stackFrames"]
    assert (frames[0]["name"], frames[0]["source"]["path"], frames[0]["line"]) == ("double", path, 2)
    assert frames[1]["line"] == 1 and frames[1]["source"]["path"] == debugger.ok("dumpCell", code=call)["sourcePath"]
    assert debugger.scope(frames[0]["id"], "Locals")["x"]["value"] == "21"

    debugger.ok("stepOut", threadId=stopped["threadId"])
    assert debugger.event("stopped")["reason"] == "step"
    frame = debugger.top_frame(stopped["threadId"])
    assert (frame["name"], frame["line"]) == ("<module>", 1)

    debugger.ok("continue", threadId=stopped["threadId"])
    assert shell_reply(kc, msg_id)["content"]["status"] == "ok"


@pytest.mark.parametrize("ending", ["\n", ""], ids=["newline-at-end", "no-newline-at-end"])  # a notebook cell: none
def test_a_function_defined_before_the_debugger_was_switched_on(hocus_env, ending):
    km, kc = start_kernel()
    try:
        definition = "def early(x):\n    y = x + 1\n    return y" + ending
        assert execute(kc, definition)[0]["status"] == "ok"
        debugger = Debugger(kc)
        debugger.start()
        path = debugger.break_in(definition, 2)
        debugger.ok("configurationDone")
        msg_id, thread = debugger.run_until_stopped("print(early(1))")
        frame = debugger.top_frame(thread)
        assert (frame["name"], frame["source"]["path"], frame["line"]) == ("early", path, 2)
        assert debugger.scope(frame["id"], "Locals")["x"]["value"] == "1"
        assert debugger.finish(msg_id, thread)["status"] == "ok"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


@pytest.mark.parametrize("ending", ["\n", ""], ids=["newline-at-end", "no-newline-at-end"])
def test_a_cell_run_before_the_debugger_was_switched_on_stops_when_run_again(kc, debugger, ending):
    """What a JupyterLab user does first: run cells, switch the debugger on, set a breakpoint, run the cell again."""
    cell = "a = 20\nb = a + 1\nprint('b is', b)" + ending
    assert execute(kc, cell)[0]["status"] == "ok"
    debugger.start()
    path = debugger.break_in(cell, 2)
    debugger.ok("configurationDone")
    msg_id, thread = debugger.run_until_stopped(cell)
    frame = debugger.top_frame(thread)
    assert (frame["name"], frame["source"]["path"], frame["line"]) == ("<module>", path, 2)
    assert debugger.scope(frame["id"], "Globals")["a"]["value"] == "20"
    assert debugger.finish(msg_id, thread)["status"] == "ok"


def test_a_step_off_the_end_of_a_cell_ends_with_the_cell(kc, debugger):
    debugger.start()
    code = "first = 1\nsecond = 2\n"
    debugger.break_in(code, 2)
    debugger.ok("configurationDone")
    msg_id, thread = debugger.run_until_stopped(code)
    debugger.ok("next", threadId=thread)
    assert shell_reply(kc, msg_id)["content"]["status"] == "ok"
    reply, outputs = execute(kc, "third = 3\nprint('ran through', third)\n")  # not held at its first line
    assert stdout_of(outputs) == "ran through 3\n"


@pytest.mark.parametrize("code, line", [("%time q = 1\nr = q + 1\n", 2),
                                        ("%%time\nq = 1\nr = q + 1\n", 3),
                                        ("listing = !echo hi\nfirst = listing[0]\n", 2)])
def test_breakpoints_in_cells_with_hocus_syntax(kc, debugger, code, line):
    debugger.start()
    path = debugger.break_in(code, line)
    debugger.ok("configurationDone")
    msg_id, thread = debugger.run_until_stopped(code)
    frame = debugger.top_frame(thread)
    assert (frame["source"]["path"], frame["line"]) == (path, line)
    debugger.ok("setBreakpoints", source={"path": path}, breakpoints=[])
    assert debugger.finish(msg_id, thread)["status"] == "ok"


def test_step_in_from_a_cell_into_a_function(kc, debugger):
    debugger.start()
    debugger.ok("configurationDone")
    definition = "def triple(x):\n    z = x * 3\n    return z\n"
    assert execute(kc, definition)[0]["status"] == "ok"
    debugger.ok("dumpCell", code=definition)
    call = "t = triple(5)\n"
    debugger.break_in(call, 1)
    msg_id, thread = debugger.run_until_stopped(call)
    debugger.ok("stepIn", threadId=thread)
    assert debugger.event("stopped")["reason"] == "step"
    frame = debugger.top_frame(thread)
    assert (frame["name"], frame["line"]) == ("triple", 2)
    source = debugger.ok("source", source={"path": frame["source"]["path"]})
    assert source["content"] == definition
    assert debugger.finish(msg_id, thread)["status"] == "ok"


def test_debug_info_lets_a_reloaded_page_pick_up_where_it_was(kc, debugger, kernel):
    debugger.start()
    code = "for k in range(3):\n    m = k\n"
    path = debugger.break_in(code, 2)
    debugger.ok("configurationDone")
    msg_id, thread = debugger.run_until_stopped(code)

    from jupyter_client import BlockingKernelClient

    other = BlockingKernelClient()  # a second front end with a session of its own: the page after a reload
    other.load_connection_info(kernel[0].get_connection_info())
    other.start_channels()
    try:
        info = Debugger(other).ok("debugInfo")
    finally:
        other.stop_channels()
    assert info["isStarted"] is True
    assert {"source": path, "breakpoints": [{"line": 2}]} in info["breakpoints"]
    assert info["stoppedThreads"] == [thread]
    assert info["hashMethod"] == "Murmur2"
    assert path == f"{info['tmpFilePrefix']}{_murmur2(code, info['hashSeed'])}{info['tmpFileSuffix']}"

    debugger.ok("setBreakpoints", source={"path": path}, breakpoints=[])
    assert debugger.finish(msg_id, thread)["status"] == "ok"
    assert debugger.ok("debugInfo")["stoppedThreads"] == []


def _murmur2(code: str, seed: int) -> int:
    """JupyterLab's cell hash, as ipykernel computes it (the reference the kernel's names must match)."""
    from ipykernel.compiler import murmur2_x86

    return murmur2_x86(code, seed)


def test_variables_between_cells_are_the_users_only(kc, debugger):
    assert execute(kc, "numbers = [1, 2, 3]\nsettings = {'depth': 4}\n_private = 1\n")[0]["status"] == "ok"
    rows = {row["name"]: row for row in debugger.ok("inspectVariables")["variables"]}
    assert rows["numbers"]["value"] == "[1, 2, 3]" and rows["numbers"]["type"] == "list"
    assert "_private" in rows
    assert not SHELL_NAMES & set(rows)
    items = debugger.variables(rows["settings"]["variablesReference"])
    assert items["'depth'"]["value"] == "4"


def test_rich_inspect_variables_gives_a_dataframe_as_html(kc, debugger):
    pytest.importorskip("pandas")
    code = "import pandas as pd\nframe = pd.DataFrame({'x': [1, 2]})\nn = len(frame)\n"
    assert execute(kc, "import pandas as pd\nearly = pd.DataFrame({'y': [7]})")[0]["status"] == "ok"
    shown = debugger.ok("richInspectVariables", variableName="early")
    assert "<table" in shown["data"]["text/html"] and "7" in shown["data"]["text/plain"]

    debugger.start()
    debugger.break_in(code, 3)
    debugger.ok("configurationDone")
    msg_id, thread = debugger.run_until_stopped(code)
    frame = debugger.top_frame(thread)
    shown = debugger.ok("richInspectVariables", variableName="frame", frameId=frame["id"])
    assert "<table" in shown["data"]["text/html"]
    assert "x" in shown["data"]["text/plain"]
    assert debugger.finish(msg_id, thread)["status"] == "ok"


def test_copy_to_globals_from_a_stopped_function(kc, debugger):
    debugger.start()
    debugger.ok("configurationDone")
    definition = "def scale(v):\n    w = v * 10\n    return w\n"
    assert execute(kc, definition)[0]["status"] == "ok"
    debugger.break_in(definition, 3)
    msg_id, thread = debugger.run_until_stopped("scale(4)")
    frame = debugger.top_frame(thread)
    debugger.ok("copyToGlobals", srcVariableName="w", dstVariableName="w_copy", srcFrameId=frame["id"])
    assert debugger.finish(msg_id, thread)["status"] == "ok"
    reply, outputs = execute(kc, "print(w_copy)")
    assert stdout_of(outputs) == "40\n"


def test_interrupt_while_stopped_ends_the_cell_and_breakpoints_still_work(kc, debugger):
    debugger.start()
    code = "total = 0\nfor i in range(5):\n    total += i\n"
    path = debugger.break_in(code, 3)
    debugger.ok("configurationDone")
    msg_id = kc.execute(code)
    debugger.event("stopped")
    kc.control_channel.send(kc.session.msg("interrupt_request", {}))
    reply = shell_reply(kc, msg_id)["content"]
    assert (reply["status"], reply["ename"]) == ("error", "KeyboardInterrupt")
    assert debugger.ok("debugInfo")["stoppedThreads"] == []

    msg_id = kc.execute(code)  # the same breakpoint holds the next run too
    stopped = debugger.event("stopped")
    assert debugger.top_frame(stopped["threadId"])["source"]["path"] == path
    debugger.ok("setBreakpoints", source={"path": path}, breakpoints=[])
    debugger.ok("continue", threadId=stopped["threadId"])
    assert shell_reply(kc, msg_id)["content"]["status"] == "ok"


def test_switching_the_debugger_off_while_stopped_lets_the_cell_finish(kc, debugger):
    debugger.start()
    code = "late = 1\nlater = late + 1\nprint('finished', later)\n"
    debugger.break_in(code, 2)
    debugger.ok("configurationDone")
    msg_id, thread = debugger.run_until_stopped(code)
    debugger.stop()
    assert shell_reply(kc, msg_id)["content"]["status"] == "ok"
    info = debugger.ok("debugInfo")
    assert (info["isStarted"], info["breakpoints"], info["stoppedThreads"]) == (False, [], [])
    reply, outputs = execute(kc, code)  # the breakpoint went with the debugger
    assert stdout_of(outputs) == "finished 2\n"


def test_switching_the_debugger_off_and_on_again_stops_each_time(kc, debugger):
    """What a JupyterLab user does with the debugger toggle: each session stops at its breakpoint."""
    code = "first = 1\nsecond = first + 1\n"
    for _ in range(3):
        debugger.start()
        path = debugger.break_in(code, 2)
        debugger.ok("configurationDone")
        msg_id, thread = debugger.run_until_stopped(code)
        assert debugger.top_frame(thread)["source"]["path"] == path
        assert debugger.finish(msg_id, thread)["status"] == "ok"
        debugger.stop()
        assert execute(kc, code)[0]["status"] == "ok"  # switched off, the same cell runs through


def test_bad_debug_requests_get_a_clear_error_and_the_kernel_survives(kc, debugger):
    no_command = debugger.send(kc.session.msg("debug_request", {"type": "request", "seq": 1}))
    assert no_command["success"] is False and "command" in no_command["message"]
    not_started = debugger.request("stackTrace", threadId=1)
    assert not_started["success"] is False and "not started" in not_started["message"]
    unknown = debugger.request("richInspectVariables", variableName="no_such_name")
    assert unknown["success"] is False and "no_such_name" in unknown["message"]
    debugger.start()
    missing = debugger.request("setBreakpoints", breakpoints=[{"line": 1}])
    assert missing["success"] is False and "source" in missing["message"]
    nonsense = debugger.request("noSuchCommand")
    assert nonsense["success"] is False and nonsense["message"]
    bad_args = debugger.send(kc.session.msg("debug_request", {"type": "request", "seq": 9, "command": "source",
                                                              "arguments": "oops"}))
    assert bad_args["success"] is False and "arguments" in bad_args["message"]
    debugger.stop()
    reply, outputs = execute(kc, "print('still here')")
    assert stdout_of(outputs) == "still here\n"


def test_shutdown_while_stopped_at_a_breakpoint(hocus_env):
    km, kc = start_kernel()
    try:
        debugger = Debugger(kc)
        debugger.start()
        code = "import time\nwhile True:\n    time.sleep(0)\n"
        debugger.break_in(code, 3)
        debugger.ok("configurationDone")
        kc.execute(code)
        debugger.event("stopped")
        kc.shutdown()
        assert km.provisioner.process.wait(timeout=TIMEOUT) is not None  # the kernel process ended by itself
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
