"""A jupyter_server started by the test runs hocus over its REST API and websocket.

This is the path JupyterHub's single-user servers and Enterprise Gateway take for
remote users: ``POST /api/kernels`` starts a kernel from the ``hocus`` kernelspec,
``/api/kernels/<id>/channels`` carries the Jupyter messages as JSON over one
websocket, and ``DELETE /api/kernels/<id>`` shuts the kernel down.
"""

from __future__ import annotations

import json
import time
import uuid
from datetime import datetime, timezone

import pytest

pytest.importorskip("jupyter_server")
websocket = pytest.importorskip("websocket")  # websocket-client

from jupyter_servers import running_server  # noqa: E402


@pytest.fixture(scope="module")
def server(hocus_env, tmp_path_factory):
    root = tmp_path_factory.mktemp("server-root")
    with running_server("jupyter_server", root, tmp_path_factory.mktemp("server-scratch")) as running:
        yield running


def request(msg_type: str, content: dict, session: str) -> dict:
    return {"header": {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "username": "test", "session": session,
                       "date": datetime.now(timezone.utc).isoformat(), "version": "5.3"},
            "parent_header": {}, "metadata": {}, "content": content, "channel": "shell", "buffers": []}


def replies_to(ws, msg_id: str, timeout: float = 30) -> list[dict]:
    """Every message of one request until both its shell reply and its idle status have come."""
    got, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        ws.settimeout(max(0.1, deadline - time.monotonic()))
        msg = json.loads(ws.recv())
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        got.append(msg)
        types = {(m["channel"], m["msg_type"], m["content"].get("execution_state")) for m in got}
        if ("iopub", "status", "idle") in types and any(c == "shell" for c, _, _ in types):
            return got
    raise AssertionError(f"no complete answer to {msg_id}: {got}")


def test_server_lists_the_hocus_kernelspec(server):
    status, specs = server.request("GET", "api/kernelspecs")
    assert status == 200
    assert specs["kernelspecs"]["hocus"]["spec"]["display_name"] == "Python 3 (hocus)"


def test_rest_kernel_executes_over_the_websocket_and_is_deleted(server):
    status, kernel = server.request("POST", "api/kernels", {"name": "hocus"})
    assert status == 201 and kernel["name"] == "hocus"
    kid = kernel["id"]
    try:
        ws = websocket.create_connection(f"ws://{server.url[len('http://'):]}api/kernels/{kid}/channels",
                                         header=[f"Authorization: token {server.token}"], timeout=30)
        try:
            session = uuid.uuid4().hex
            info = request("kernel_info_request", {}, session)
            ws.send(json.dumps(info))
            (reply,) = [m for m in replies_to(ws, info["header"]["msg_id"]) if m["channel"] == "shell"]
            assert reply["content"]["implementation"] == "hocus"

            code = "import os\nprint('hello from', 'hocus')\nos.getpid() > 0"
            execute = request("execute_request", {"code": code, "silent": False, "store_history": True,
                                                  "user_expressions": {}, "allow_stdin": False,
                                                  "stop_on_error": True}, session)
            ws.send(json.dumps(execute))
            got = replies_to(ws, execute["header"]["msg_id"])
        finally:
            ws.close()
        by_type = {m["msg_type"]: m for m in got}
        assert by_type["stream"]["content"] == {"name": "stdout", "text": "hello from hocus\n"}
        assert by_type["execute_result"]["content"]["data"]["text/plain"] == "True"
        assert by_type["execute_reply"]["channel"] == "shell"
        assert by_type["execute_reply"]["content"]["status"] == "ok"
        assert by_type["execute_reply"]["content"]["execution_count"] == 1
    finally:
        status, _ = server.request("DELETE", f"api/kernels/{kid}")
    assert status == 204
    assert all(k["id"] != kid for k in server.request("GET", "api/kernels")[1])
