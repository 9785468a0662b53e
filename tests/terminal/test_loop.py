"""The one read-eval-print loop: a prompt overrides read_cell only, as code.py's raw_input."""

from __future__ import annotations

from shell import Shell
from shell.terminal.loop import ReadEvalPrintLoop


class ScriptedPrompt(ReadEvalPrintLoop):
    """A front end whose user types the cells of a list; it records what it was offered."""

    def __init__(self, shell, cells):
        self.shell = shell
        self.cells = list(cells)
        self.offers = []

    def read_cell(self, offered=None):
        self.offers.append(offered)
        if not self.cells:
            raise EOFError
        cell = self.cells.pop(0)
        if isinstance(cell, BaseException):
            raise cell
        return offered if cell == "" and offered else cell


def test_an_offered_cell_is_offered_at_the_next_prompt_only(output):
    shell = Shell(output=output)
    prompt = ScriptedPrompt(shell, ["get_ipython().set_next_input('y = 2')", "", "z = 3"])
    assert prompt.run_loop() == 0
    assert prompt.offers == [None, "y = 2", None, None]
    assert (shell.user_ns["y"], shell.user_ns["z"]) == (2, 3)


def test_exit_ends_the_loop_with_its_code(output):
    prompt = ScriptedPrompt(Shell(output=output), ["x = 1", "exit(4)", "never = 1"])
    assert prompt.run_loop() == 4
    assert "never" not in prompt.shell.user_ns


def test_ctrl_c_at_the_prompt_drops_the_offer_and_the_loop_goes_on(output):
    shell = Shell(output=output)
    prompt = ScriptedPrompt(shell, ["get_ipython().set_next_input('y = 2')", KeyboardInterrupt(), "z = 3"])
    assert prompt.run_loop() == 0
    assert prompt.offers == [None, "y = 2", None, None]
    assert "KeyboardInterrupt" in output.stdout and "y" not in shell.user_ns


def test_an_offer_made_before_the_loop_starts_it(output):
    shell = Shell(output=output)
    shell.run_cell("get_ipython().set_next_input('w = 1')")  # as hocus -i -c '%load x.py' does
    prompt = ScriptedPrompt(shell, [""])
    prompt.run_loop()
    assert prompt.offers[0] == "w = 1" and shell.user_ns["w"] == 1
