"""Bad input and interrupts: the kernel drops what it must, answers what it can, and keeps serving."""

from __future__ import annotations

import json
import time

import pytest
import zmq

from kernel_client import collect, execute, flush, shell_reply, start_kernel, stdout_of


def _garbage(kc, i: int) -> list[bytes]:
    """Malformed or badly signed messages, a different kind each time."""
    good = kc.session.serialize(kc.session.msg("execute_request", {"code": "print('PWNED')"}))
    kinds = [
        [b"not a message"],
        [b"<IDS|MSG>", b"deadbeef"],
        [b"<IDS|MSG>", b"0" * 64, b"{", b"{}", b"{}", b"{}"],
        [good[0], b"f" * 64, *good[2:]],  # a wrong signature on a real message
        [good[0], good[1], good[2], good[3], good[4], b'{"code": 1}'],  # content changed after signing
        [b"<IDS|MSG>", good[1], json.dumps({"msg_type": 3}).encode(), b"{}", b"{}", b"{}"],
        [b"\xff" * (i % 50 + 1)],
    ]
    return kinds[i % len(kinds)]


def test_a_thousand_bad_messages_are_dropped_then_execute_works(kernel):
    km, kc = kernel
    flush(kc)
    info = km.get_connection_info()
    ctx = zmq.Context.instance()
    sockets = []
    for channel in ("shell", "control"):
        sock = ctx.socket(zmq.DEALER)
        sock.linger = 0
        sock.connect(f"tcp://{info['ip']}:{info[channel + '_port']}")
        sockets.append(sock)
    for i in range(1000):
        sockets[i % 2].send_multipart(_garbage(kc, i))
    # a replay: the same correctly signed message twice runs once
    replayed = kc.session.serialize(kc.session.msg("execute_request", {"code": "replays = globals().get('replays', 0) + 1"}))
    sockets[0].send_multipart(replayed)
    sockets[0].send_multipart(replayed)
    time.sleep(0.3)
    reply, outputs = execute(kc, "print('alive', replays)")
    assert reply["status"] == "ok"
    assert stdout_of(outputs) == "alive 1\n"
    for sock in sockets:
        sock.close()


def test_unknown_and_wrongly_typed_requests_get_error_replies(kc):
    for msg_type, content in (("no_such_request", {}), ("complete_request", {"code": 5}),
                              ("inspect_request", {"code": "x", "cursor_pos": "end"}),
                              ("history_request", {"hist_access_type": "sideways"})):
        msg = kc.session.msg(msg_type, content)
        kc.shell_channel.send(msg)
        assert shell_reply(kc, msg["header"]["msg_id"])["content"]["status"] == "error"
    assert execute(kc, "1 + 1")[0]["status"] == "ok"


INTERRUPTIBLE = {
    "busy loop": "while True: pass",
    "sleep": "import time; time.sleep(100)",
    "input": "input('waiting: ')",
}


@pytest.mark.parametrize("kind", list(INTERRUPTIBLE))
def test_interrupt_returns_to_idle_within_a_second_20_times(kernel, kind):
    km, kc = kernel
    flush(kc)
    for attempt in range(20):
        msg_id = kc.execute(INTERRUPTIBLE[kind], allow_stdin=True)
        if kind == "input":
            kc.get_stdin_msg(timeout=10)
        else:
            _wait_for(kc, msg_id, "execute_input")
            time.sleep(0.05)
        started = time.monotonic()
        km.interrupt_kernel()
        reply = shell_reply(kc, msg_id, timeout=5)["content"]
        messages = collect(kc, msg_id, timeout=5)
        elapsed = time.monotonic() - started
        assert elapsed < 1.0, f"{kind} attempt {attempt}: {elapsed:.2f}s"
        assert reply["status"] == "error" and reply["ename"] == "KeyboardInterrupt"
        assert [m["msg_type"] for m in messages if m["msg_type"] == "error"] == ["error"]
    assert execute(kc, "'fine'")[0]["status"] == "ok"


def test_interrupt_request_on_control_interrupts_too(kernel):
    km, kc = kernel
    flush(kc)
    msg_id = kc.execute("while True: pass")
    _wait_for(kc, msg_id, "execute_input")
    kc.control_channel.send(kc.session.msg("interrupt_request"))
    assert kc.control_channel.get_msg(timeout=5)["content"]["status"] == "ok"
    assert shell_reply(kc, msg_id, timeout=5)["content"]["ename"] == "KeyboardInterrupt"


def test_os_exit_kills_the_kernel_and_restart_works(hocus_env):
    km, kc = start_kernel()
    try:
        kc.execute("import os; os._exit(3)")
        deadline = time.monotonic() + 10
        while km.is_alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not km.is_alive()
        km.restart_kernel(now=True)
        kc.wait_for_ready(timeout=30)
        flush(kc)
        reply, outputs = execute(kc, "print('reborn')")
        assert stdout_of(outputs) == "reborn\n"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_shutdown_request_with_restart_is_answered_and_the_kernel_exits(hocus_env):
    km, kc = start_kernel()
    try:
        msg = kc.session.msg("shutdown_request", {"restart": True})
        kc.control_channel.send(msg)
        assert kc.control_channel.get_msg(timeout=5)["content"] == {"status": "ok", "restart": True}
        deadline = time.monotonic() + 5
        while km.is_alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not km.is_alive()
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def _wait_for(kc, msg_id: str, msg_type: str) -> None:
    while True:
        msg = kc.get_iopub_msg(timeout=10)
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == msg_type:
            return
