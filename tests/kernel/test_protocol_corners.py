"""Protocol corners (issue 18 item 6): ``execute_request`` sent on the control channel is served,
and ``exit()`` in a cell ends the kernel after its reply, as ipykernel does."""

from __future__ import annotations

from kernel_client import collect, execute, start_kernel, stdout_of
from waiting import eventually

DEADLINE = 30.0


def control_execute(kc, code: str) -> tuple[dict, list[dict]]:
    msg = kc.session.msg("execute_request", {"code": code, "silent": False, "store_history": True,
                                             "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
    kc.control_channel.send(msg)
    while True:
        reply = kc.control_channel.get_msg(timeout=DEADLINE)
        if reply["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
            break
    outputs = [m for m in collect(kc, msg["header"]["msg_id"], DEADLINE) if m["msg_type"] not in ("status", "execute_input")]
    return reply, outputs


def test_execute_request_on_the_control_channel_runs_in_the_same_session(kc):
    reply, outputs = control_execute(kc, "on_control = 6 * 7\nprint(on_control)")
    assert reply["msg_type"] == "execute_reply"
    assert reply["content"]["status"] == "ok"
    assert stdout_of(outputs) == "42\n"
    reply, outputs = execute(kc, "print(on_control + 1)")
    assert (reply["status"], stdout_of(outputs)) == ("ok", "43\n")


def test_an_error_on_the_control_channel_is_its_reply_and_aborts_nothing_on_shell(kc):
    reply, outputs = control_execute(kc, "1 / 0")
    assert reply["content"]["status"] == "error" and reply["content"]["ename"] == "ZeroDivisionError"
    reply, outputs = execute(kc, "print('shell still runs')")
    assert (reply["status"], stdout_of(outputs)) == ("ok", "shell still runs\n")


def test_exit_in_a_cell_replies_then_ends_the_kernel(hocus_env):
    km, kc = start_kernel()
    try:
        reply, _ = execute(kc, "exit()")
        assert reply["status"] == "ok"
        assert {"source": "ask_exit", "keepkernel": False} in reply["payload"]
        assert eventually(lambda: not km.is_alive(), patience=DEADLINE), "the kernel is still running after exit()"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
