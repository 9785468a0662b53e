"""Bad input and interrupts: the kernel drops what it must, answers what it can, and keeps serving."""

from __future__ import annotations

import json
import time

import pytest
import zmq

from kernel_client import collect, execute, flush, shell_reply, start_kernel, stdout_of, wait_for_stream


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
    # One socket's requests are answered in order: once a last one is answered, the replay has been seen.
    last = kc.session.msg("kernel_info_request")
    sockets[0].send_multipart(kc.session.serialize(last))
    _reply_on(sockets[0], kc, last["header"]["msg_id"])
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


# Each cell says it runs (the kernel sends 'running' while the cell is already in its loop, its sleep or
# its input) and never ends by itself, so an answer at all shows the interrupt. (The old under-a-second goal is
# measured for the terminal in bench/interrupt.py; the kernel's interrupt latency has no benchmark yet.)
INTERRUPTIBLE = {
    "busy loop": "print('running')\nwhile True: pass",
    "sleep": "import time; print('running'); time.sleep(100000)",
    "input": "input('waiting: ')",
}


@pytest.mark.parametrize("kind", list(INTERRUPTIBLE))
def test_interrupt_returns_to_idle_20_times(kernel, kind):
    km, kc = kernel
    flush(kc)
    for attempt in range(20):
        msg_id = kc.execute(INTERRUPTIBLE[kind], allow_stdin=True)
        if kind == "input":
            kc.get_stdin_msg(timeout=60)
        else:
            wait_for_stream(kc, msg_id, "running\n")
        km.interrupt_kernel()
        reply = shell_reply(kc, msg_id)["content"]
        messages = collect(kc, msg_id)
        assert reply["status"] == "error" and reply["ename"] == "KeyboardInterrupt", f"{kind} attempt {attempt}"
        assert [m["msg_type"] for m in messages if m["msg_type"] == "error"] == ["error"]
    assert execute(kc, "'fine'")[0]["status"] == "ok"


def test_interrupt_request_on_control_interrupts_too(kernel):
    km, kc = kernel
    flush(kc)
    msg_id = kc.execute("while True: pass")
    _wait_for(kc, msg_id, "execute_input")
    kc.control_channel.send(kc.session.msg("interrupt_request"))
    assert kc.control_channel.get_msg(timeout=60)["content"]["status"] == "ok"
    assert shell_reply(kc, msg_id)["content"]["ename"] == "KeyboardInterrupt"


def test_os_exit_kills_the_kernel_and_restart_works(hocus_env):
    km, kc = start_kernel()
    try:
        kc.execute("import os; os._exit(3)")
        deadline = time.monotonic() + 60
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
        assert kc.control_channel.get_msg(timeout=60)["content"] == {"status": "ok", "restart": True}
        deadline = time.monotonic() + 60
        while km.is_alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not km.is_alive()
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def _reply_on(sock, kc, msg_id: str) -> dict:
    """The reply to ``msg_id`` among those arriving on a raw DEALER socket."""
    while True:
        assert sock.poll(60_000), f"no reply to {msg_id}"
        _, parts = kc.session.feed_identities(sock.recv_multipart())
        msg = kc.session.deserialize(parts)
        if msg["parent_header"].get("msg_id") == msg_id:
            return msg


def _wait_for(kc, msg_id: str, msg_type: str) -> None:
    while True:
        msg = kc.get_iopub_msg(timeout=60)
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == msg_type:
            return
