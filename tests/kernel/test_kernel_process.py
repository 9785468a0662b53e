"""A real kernel process over ZMQ: streams, display, stdin, comms, stop_on_error, the control thread."""

from __future__ import annotations


from kernel_client import collect, execute, shell_reply, stdout_of


def test_print_from_python_c_level_threads_and_subprocesses_arrives(kc):
    code = ("import os, subprocess, sys, threading\n"
            "print('py')\n"
            "os.write(1, b'fd1\\n')\n"
            "os.write(2, b'fd2\\n')\n"
            "subprocess.run(['echo', 'child'])\n"
            "t = threading.Thread(target=print, args=('thread',)); t.start(); t.join()\n"
            "!echo bang\n")
    reply, outputs = execute(kc, code)
    assert reply["status"] == "ok"
    out = stdout_of(outputs)
    for expected in ("py\n", "fd1\n", "child\n", "thread\n", "bang\n"):
        assert expected in out
    assert "fd2\n" in "".join(m["content"]["text"] for m in outputs
                              if m["msg_type"] == "stream" and m["content"]["name"] == "stderr")


def test_a_flood_of_prints_is_batched_complete_and_in_order(kc):
    reply, outputs = execute(kc, "for i in range(200000): print(i)", timeout=60)
    assert reply["status"] == "ok"
    streams = [m for m in outputs if m["msg_type"] == "stream"]
    # Batched, not one message per print (200,000 of them unbatched): a message holds what 50 ms of
    # printing writes (or 64 KiB), about a thousand lines here; a hundred each leaves room for a slow machine.
    assert len(streams) <= 2000, len(streams)
    assert stdout_of(outputs) == "".join(f"{i}\n" for i in range(200000))


def test_display_update_and_clear_output(kc):
    reply, outputs = execute(kc, "h = display({'text/plain': 'one'}, raw=True, display_id='d1')\n"
                                 "display({'text/plain': 'two'}, raw=True, display_id='d1', update=True)\n"
                                 "get_ipython().displayer.clear_output(wait=True)")
    kinds = [m["msg_type"] for m in outputs]
    assert kinds == ["display_data", "update_display_data", "clear_output"]
    assert outputs[1]["content"]["transient"] == {"display_id": "d1"}
    assert outputs[2]["content"]["wait"] is True


def test_input_and_getpass_are_answered_on_the_stdin_channel(kc):
    msg_id = kc.execute("name = input('who? ')\nimport getpass\npw = getpass.getpass('pw: ')\n"
                        "print(name, len(pw))", allow_stdin=True)
    request = kc.get_stdin_msg(timeout=10)
    assert request["content"] == {"prompt": "who? ", "password": False}
    kc.input("ada")
    request = kc.get_stdin_msg(timeout=10)
    assert request["content"] == {"prompt": "pw: ", "password": True}
    kc.input("secret")
    assert shell_reply(kc, msg_id)["content"]["status"] == "ok"
    outputs = collect(kc, msg_id)
    assert "ada 6\n" in stdout_of(outputs)


def test_input_without_allow_stdin_is_an_error_not_a_hang(kc):
    reply, outputs = execute(kc, "input()", allow_stdin=False)
    assert reply["status"] == "error" and reply["ename"] == "StdinNotImplementedError"


def test_stop_on_error_aborts_the_queued_executes(kc):
    # The first cell waits for a line only the test sends, once the other two are queued behind it.
    first = kc.execute("input('go? '); raise RuntimeError('first')", allow_stdin=True)
    assert kc.get_stdin_msg(timeout=60)["content"]["prompt"] == "go? "
    second = kc.execute("print('never')")
    third = kc.execute("print('never either')")
    kc.input("now")
    replies = [shell_reply(kc, msg_id)["content"] for msg_id in (first, second, third)]
    assert [r["status"] for r in replies] == ["error", "aborted", "aborted"]
    reply, outputs = execute(kc, "print('after')")
    assert reply["status"] == "ok" and stdout_of(outputs) == "after\n"


def test_stop_on_error_false_keeps_running_the_queue(kc):
    first = kc.execute("raise RuntimeError('first')", stop_on_error=False)
    second = kc.execute("1")
    assert shell_reply(kc, first)["content"]["status"] == "error"
    assert shell_reply(kc, second)["content"]["status"] == "ok"


def test_control_answers_while_a_cell_runs(kc):
    # The cell waits for a line only the test sends, after the control reply: it runs the whole time.
    msg_id = kc.execute("answer = input('go? ')", allow_stdin=True)
    assert kc.get_stdin_msg(timeout=60)["content"]["prompt"] == "go? "
    kc.control_channel.send(kc.session.msg("kernel_info_request"))
    reply = kc.control_channel.get_msg(timeout=60)
    assert reply["content"]["implementation"] == "hocus"
    kc.input("now")
    assert shell_reply(kc, msg_id)["content"]["status"] == "ok"


def test_comms_open_and_message_both_ways(kc):
    execute(kc, "import comm\n"
                "def target(c, msg):\n"
                "    c.on_msg(lambda m: c.send({'echo': m['content']['data']['value']}))\n"
                "comm.get_comm_manager().register_target('echo', target)")
    opened = kc.session.msg("comm_open", {"comm_id": "c1", "target_name": "echo", "data": {}})
    kc.shell_channel.send(opened)
    collect(kc, opened["header"]["msg_id"])
    info_id = kc.comm_info(target_name="echo")
    assert "c1" in shell_reply(kc, info_id)["content"]["comms"]
    sent = kc.session.msg("comm_msg", {"comm_id": "c1", "data": {"value": 7}})
    kc.shell_channel.send(sent)
    echoed = [m for m in collect(kc, sent["header"]["msg_id"]) if m["msg_type"] == "comm_msg"]
    assert echoed[0]["content"]["data"] == {"echo": 7}


def test_closing_or_replacing_sys_stdout_does_not_silence_the_kernel(kc):
    execute(kc, "import sys; sys.stdout.close()")
    assert stdout_of(execute(kc, "print('still here')")[1]) == "still here\n"
    execute(kc, "import io; sys.stdout = io.StringIO()")
    reply, outputs = execute(kc, "print('hidden'); 5")
    assert reply["status"] == "ok" and outputs[-1]["content"]["data"]["text/plain"] == "5"
    execute(kc, "sys.stdout = sys.__stdout__")


def test_complete_uses_the_engine_completer_with_types(kc):
    execute(kc, "import os")
    msg_id = kc.complete("os.pa", 5)
    content = shell_reply(kc, msg_id)["content"]
    assert content["status"] == "ok"
    assert {"path", "pardir"} <= set(content["matches"])
    assert (content["cursor_start"], content["cursor_end"]) == (3, 5)
    types = {item["text"]: item["type"] for item in content["metadata"]["_jupyter_types_experimental"]}
    assert types["path"] == "module"
