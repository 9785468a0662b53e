"""Driving a kernel through a jupyter_client BlockingKernelClient: start, execute, collect replies."""

from __future__ import annotations

from queue import Empty

TIMEOUT = 60  # a wait, never a goal: generous for a machine kept busy


def start_kernel():
    from jupyter_client.manager import start_new_kernel

    return start_new_kernel(kernel_name="hocus", startup_timeout=30)


def flush(kc) -> None:
    for get in (kc.get_shell_msg, kc.get_iopub_msg, kc.get_stdin_msg):
        while True:
            try:
                get(timeout=0.05)
            except Empty:
                break


def collect(kc, msg_id: str, timeout: float = TIMEOUT) -> list[dict]:
    """IOPub messages of one request, up to and including its idle status."""
    found = []
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        found.append(msg)
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return found


def shell_reply(kc, msg_id: str, timeout: float = TIMEOUT) -> dict:
    while True:
        msg = kc.get_shell_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") == msg_id:
            return msg


def execute(kc, code: str, timeout: float = TIMEOUT, **kwargs) -> tuple[dict, list[dict]]:
    """Run ``code``; return the execute_reply content and the IOPub outputs (no status/execute_input)."""
    msg_id = kc.execute(code, **kwargs)
    reply = shell_reply(kc, msg_id, timeout)
    outputs = [m for m in collect(kc, msg_id, timeout) if m["msg_type"] not in ("status", "execute_input")]
    return reply["content"], outputs


def wait_for_stream(kc, msg_id: str, text: str, timeout: float = TIMEOUT) -> str:
    """Read IOPub until the request's stream output holds ``text`` (a marker its cell prints); what it printed.

    Later ``collect`` calls for the same request see only what came after.
    """
    printed = ""
    while text not in printed:
        msg = kc.get_iopub_msg(timeout=timeout)
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "stream":
            printed += msg["content"]["text"]
    return printed


def stdout_of(outputs: list[dict]) -> str:
    return "".join(m["content"]["text"] for m in outputs
                   if m["msg_type"] == "stream" and m["content"]["name"] == "stdout")
