"""``!cmd`` and ``%%bash`` in a real kernel: live stream messages, interrupt, one-line errors.

The kernel has no code of its own for these: the engine writes through the
kernel's Output seam, which turns each write into a stream message.
"""

from __future__ import annotations


from kernel_client import collect, execute, shell_reply, stdout_of, wait_for_stream


def streams(outputs, name):
    return "".join(m["content"]["text"] for m in outputs if m["msg_type"] == "stream" and m["content"]["name"] == name)


def test_bang_output_arrives_as_live_stream_messages(kc, tmp_path):
    # Each tick waits for a file the test makes only once the tick before has arrived as a stream
    # message: the ticks can only all arrive if each is sent while the command still runs.
    go = tmp_path / "go"
    msg_id = kc.execute(f"!for i in 1 2 3; do echo tick$i; until [ -e {go}$i ]; do sleep 0.01; done; done; "
                        "echo oops >&2")
    stdout, errors = "", ""
    while True:
        msg = kc.get_iopub_msg(timeout=60)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
        if msg["msg_type"] == "stream":
            if msg["content"]["name"] == "stderr":
                errors += msg["content"]["text"]
            else:
                stdout += msg["content"]["text"]
                for i in (1, 2, 3):
                    if f"tick{i}\n" in stdout:
                        (tmp_path / f"go{i}").touch()
    shell_reply(kc, msg_id)
    assert errors == "oops\n"
    assert stdout == "tick1\ntick2\ntick3\n"


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
    # 'trap set' says bash will clean up; the sleep outlasts every wait, so a reply shows the interrupt
    msg_id = kc.execute("%%bash\ntrap 'echo cleaning; exit 1' INT\necho trap set\nsleep 100000\n")
    wait_for_stream(kc, msg_id, "trap set\n")
    km.interrupt_kernel()
    outputs = collect(kc, msg_id)
    reply = shell_reply(kc, msg_id)
    assert reply["content"]["status"] == "error" and reply["content"]["ename"] == "KeyboardInterrupt"
    assert "cleaning\n" in streams(outputs, "stdout")
    reply, outputs = execute(kc, "!echo still here")
    assert stdout_of(outputs) == "still here\n"


def test_a_child_never_reads_the_kernels_stdin(kc):
    reply, outputs = execute(kc, "!cat; echo done")  # a cat reading the kernel's stdin would never end
    assert stdout_of(outputs) == "done\n"
