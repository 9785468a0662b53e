"""%who, %who_ls, %whos, %reset, %reset_selective and %xdel, typed as a user types them."""

from __future__ import annotations

import pytest

from cell_checks import one_line_error, run_ok


class Answers:
    """An InputProvider that answers questions from a list (end of input after that)."""

    def __init__(self, *answers: str):
        self.answers = list(answers)
        self.prompts: list[str] = []

    def input(self, prompt: str = "", *, password: bool = False) -> str:
        self.prompts.append(prompt)
        if not self.answers:
            raise EOFError
        return self.answers.pop(0)


@pytest.fixture
def populated(shell, output):
    run_ok(shell, output, "import os\na = 1\nb = 2.5\ns = 'text'\ndef f(): pass\n_private = 3")
    run_ok(shell, output, "a + 1")  # fills Out[2], _ and _2
    output.clear()
    return shell


# -- %who / %who_ls ---------------------------------------------------------------------------
def test_who_lists_user_names_only(populated, output):
    run_ok(populated, output, "%who")
    assert output.stdout.split() == ["a", "b", "f", "os", "s"]


def test_who_filters_by_type_name(populated, output):
    run_ok(populated, output, "%who int str function")
    assert output.stdout.split() == ["a", "f", "s"]


def test_who_says_when_nothing_matches(shell, output):
    run_ok(shell, output, "%who")
    assert output.stdout == "Interactive namespace is empty.\n"
    output.clear()
    run_ok(shell, output, "x = 1\n%who str")
    assert output.stdout == "No variables match your requested type.\n"


def test_who_wraps_after_nine_names(shell, output):
    run_ok(shell, output, "\n".join(f"v{i:02} = {i}" for i in range(12)))
    run_ok(shell, output, "%who")
    lines = output.stdout.splitlines()
    assert [len(line.split("\t")) for line in lines] == [9, 3]


def test_who_ls_returns_a_sorted_list(populated, output):
    run_ok(populated, output, "names = %who_ls")
    assert populated.user_ns["names"] == ["a", "b", "f", "os", "s"]
    assert populated.run_line_magic("who_ls", "float") == ["b"]


# -- %whos ----------------------------------------------------------------------------------
def test_whos_table(shell, output):
    run_ok(shell, output, "n = 10\nitems = [1, 2, 3]\nlong = 'x' * 30 + 'y' * 30\nmulti = 'a\\nb'")
    output.clear()
    run_ok(shell, output, "%whos")
    lines = output.stdout.splitlines()
    assert lines[0].split() == ["Variable", "Type", "Data/Info"]
    assert set(lines[1]) == {"-"}
    rows = {line.split()[0]: line for line in lines[2:]}
    assert rows["items"].split()[1:] == ["list", "n=3"]
    assert rows["n"].split()[1:] == ["int", "10"]
    assert rows["long"].endswith("x" * 25 + "<...>" + "y" * 25)
    assert rows["multi"].endswith("a\\nb")
    # Columns line up under the header.
    assert all(row.index(row.split()[1]) == lines[0].index("Type") for row in rows.values())


def test_whos_shows_numpy_arrays_by_shape(shell, output):
    pytest.importorskip("numpy")
    run_ok(shell, output, "import numpy as np\narr = np.zeros((3, 4))")
    output.clear()
    run_ok(shell, output, "%whos ndarray")
    assert output.stdout.splitlines()[-1].split(None, 2) == ["arr", "ndarray", "3x4: 12 elems, type `float64`, 96 bytes"]


def test_whos_survives_a_broken_str(shell, output):
    run_ok(shell, output, "class Bad:\n    def __str__(self): raise RuntimeError\nb = Bad()")
    output.clear()
    run_ok(shell, output, "%whos Bad")
    assert "(str() failed)" in output.stdout


# -- %reset ----------------------------------------------------------------------------------
def test_reset_f_empties_namespace_and_shell_still_works(populated, output):
    run_ok(populated, output, "%reset -f")
    ns = populated.user_ns
    assert not {"a", "b", "s", "f", "os", "_private"} & set(ns)
    assert {"In", "Out", "get_ipython", "exit", "quit"} <= set(ns)
    assert ns["Out"] == {} and ns["_"] == ""
    output.clear()
    result = run_ok(populated, output, "x = 2\nx * 21")
    assert result.result == 42 and "42" in output.stdout
    assert ns["In"][result.execution_count] == "x = 2\nx * 21"
    assert ns["Out"] == {result.execution_count: 42}


def test_reset_asks_and_no_keeps_everything(populated, output):
    populated.input_provider = asker = Answers("n")
    run_ok(populated, output, "%reset")
    assert asker.prompts == ["Once deleted, variables cannot be recovered. Proceed (y/[n])? "]
    assert "Nothing done." in output.stdout
    assert populated.user_ns["a"] == 1


def test_reset_asks_again_until_understood_and_yes_deletes(populated, output):
    populated.input_provider = asker = Answers("maybe", "y")
    run_ok(populated, output, "%reset")
    assert len(asker.prompts) == 2
    assert "a" not in populated.user_ns


def test_reset_end_of_input_means_no(populated, output):
    populated.input_provider = Answers()
    run_ok(populated, output, "%reset")
    assert populated.user_ns["a"] == 1 and "Nothing done." in output.stdout


def test_soft_reset_keeps_history(populated, output):
    run_ok(populated, output, "%reset -f -s")
    ns = populated.user_ns
    assert "a" not in ns and "os" not in ns
    assert ns["Out"] == {2: 2} and ns["_"] == 2 and ns["_private"] == 3
    assert ns["In"][1].startswith("import os")


def test_reset_out_and_in(populated, output):
    run_ok(populated, output, "%reset -f out")
    ns = populated.user_ns
    assert "Flushing output cache (1 entries)" in output.stdout
    assert ns["Out"] == {} and "_2" not in ns and ns["_"] == "" and ns["a"] == 1
    run_ok(populated, output, "%reset -f in")
    assert "Flushing input history" in output.stdout
    assert set(ns["In"]) == {""} and "_i1" not in ns and ns["_i"] == ""
    result = run_ok(populated, output, "a")
    assert ns["In"][result.execution_count] == "a"


def test_reset_array_deletes_only_arrays(shell, output):
    pytest.importorskip("numpy")
    run_ok(shell, output, "import numpy as np\narr = np.ones(3)\nlst = [1]")
    run_ok(shell, output, "%reset -f array")
    assert "arr" not in shell.user_ns and shell.user_ns["lst"] == [1]


def test_reset_unknown_target_is_one_line_and_deletes_nothing(populated, output):
    result = populated.run_cell("%reset -f everything")
    one_line_error(output, "UsageError: %reset: don't know how to reset 'everything'")
    assert not result.success
    assert populated.user_ns["a"] == 1


# -- %reset_selective -------------------------------------------------------------------------
def test_reset_selective_deletes_matching_names(shell, output):
    run_ok(shell, output, "tmp_a = 1\ntmp_b = 2\na_tmp = 3\nkeep = 4")
    run_ok(shell, output, "%reset_selective -f ^tmp_")
    assert {"a_tmp", "keep"} <= set(shell.user_ns) and not {"tmp_a", "tmp_b"} & set(shell.user_ns)
    run_ok(shell, output, "%reset_selective -f 'tmp$'")
    assert "a_tmp" not in shell.user_ns and shell.user_ns["keep"] == 4


def test_reset_selective_asks_first(shell, output):
    run_ok(shell, output, "tmp_a = 1")
    shell.input_provider = Answers("no")
    run_ok(shell, output, "%reset_selective tmp")
    assert shell.user_ns["tmp_a"] == 1 and "Nothing done." in output.stdout
    shell.input_provider = Answers("yes")
    run_ok(shell, output, "%reset_selective tmp")
    assert "tmp_a" not in shell.user_ns


@pytest.mark.parametrize("line,message", [
    ("%reset_selective -f (", "UsageError: %reset_selective: invalid regular expression '('"),
    ("%reset_selective -f", "UsageError: %reset_selective: give a regular expression"),
])
def test_reset_selective_bad_pattern_is_one_line(shell, output, line, message):
    run_ok(shell, output, "x = 1")
    shell.run_cell(line)
    one_line_error(output, message)
    assert shell.user_ns["x"] == 1
    assert shell.run_cell("x + 1").result == 2


# -- %xdel ----------------------------------------------------------------------------------
def test_xdel_removes_the_object_everywhere(shell, output):
    run_ok(shell, output, "data = [1, 2]\nalias = data\nother = [1, 2]")
    run_ok(shell, output, "data")  # Out[2], _2 and _ refer to it
    run_ok(shell, output, "%xdel data")
    ns = shell.user_ns
    assert not {"data", "alias", "_2"} & set(ns)
    assert ns["Out"] == {} and ns["_"] == ""
    assert ns["other"] == [1, 2] and {"In", "Out", "get_ipython"} <= set(ns)


def test_xdel_n_deletes_only_the_name(shell, output):
    run_ok(shell, output, "data = [1]\nalias = data")
    run_ok(shell, output, "%xdel -n data")
    assert "data" not in shell.user_ns and shell.user_ns["alias"] == [1]


@pytest.mark.parametrize("line,message", [
    ("%xdel nothing_here", "UsageError: name 'nothing_here' is not defined"),
    ("%xdel In", "UsageError: %xdel: refusing to delete 'In'"),
    ("%xdel", "UsageError: %xdel: the following arguments are required: name"),
])
def test_xdel_bad_names_are_one_line(shell, output, line, message):
    shell.run_cell(line)
    one_line_error(output, message)
    assert shell.run_cell("1 + 1").result == 2


def test_help_comes_from_docstrings(shell):
    for name in ("who", "who_ls", "whos", "reset", "reset_selective", "xdel"):
        doc = shell.magics.find("line", name).doc
        assert len(doc.strip().splitlines()) > 3, name
    assert "-s" in shell.magics.find("line", "reset").doc
