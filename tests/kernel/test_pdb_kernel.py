"""``%debug`` and ``breakpoint()`` in a kernel: the debugger's commands come over the stdin channel.

The same debugger as the terminal's (source in context, coloured by the
kernel's Neutral scheme), asking for each command with an ``input_request``
as ipykernel's does. (JupyterLab's visual debugger is the ``debug_request``
protocol, tested apart.)
"""

from __future__ import annotations

from kernel_client import collect, execute, shell_reply, stdout_of, wait_for_stream

CURRENT_LINE = "\x1b[32m----> 3\x1b[0m"  # the current line's marker, green as in tracebacks
KEYWORD = "\x1b[94mreturn"  # pygments' keyword colour, Neutral scheme


def answer_prompts(kc, code: str, commands: list[str]) -> tuple[dict, str, list[str]]:
    """Run ``code``, typing ``commands`` at the debugger's prompts; the reply, the stdout, the prompts."""
    msg_id = kc.execute(code, allow_stdin=True)
    prompts = []
    for command in commands:
        request = kc.get_stdin_msg(timeout=60)
        assert request["msg_type"] == "input_request"
        prompts.append(request["content"]["prompt"])
        kc.input(command)
    reply = shell_reply(kc, msg_id)
    return reply["content"], stdout_of(collect(kc, msg_id)), prompts


def test_debug_post_mortem_over_stdin(kc):
    execute(kc, "def f(x):\n    y = x * 2\n    return 1 / x\n")
    execute(kc, "f(0)")
    reply, printed, prompts = answer_prompts(kc, "%debug", ["p y", "up", "q"])
    assert reply["status"] == "ok" and prompts == ["(Pdb) "] * 3
    assert "(3)f()" in printed and CURRENT_LINE in printed and KEYWORD in printed
    assert "\n0\n" in printed  # p y
    assert "(1)<module>()" in printed  # up: the cell that called f


def test_breakpoint_in_a_cell_over_stdin(kc):
    reply, printed, _ = answer_prompts(kc, "a = 5\nbreakpoint()\nprint('after', a + 1)\n", ["p a", "c"])
    assert reply["status"] == "ok"
    assert CURRENT_LINE in printed and "\n5\n" in printed and "after 6" in printed


def test_interrupt_after_continuing_from_a_breakpoint_interrupts(kernel):
    """pdb's ``continue`` swaps in its own SIGINT handler until it next stops; the cell's end gives
    the kernel's back, so the next interrupt is a KeyboardInterrupt, not a debugger prompt."""
    km, kc = kernel
    reply, _, _ = answer_prompts(kc, "breakpoint()\nx = 1\n", ["c"])
    assert reply["status"] == "ok"
    msg_id = kc.execute("import time\nprint('sleeping', flush=True)\ntime.sleep(100000)", allow_stdin=True)
    wait_for_stream(kc, msg_id, "sleeping")
    km.interrupt_kernel()
    reply = shell_reply(kc, msg_id)["content"]
    assert reply["status"] == "error" and reply["ename"] == "KeyboardInterrupt"
    collect(kc, msg_id)


def test_breakpoint_where_the_front_end_allows_no_input_runs_on(kc):
    """nbclient sends allow_stdin false: the debugger cannot ask for a command, says so in one line,
    and the cell runs on (ipykernel 7 runs on too, without a word; before, hocus failed the cell
    with StdinNotImplementedError, its traceback through bdb, pdb and cmd)."""
    reply, outputs = execute(kc, "a = 5\nbreakpoint()\nprint('after', a + 1)\n", allow_stdin=False)
    printed = stdout_of(outputs)
    assert reply["status"] == "ok"
    assert [line for line in printed.splitlines() if line.startswith("***")] == [
        "*** The debugger cannot read a command here, so the code runs on: "
        "input was called, but this frontend does not support input requests."]
    assert printed.endswith("after 6\n")
