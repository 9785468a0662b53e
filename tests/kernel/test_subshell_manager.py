"""Fast tests of the subshell manager: the handlers called with message dicts, no sockets, no kernel process.

The end-to-end behaviour (through jupyter_client, against a kernel process)
is in ``test_subshells.py``; these pin the manager's own contract.
"""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass
from typing import Any, Callable

import pytest

from shell.engine import Shell
from shell.kernel.handlers import RequestHandlers
from shell.kernel.outputs import IOPub, KernelDisplayPublisher, KernelOutput
from shell.kernel.subshells import SubshellManager

WAIT = 60  # a bound on waits that end as soon as the subshell answers


class TextSink:
    def write(self, text):
        pass


@dataclass
class Harness:
    """A manager over a real Shell, its replies in a queue and its IOPub messages in a list."""

    subshells: SubshellManager
    shell: Shell
    control: Callable[..., tuple[str, dict]]
    replies: queue.SimpleQueue
    first: threading.Event
    published: list[tuple[str, dict, Any]]


@pytest.fixture
def manager(tmp_path):
    published: list[tuple[str, dict, dict | None]] = []
    iopub = IOPub(lambda msg_type, content, parent, **kwargs: published.append((msg_type, content, parent)))
    output = KernelOutput(iopub, TextSink(), TextSink(), flush=lambda: None)
    shell = Shell(output=output, error_reporter=output, pager=output.page,
                  display_publisher=KernelDisplayPublisher(iopub, lambda: None), hocus_dir=tmp_path)
    handlers = RequestHandlers(shell, iopub, output=output)
    replies: queue.SimpleQueue = queue.SimpleQueue()
    first = threading.Event()
    subshells = SubshellManager(handlers, lambda *reply: replies.put(reply), on_first=first.set)
    handlers.handlers.update(subshells.control_handlers())

    def control(msg_type, **content):
        answered = []
        handlers.dispatch({"header": {"msg_type": msg_type, "msg_id": "c"}, "content": content},
                          lambda t, c: answered.append((t, c)), control=True)
        return answered[-1]

    yield Harness(subshells, shell, control, replies, first, published)
    subshells.close()


def request(msg_id: str, code: str) -> dict:
    return {"header": {"msg_type": "execute_request", "msg_id": msg_id}, "content": {"code": code}}


def test_routing_starts_with_the_first_subshell_only(manager):
    assert manager.control("list_subshell_request") == ("list_subshell_reply", {"status": "ok", "subshell_id": []})
    assert not manager.first.is_set()
    msg_type, content = manager.control("create_subshell_request")
    assert (msg_type, content["status"]) == ("create_subshell_reply", "ok")
    assert manager.first.is_set()
    assert manager.subshells.ids() == [content["subshell_id"]]


def test_a_subshell_answers_in_its_own_thread_with_its_own_parent(manager):
    subshell = manager.subshells.get(manager.subshells.create())
    subshell.put([b"ident"], request("r1", "import threading\nname = threading.current_thread().name"))
    msg_type, content, parent, idents = manager.replies.get(timeout=WAIT)
    assert (msg_type, content["status"], parent["header"]["msg_id"], idents) == ("execute_reply", "ok", "r1",
                                                                                [b"ident"])
    assert subshell.id in manager.shell.user_ns["name"]
    assert {p["header"]["msg_id"] for _, _, p in manager.published} == {"r1"}  # busy, execute_input, idle


def test_deleting_an_idle_subshell_ends_its_thread_before_it_returns(manager):
    subshell = manager.subshells.get(manager.subshells.create())
    assert manager.control("delete_subshell_request", subshell_id=subshell.id) == ("delete_subshell_reply",
                                                                                   {"status": "ok"})
    assert not subshell.thread.is_alive()
    assert manager.subshells.ids() == []


def test_a_deleted_subshell_refuses_requests(manager):
    from shell.kernel.subshells import UnknownSubshellError

    subshell = manager.subshells.get(manager.subshells.create())
    manager.subshells.delete(subshell.id)
    with pytest.raises(UnknownSubshellError, match="Unknown subshell_id"):
        subshell.put([], request("late", "1"))
    with pytest.raises(UnknownSubshellError):
        manager.subshells.get(subshell.id)


@pytest.mark.parametrize("subshell_id", ["no-such-id", 3, None])
def test_bad_ids_in_delete_get_error_replies(manager, subshell_id):
    msg_type, content = manager.control("delete_subshell_request", subshell_id=subshell_id)
    assert msg_type == "delete_subshell_reply" and content["status"] == "error"
    assert "subshell_id" in content["evalue"]
