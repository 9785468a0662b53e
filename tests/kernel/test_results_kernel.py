"""Results, the underscore names and the standard descriptors, through a real kernel (issue 13, items 4, 7, 11, 15).

Expected values are IPython's (ipykernel 7) for the same cells.
"""

from __future__ import annotations

from kernel_client import execute, stdout_of


def stderr_of(outputs: list[dict]) -> str:
    return "".join(m["content"]["text"] for m in outputs
                   if m["msg_type"] == "stream" and m["content"]["name"] == "stderr")


def result_text(outputs: list[dict]) -> str:
    [result] = [m for m in outputs if m["msg_type"] == "execute_result"]
    return result["content"]["data"]["text/plain"]


def test_underscore_i_names_the_cells_before_the_running_one(kc):
    execute(kc, "first = 1")
    execute(kc, "second = 2")
    reply, outputs = execute(kc, "_i, _ii")
    assert reply["status"] == "ok"
    assert result_text(outputs) == "('second = 2', 'first = 1')"


def test_a_user_bound_underscore_survives_results(kc):
    execute(kc, "_ = 42")
    execute(kc, "1 + 1")
    reply, outputs = execute(kc, "print(_)")
    assert reply["status"] == "ok" and stdout_of(outputs) == "42\n"
    execute(kc, "del _")  # hand it back for the next tests


def test_open_on_fd_1_is_refused(kc):
    reply, _ = execute(kc, "open(1)")
    assert reply["status"] == "error" and reply["ename"] == "ValueError"
    assert reply["evalue"] == ("hocus won't let you open fd=1 by default as it is likely to crash hocus. "
                               "If you know what you are doing, you can use builtins' open.")


def test_closing_fd_1_leaves_later_output_working(kc):
    reply, outputs = execute(kc, "import builtins\nbuiltins.open(1, 'w').close()")
    assert reply["status"] == "ok"
    assert "closed file descriptor 1 (stdout); hocus opened it again" in stderr_of(outputs)
    # fd 1 is what C code and child processes write to; it reaches the notebook again
    reply, outputs = execute(kc, "import os\nos.write(1, b'fd 1 works\\n')\nprint('print works')")
    assert reply["status"] == "ok", reply
    assert sorted(stdout_of(outputs).splitlines()) == ["fd 1 works", "print works"]


def test_a_result_with_ipython_display_shows_itself(kc):
    execute(kc, "class ShowsItself:\n"
                "    def _ipython_display_(self):\n"
                "        display({'text/plain': 'drawn', 'text/html': '<b>drawn</b>'}, raw=True)\n")
    reply, outputs = execute(kc, "ShowsItself()")
    assert reply["status"] == "ok"
    assert [m["msg_type"] for m in outputs] == ["display_data"]
    assert outputs[0]["content"]["data"] == {"text/plain": "drawn", "text/html": "<b>drawn</b>"}


def test_a_run_script_calls_get_ipython(kc, tmp_path):
    """Issue 13 item 9, end to end: get_ipython is a builtin while a cell runs, so %run scripts
    (and the modules they import) can call it, as in IPython."""
    helper = tmp_path / "helper_using_ip.py"
    helper.write_text("def namespace_has(name):\n    return name in get_ipython().user_ns\n")
    script = tmp_path / "uses_ip.py"
    script.write_text("import sys\nsys.path.insert(0, %r)\nimport helper_using_ip\n"
                      "print('kernel shell:', type(get_ipython()).__name__, helper_using_ip.namespace_has('In'))\n"
                      % str(tmp_path))
    reply, outputs = execute(kc, f"%run {script}")
    assert reply["status"] == "ok", reply
    assert stdout_of(outputs) == "kernel shell: ZMQInteractiveShell True\n"
