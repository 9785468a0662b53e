"""``_i``/``_ii``/``_iii``, ``_``/``__``/``___`` and ``Out`` as IPython 9 keeps them.

Each expected value here is what IPython 9 gives for the same cells
(checked side by side with ``InteractiveShell.run_cell``).
"""

from __future__ import annotations

import builtins

import pytest

from cell_checks import run_ok


# -- _i, _ii, _iii (issue 13, item 4) ---------------------------------------------------------
def test_inside_a_cell_underscore_i_names_the_cells_before_it(shell, output):
    for source in ("a = 1", "b = 2", "c = 3"):
        run_ok(shell, output, source)
    run_ok(shell, output, "seen = (_i, _ii, _iii, _i4)")
    assert shell.user_ns["seen"] == ("c = 3", "b = 2", "a = 1", "seen = (_i, _ii, _iii, _i4)")


def test_first_cells_see_empty_previous_inputs(shell, output):
    run_ok(shell, output, "first = (_i, _ii, _iii)")
    run_ok(shell, output, "second = (_i, _ii, _iii)")
    assert shell.user_ns["first"] == ("", "", "")
    assert shell.user_ns["second"] == ("first = (_i, _ii, _iii)", "", "")


def test_cells_not_stored_do_not_shift_underscore_i(shell, output):
    run_ok(shell, output, "a = 1")
    run_ok(shell, output, "b = 2")
    shell.run_cell("hidden = 1", store_history=False)
    run_ok(shell, output, "seen = (_i, _ii)")
    assert shell.user_ns["seen"] == ("b = 2", "a = 1")


# -- a user's _ (issue 13, item 11) -------------------------------------------------------------
def test_a_user_bound_underscore_is_not_overwritten(shell, output, capsys):
    run_ok(shell, output, "_ = 42")
    run_ok(shell, output, "1 + 1")
    run_ok(shell, output, "print(_)")
    assert output.stdout == "Out[2]: 2\n"
    assert capsys.readouterr().out == "42\n"  # as IPython prints
    # the result is still cached under its number
    assert shell.user_ns["Out"] == {2: 2} and shell.user_ns["_2"] == 2


def test_user_bound_double_underscore_stops_all_three(shell, output):
    run_ok(shell, output, "1")
    run_ok(shell, output, "__ = 'mine'")
    run_ok(shell, output, "2")
    ns = shell.user_ns
    assert (ns["_"], ns["__"], ns["___"]) == (1, "mine", "")


def test_deleting_the_users_underscore_gives_it_back_to_the_cache(shell, output):
    for source in ("1", "2", "_ = 42", "3", "del _", "4"):
        run_ok(shell, output, source)
    ns = shell.user_ns
    assert (ns["_"], ns["__"], ns["___"]) == (4, 3, 2)


@pytest.fixture
def gettext_installs():
    """gettext.install puts ``_`` in builtins; take it out again after the test."""
    saved = builtins.__dict__.pop("_", None)
    yield
    builtins.__dict__.pop("_", None)
    if saved is not None:
        builtins._ = saved


def test_gettext_install_keeps_its_underscore(shell, output, gettext_installs):
    run_ok(shell, output, "1 + 1")
    run_ok(shell, output, "import gettext; gettext.install('hocus-test')")
    run_ok(shell, output, "_('hello')")
    run_ok(shell, output, "5")
    run_ok(shell, output, "again = _('again')")
    assert output.stdout == "Out[1]: 2\nOut[3]: 'hello'\nOut[4]: 5\n"
    assert shell.user_ns["again"] == "again" and shell.user_ns["Out"][4] == 5


def test_gettext_installed_by_a_cell_ending_in_a_statement(shell, output, gettext_installs):
    # IPython only steps aside when the installing cell ends in an expression; hocus always does
    run_ok(shell, output, "1 + 1")
    run_ok(shell, output, "import gettext\ngettext.install('hocus-test')\ndone = True")
    run_ok(shell, output, "word = _('word')")
    assert shell.user_ns["word"] == "word"


def test_reset_out_gives_underscore_back_to_the_cache(shell, output):
    # IPython 9 stops updating _ after %reset out (its record of what it wrote is not reset); hocus does not
    run_ok(shell, output, "1")
    run_ok(shell, output, "2")
    run_ok(shell, output, "%reset -f out")
    run_ok(shell, output, "3")
    assert shell.user_ns["_"] == 3


# -- Out is not cached into itself (issue 13, item 23) ------------------------------------------
def test_evaluating_out_shows_it_but_does_not_store_it(shell, output):
    run_ok(shell, output, "1")
    run_ok(shell, output, "2")
    run_ok(shell, output, "Out")
    run_ok(shell, output, "_oh")
    ns = shell.user_ns
    assert output.stdout == "Out[1]: 1\nOut[2]: 2\nOut[3]: {1: 1, 2: 2}\nOut[4]: {1: 1, 2: 2}\n"
    assert ns["Out"] == {1: 1, 2: 2}
    assert (ns["_"], ns["__"], ns["___"]) == (2, 1, "")
    assert "_3" not in ns and "_4" not in ns


def test_in_and_underscore_are_cached_as_ipython_does(shell, output):
    # IPython 9 stores In and _ when they are a cell's value (only Out is left out)
    run_ok(shell, output, "7")
    run_ok(shell, output, "_")
    run_ok(shell, output, "In")
    ns = shell.user_ns
    assert ns["Out"][2] == 7 and ns["Out"][3] is ns["In"]
    assert (ns["__"], ns["___"]) == (7, 7)


def test_a_namespace_reset_does_not_bring_old_results_back(shell, output):
    run_ok(shell, output, "1")
    run_ok(shell, output, "2")
    shell.reset()  # In and Out kept, the namespace emptied
    run_ok(shell, output, "3")
    ns = shell.user_ns
    assert (ns["_"], ns["__"], ns["___"]) == (3, "", "")
