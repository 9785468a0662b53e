"""inspect_request and error tracebacks in a real kernel, through jupyter_client.

Shift-Tab in JupyterLab is an inspect_request: it must describe a class
typed in the notebook (IPython 9: ``Init signature``, docstring, type) and
never run a property's getter. An interrupted cell's error shows where the
cell stopped, as ipykernel's does.
"""

from __future__ import annotations

import re

from kernel_client import collect, execute, shell_reply, wait_for_stream

FOO = 'class Foo:\n    """A foo."""\n    def __init__(self, a, b=2):\n        """Init doc."""\n        self.a = a\n'


def inspect(kc, code: str, detail: int = 0) -> tuple[dict, list[dict]]:
    msg_id = kc.inspect(code, len(code), detail_level=detail)
    reply = shell_reply(kc, msg_id)["content"]
    return reply, collect(kc, msg_id)


def test_inspect_a_class_defined_in_the_notebook(kc):
    assert execute(kc, FOO)[0]["status"] == "ok"
    reply, _ = inspect(kc, "Foo")
    assert reply["status"] == "ok" and reply["found"]
    text = reply["data"]["text/plain"]
    assert "Init signature: Foo(a, b=2)\n" in text
    assert "Docstring:      A foo.\n" in text and "Type:           type\n" in text
    reply, _ = inspect(kc, "Foo", detail=1)
    assert "Source:\n" + FOO in reply["data"]["text/plain"] + "\n"


def test_pinfo_of_a_class_in_a_cell(kc):
    execute(kc, FOO)
    reply, outputs = execute(kc, "Foo?")
    assert reply["status"] == "ok"
    shown = "".join(p["data"]["text/plain"] for p in reply.get("payload", []) if p.get("source") == "page")
    shown += "".join(m["content"].get("text", "") for m in outputs if m["msg_type"] == "stream")
    assert "Init signature: Foo(a, b=2)" in shown and "OSError" not in shown


def test_inspect_a_property_does_not_run_its_getter(kc):
    code = ("class P:\n    @property\n    def x(self):\n        'The x prop.'\n"
            "        print('GETTER RAN')\n        return 1\np = P()\n")
    assert execute(kc, code)[0]["status"] == "ok"
    reply, messages = inspect(kc, "p.x")
    text = reply["data"]["text/plain"]
    assert reply["found"] and "Type:        property\n" in text and "Docstring:   The x prop.\n" in text
    assert not [m for m in messages if m["msg_type"] == "stream"]


def test_an_interrupted_cell_shows_where_it_stopped(kernel):
    km, kc = kernel
    # 'started' is not flushed by the cell: the kernel sends it while the cell already sleeps, so
    # the interrupt cannot land in the print (it would then stop inside the output machinery)
    execute(kc, "import time\ndef work(seconds):\n    print('started')\n    time.sleep(seconds)\n")
    msg_id = kc.execute("work(30)")
    wait_for_stream(kc, msg_id, "started\n")  # print() has returned: the cell is in time.sleep
    km.interrupt_kernel()
    reply = shell_reply(kc, msg_id)["content"]
    errors = [m["content"] for m in collect(kc, msg_id) if m["msg_type"] == "error"]
    assert reply["status"] == "error" and reply["ename"] == "KeyboardInterrupt"
    text = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(errors[0]["traceback"]))
    assert "----> 1 work(30)" in text
    assert re.search(r"Cell In\[\d+\], line 4, in work\(seconds\)\n", text)
    assert re.search(r"----> 4 +time\.sleep\(seconds\)\n", text)
    assert "interrupts.py" not in text  # the kernel's own signal handler is not the user's code
    assert execute(kc, "'alive'")[0]["status"] == "ok"


def test_a_recursion_error_is_a_short_traceback(kc):
    # IPython 9 collapses the repeated frames: "[... skipping similar frames: f at line 2 (N times)]"
    execute(kc, "def f(n):\n    return f(n + 1)\n")
    reply, outputs = execute(kc, "f(0)")
    assert reply["status"] == "error" and reply["ename"] == "RecursionError"
    errors = [m["content"] for m in outputs if m["msg_type"] == "error"]
    text = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(errors[0]["traceback"]))
    assert re.search(r"\[\.\.\. skipping similar frames: f at line 2 \(\d{3,} times\)\]", text), text[-1500:]
    assert len(text.splitlines()) < 40
    assert text.rstrip().endswith("RecursionError: maximum recursion depth exceeded")
