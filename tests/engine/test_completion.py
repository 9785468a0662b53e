"""Completion: the fast sources, the ordering rules, magics, and bad input.

jedi, the time budget and the no-side-effects rule are in
``test_completion_safety.py``; paths, keys, imports and LaTeX in
``test_completion_sources.py``.
"""

from __future__ import annotations

import pytest

from shell import Shell
from shell.engine.completion import Completer, Completion, CompletionResult
from shell.engine.completion.model import Candidate
from shell.engine.completion.ranking import privacy, rank


def texts(shell, text, cursor=None):
    return [m.text for m in shell.complete(text, cursor).matches]


@pytest.fixture
def shell(output):
    """A shell whose completer never waits for jedi: these tests are about the fast sources."""
    sh = Shell(output=output)
    sh.completer.use_jedi = False
    return sh


# -- the API ---------------------------------------------------------------------------------
def test_result_has_offsets_types_and_signatures(shell):
    shell.run_cell("import os")
    result = shell.complete("x = os.pa")
    assert isinstance(result, CompletionResult)
    assert (result.start, result.end) == (7, 9)
    by_text = {m.text: m for m in result.matches}
    assert by_text["path"] == Completion("path", 7, 9, "module", "")
    assert by_text["pathsep"].type == "instance"
    assert by_text["PathLike"].type == "class"
    assert by_text["pathconf"].type == "function" and by_text["pathconf"].signature.startswith("(")
    assert result.texts == [m.text for m in result.matches]


def test_a_builtin_function_kept_on_a_class_is_completed_as_itself(shell):
    """A builtin function or method-wrapper is no descriptor: ``C().f`` is ``len`` itself, as IPython completes it."""
    shell.run_cell("class C:\n    f = len\n    g = (1).__add__\nc = C()")
    assert texts(shell, "c.f.__na") == ["__name__"]  # IPython 9: ['__name__']
    assert texts(shell, "c.g.__sel") == ["__self__"]  # IPython 9: ['__self__']


def test_cursor_defaults_to_the_end_and_may_be_in_the_middle(shell):
    shell.run_cell("alpha = 1; alphabet = 2")
    assert texts(shell, "alp") == ["alpha", "alphabet"]
    result = shell.complete("alp + 1", 3)
    assert (result.start, result.end) == (0, 3) and result.texts == ["alpha", "alphabet"]


def test_completer_is_made_once_and_is_configurable(shell):
    assert shell.completer is shell.completer
    assert shell.configurables()["Completer"] is shell.completer
    shell.run_cell("%config Completer.budget_ms = 50")
    assert shell.completer.budget_ms == 50
    shell.run_cell("%config Completer.evaluation = 'unsafe'")
    assert shell.completer.evaluation == "unsafe"


def test_config_file_settings_reach_the_completer():
    from traitlets.config import Config

    config = Config()
    config.Completer.evaluation = "unsafe"
    config.Completer.use_jedi = False
    sh = Shell(config=config)
    assert sh.completer.evaluation == "unsafe" and sh.completer.use_jedi is False


def test_a_completer_on_a_plain_namespace():
    completer = Completer(namespace={"spam": 1, "spanner": 2}, use_jedi=False)
    assert completer.complete("spa").texts == ["spam", "spanner"]


# -- names, builtins, keywords, attributes -----------------------------------------------------------
def test_namespace_names_builtins_and_keywords(shell):
    shell.run_cell("printer = 1")
    result = shell.complete("pri")
    assert result.texts == ["print", "printer"]
    assert {m.text: m.type for m in result.matches} == {"print": "function", "printer": "instance"}
    assert ("while", "keyword") in [(m.text, m.type) for m in shell.complete("whi").matches]
    assert "Exception" in texts(shell, "Exc")


def test_attributes_of_dotted_names(shell):
    shell.run_cell("import os\nclass K:\n    size = 3\n    def grow(self, by): pass\nk = K()")
    assert "join" in texts(shell, "os.path.jo")
    result = shell.complete("k.")
    assert {m.text: m.type for m in result.matches} == {"grow": "function", "size": "instance"}
    assert result.matches[0].signature == "(self, by)"


def test_attributes_of_literals_and_of_calls_of_classes(shell):
    assert "upper" in texts(shell, "'abc'.up")
    assert "append" in texts(shell, "[1, 2].app")
    shell.run_cell("class Node:\n    def walk(self): pass\ndef make() -> Node: ...")
    assert texts(shell, "Node().wa") == ["walk"]
    assert texts(shell, "make().wa") == ["walk"]  # the return annotation, not a call


def test_keyword_arguments_in_calls(shell):
    result = shell.complete("print(se")
    assert result.matches[0] == Completion("sep=", 6, 8, "param", "")
    assert "set" in result.texts
    shell.run_cell("def plot(x, *, colour='red', width=1): pass")
    found = texts(shell, "plot(1, co")
    assert found[0] == "colour=" and "compile" in found and "x=" not in found
    assert texts(shell, "plot(1, width=2, w")[0] == "width="
    assert "colour=" not in texts(shell, "plot(1, colour=co")  # a value goes here, not a name


# -- ordering ----------------------------------------------------------------------------------
def test_exact_case_prefix_comes_first(shell):
    shell.run_cell("Quota = 1; quotient = 2; QUOTE = 3")
    assert texts(shell, "quo") == ["quotient", "Quota", "QUOTE"]
    assert texts(shell, "Quo") == ["Quota", "QUOTE", "quotient"]
    assert texts(shell, "QUO")[0] == "QUOTE"


def test_private_names_are_hidden_until_an_underscore_is_typed(shell):
    shell.run_cell("class K:\n    def _hidden(self): pass\n    def shown(self): pass\nk = K()")
    assert texts(shell, "k.") == ["shown"]
    found = texts(shell, "k._")
    assert found[0] == "_hidden" and all(name.startswith("__") for name in found[1:])
    assert "__init__" in found


def test_ranking_orders_public_private_dunder_and_params_first():
    candidates = [Candidate(name, 0, 1, "function", prefix="_") for name in ("__str__", "_b", "_a")]
    candidates.append(Candidate("_x=", 0, 1, "param", prefix="_"))
    ranked, start, end = rank(candidates, "_")
    assert [c.text for c in ranked] == ["_x=", "_a", "_b", "__str__"]
    assert [privacy(name) for name in ("public", "_private", "__dunder__", "__mangled")] == [0, 1, 2, 1]
    ranked, _, _ = rank([Candidate("_a", 0, 0, "function"), Candidate("b", 0, 0, "function")], "")
    assert [c.text for c in ranked] == ["b"]


def test_duplicates_merge_and_spans_are_shared():
    candidates = [Candidate("sep=", 6, 8, "param", prefix="se"), Candidate("sep=", 6, 8, "", prefix="se"),
                  Candidate("print(sep=", 0, 8, "statement", prefix="print(se")]
    ranked, start, end = rank(candidates, "print(se")
    assert (start, end) == (0, 8)
    assert [(c.text, c.type) for c in ranked] == [("print(sep=", "param")]


# -- magics ------------------------------------------------------------------------------------
def test_line_and_cell_magic_names(shell):
    assert texts(shell, "%ti") == ["%time", "%timeit", "%%time", "%%timeit"]
    assert texts(shell, "%%ti") == ["%%time", "%%timeit"]
    assert "%%writefile" in texts(shell, "%%wr")
    assert texts(shell, "x = 1\n%tim") == ["%time", "%timeit"]  # %% only starts a cell
    assert texts(shell, "  %who_") == ["%who_ls"]


def test_automagic_names_without_percent(shell):
    # IPython 9: tim<Tab> -> %time, %%time, %timeit, %%timeit (cell magics too, at the start of a cell)
    assert texts(shell, "tim")[:4] == ["%time", "%%time", "%timeit", "%%timeit"]
    shell.run_cell("timeline = 1")
    assert texts(shell, "tim")[0] == "timeline"
    assert "%time" in texts(shell, "tim")
    assert "%timeit" not in texts(shell, "x = tim")  # not at the start of a statement
    shell.run_cell("%automagic off")
    assert not [t for t in texts(shell, "tim") if t.startswith("%")]


def test_magic_options_from_their_parsers(shell):
    found = texts(shell, "%timeit -")
    assert {"-n", "-r", "-o", "-q"} <= set(found)
    assert all(option.startswith("-") for option in found)
    assert texts(shell, "%psearch --ig") == ["--ignore-case"]
    assert texts(shell, "timeit -r") == ["-r"]  # automagic
    assert texts(shell, "%nosuchmagic -") == []


def test_magics_that_take_python_complete_python(shell):
    shell.run_cell("import os")
    assert "path" in texts(shell, "%timeit os.pa")
    assert "path" in texts(shell, "timeit -n 3 os.pa")
    assert "path" in texts(shell, "%%timeit\nx = os.pa")
    assert texts(shell, "%%bash\nec") == []  # not Python
    assert "path" in texts(shell, "?os.pa")


def test_magic_paths_and_cd_directories(shell, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "script.py").write_text("x = 1\n")
    (tmp_path / "scripts").mkdir()
    (tmp_path / "my file.py").write_text("")
    assert texts(shell, "%run scr") == ["script.py", "scripts/"]
    assert texts(shell, "%load scr") == ["script.py", "scripts/"]
    assert texts(shell, "%pycat scr") == ["script.py", "scripts/"]
    assert texts(shell, "%cd scr") == ["scripts/"]
    assert texts(shell, "cd scr") == ["scripts/"]  # automagic
    assert texts(shell, "%run my") == ["my\\ file.py"]
    assert texts(shell, "%run my\\ f") == ["my\\ file.py"]
    assert texts(shell, "!cat scr") == ["script.py", "scripts/"]
    assert texts(shell, "%run -") and texts(shell, "%run -i scr") == ["script.py", "scripts/"]


# -- bad input -----------------------------------------------------------------------------------
@pytest.mark.parametrize("cursor", [100, -5, 0])
def test_cursor_out_of_range_is_clamped(shell, cursor):
    result = shell.complete("import os; os.pa", cursor)
    expected = 16 if cursor > 0 else 0
    assert result.end == expected
    assert shell.completer.last_error is None


@pytest.mark.parametrize("text", [
    'open("abc', "x = '''abc\n  de", "f'{x", 'print("a\\', "(((", ")))", "]", "x = [1,\n 2,\n pri", "'''",
    "\\", "%", "%%", "!", "?", "@", "#", "x # comment pri", "lambda x: x.", "1.", "..", "x.0", "import", "from",
    "from . import (a,\n b", "\x00", "😀.", "a" * 10_000 + ".", "(" * 500 + "x", "d[[[[",
])
def test_bad_input_never_raises(shell, text):
    result = shell.complete(text)
    assert isinstance(result, CompletionResult)
    assert shell.completer.last_error is None
    for match in result.matches:
        assert match.start == result.start and match.end == result.end


def test_non_string_text_is_a_type_error(shell):
    with pytest.raises(TypeError):
        shell.complete(b"os.pa")


def test_nothing_inside_comments(shell):
    assert texts(shell, "x = 1  # pri") == []
