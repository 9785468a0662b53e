"""Fast protocol tests: handlers called with message dicts, no sockets, no kernel process."""

from __future__ import annotations

import json
import os
import stat
import threading
from typing import Callable

import pytest

from shell.engine import Shell
from shell.kernel.connection import new_connection_info, read_connection_file, write_connection_file
from shell.kernel.handlers import RequestHandlers, name_at_cursor
from shell.kernel.kernelspec import install
from shell.kernel.outputs import IOPub, KernelDisplayPublisher, KernelOutput
from shell.kernel.wire import DELIMITER, MessageError, Session


class Collected:
    """A fake IOPub transport: keeps (msg_type, content) in order."""

    def __init__(self):
        self.messages: list[tuple[str, dict]] = []
        self.then: dict[str, Callable[[], None]] = {}  # msg_type: what happens once it is published

    def __call__(self, msg_type, content, parent, **kwargs):
        self.messages.append((msg_type, content))
        if msg_type in self.then:
            self.then.pop(msg_type)()

    def of(self, msg_type):
        return [c for t, c in self.messages if t == msg_type]


class TextSink:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass


@pytest.fixture
def kernel(tmp_path):
    sent = Collected()
    iopub = IOPub(sent)
    out, err = TextSink(), TextSink()
    output = KernelOutput(iopub, out, err, flush=lambda: None)
    shell = Shell(output=output, error_reporter=output, pager=output.page,
                  display_publisher=KernelDisplayPublisher(iopub, lambda: None), hocus_dir=tmp_path)
    handlers = RequestHandlers(shell, iopub, output=output)
    replies: list[tuple[str, dict]] = []

    def request(msg_type, **content):
        replies.clear()
        handlers.dispatch({"header": {"msg_type": msg_type, "msg_id": "m1"}, "content": content,
                           "metadata": {}}, lambda t, c: replies.append((t, c)))
        return replies[-1] if replies else None

    request.sent, request.handlers, request.stdout = sent, handlers, out
    return request


def test_execute_input_announces_the_number_the_cell_runs_as(kernel):
    """A subshell's cell may start between the announcement and the cell's start: the number in
    execute_input is still the one the cell gets (In[N], the reply), never the other cell's."""
    shell = kernel.handlers.shell

    def another_thread_runs_a_cell() -> None:
        other = threading.Thread(target=shell.run_cell, args=("other = 1",))
        other.start()
        other.join()

    kernel.sent.then["execute_input"] = another_thread_runs_a_cell
    msg_type, content = kernel("execute_request", code="40 + 2")
    assert content["status"] == "ok"
    assert kernel.sent.of("execute_input") == [{"code": "40 + 2", "execution_count": content["execution_count"]}]
    assert shell.user_ns["In"][content["execution_count"]] == "40 + 2"


def test_every_request_is_wrapped_in_busy_and_idle(kernel):
    kernel("kernel_info_request")
    states = [c["execution_state"] for c in kernel.sent.of("status")]
    assert states == ["busy", "idle"]


def test_kernel_info_describes_python_and_hocus(kernel):
    msg_type, content = kernel("kernel_info_request")
    assert msg_type == "kernel_info_reply"
    assert content["implementation"] == "hocus"
    assert content["protocol_version"] == "5.5"
    info = content["language_info"]
    assert info["name"] == "python" and info["file_extension"] == ".py" and info["mimetype"] == "text/x-python"
    assert info["codemirror_mode"]["name"] == "ipython" and info["nbconvert_exporter"] == "python"
    assert "kernel subshells" in content["supported_features"]  # JEP 91: tests/kernel/test_subshells.py


def test_execute_publishes_input_result_and_replies_ok(kernel):
    msg_type, content = kernel("execute_request", code="40 + 2", silent=False)
    assert (msg_type, content["status"], content["execution_count"]) == ("execute_reply", "ok", 1)
    assert kernel.sent.of("execute_input") == [{"code": "40 + 2", "execution_count": 1}]
    assert kernel.sent.of("execute_result")[0]["data"]["text/plain"] == "42"


def test_silent_execute_publishes_nothing_but_status(kernel):
    kernel("execute_request", code="x = 5; x", silent=True)
    assert {t for t, _ in kernel.sent.messages} == {"status"}


def test_error_is_one_error_message_and_an_error_reply(kernel):
    _, content = kernel("execute_request", code="1/0")
    assert content["status"] == "error" and content["ename"] == "ZeroDivisionError"
    errors = kernel.sent.of("error")
    assert len(errors) == 1 and any("ZeroDivisionError" in line for line in errors[0]["traceback"])
    assert kernel.handlers.aborting  # stop_on_error defaults to true: queued executes get aborted


def test_syntax_error_is_reported_as_an_error_message(kernel):
    _, content = kernel("execute_request", code="def f(:")
    assert content["ename"] == "SyntaxError"
    assert kernel.sent.of("error")[0]["ename"] == "SyntaxError"


def test_user_expressions_are_evaluated_after_the_cell(kernel):
    _, content = kernel("execute_request", code="a = 3", user_expressions={"double": "a * 2", "bad": "nope"})
    assert content["user_expressions"]["double"]["data"]["text/plain"] == "6"
    assert content["user_expressions"]["bad"]["status"] == "error"


def test_pager_output_becomes_a_page_payload(kernel):
    _, content = kernel("execute_request", code="len?")
    assert content["payload"][0]["source"] == "page"
    assert "Return the number of items" in content["payload"][0]["data"]["text/plain"]


def test_is_complete_gives_indent_for_an_open_block(kernel):
    assert kernel("is_complete_request", code="for i in range(3):")[1] == {"status": "incomplete", "indent": "    "}
    assert kernel("is_complete_request", code="x = 1")[1] == {"status": "complete"}
    assert kernel("is_complete_request", code="x = 0b12")[1]["status"] == "invalid"


def test_inspect_detail_levels(kernel):
    kernel("execute_request", code="def hello(name):\n    'Greet.'\n    return name\n")
    _, brief = kernel("inspect_request", code="hello(", cursor_pos=6, detail_level=0)
    _, full = kernel("inspect_request", code="hello", cursor_pos=5, detail_level=1)
    assert brief["found"] and "Greet." in brief["data"]["text/plain"]
    assert "return name" in full["data"]["text/plain"]
    assert kernel("inspect_request", code="no_such_name", cursor_pos=3)[1]["found"] is False


def test_history_tail_and_search(kernel):
    for code in ("a = 1", "b = 2", "a = 1"):
        kernel("execute_request", code=code)
    _, tail = kernel("history_request", hist_access_type="tail", n=2, output=False, raw=True)
    assert [row[2] for row in tail["history"]] == ["b = 2", "a = 1"]
    _, found = kernel("history_request", hist_access_type="search", pattern="a*", unique=True, output=False, raw=True)
    assert [row[2] for row in found["history"]] == ["a = 1"]


def test_unknown_message_type_gets_an_error_reply(kernel):
    msg_type, content = kernel("frobnicate_request")
    assert msg_type == "frobnicate_reply" and content["status"] == "error"


@pytest.mark.parametrize("content", [{}, {"code": 5}, {"code": "1", "silent": "yes"}])
def test_bad_execute_content_gets_an_error_reply_and_runs_nothing(kernel, content):
    msg_type, reply = kernel("execute_request", **content)
    assert reply["status"] == "error"
    assert not kernel.sent.of("execute_input")


def test_comm_info_lists_no_comms_without_a_manager(kernel):
    assert kernel("comm_info_request")[1] == {"status": "ok", "comms": {}}


def test_control_channel_refuses_engine_requests():
    sent = Collected()
    handlers = RequestHandlers(Shell(hocus_dir=None), IOPub(sent))
    replies = []
    handlers.dispatch({"header": {"msg_type": "execute_request"}, "content": {"code": "1"}},
                      lambda t, c: replies.append(c), control=True)
    assert replies[0]["status"] == "error"


@pytest.mark.parametrize("code, cursor, name", [
    ("print", 5, "print"), ("os.path.join(a, b)", 3, "os.path.join"), ("f(1, 2", 6, "f"),
    ("x = len(y)", 8, "y"), ("", 0, ""), ("12", 2, ""),
])
def test_name_at_cursor(code, cursor, name):
    assert name_at_cursor(code, cursor) == name


# -- wire format -----------------------------------------------------------------------------
def test_messages_round_trip_with_a_valid_signature():
    session = Session(key=b"k")
    frames = session.serialize("status", {"execution_state": "idle"}, None, idents=[b"id"])
    idents, msg = Session(key=b"k").deserialize(frames)
    assert idents == [b"id"] and msg["msg_type"] == "status"


def test_bad_and_replayed_signatures_are_rejected():
    frames = Session(key=b"right").serialize("execute_request", {"code": "1"}, None)
    with pytest.raises(MessageError, match="bad signature"):
        Session(key=b"wrong").deserialize(frames)
    receiver = Session(key=b"right")
    receiver.deserialize(frames)
    with pytest.raises(MessageError, match="replayed"):
        receiver.deserialize(frames)


def test_outgoing_json_is_strict_nan_becomes_a_string_with_a_warning():
    import fractions
    import json

    def strict(frame):
        return json.loads(frame, parse_constant=lambda name: pytest.fail(f"{name} sent"))

    session = Session(key=b"k")
    with pytest.warns(UserWarning, match=r"NaN or infinite numbers \(data\['x'\]\[1\]\)"):
        frames = session.serialize("comm_msg", {"data": {"x": [1.0, float("nan")]}}, None)
    assert strict(frames[-1]) == {"data": {"x": [1.0, "nan"]}}
    frames = session.serialize("comm_msg", {"data": {"f": fractions.Fraction(1, 4)}}, None)  # a Real, as numpy's
    assert strict(frames[-1]) == {"data": {"f": 0.25}}
    with pytest.raises(ValueError, match="can't be sent as JSON"):  # never its repr, silently
        session.serialize("comm_msg", {"data": {"o": object()}}, None)


@pytest.mark.parametrize("frames", [
    [b"no delimiter"], [DELIMITER, b"sig"], [DELIMITER, b"", b"{", b"{}", b"{}", b"{}"],
    [DELIMITER, b"", b"[]", b"{}", b"{}", b"{}"], [DELIMITER, b"", b'{"msg_id": 1}', b"{}", b"{}", b"{}"],
])
def test_malformed_frames_raise_message_error(frames):
    with pytest.raises(MessageError):
        Session(key=b"").deserialize(frames)


def test_new_connection_file_is_private_and_readable(tmp_path):
    info = new_connection_info()
    path = write_connection_file(info, tmp_path / "kernel.json")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    again = read_connection_file(path)
    assert again.key == info.key and again.shell_port == info.shell_port and again.ip == "127.0.0.1"
    assert len({info.shell_port, info.iopub_port, info.stdin_port, info.control_port, info.hb_port}) == 5


def test_kernelspec_runs_the_installing_interpreter(tmp_path):
    import sys

    folder = install(prefix=str(tmp_path), name="hocus-test", display_name="Test hocus")
    spec = json.loads((folder / "kernel.json").read_text())
    assert spec["argv"] == [sys.executable, "-m", "shell", "kernel", "-f", "{connection_file}"]
    assert spec["display_name"] == "Test hocus" and spec["interrupt_mode"] == "signal"
    assert (folder / "logo-64x64.png").read_bytes().startswith(b"\x89PNG")
