"""Completion sources: file paths in strings, mapping keys and DataFrame columns, imports, LaTeX."""

from __future__ import annotations

import os
import sys
import types

import pytest

from shell import Shell


def texts(shell, text, cursor=None):
    return [m.text for m in shell.complete(text, cursor).matches]


@pytest.fixture
def shell(output):
    sh = Shell(output=output)
    sh.completer.use_jedi = False
    return sh


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data.csv").write_text("a,b\n")
    (tmp_path / "data").mkdir()
    (tmp_path / "notes.txt").write_text("")
    (tmp_path / ".hidden").write_text("")
    return tmp_path


# -- paths ---------------------------------------------------------------------------------------
def test_paths_in_string_literals(shell, folder):
    result = shell.complete('open("da')
    assert result.texts == ["data.csv", "data/"]
    assert (result.start, result.end) == (6, 8) and {m.type for m in result.matches} == {"path"}
    assert texts(shell, "open('./no") == ["notes.txt"]
    assert texts(shell, 'open("data/') == []
    assert texts(shell, "pd.read_csv(r'da") == ["data.csv", "data/"]
    assert texts(shell, 'x = """da') == ["data.csv", "data/"]


def test_hidden_files_need_a_dot(shell, folder):
    assert ".hidden" not in texts(shell, 'open("')
    assert texts(shell, 'open(".h') == [".hidden"]


def test_tilde_is_expanded_but_kept(shell, folder, monkeypatch):
    monkeypatch.setenv("HOME", str(folder))
    result = shell.complete('open("~/no')
    assert result.texts == ["notes.txt"] and result.start == len('open("~/')
    assert texts(shell, 'open("~') == ["~/"]


def test_names_that_are_not_utf8_are_skipped(shell, folder):
    if sys.platform == "darwin":
        pytest.skip("macOS file systems only store UTF-8 names")
    bad = os.path.join(os.fsencode(folder), b"bad\xff\xfename.txt")
    with open(bad, "wb"):
        pass
    (folder / "bade.txt").write_text("")
    for text in ('open("ba', "%run ba", "!cat ba"):
        result = shell.complete(text)
        assert result.texts == ["bade.txt"], text
    for match in shell.complete('open("').matches:
        match.text.encode("utf-8")


def test_quotes_in_names_would_end_the_string(shell, folder):
    (folder / 'say"hi".txt').write_text("")
    assert texts(shell, 'open("say') == []
    assert texts(shell, "open('say") == ['say"hi".txt']


def test_a_missing_folder_gives_nothing(shell, folder):
    assert texts(shell, 'open("nowhere/x') == []


# -- keys ----------------------------------------------------------------------------------------
def test_dict_keys(shell):
    shell.run_cell("d = {'alpha': 1, 'beta': 2, 10: 'x', 12: 'y', \"it's\": 3, b'raw': 4}")
    result = shell.complete('d["al')
    assert result.texts == ['alpha"]'] and result.matches[0].type == "dict key"
    assert (result.start, result.end) == (3, 5)
    assert texts(shell, "d['it") == ["it\\'s']"]
    assert texts(shell, 'd["it') == ["it's\"]"]
    assert texts(shell, "d[1") == ["10]", "12]"]
    assert texts(shell, "d[b'r") == ["raw']"]
    assert set(texts(shell, "d[")) >= {"'alpha']", "'beta']", "10]", "12]"}


def test_an_open_bracket_offers_only_the_keys_as_ipython_does(shell):
    # IPython 9: d[<Tab> -> 'alpha', 'beta', 3 (repr of each key), and no global names.
    shell.run_cell("d = {'alpha': 1, 'beta': 2, 3: 4}\ndalpha = 0\nempty = {}")
    assert sorted(texts(shell, "d[")) == ["'alpha']", "'beta']", "3]"]
    assert sorted(texts(shell, "d[ ")) == ["'alpha']", "'beta']", "3]"]
    assert sorted(texts(shell, "d[]", 2)) == ["'alpha'", "'beta'", "3"]
    assert "'alpha']" in texts(shell, "x = d[")
    assert "abs" in texts(shell, "empty[")  # no keys to offer: names, as IPython


def test_keys_do_not_double_closing_characters(shell):
    shell.run_cell("d = {'alpha': 1}")
    assert texts(shell, 'd["al"]', 5) == ["alpha"]
    assert texts(shell, 'd["al" ]', 5) == ["alpha"]
    assert texts(shell, 'd["al]', 5) == ['alpha"']


def test_nested_keys_and_environ(shell, monkeypatch):
    monkeypatch.setenv("HOCUS_TEST_VARIABLE", "1")
    shell.run_cell("import os\nconfig = {'db': {'host': 1, 'port': 2}}")
    assert texts(shell, "config['db']['po") == ["port']"]
    assert texts(shell, "os.environ['HOCUS_TEST_V") == ["HOCUS_TEST_VARIABLE']"]


def test_keys_of_a_dict_subclass_that_overrides_keys_are_not_read(shell):
    shell.run_cell("calls = []\nclass D(dict):\n    def keys(self):\n        calls.append(1)\n"
                   "        return super().keys()\nd = D(alpha=1)")
    assert texts(shell, "d['al") == []
    assert shell.user_ns["calls"] == []


def test_dataframe_columns_when_pandas_is_imported(shell, monkeypatch):
    calls = []

    class DataFrame:
        def __init__(self, columns):
            self._columns = list(columns)

        @property
        def columns(self):
            return self._columns

        def __getattr__(self, name):
            calls.append(name)
            raise AttributeError(name)

        def __dir__(self):
            return ["columns", "head", *self._columns]

        def head(self):
            pass

    fake = types.ModuleType("pandas")
    fake.DataFrame, fake.Series = DataFrame, type("Series", (), {})
    monkeypatch.setitem(sys.modules, "pandas", fake)
    shell.user_ns["df"] = DataFrame([f"col{i}" for i in range(200)] + ["price"])
    result = shell.complete('df["co')
    assert len(result.texts) == 200 and result.texts[0] == 'col0"]'
    assert texts(shell, "df['pr") == ["price']"]
    assert {"columns", "head", "price", "col7"} <= set(texts(shell, "df."))
    assert calls == []


def test_real_dataframe_columns():
    pandas = pytest.importorskip("pandas")
    sh = Shell()
    sh.completer.use_jedi = False
    sh.user_ns.update(pd=pandas, df=pandas.DataFrame({"count": [1], "colour": ["red"], 7: [0]}))
    assert texts(sh, 'df["co') == ['colour"]', 'count"]']
    assert texts(sh, "df[7") == ["7]"]
    assert "count" in texts(sh, "df.co")


def test_pandas_is_never_imported_to_complete():
    # A fresh process: another test may already have imported pandas into this one.
    import subprocess

    code = ("import sys\nfrom shell import Shell\nsh = Shell()\nsh.run_cell(\"d = {'a': 1}\")\n"
            "sh.complete('d[\"')\nsh.complete('d.')\nprint('pandas' in sys.modules)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "False"


# -- imports --------------------------------------------------------------------------------------
def test_import_completes_installed_modules(shell, tmp_path, monkeypatch):
    (tmp_path / "zzhocus_probe_module.py").write_text("x = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    shell.complete("import zzhocus")
    assert shell.completer.modules.wait(60)
    result = shell.complete("import zzhocus")
    assert result.texts == ["zzhocus_probe_module"] and result.matches[0].type == "module"
    assert "zzhocus_probe_module" not in sys.modules
    assert "os" in texts(shell, "import o")
    assert "json" in texts(shell, "import sys, js")
    assert "path" in texts(shell, "import os.pa")
    assert "decoder" in texts(shell, "import json.de")


def test_from_import(shell):
    found = shell.complete("from os import pa").matches
    assert {(m.text, m.type) for m in found} >= {("path", "module"), ("pathsep", "instance")}
    assert texts(shell, "from os.path import jo") == ["join"]
    assert "decoder" in texts(shell, "from json import de")
    assert texts(shell, "from os imp") == ["import"]
    assert "os" in texts(shell, "from o") and "path" in texts(shell, "from os.pa")
    assert "join" in texts(shell, "from os.path import (dirname,\n    jo")


def test_from_dot_import_in_the_current_folder(shell, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "helpers.py").write_text("")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "__init__.py").write_text("")
    (tmp_path / "sub" / "inner.py").write_text("")
    assert texts(shell, "from . import he") == ["helpers"]
    assert texts(shell, "from .su") == ["sub"]
    assert texts(shell, "from .sub import in") == ["inner"]


def test_from_dot_import_inside_a_package(shell, tmp_path, monkeypatch):
    package = tmp_path / "zzhocus_pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "siblings.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    import importlib

    importlib.import_module("zzhocus_pkg")
    try:
        shell.user_ns["__package__"] = "zzhocus_pkg"  # as in a cell run by embed() inside the package
        assert texts(shell, "from . import sib") == ["siblings"]
    finally:
        del sys.modules["zzhocus_pkg"]


# -- LaTeX and Unicode -----------------------------------------------------------------------------------
def test_latex_names_become_characters(shell):
    result = shell.complete("\\alpha")
    assert result.texts == ["α"] and (result.start, result.end) == (0, 6)
    assert texts(shell, "x = \\beta") == ["β"]
    assert texts(shell, "\\to") == ["→"]
    assert texts(shell, "\\^2") == ["²"] and texts(shell, "\\_0") == ["₀"]
    assert texts(shell, "\\bbR") == ["ℝ"]
    assert texts(shell, "s = '\\infty") == ["∞"]  # in strings too


def test_partial_latex_lists_names_with_their_symbols(shell):
    matches = shell.complete("\\alp").matches
    assert [(m.text, m.signature) for m in matches] == [("\\alpha", "α")]
    assert {"\\aleph", "\\alpha"} <= set(texts(shell, "\\al"))


def test_unicode_names(shell):
    assert texts(shell, "\\N{GREEK SMALL LETTER ALPHA}") == ["α"]
    assert texts(shell, "\\N{greek small letter alpha") == ["α"]
    found = texts(shell, "\\N{GREEK SMALL LETTER ALPHA W")
    assert found and all(name.startswith("\\N{GREEK SMALL LETTER ALPHA W") for name in found)
    assert texts(shell, "\\N{NO SUCH CHARACTER NAME") == []


def test_bare_unicode_names_become_characters_as_in_ipython(shell):
    # IPython 9: \\GREEK SMALL LETTER ALPHA<Tab> -> α, in any case, in code and in strings.
    result = shell.complete("\\GREEK SMALL LETTER ALPHA")
    assert result.texts == ["α"] and (result.start, result.end) == (0, 25)
    assert texts(shell, "x = \\greek small letter alpha") == ["α"]
    assert texts(shell, 'print("\\LATIN CAPITAL LETTER A') == ["A"]
    found = texts(shell, "x = \\GREEK SMALL LETTER ALPHA W")
    assert found and all(name.startswith("\\GREEK SMALL LETTER ALPHA W") for name in found)
    assert "\\GREEK SMALL LETTER ALPHA" in texts(shell, "\\GREEK SMALL LETTER ALP")
    assert texts(shell, "x = '\\NO SUCH CHARACTER NAME") == []
    # As in IPython, only a character that can be part of a Python name replaces a bare name
    # (\\N{SPACE} is the way to write the others).
    assert " " not in texts(shell, "x = '\\SPACE")


def test_back_completion(shell):
    assert set(texts(shell, "\\α")) == {"\\alpha", "\\N{GREEK SMALL LETTER ALPHA}"}
    assert set(texts(shell, "\\→")) == {"\\to", "\\N{RIGHTWARDS ARROW}"}
    assert texts(shell, "\\é") == ["\\N{LATIN SMALL LETTER E WITH ACUTE}"]


def test_modules_imported_earlier_in_the_same_cell(output):
    sh = Shell(output=output)
    sh.completer.use_jedi = False  # the fast source alone must answer, within any budget
    assert "path" in texts(sh, "import os; os.pa")
    assert texts(sh, "import os.path as osp\nosp.jo") == ["join"]
    assert texts(sh, "from os import path\npath.jo") == ["join"]
    assert "os" not in sh.user_ns  # completing ran none of the cell


def test_imports_in_the_cell_never_load_a_module(output):
    sh = Shell(output=output)
    sh.completer.use_jedi = False
    assert "zz_never_imported_module" not in sys.modules
    assert texts(sh, "import zz_never_imported_module as z; z.") == []
    assert "zz_never_imported_module" not in sys.modules
