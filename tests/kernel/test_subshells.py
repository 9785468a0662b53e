"""Kernel subshells (JEP 91), through jupyter_client against a real kernel.

A subshell is a second thread of shell requests: created, listed and deleted
on the control channel, addressed by ``subshell_id`` in a shell request's
header. These tests keep the main shell busy with a cell and show that a
subshell answers meanwhile, against the same namespace, with its output
under its own request on IOPub. Nothing here waits on the clock: a cell
prints a marker, the test waits for that marker.
"""

from __future__ import annotations

import pytest

from kernel_client import TIMEOUT, collect, flush, shell_reply, start_kernel, stdout_of, wait_for_stream
from waiting import eventually

SUBSHELLS = "kernel subshells"


# -- a client for the three control requests and for addressing a subshell ----------------------
def control(kc, msg_type: str, content: dict | None = None) -> dict:
    """Send a control request; the content of its reply."""
    msg = kc.session.msg(msg_type, content or {})
    kc.control_channel.send(msg)
    while True:
        reply = kc.get_control_msg(timeout=TIMEOUT)
        if reply["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
            assert reply["msg_type"] == msg_type.replace("_request", "_reply")
            return reply["content"]


def create_subshell(kc) -> str:
    reply = control(kc, "create_subshell_request")
    assert reply["status"] == "ok", reply
    return reply["subshell_id"]


def listed(kc) -> list[str]:
    reply = control(kc, "list_subshell_request")
    assert reply["status"] == "ok", reply
    return reply["subshell_id"]


def send(kc, msg_type: str, content: dict, subshell_id: str | None = None) -> str:
    """Send a shell request (to a subshell when ``subshell_id`` is given); its msg_id."""
    msg = kc.session.msg(msg_type, content)
    if subshell_id is not None:
        msg["header"]["subshell_id"] = subshell_id
    kc.shell_channel.send(msg)
    return msg["header"]["msg_id"]


def execute(kc, code: str, subshell_id: str | None = None, **options) -> str:
    content = {"code": code, "silent": False, "store_history": True, "user_expressions": {},
               "allow_stdin": False, "stop_on_error": True, **options}
    return send(kc, "execute_request", content, subshell_id)


def replies_until(kc, msg_id: str) -> list[dict]:
    """Shell replies in the order they arrive, up to and including the one to ``msg_id``."""
    seen = []
    while True:
        msg = kc.get_shell_msg(timeout=TIMEOUT)
        seen.append(msg)
        if msg["parent_header"].get("msg_id") == msg_id:
            return seen


def replies_to(kc, *msg_ids: str) -> list[dict]:
    """The reply contents of requests answered in any order (concurrent cells end in either order)."""
    found: dict[str, dict] = {}
    while len(found) < len(msg_ids):
        msg = kc.get_shell_msg(timeout=TIMEOUT)
        if msg["parent_header"].get("msg_id") in msg_ids:
            found[msg["parent_header"]["msg_id"]] = msg["content"]
    return [found[msg_id] for msg_id in msg_ids]


def collect_each(kc, *msg_ids: str) -> list[list[dict]]:
    """IOPub messages of several requests running at once, each up to its idle status (in order of ``msg_ids``)."""
    found: dict[str, list[dict]] = {msg_id: [] for msg_id in msg_ids}
    busy = set(msg_ids)
    while busy:
        msg = kc.get_iopub_msg(timeout=TIMEOUT)
        parent = msg["parent_header"].get("msg_id")
        if parent in found:
            found[parent].append(msg)
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                busy.discard(parent)
    return [found[msg_id] for msg_id in msg_ids]


def messages_until_stream(kc, msg_id: str, text: str) -> list[dict]:
    """IOPub messages of ``msg_id`` up to the stream output holding ``text`` (a marker its cell prints)."""
    found: list[dict] = []
    while not any(m["msg_type"] == "stream" and text in m["content"]["text"] for m in found):
        msg = kc.get_iopub_msg(timeout=TIMEOUT)
        if msg["parent_header"].get("msg_id") == msg_id:
            found.append(msg)
    return found


def hold_main(kc, event: str, then: str = "") -> str:
    """Start a main-shell cell that waits until the ``threading.Event`` named ``event`` is set, then runs ``then``.

    Returns its msg_id once the cell is running (it printed a marker).
    """
    run(kc, f"import threading\n{event} = threading.Event()")
    main = execute(kc, f"print('main started', flush=True)\nwaited = {event}.wait(120)\n{then}")
    wait_for_stream(kc, main, "main started")
    return main


def run(kc, code: str, subshell_id: str | None = None) -> tuple[dict, list[dict]]:
    """Run ``code`` (in a subshell, or the main shell) and wait: reply content, IOPub messages."""
    msg_id = execute(kc, code, subshell_id)
    reply = shell_reply(kc, msg_id)["content"]
    return reply, collect(kc, msg_id)


@pytest.fixture
def subshell(kc):
    subshell_id = create_subshell(kc)
    yield subshell_id
    if subshell_id in listed(kc):
        assert control(kc, "delete_subshell_request", {"subshell_id": subshell_id})["status"] == "ok"


# -- the feature and the control requests --------------------------------------------------------
def test_kernel_info_lists_kernel_subshells(kc):
    features = kc.kernel_info(reply=True, timeout=TIMEOUT)["content"]["supported_features"]
    assert SUBSHELLS in features  # the spelling ipykernel 7 and the JEP use


def test_create_list_and_delete(kc):
    before = listed(kc)
    first, second = create_subshell(kc), create_subshell(kc)
    assert isinstance(first, str) and first and first != second
    assert set(listed(kc)) == set(before) | {first, second}  # the main shell (None) is not listed
    assert control(kc, "delete_subshell_request", {"subshell_id": first}) == {"status": "ok"}
    assert set(listed(kc)) == set(before) | {second}
    assert control(kc, "delete_subshell_request", {"subshell_id": second}) == {"status": "ok"}
    assert listed(kc) == before


# -- running while the main shell is busy ------------------------------------------------------
def test_subshell_answers_while_the_main_cell_sleeps(kc, subshell):
    run(kc, "shared = 'set in the main shell'")
    main = execute(kc, "import time\nprint('main started', flush=True)\ntime.sleep(5)\nprint('main done')")
    wait_for_stream(kc, main, "main started")  # the main cell is in its sleep
    sub = execute(kc, "print(shared)\nshared.upper()", subshell)
    arrived = replies_until(kc, sub)
    assert main not in [m["parent_header"]["msg_id"] for m in arrived]  # the main cell is still busy
    reply = arrived[-1]
    assert reply["content"]["status"] == "ok"
    assert reply["parent_header"]["subshell_id"] == subshell
    assert shell_reply(kc, main)["content"]["status"] == "ok"
    outputs, main_outputs = collect_each(kc, sub, main)
    assert stdout_of(outputs) == "set in the main shell\n"  # the same namespace
    results = [m["content"]["data"]["text/plain"] for m in outputs if m["msg_type"] == "execute_result"]
    assert results == ["'SET IN THE MAIN SHELL'"]
    states = [m["content"]["execution_state"] for m in outputs if m["msg_type"] == "status"]
    assert states == ["busy", "idle"]
    assert stdout_of(main_outputs) == "main done\n"  # 'main started' was read by wait_for_stream


def test_main_cell_waits_on_what_only_a_subshell_cell_does(kc, subshell):
    """The main cell cannot finish unless the subshell's cell runs while it is running."""
    main = hold_main(kc, "released", then="print('released:', waited)")
    sub = execute(kc, "released.set()", subshell)
    assert [reply["status"] for reply in replies_to(kc, sub, main)] == ["ok", "ok"]
    main_outputs, _ = collect_each(kc, main, sub)
    assert stdout_of(main_outputs) == "released: True\n"


def test_outputs_of_concurrent_cells_go_to_their_own_requests(kc, subshell):
    """The main cell prints and displays while the subshell does: each output keeps its parent."""
    run(kc, "import threading, time\nsub_done = threading.Event()")
    main = execute(kc, "print('main started', flush=True)\n"
                       "while not sub_done.is_set():\n"
                       "    print('main tick')\n"
                       "    time.sleep(0.01)\n"
                       "display('main display')")
    wait_for_stream(kc, main, "main started")
    sub = execute(kc, "for i in range(20):\n"
                      "    print('sub line', i)\n"
                      "    time.sleep(0.01)\n"
                      "import sys; print('sub error', file=sys.stderr)\n"
                      "display('sub display')\n"
                      "sub_done.set()\n"
                      "'sub result'", subshell)
    assert [reply["status"] for reply in replies_to(kc, sub, main)] == ["ok", "ok"]
    sub_outputs, main_outputs = collect_each(kc, sub, main)

    sub_text = "".join(m["content"]["text"] for m in sub_outputs if m["msg_type"] == "stream")
    assert "main tick" not in sub_text
    assert stdout_of(sub_outputs) == "".join(f"sub line {i}\n" for i in range(20))
    assert [m["content"]["text"] for m in sub_outputs
            if m["msg_type"] == "stream" and m["content"]["name"] == "stderr"] == ["sub error\n"]
    shown = [(m["msg_type"], m["content"]["data"]["text/plain"]) for m in sub_outputs
             if m["msg_type"] in ("display_data", "execute_result")]
    assert shown == [("display_data", "'sub display'"), ("execute_result", "'sub result'")]

    main_text = "".join(m["content"]["text"] for m in main_outputs if m["msg_type"] == "stream")
    assert "sub " not in main_text
    assert set(main_text.split("\n")) <= {"main tick", ""}
    assert [m["content"]["data"]["text/plain"] for m in main_outputs
            if m["msg_type"] == "display_data"] == ["'main display'"]


def test_shell_requests_other_than_execute_run_in_the_subshell(kc, subshell):
    run(kc, "completable_name = 1")
    main = hold_main(kc, "requests_answered")
    complete = send(kc, "complete_request", {"code": "completable_", "cursor_pos": 12}, subshell)
    inspect = send(kc, "inspect_request", {"code": "completable_name", "cursor_pos": 3, "detail_level": 0},
                   subshell)
    is_complete = send(kc, "is_complete_request", {"code": "for x in y:"}, subshell)
    history = send(kc, "history_request", {"hist_access_type": "tail", "n": 3, "output": False, "raw": True},
                   subshell)
    arrived = replies_until(kc, history)  # a subshell answers its requests in order
    by_id = {m["parent_header"]["msg_id"]: m["content"] for m in arrived}
    assert main not in by_id  # the main cell waits for requests_answered
    assert "completable_name" in by_id[complete]["matches"]
    assert by_id[inspect]["found"] is True
    assert by_id[is_complete]["status"] == "incomplete"
    assert by_id[history]["status"] == "ok" and by_id[history]["history"]
    release = execute(kc, "requests_answered.set()", subshell)
    assert [reply["status"] for reply in replies_to(kc, release, main)] == ["ok", "ok"]
    collect_each(kc, main, complete, inspect, is_complete, history, release)


def test_shell_escape_output_in_a_subshell_is_its_own(kc, subshell):
    """``!cmd`` in a subshell: the child's output is read in the subshell's thread, and goes to its request."""
    main = hold_main(kc, "escape_done")
    sub = execute(kc, "!echo from the child\nescape_done.set()", subshell)
    assert [reply["status"] for reply in replies_to(kc, sub, main)] == ["ok", "ok"]
    sub_outputs, main_outputs = collect_each(kc, sub, main)
    assert "from the child" in stdout_of(sub_outputs)
    assert "from the child" not in stdout_of(main_outputs)


def test_stop_on_error_aborts_what_waits_in_that_subshell_only(kc, subshell):
    run(kc, "import threading\nmay_fail = threading.Event()")
    failing = execute(kc, "may_fail.wait(120)\n1 / 0", subshell)
    queued = execute(kc, "print('should not run')", subshell)
    # The router reads requests in the order they were sent: when the main shell runs this,
    # the subshell's second request already waits in its queue.
    released, _ = run(kc, "may_fail.set()")
    assert released["status"] == "ok"
    first, second = replies_to(kc, failing, queued)
    assert first["status"] == "error" and first["ename"] == "ZeroDivisionError"
    assert second["status"] == "aborted"
    _, outputs = collect_each(kc, failing, queued)
    assert stdout_of(outputs) == ""
    reply, outputs = run(kc, "print('the subshell goes on')", subshell)
    assert reply["status"] == "ok" and stdout_of(outputs) == "the subshell goes on\n"


def test_stop_on_error_in_the_main_shell_aborts_its_queue_not_the_subshells(kc, subshell):
    first = hold_main(kc, "main_may_fail", then="raise RuntimeError('first')")
    second, third = execute(kc, "print('never')"), execute(kc, "print('never either')")
    # Read by the router after the two above: they wait in the main shell's queue when it fails.
    release = execute(kc, "main_may_fail.set()", subshell)
    replies = replies_to(kc, first, second, third, release)
    assert [reply["status"] for reply in replies] == ["error", "aborted", "aborted", "ok"]
    collect_each(kc, first, second, third, release)
    reply, outputs = run(kc, "print('main after')")
    assert reply["status"] == "ok" and stdout_of(outputs) == "main after\n"


# -- execution counts and history ----------------------------------------------------------------
def test_concurrent_cells_take_different_execution_counts(kc, subshell):
    """As in ipykernel 7: one counter for the kernel; each cell its own number, its own In[N] and history row."""
    run(kc, "import threading\nmain_may_end = threading.Event()")
    main_code = "print('main started', flush=True)\nmain_may_end.wait(120)\n'main value'"
    main = execute(kc, main_code)
    main_started = messages_until_stream(kc, main, "main started")
    sub_code = "'sub value'"
    sub = execute(kc, sub_code, subshell)
    sub_reply = shell_reply(kc, sub)["content"]
    release = execute(kc, "main_may_end.set()", subshell)
    main_reply, _ = replies_to(kc, main, release)
    main_outputs, sub_outputs, _ = collect_each(kc, main, sub, release)
    main_outputs = main_started + main_outputs

    main_count, sub_count = main_reply["execution_count"], sub_reply["execution_count"]
    assert sub_count == main_count + 1  # ipykernel 7 numbers them so too (its reply to the main cell does not)
    inputs = {m["content"]["execution_count"] for m in main_outputs if m["msg_type"] == "execute_input"}
    assert inputs == {main_count}  # the reply's number is the one the cell started with
    assert [m["content"]["execution_count"] for m in sub_outputs if m["msg_type"] == "execute_result"] == [sub_count]
    assert [m["content"]["execution_count"] for m in main_outputs if m["msg_type"] == "execute_result"] == [main_count]
    check, outputs = run(kc, f"print(repr(In[{main_count}]), repr(In[{sub_count}]), "
                             f"Out[{main_count}], Out[{sub_count}])")
    assert stdout_of(outputs) == f"{main_code!r} {sub_code!r} main value sub value\n"
    assert check["execution_count"] == main_count + 3  # after the subshell's release cell, main_count + 2
    history = kc.history(hist_access_type="tail", n=20, output=False, reply=True, timeout=TIMEOUT)
    rows = {number: source for _, number, source in history["content"]["history"]}
    assert rows[main_count] == main_code
    assert rows[sub_count] == sub_code


def test_what_a_subshell_cell_reruns_shows_as_that_cells_output(kc, subshell):
    """A result of ``%rerun`` is Out[N] of the cell that ran it (as in IPython), not of the busy main cell."""
    earlier, _ = run(kc, "6 * 7")
    main = hold_main(kc, "rerun_done")
    sub = execute(kc, f"%rerun {earlier['execution_count']}", subshell)
    sub_reply = shell_reply(kc, sub)["content"]
    release = execute(kc, "rerun_done.set()", subshell)
    main_reply, _ = replies_to(kc, main, release)
    sub_outputs, _, _ = collect_each(kc, sub, main, release)
    assert sub_reply["status"] == "ok" and sub_reply["execution_count"] > main_reply["execution_count"]
    results = [(m["content"]["execution_count"], m["content"]["data"]["text/plain"])
               for m in sub_outputs if m["msg_type"] == "execute_result"]
    assert results == [(sub_reply["execution_count"], "42")]


def test_history_magics_in_a_subshell_cell_leave_out_that_cell(kc, subshell, tmp_path):
    """``%history -l`` and ``%save`` with no range mean "not this cell": the subshell's, not the main one's."""
    main = hold_main(kc, "history_read")
    target = tmp_path / "so_far.py"
    sub = execute(kc, f"%history -l 1\n%save -r -f {target}", subshell)
    assert shell_reply(kc, sub)["content"]["status"] == "ok"
    release = execute(kc, "history_read.set()", subshell)
    main_reply, _ = replies_to(kc, main, release)
    sub_outputs, _, _ = collect_each(kc, sub, main, release)
    history = kc.history(hist_access_type="tail", n=20, output=False, reply=True, timeout=TIMEOUT)
    main_code = {number: source for _, number, source in history["content"]["history"]}[main_reply["execution_count"]]
    assert stdout_of(sub_outputs).startswith(f"{main_code}\n")  # the main cell: the last one before this
    assert target.read_text().endswith(f"{main_code}\n")  # up to the main cell; not this %save cell


# -- deleting ends the thread --------------------------------------------------------------------
def test_delete_ends_the_subshell_thread(kc):
    subshell_id = create_subshell(kc)
    reply, outputs = run(kc, "import threading\nprint(threading.current_thread().name)", subshell_id)
    thread_name = stdout_of(outputs).strip()
    assert subshell_id in thread_name
    names = "print(sorted(t.name for t in threading.enumerate()))"
    assert thread_name in stdout_of(run(kc, names)[1])
    assert control(kc, "delete_subshell_request", {"subshell_id": subshell_id}) == {"status": "ok"}
    assert subshell_id not in listed(kc)
    assert thread_name not in stdout_of(run(kc, names)[1])  # delete returned after the thread ended


# -- bad input: clear errors, and the kernel goes on --------------------------------------------
def test_a_request_to_an_unknown_subshell_gets_an_error_reply(kc):
    msg_id = execute(kc, "print('ran')", "no-such-subshell")
    reply = shell_reply(kc, msg_id)
    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "UnknownSubshellError"
    assert "no-such-subshell" in reply["content"]["evalue"]
    messages = collect(kc, msg_id)
    assert [m["msg_type"] for m in messages] == ["status", "status"]  # busy, idle: nothing ran
    reply, outputs = run(kc, "print('still serving')")
    assert stdout_of(outputs) == "still serving\n"


def test_a_deleted_subshell_is_unknown(kc):
    subshell_id = create_subshell(kc)
    assert control(kc, "delete_subshell_request", {"subshell_id": subshell_id})["status"] == "ok"
    again = control(kc, "delete_subshell_request", {"subshell_id": subshell_id})
    assert again["status"] == "error" and again["ename"] == "UnknownSubshellError"
    assert subshell_id in again["evalue"]
    reply = shell_reply(kc, execute(kc, "1", subshell_id))["content"]
    assert reply["status"] == "error" and reply["ename"] == "UnknownSubshellError"


@pytest.mark.parametrize("content", [{}, {"subshell_id": 7}, {"subshell_id": None}])
def test_a_malformed_delete_gets_an_error_reply(kc, content):
    reply = control(kc, "delete_subshell_request", content)
    assert reply["status"] == "error"
    assert "subshell_id" in reply["evalue"]
    assert kc.kernel_info(reply=True, timeout=TIMEOUT)["content"]["status"] == "ok"


def test_input_in_a_subshell_is_refused_clearly(kc, subshell):
    reply, outputs = run(kc, "input('name? ')", subshell)
    assert reply["status"] == "error"
    assert reply["ename"] == "StdinNotImplementedError"
    assert "subshell" in reply["evalue"]


# -- breakpoint() ----------------------------------------------------------------------------------
STOPPED_AT = "\x1b[32m----> {}\x1b[0m"  # hocus's debugger marks the line it stopped at (Neutral scheme)


def test_breakpoint_in_the_main_cell_after_an_overlapping_subshell_cell_ended(kc, subshell):
    """The main cell started while a subshell's cell ran, and calls breakpoint() after that cell
    ended: it still stops in hocus's debugger (before, the hook had left with the subshell's cell,
    and plain pdb answered)."""
    run(kc, "import threading\nsub_may_end = threading.Event()")
    sub = execute(kc, "print('sub started', flush=True)\nsub_may_end.wait(120)", subshell)
    wait_for_stream(kc, sub, "sub started")
    main = execute(kc, "total = 40\nbreakpoint()\ntotal += 1\nbreakpoint()\ntotal += 1\nprint('total', total)",
                   allow_stdin=True)
    prompts = []

    def answer(command: str) -> None:
        request = kc.get_stdin_msg(timeout=TIMEOUT)
        assert request["msg_type"] == "input_request"
        prompts.append(request["content"]["prompt"])
        kc.input(command)

    answer("sub_may_end.set()")
    assert shell_reply(kc, sub)["content"]["status"] == "ok"  # the subshell's cell has ended
    answer("c")
    answer("p total")
    answer("c")
    reply = shell_reply(kc, main)["content"]
    main_outputs, _ = collect_each(kc, main, sub)
    printed = stdout_of(main_outputs)
    assert reply["status"] == "ok", reply
    assert prompts == ["(Pdb) "] * 4
    assert STOPPED_AT.format(3) in printed and STOPPED_AT.format(5) in printed
    assert "\n41\n" in printed and "total 42\n" in printed


def test_breakpoint_in_a_subshell_cell_says_in_one_line_why_it_runs_on(kc, subshell):
    """A subshell cannot ask for input (the stdin channel is the main shell's), so its debugger cannot
    read a command: one line says so and the cell runs on (before: an error whose traceback went
    through bdb, pdb and cmd)."""
    reply, outputs = run(kc, "x = 1\nbreakpoint()\nx += 1\nprint('ran on', x)", subshell)
    assert reply["status"] == "ok", reply
    printed = stdout_of(outputs)
    assert STOPPED_AT.format(3) in printed  # where it would have stopped
    assert [line for line in printed.splitlines() if line.startswith("***")] == [
        "*** The debugger cannot read a command here, so the code runs on: "
        "input() is not available in a subshell: the stdin channel belongs to the main shell"]
    assert printed.endswith("ran on 2\n")
    reply, outputs = run(kc, "print('the subshell goes on')", subshell)
    assert stdout_of(outputs) == "the subshell goes on\n"


# -- interrupt is the main shell's -------------------------------------------------------------
def test_interrupt_still_reaches_the_main_shell(kernel, subshell):
    km, kc = kernel
    flush(kc)
    main = execute(kc, "import time\nprint('main started', flush=True)\ntime.sleep(100000)")
    wait_for_stream(kc, main, "main started")
    sub = execute(kc, "print('subshell ran')", subshell)
    assert shell_reply(kc, sub)["content"]["status"] == "ok"
    km.interrupt_kernel()
    reply = shell_reply(kc, main)["content"]
    assert reply["status"] == "error" and reply["ename"] == "KeyboardInterrupt"
    _, sub_outputs = collect_each(kc, main, sub)
    assert stdout_of(sub_outputs) == "subshell ran\n"
    reply, outputs = run(kc, "print('after')", subshell)
    assert stdout_of(outputs) == "after\n"
    reply, outputs = run(kc, "print('main after')")
    assert stdout_of(outputs) == "main after\n"


# -- the kernel's end, with subshells ----------------------------------------------------------
def test_exit_in_the_main_shell_replies_then_ends_a_kernel_with_subshells(hocus_env):
    km, kc = start_kernel()
    try:
        subshell_id = create_subshell(kc)
        assert run(kc, "print('subshell ran')", subshell_id)[0]["status"] == "ok"
        reply, _ = run(kc, "exit()")
        assert {"source": "ask_exit", "keepkernel": False} in reply["payload"]  # sent after serving stopped
        assert eventually(lambda: not km.is_alive()), "the kernel is still running after exit()"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_shutdown_ends_a_kernel_whose_subshell_is_busy(hocus_env):
    km, kc = start_kernel()
    try:
        subshell_id = create_subshell(kc)
        busy = execute(kc, "import time\nprint('subshell busy', flush=True)\ntime.sleep(100000)", subshell_id)
        wait_for_stream(kc, busy, "subshell busy")
        assert control(kc, "shutdown_request", {"restart": False})["status"] == "ok"
        assert eventually(lambda: not km.is_alive()), "a busy subshell kept the kernel alive"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
