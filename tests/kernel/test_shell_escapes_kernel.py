"""``!cmd`` and ``%%bash`` in a real kernel: live stream messages, interrupt, one-line errors.

The kernel has no code of its own for these: the engine writes through the
kernel's Output seam, which turns each write into a stream message.
"""

from __future__ import annotations

import time

from kernel_client import collect, execute, shell_reply, stdout_of


def streams(outputs, name):
    return "".join(m["content"]["text"] for m in outputs if m["msg_type"] == "stream" and m["content"]["name"] == name)


def test_bang_output_arrives_as_live_stream_messages(kc):
    msg_id = kc.execute("!for i in 1 2 3; do echo tick$i; sleep 0.3; done; echo oops >&2")
    arrivals, errors = {}, ""
    while True:
        msg = kc.get_iopub_msg(timeout=15)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
        if msg["msg_type"] == "stream":
            if msg["content"]["name"] == "stderr":
                errors += msg["content"]["text"]
            for word in ("tick1", "tick2", "tick3"):
                if word in msg["content"]["text"]:
                    arrivals.setdefault(word, time.monotonic())
    shell_reply(kc, msg_id)
    assert errors == "oops\n"
    assert arrivals["tick2"] - arrivals["tick1"] > 0.15 and arrivals["tick3"] - arrivals["tick2"] > 0.15


def test_capture_and_exit_code(kc):
    reply, outputs = execute(kc, "files = !printf 'a\\nb\\n'\nfiles.n, _exit_code")
    assert reply["status"] == "ok"
    result = [m for m in outputs if m["msg_type"] == "execute_result"][0]
    assert result["content"]["data"]["text/plain"] == "('a\\nb', 0)"


def test_bash_cell_and_its_one_line_error(kc):
    reply, outputs = execute(kc, "%%bash\necho from bash\nexit 4\n")
    assert stdout_of(outputs) == "from bash\n"
    assert reply["status"] == "error" and reply["ename"] == "CalledProcessError"


def test_interrupt_ends_the_child_and_the_kernel_goes_on(kernel, kc):
    km = kernel[0]
    msg_id = kc.execute("%%bash\ntrap 'echo cleaning; exit 1' INT\nsleep 100\n")
    time.sleep(1.0)
    started = time.monotonic()
    km.interrupt_kernel()
    outputs = collect(kc, msg_id, timeout=10)
    reply = shell_reply(kc, msg_id)
    assert time.monotonic() - started < 3
    assert reply["content"]["status"] == "error" and reply["content"]["ename"] == "KeyboardInterrupt"
    assert "cleaning\n" in streams(outputs, "stdout")
    reply, outputs = execute(kc, "!echo still here")
    assert stdout_of(outputs) == "still here\n"


def test_a_child_never_reads_the_kernels_stdin(kc):
    started = time.monotonic()
    reply, outputs = execute(kc, "!cat; echo done")
    assert time.monotonic() - started < 5
    assert stdout_of(outputs) == "done\n"
