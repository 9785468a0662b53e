"""Completion hooks IPython users rely on (issue 15): each test states what IPython 9 offers.

The IPython values were read from IPython 9's ``IPCompleter.completions`` in
a separate process (never here: the IPython bridge owns that singleton in
the test process).
"""

from __future__ import annotations

import sys
import types

import pytest

from shell import Shell


def texts(shell, text, cursor=None):
    return [m.text for m in shell.complete(text, cursor).matches]


def applied(shell, text):
    """What the line reads after taking each completion (hocus may replace less than IPython)."""
    result = shell.complete(text)
    return [text[:result.start] + m.text for m in result.matches]


def kinds(shell, text):
    return {m.type for m in shell.complete(text).matches}


@pytest.fixture
def shell(output):
    sh = Shell(output=output)
    sh.completer.use_jedi = False
    return sh


class KeyHook:
    """An object that lists its keys as h5py files, xarray datasets and zarr groups do."""

    calls = 0

    def _ipython_key_completions_(self):
        KeyHook.calls += 1
        return ["alpha", "beta"]

    def __getitem__(self, key):
        return key


def test_objects_list_their_own_keys(shell):
    shell.user_ns["h"] = KeyHook()
    # IPython 9: h['<Tab> -> alpha, beta; h[<Tab> -> 'alpha', 'beta'. hocus closes what it opened
    # (a deliberate difference, docs/coming-from-ipython.md), so the texts end in '] and ].
    assert texts(shell, "h['") == ["alpha']", "beta']"]
    assert texts(shell, "h['al") == ["alpha']"]
    assert texts(shell, "h[") == ["'alpha']", "'beta']"]


def test_a_key_hook_found_only_through_getattr_is_not_called(shell):
    class Dynamic:
        def __getattr__(self, name):
            raise AssertionError("completion ran __getattr__")

    shell.user_ns["d"] = Dynamic()
    assert kinds(shell, "d['") <= {"path"}  # no keys: a string's paths, as for any string


def test_a_key_hook_that_fails_or_hangs_costs_nothing(shell):
    class Failing:
        def _ipython_key_completions_(self):
            raise RuntimeError("broken")

    class Hanging:
        def _ipython_key_completions_(self):
            import time
            while True:  # Python code, so the abandoned call unwinds at once
                time.sleep(0.001)

    shell.user_ns.update(bad=Failing(), slow=Hanging())
    shell.completer.budget_ms = 50
    assert kinds(shell, "bad['") <= {"path"}
    assert kinds(shell, "slow['") <= {"path"}  # abandoned past the budget


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "foo.txt").write_text("")
    (tmp_path / "folder").mkdir()
    return tmp_path


def test_bare_paths_outside_strings(shell, folder):
    # IPython 9: ./fo<Tab> -> format, ./foo.txt (paths and names); /tmp/x/fo<Tab> likewise.
    assert {"./foo.txt", "./folder/"} <= set(applied(shell, "./fo"))
    absolute = f"{folder}/fo"
    assert {f"{folder}/foo.txt", f"{folder}/folder/"} <= set(applied(shell, absolute))
    assert f"x = open({folder}/foo.txt" in applied(shell, f"x = open({absolute}")


def test_division_is_not_a_path(shell, folder):
    shell.user_ns["food"] = 2
    assert "food" in texts(shell, "1 / fo")
    assert "path" not in kinds(shell, "1 / fo")


@pytest.mark.parametrize("typed, expected", [
    ("\\bbh", "𝕙"),               # IPython 9: MATHEMATICAL DOUBLE-STRUCK SMALL H
    ("\\itvarsigma", "𝜍"),        # MATHEMATICAL ITALIC SMALL FINAL SIGMA
    ("\\bfzero", "𝟎"),
    ("\\bisansA", "𝘼"),
    ("\\frakZ", "ℨ"),
    ("\\scrB", "ℬ"),
    ("\\^gamma", "ᵞ"),
    ("\\_beta", "ᵦ"),
    ("\\hat", "\u0302"),
])
def test_the_full_latex_table(shell, typed, expected):
    assert texts(shell, typed) == [expected]


def test_latex_table_is_ipythons_where_both_name_a_character():
    from shell.engine.completion.latex_symbols import LATEX_SYMBOLS

    assert len(LATEX_SYMBOLS) > 1200  # IPython 9 has 1290 names
    assert sum(name.startswith(("\\bf", "\\it", "\\bb", "\\scr", "\\frak", "\\sans", "\\tt", "\\bi", "\\isans",
                                "\\bsans")) for name in LATEX_SYMBOLS) > 950


def test_bare_unicode_names(shell):
    # IPython 9: \ROMAN NUMERAL FIV<Tab> -> ROMAN NUMERAL FIVE, ... FIVE HUNDRED, ... FIVE THOUSAND
    assert texts(shell, "\\ROMAN NUMERAL FIV")[:3] == ["\\ROMAN NUMERAL FIVE", "\\ROMAN NUMERAL FIVE HUNDRED",
                                                      "\\ROMAN NUMERAL FIVE THOUSAND"]
    assert texts(shell, "\\ROMAN NUMERAL FIVE") == ["Ⅴ"]


def test_f_string_expressions(shell):
    shell.run_cell("class O:\n    attr = 1\nobj = O()")
    # IPython 9: f"{obj.at<Tab> -> attr
    assert texts(shell, 'f"{obj.at') == ["attr"]
    assert texts(shell, 'x = f"{{literal}} {obj.at') == ["attr"]
    assert texts(shell, "f'{ob") [:1] == ["obj"]
    assert "attr" not in texts(shell, 'f"{{obj.at')  # an escaped brace: text, not an expression
    assert "attr" not in texts(shell, '"{obj.at')    # not an f-string


def test_keyword_arguments_after_positional_ones(shell):
    shell.user_ns["k"] = 1
    # IPython 9: min(k, k<Tab> -> k, key=, ...
    assert "key=" in texts(shell, "min(k, k")
    assert "key=" in texts(shell, "sorted(k, k")
    assert "default=" in texts(shell, "max(k, d")


def test_dataframe_loc_columns(shell):
    pandas = pytest.importorskip("pandas")
    shell.user_ns["df"] = pandas.DataFrame({"alpha": [1], "beta": [2]})
    # IPython 9: df.loc[:, '<Tab> -> alpha, beta; df.loc[:, <Tab> -> 'alpha', 'beta'
    assert texts(shell, "df.loc[:, '") == ["alpha']", "beta']"]
    assert texts(shell, "df.loc[:, 'al") == ["alpha']"]
    assert texts(shell, "df.loc[:, ") == ["'alpha']", "'beta']"]


def test_config_offers_configurable_names(shell):
    # IPython 9: %config <Tab> lists the configurable classes (AliasManager, ..., IPCompleter, ...)
    assert {"Completer", "Shell", "PlainTextFormatter"} <= set(texts(shell, "%config "))
    assert texts(shell, "%config Compl") == ["Completer"]
    assert "Completer.evaluation" in texts(shell, "%config Completer.")
    assert texts(shell, "%config Completer.evaluation = 'u") == []  # the right side is Python


def test_cell_magic_names_without_the_prefix_at_the_start_of_a_cell(shell):
    # IPython 9: tim<Tab> -> %time, %%time, %timeit, %%timeit; fil<Tab> -> filter, %%file
    assert {"%time", "%%time", "%timeit", "%%timeit"} <= set(texts(shell, "tim"))
    assert texts(shell, "fil")[:2] == ["filter", "%%file"]  # IPython 9's first two, in this order
    assert texts(shell, "%fil") == ["%%file"]
    assert "%%time" not in texts(shell, "x = 1\ntim")  # a cell magic only opens a cell


def test_ipythons_julia_abbreviations_complete_where_ipython_is_installed(shell):
    """The ~90 free-form names of IPython's table no rule derives (\\trnh, \\pbgam, \\koppa) come from an
    installed IPython's table, read as data; IPython 9 gives these characters."""
    pytest.importorskip("IPython", reason="the names come from an installed IPython's table")
    assert shell.complete("x = '\\trnh").texts == ["ɥ"]
    assert shell.complete("x = '\\koppa").texts == ["ϟ"]
    assert shell.complete("\\pbga").texts == ["\\pbgam"]
    # read as data: a fresh process completing it has not imported IPython
    import subprocess
    import sys

    code = ("import sys\nfrom shell import Shell\nassert Shell().complete('\\\\trnh').texts == ['ɥ']\n"
            "print('IPython' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.stdout.strip() == "False", proc.stderr
