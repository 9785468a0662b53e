"""The engine's contract: run_cell, In/Out and the underscore names, errors that never escape."""

from __future__ import annotations

import inspect

from shell import Shell


def test_last_expression_is_displayed_and_stored(shell, output):
    result = shell.run_cell("x = 20\nx + 22")
    assert result.success and result.result == 42 and result.execution_count == 1
    assert output.stdout == "Out[1]: 42\n"
    assert shell.user_ns["Out"][1] == 42
    assert shell.user_ns["_"] == 42 and shell.user_ns["_1"] == 42


def test_underscore_names_shift(shell):
    for value in ("1", "2", "3", "4"):
        shell.run_cell(value)
    ns = shell.user_ns
    assert (ns["_"], ns["__"], ns["___"]) == (4, 3, 2)
    assert ns["_2"] == 2 and ns["Out"] == {1: 1, 2: 2, 3: 3, 4: 4}


def test_inputs_are_recorded(shell):
    shell.run_cell("a = 1")
    shell.run_cell("b = 2")
    shell.run_cell("c = 3")
    ns = shell.user_ns
    assert ns["In"] == ["", "a = 1", "b = 2", "c = 3"]
    assert (ns["_i"], ns["_ii"], ns["_iii"]) == ("b = 2", "a = 1", "")  # as IPython: _i is the cell before
    assert ns["_i2"] == "b = 2"


def test_trailing_semicolon_suppresses_display(shell, output):
    result = shell.run_cell("1 + 1;")
    assert output.stdout == ""
    assert 1 not in shell.user_ns["Out"]
    assert result.success


def test_semicolon_inside_a_string_or_comment_does_not_suppress(shell, output):
    shell.run_cell("'a;'")
    shell.run_cell("2  # done;")
    assert output.stdout == "Out[1]: 'a;'\nOut[2]: 2\n"


def test_none_is_not_displayed(shell, output):
    shell.run_cell("None")
    shell.run_cell("print")
    assert output.stdout == "Out[2]: <built-in function print>\n"


def test_counter_advances_only_for_stored_cells(shell):
    shell.run_cell("1")
    shell.run_cell("2", store_history=False)
    shell.run_cell("3", silent=True)
    assert shell.execution_count == 2
    assert shell.run_cell("4").execution_count == 2


def test_silent_cells_show_nothing_and_keep_no_history(shell, output):
    result = shell.run_cell("y = 5\ny", silent=True)
    assert output.stdout == ""
    assert shell.user_ns["y"] == 5
    assert shell.user_ns["In"] == [""]
    assert result.execution_count is None


def test_only_the_last_expression_statement_is_displayed(shell, output):
    shell.run_cell("1\n2\nz = 3")
    assert output.stdout == ""
    shell.run_cell("for i in range(3):\n    i")
    assert output.stdout == ""


def test_multi_line_results_start_on_their_own_line(shell, output):
    shell.run_cell("list(range(40))")
    assert output.stdout.startswith("Out[1]: \n[0,\n 1,")


def test_top_level_await(shell, output):
    result = shell.run_cell("import asyncio\nawait asyncio.sleep(0)\nawait asyncio.sleep(0, result='done')")
    assert result.success and result.result == "done"
    assert output.stdout == "Out[1]: 'done'\n"


def test_tasks_survive_between_cells(shell):
    shell.run_cell("import asyncio\nasync def work():\n    await asyncio.sleep(0.01)\n    return 7\n"
                   "task = asyncio.ensure_future(work())")
    result = shell.run_cell("await task")
    assert result.result == 7


def test_exception_is_reported_not_raised(shell, output):
    result = shell.run_cell("def f():\n    return 1 / 0\nf()")
    assert not result.success
    assert isinstance(result.error_in_exec, ZeroDivisionError)
    err = output.stderr
    assert "ZeroDivisionError: division by zero" in err
    assert "Cell In[1], line 2, in f()" in err
    assert "----> 2     return 1 / 0" in err
    assert shell.run_cell("1").success


def test_syntax_error_shows_the_caret(shell, output):
    result = shell.run_cell("x = (1 +\n")
    assert result.error_before_exec is not None
    result = shell.run_cell("1 +* 2")
    assert isinstance(result.error_before_exec, SyntaxError)
    assert "    1 +* 2\n" in output.stderr
    assert "^" in output.stderr and "SyntaxError: invalid syntax" in output.stderr


def test_keyboard_interrupt_shows_where_the_cell_stopped(shell, output):
    # IPython 9 shows the traceback of a KeyboardInterrupt, as of any error (issue 13 item 17)
    result = shell.run_cell("raise KeyboardInterrupt")
    assert isinstance(result.error_in_exec, KeyboardInterrupt)
    assert output.stderr == ("-" * 75 + "\n" + "KeyboardInterrupt" + " " * 25 + "Traceback (most recent call last)\n"
                             "Cell In[1], line 1\n----> 1 raise KeyboardInterrupt\n\nKeyboardInterrupt\n")
    assert shell.run_cell("2").result == 2


def test_system_exit_is_reported_not_fatal(shell, output):
    result = shell.run_cell("raise SystemExit(3)")
    assert isinstance(result.error_in_exec, SystemExit)
    assert "SystemExit: 3" in output.stderr
    assert not shell.exit_requested
    assert shell.run_cell("2").result == 2


def test_exit_and_quit_end_the_session():
    for source, code in (("exit", None), ("quit", None), ("exit()", None), ("exit(3)", 3), ("quit(0)", 0)):
        sh = Shell()
        sh.run_cell(source)
        assert sh.exit_requested, source
        assert sh.exit_code == code


def test_the_result_tells_the_front_end_what_the_cell_asks(shell):
    result = shell.run_cell("get_ipython().set_next_input('x = 1', replace=True)")
    assert (result.next_input, result.next_input_replace, result.exit_requested) == ("x = 1", True, False)
    result = shell.run_cell("exit(3)")
    assert (result.next_input, result.exit_requested, result.exit_code) == (None, True, 3)
    result = shell.run_cell("2")  # each cell asks anew: the earlier requests are not repeated
    assert (result.next_input, result.exit_requested) == (None, False)


def test_a_request_made_by_a_cell_run_inside_a_cell_reaches_the_outer_result(shell):
    result = shell.run_cell("get_ipython().run_cell('exit(2)')\ny = 1")
    assert (result.exit_requested, result.exit_code) == (True, 2)
    assert shell.user_ns["y"] == 1  # the session ends after the cell, as IPython's exit


def test_the_last_result_is_the_outer_cells_once_it_ends(shell):
    result = shell.run_cell("get_ipython().run_cell('1')\n2")
    assert shell.last_execution_result is result  # IPython 9: the outer cell's result too


def test_errors_go_whole_to_the_front_ends_error_reporter(output):
    reported = []

    class Reporter:
        def write_error(self, error, text):
            reported.append((type(error).__name__, text))

    sh = Shell(output=output, error_reporter=Reporter())
    sh.run_cell("1 / 0")
    assert reported[0][0] == "ZeroDivisionError" and "----> 1 1 / 0" in reported[0][1]
    assert "ZeroDivisionError" not in output.stderr  # reported once, to the reporter


def test_long_text_goes_to_the_front_ends_pager(output):
    paged = []
    sh = Shell(output=output, pager=paged.append)
    sh.run_cell("len?")
    assert paged and paged[0].startswith("Signature: len(obj, /)")


def test_functions_defined_in_cells_have_source(shell):
    shell.run_cell("def double(x):\n    return 2 * x")
    assert inspect.getsource(shell.user_ns["double"]) == "def double(x):\n    return 2 * x\n"


def test_future_imports_carry_over(shell):
    shell.run_cell("from __future__ import annotations")
    shell.run_cell("def f(x: undefined_name) -> int:\n    return 1")
    assert shell.user_ns["f"].__annotations__["x"] == "undefined_name"


def test_get_ipython_returns_the_shell(shell):
    assert shell.run_cell("get_ipython()", silent=True).success
    ip = shell.user_ns["get_ipython"]()
    # with IPython installed, the shell as IPython's API presents it (tests/bridge); else the shell
    assert ip is shell or ip.hocus_shell is shell
    assert ip.user_ns is shell.user_ns and ip.get_ipython() is ip
    shell.run_cell("ip = get_ipython(); ip.ex('q = 9'); r = ip.ev('q * 2')")
    assert shell.user_ns["r"] == 18


def test_user_code_cannot_break_the_hook(shell, output):
    shell.run_cell("del __hocus__")
    assert shell.run_cell("5").result == 5


def test_two_shells_do_not_share_state(output):
    one, two = Shell(output=output), Shell(output=output)
    one.run_cell("x = 1")
    assert "x" not in two.user_ns
    assert two.execution_count == 1


def test_push_and_user_variables(shell):
    shell.push({"alpha": 1})
    shell.run_cell("beta = 2")
    assert set(shell.user_variables()) >= {"alpha", "beta"}
    assert "In" not in shell.user_variables() and "get_ipython" not in shell.user_variables()


def test_input_goes_through_the_input_provider(output):
    class Answers:
        def __init__(self):
            self.prompts = []

        def input(self, prompt="", *, password=False):
            self.prompts.append((prompt, password))
            return "secret" if password else "Ada"

    answers = Answers()
    sh = Shell(output=output, input_provider=answers)
    sh.run_cell("import getpass\nname = input('Name? ')\npw = getpass.getpass()")
    assert sh.user_ns["name"] == "Ada" and sh.user_ns["pw"] == "secret"
    assert answers.prompts == [("Name? ", False), ("Password: ", True)]
    import builtins

    assert builtins.input.__module__ == "builtins"


def test_warm_up_runs_nothing_stores_nothing_and_fires_no_event(shell, output):
    fired = []
    shell.events.register("pre_execute", lambda: fired.append("pre_execute"))
    shell.user_ns["x"] = 1
    shell.warm_up()
    assert fired == [] and output.stdout == "" and output.stderr == ""
    assert shell.execution_count == 1 and shell.history.get_range(0, 1, 10) == []
    assert shell.user_ns["x"] == 1
    shell.run_cell("x + 1")  # the first real cell is still cell 1
    assert "Out[1]: 2" in output.stdout
