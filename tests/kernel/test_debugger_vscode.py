"""VS Code's notebook debugger replayed over jupyter_client: "Debug Cell" and "Run by Line".

VS Code's Jupyter extension talks to a kernel's debugger with the same
``debug_request``/``debug_event`` messages as JupyterLab (ipykernel 6+; not
the old injected debugpy listener), but with requests, arguments and an
order of its own. This replays them, read from microsoft/vscode-jupyter's
``src/notebooks/debugger/`` (``kernelDebugAdapterBase.ts``,
``kernelDebugAdapter.ts``, ``helper.ts``, ``debuggingManager.ts``,
``controllers/debugCellController.ts``, ``runByLineController.ts``,
``resetKernelController.ts``) and VS Code's own ``debugSession.ts``:

1. a hidden cell prints ``ipykernel.__version__`` (the extension's check);
2. ``initialize`` with VS Code's client capabilities; ``debugInfo``, and a
   ``continue`` for each thread it says is stopped; ``attach`` with the
   launch configuration (``justMyCode``, ``__mode``, ``__cellIndex``...);
3. once the ``initialized`` event comes: ``dumpCell`` and ``setBreakpoints``
   for each cell with breakpoints, ``setFunctionBreakpoints``,
   ``setExceptionBreakpoints`` (debugpy's default filters, as filterOptions);
4. before ``configurationDone`` goes out: a hidden cell
   ``import debugpy; debugpy.debug_this_thread()``, ``dumpCell`` of every
   cell, and for Run by Line a breakpoint on the cell's first code line;
   then the cell runs, and VS Code asks for ``threads``;
5. at a stop: ``threads``, ``stackTrace`` (the top frame, then the rest),
   ``scopes``, ``variables``; ``continue``. Run by Line steps with
   ``stepIn`` only, and steps on by itself from any frame outside the cell;
6. when the cell is idle (or Run by Line is stopped, after a hidden
   ``pass``): ``disconnect`` with ``restart: false``, and a hidden cell
   that deletes the dumped files.

This is the protocol, not VS Code itself: no test here starts VS Code.
"""

from __future__ import annotations

import os
from queue import Empty
from typing import Callable

import pytest
from kernel_client import TIMEOUT, execute, shell_reply, stdout_of
from test_debugger import Debugger, debugger, kc, kernel  # noqa: F401 - the fixtures, shared

pytest.importorskip("debugpy")

NOTEBOOK = "notebook.ipynb"
INITIALIZE = {  # what VS Code's DebugSession.initialize sends, whatever the adapter
    "clientID": "vscode", "clientName": "Visual Studio Code", "adapterID": "Python Kernel Debug Adapter",
    "pathFormat": "path", "linesStartAt1": True, "columnsStartAt1": True, "supportsVariableType": True,
    "supportsVariablePaging": True, "supportsRunInTerminalRequest": True, "locale": "en",
    "supportsProgressReporting": True, "supportsInvalidatedEvent": True, "supportsMemoryReferences": True,
    "supportsArgsCanBeInterpretedByShell": True, "supportsMemoryEvent": True, "supportsStartDebuggingRequest": True,
}
RUN_BY_LINE, DEBUG_CELL = 0, 1  # the extension's KernelDebugMode (a numeric enum), sent as __mode


class VSCodeNotebook:
    """A notebook open in VS Code on one kernel, and what the Jupyter extension sends to debug its cells.

    It reads IOPub itself, keeping what cells print and which went idle on
    the way to a debug event, so a cell's output is never lost to a wait.
    """

    def __init__(self, debugger: Debugger, cells: list[str]):
        self.debugger = debugger
        self.kc = debugger.kc
        self.cells = cells
        self.dumped: dict[str, int] = {}  # dumped file -> cell index, as the extension maps frames to cells
        self.printed: dict[str, str] = {}  # msg_id -> what that request printed, read so far
        self.idle: set[str] = set()  # msg_ids whose idle status was read
        self.running = ""  # the msg_id of the cell being debugged

    def start(self, mode: int, index: int, *, breakpoints: dict[int, list[int]] | None = None,
              just_my_code: bool = True) -> str:
        """Steps 1 to 4 of the module docstring: the debug session starts and cell ``index`` runs; its msg_id."""
        reply, outputs = self.hidden("import builtins\nimport ipykernel\n"
                                     "builtins.print('5dc3a68c' + ipykernel.__version__ + '5dc3a68c')")
        assert reply["status"] == "ok" and "5dc3a68c" in stdout_of(outputs), "VS Code's ipykernel check fails"
        capabilities = self.attach(mode, index, just_my_code=just_my_code)
        self.configure(capabilities, breakpoints or {})
        return self.run(mode, index)

    def attach(self, mode: int, index: int, *, just_my_code: bool = True) -> dict:
        """Step 2 and the ``initialized`` event; debugpy's capabilities."""
        capabilities = self.debugger.ok("initialize", **INITIALIZE)
        for thread in self.debugger.ok("debugInfo")["stoppedThreads"]:  # the ResetKernelController
            self.debugger.send(self.kc.session.msg("debug_request", {
                "type": "request", "seq": 0, "command": "continue", "arguments": {"threadId": thread}}))
        self.debugger.ok("attach", type="Python Kernel Debug Adapter", name=NOTEBOOK, request="attach",
                         justMyCode=just_my_code, __mode=mode, __cellIndex=index,
                         __notebookUri=f"file:///work/{NOTEBOOK}", __sessionId="8a4b1f3e")
        self._iopub_until(lambda msg: is_event(msg, "initialized"), "'initialized' debug_event")
        return capabilities

    def configure(self, capabilities: dict, breakpoints: dict[int, list[int]]) -> None:
        """Step 3: what VS Code sends once the session is initialized."""
        for cell, lines in breakpoints.items():
            self.set_breakpoints(cell, lines)
        if capabilities.get("supportsFunctionBreakpoints"):
            self.debugger.ok("setFunctionBreakpoints", breakpoints=[])
        filters = [found["filter"] for found in capabilities.get("exceptionBreakpointFilters", [])
                   if found.get("default")]
        if capabilities.get("supportsExceptionFilterOptions"):
            self.debugger.ok("setExceptionBreakpoints", filters=[],
                             filterOptions=[{"filterId": name} for name in filters])
        else:
            self.debugger.ok("setExceptionBreakpoints", filters=filters)

    def run(self, mode: int, index: int) -> str:
        """Step 4: the controllers' set-up, ``configurationDone``, and the cell runs; its msg_id."""
        reply, _ = self.hidden("import debugpy\ndebugpy.debug_this_thread()")
        assert reply["status"] == "ok"
        for cell in range(len(self.cells)):
            self.dump(cell)
        if mode == RUN_BY_LINE:
            first = first_code_line(self.cells[index])
            placed = self.debugger.ok("setBreakpoints", source={"name": NOTEBOOK, "path": self.dump(index)},
                                      breakpoints=[{"line": first}], sourceModified=False)
            assert [found["line"] for found in placed["breakpoints"]] == [first]
        self.debugger.ok("configurationDone")
        self.running = self.kc.execute(self.cells[index])
        self.debugger.ok("threads")
        return self.running

    def hidden(self, code: str) -> tuple[dict, list[dict]]:
        """The extension's executeHidden: not stored in history, not stopped on error."""
        return execute(self.kc, code, silent=False, store_history=False, allow_stdin=True, stop_on_error=False)

    def dump(self, index: int) -> str:
        path = self.debugger.ok("dumpCell", code=self.cells[index])["sourcePath"]
        self.dumped[path] = index
        return path

    def set_breakpoints(self, index: int, lines: list[int]) -> None:
        path = self.dump(index)
        placed = self.debugger.ok("setBreakpoints", source={"name": NOTEBOOK, "path": path}, lines=lines,
                                  breakpoints=[{"line": line} for line in lines], sourceModified=False)
        assert [found["line"] for found in placed["breakpoints"]] == lines

    def stopped(self) -> tuple[int, dict, list[dict]]:
        """Step 5 at a ``stopped`` event: the thread, its top frame, and the rest of the stack."""
        event = self._iopub_until(lambda msg: is_event(msg, "stopped"), "'stopped' debug_event")
        thread = event["content"]["body"]["threadId"]
        assert thread in {found["id"] for found in self.debugger.ok("threads")["threads"]}
        top = self.debugger.ok("stackTrace", threadId=thread, startFrame=0, levels=1)["stackFrames"][0]
        rest = self.debugger.ok("stackTrace", threadId=thread, startFrame=1, levels=19)["stackFrames"]
        return thread, top, rest

    def locals_of(self, frame: dict) -> dict[str, dict]:
        scopes = self.debugger.ok("scopes", frameId=frame["id"])["scopes"]
        return self.debugger.variables(scopes[0]["variablesReference"])  # VS Code expands the first scope

    def next_line(self, thread: int, cell: int) -> tuple[dict, list[dict]] | None:
        """Run by Line's "next line": ``stepIn``, stepping on through frames outside the cell.

        The top frame of the stop it shows and the frames it stepped through
        on the way; None once the step ran off the end of the cell.
        """
        passed = []
        while (top := self.step("stepIn", thread)) is not None:
            if self.dumped.get(top["source"]["path"]) == cell:
                return top, passed
            passed.append(top)
        return None

    def step(self, command: str, thread: int) -> dict | None:
        """Send a step (``next``, ``stepIn``...); the top frame where it stops, None if the cell ends first."""
        self.debugger.ok(command, threadId=thread)
        msg = self._iopub_until(lambda msg: is_event(msg, "stopped") or self.running in self.idle,
                                "a stop or the cell's end")
        if not is_event(msg, "stopped"):
            return None
        return self.debugger.ok("stackTrace", threadId=thread, startFrame=0, levels=1)["stackFrames"][0]

    def finished(self, msg_id: str) -> tuple[dict, str]:
        """The cell's execute_reply content and everything it printed."""
        try:
            reply = shell_reply(self.kc, msg_id)["content"]
        except Empty:
            pytest.fail(f"the cell did not end within {TIMEOUT} s; {self.debugger.state()}")
        if msg_id not in self.idle:
            self._iopub_until(lambda msg: msg_id in self.idle, "the cell's idle status")
        return reply, self.printed.pop(msg_id, "")

    def end(self) -> None:
        """Step 6: the cell is idle; VS Code disconnects and deletes the files it had dumped."""
        self.debugger.ok("disconnect", restart=False)
        self.delete_files()

    def delete_files(self) -> None:
        files = ", ".join(repr(path) for path in self.dumped)
        reply, _ = self.hidden(f"import os as _VSCODE_os\n_VSCODE_fileList = [{files}]\n"
                               "for file in _VSCODE_fileList:\n    try:\n        _VSCODE_os.remove(file)\n"
                               "    except:\n        pass\ndel _VSCODE_fileList\ndel _VSCODE_os")
        assert reply["status"] == "ok"
        self.dumped.clear()

    def _iopub_until(self, wanted: Callable[[dict], bool], what: str) -> dict:
        """Read IOPub up to the first message ``wanted`` accepts, keeping outputs and idle statuses met."""
        while True:
            try:
                msg = self.kc.get_iopub_msg(timeout=TIMEOUT)
            except Empty:
                pytest.fail(f"no {what} came within {TIMEOUT} s; {self.debugger.state()}")
            parent = msg["parent_header"].get("msg_id", "")
            if msg["msg_type"] == "stream":
                self.printed[parent] = self.printed.get(parent, "") + msg["content"]["text"]
            elif msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                self.idle.add(parent)
            if wanted(msg):
                return msg


def is_event(msg: dict, name: str) -> bool:
    return msg["msg_type"] == "debug_event" and msg["content"]["event"] == name


def first_code_line(code: str) -> int:
    """Where Run by Line puts its breakpoint: the first line that is neither blank nor a comment."""
    for number, line in enumerate(code.splitlines(), start=1):
        if line.strip() and not line.strip().startswith("#"):
            return number
    raise ValueError("a cell with no code")


def test_debug_cell_stops_at_a_breakpoint_as_vscode_drives_it(kc, debugger):
    notebook = VSCodeNotebook(debugger, ["a = 20\nb = a + 1\nprint('sum', a + b)\n"])
    msg_id = notebook.start(DEBUG_CELL, 0, breakpoints={0: [2]})

    thread, top, rest = notebook.stopped()
    assert (notebook.dumped.get(top["source"]["path"]), top["line"], top["name"]) == (0, 2, "<module>")
    assert rest == [], "the kernel's own frames are not in the call stack"
    names = notebook.locals_of(top)
    assert names["a"]["value"] == "20" and "b" not in names
    # VS Code's own hidden cell put `debugpy` there; ipykernel leaves it out of the Variables view too
    assert "debugpy" not in names
    watched = debugger.ok("evaluate", expression="a + 1", frameId=top["id"], context="watch")
    assert watched["result"] == "21"
    debugger.ok("continue", threadId=thread)

    reply, printed = notebook.finished(msg_id)
    assert (reply["status"], printed) == ("ok", "sum 41\n")
    dumped = list(notebook.dumped)
    notebook.end()
    assert not any(os.path.exists(path) for path in dumped), "VS Code's clean-up deleted the cell files"
    reply, outputs = execute(kc, "print(b)")
    assert stdout_of(outputs) == "21\n"


def test_run_by_line_steps_through_the_cell_as_vscode_drives_it(kc, debugger):
    code = "# add two numbers\na = 20\nb = a + 1\nprint('sum', a + b)\n"
    notebook = VSCodeNotebook(debugger, [code])
    msg_id = notebook.start(RUN_BY_LINE, 0)

    thread, top, _ = notebook.stopped()
    assert (notebook.dumped.get(top["source"]["path"]), top["line"]) == (0, 2), "stops at the first code line"
    lines = [top["line"]]
    while (step := notebook.next_line(thread, 0)) is not None:
        top, passed = step
        assert passed == [], "no frame outside the cell on the way"
        lines.append(top["line"])
        if top["line"] == 4:
            assert notebook.locals_of(top)["b"]["value"] == "21"
    assert lines == [2, 3, 4], "one stop per line, in order"

    reply, printed = notebook.finished(msg_id)
    assert (reply["status"], printed) == ("ok", "sum 41\n")
    notebook.end()
    reply, outputs = execute(kc, "print(a + b)")
    assert (reply["status"], stdout_of(outputs)) == ("ok", "41\n")


def test_run_by_line_passes_through_a_function_defined_in_another_cell(kc, debugger):
    definition = "def double(x):\n    y = x * 2\n    return y\n"
    call = "r = double(21)\nprint('result', r)\n"
    notebook = VSCodeNotebook(debugger, [definition, call])
    assert execute(kc, definition)[0]["status"] == "ok"
    msg_id = notebook.start(RUN_BY_LINE, 1)

    thread, top, _ = notebook.stopped()
    assert (notebook.dumped.get(top["source"]["path"]), top["line"]) == (1, 1)
    shown, passed = [], []
    while (step := notebook.next_line(thread, 1)) is not None:
        shown.append(step[0]["line"])
        passed += [(notebook.dumped.get(frame["source"]["path"]), frame["name"]) for frame in step[1]]
    assert (0, "double") in passed, "the step went into the function's cell, and on through it"
    assert set(shown) <= {1, 2} and shown[-1] == 2, "every stop shown is in the cell run by line"
    reply, printed = notebook.finished(msg_id)
    assert (reply["status"], printed) == ("ok", "result 42\n")
    notebook.end()


def test_stopping_run_by_line_midway_lets_the_cell_finish(kc, debugger):
    notebook = VSCodeNotebook(debugger, ["first = 1\nsecond = first + 1\nprint('finished', second)\n"])
    msg_id = notebook.start(RUN_BY_LINE, 0)
    notebook.stopped()
    # the extension's RunByLineController.stop: a hidden `pass`, then disconnect, while the cell is held
    kc.execute("pass", silent=False, store_history=False, allow_stdin=True, stop_on_error=False)
    debugger.ok("disconnect", restart=False)
    reply, printed = notebook.finished(msg_id)
    assert (reply["status"], printed) == ("ok", "finished 2\n")
    notebook.delete_files()
    reply, outputs = execute(kc, "print(second)")
    assert stdout_of(outputs) == "2\n"


def test_a_second_session_after_vscode_deleted_the_cell_files(kc, debugger):
    """Debug Cell, then Run by Line, then Debug Cell again on the same cell, as a VS Code user goes on."""
    code = "u = 5\nv = u * 2\nprint('v', v)\n"
    notebook = VSCodeNotebook(debugger, [code])
    for mode, line in ((DEBUG_CELL, 2), (RUN_BY_LINE, 1), (DEBUG_CELL, 3)):
        msg_id = notebook.start(mode, 0, breakpoints={0: [line]} if mode == DEBUG_CELL else None)
        thread, top, _ = notebook.stopped()
        assert (notebook.dumped.get(top["source"]["path"]), top["line"]) == (0, line), mode
        debugger.ok("continue", threadId=thread)
        reply, printed = notebook.finished(msg_id)
        assert (reply["status"], printed) == ("ok", "v 10\n"), mode
        notebook.end()
    reply, outputs = execute(kc, code)  # the debugger is off: the same cell runs through
    assert (reply["status"], stdout_of(outputs)) == ("ok", "v 10\n")


def test_vscode_reloaded_while_a_cell_is_stopped_lets_it_go_and_starts_over(kc, debugger):
    """A new window's session first sends ``continue`` (seq 0) for the threads debugInfo says are stopped."""
    notebook = VSCodeNotebook(debugger, ["p = 1\nq = p + 1\nprint('q', q)\n", "w = 3\nprint('w', w)\n"])
    held = notebook.start(DEBUG_CELL, 0, breakpoints={0: [2]})
    notebook.stopped()
    # the window went away with no disconnect; the new one skips the ipykernel check (the kernel is busy,
    # and the extension skips it for a kernel whose spec says "debugger": true) and starts a session
    capabilities = notebook.attach(RUN_BY_LINE, 1)
    reply, printed = notebook.finished(held)
    assert (reply["status"], printed) == ("ok", "q 2\n"), "the held cell ran on"
    notebook.configure(capabilities, {})
    msg_id = notebook.run(RUN_BY_LINE, 1)
    thread, top, _ = notebook.stopped()
    assert (notebook.dumped.get(top["source"]["path"]), top["line"]) == (1, 1)
    debugger.ok("continue", threadId=thread)
    reply, printed = notebook.finished(msg_id)
    assert (reply["status"], printed) == ("ok", "w 3\n")
    notebook.end()


@pytest.mark.parametrize("code", ["p = 1\nq = 2\n", "import asyncio\nawait asyncio.sleep(0)\nq = 2\n"],
                         ids=["plain", "top-level await"])
def test_a_step_off_the_end_of_a_cell_ends_it_with_just_my_code_off(kc, debugger, code):
    """VS Code's ``jupyter.debugJustMyCode`` set to false: still no stop in the code that runs cells.

    ipykernel's reference: the ``next`` ends the cell (it skips every module
    it loaded at start-up, ``contextlib`` and ``asyncio`` among them).
    """
    notebook = VSCodeNotebook(debugger, [code])
    last = code.count("\n")
    msg_id = notebook.start(DEBUG_CELL, 0, breakpoints={0: [last]}, just_my_code=False)
    thread, top, _ = notebook.stopped()
    assert top["line"] == last
    stop = notebook.step("next", thread)
    assert stop is None, f"a step off the end of the cell stopped in {stop}"
    assert notebook.finished(msg_id)[0]["status"] == "ok"
    notebook.end()


def test_just_my_code_off_steps_into_the_standard_library(kc, debugger):
    notebook = VSCodeNotebook(debugger, ["import textwrap\nshown = textwrap.dedent('  x')\nprint(shown)\n"])
    msg_id = notebook.start(DEBUG_CELL, 0, breakpoints={0: [2]}, just_my_code=False)
    thread, top, _ = notebook.stopped()
    top = notebook.step("stepIn", thread)
    assert top is not None and (os.path.basename(top["source"]["path"]), top["name"]) == ("textwrap.py", "dedent")
    debugger.ok("continue", threadId=thread)
    reply, printed = notebook.finished(msg_id)
    assert (reply["status"], printed) == ("ok", "x\n")
    notebook.end()
