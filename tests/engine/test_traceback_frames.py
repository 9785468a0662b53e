"""Traceback frames as IPython 9 shows them (issue 13 items 17 and 25).

Each frame names the call with its arguments (``in level2(d)``,
``in JSONDecoder.decode(self, s, _w)``) and shows the running statement
with two statements before and after it, from its own function only; a
``%%time`` cell's internal magic call is not a frame; a SyntaxError found
after parsing still shows its line; Ctrl-C shows where the cell stopped.
The expected texts are IPython 9.18's, with colours off.
"""

from __future__ import annotations

import re

import pytest

from shell import Shell

JSON_CELLS = ("import json\ndef level2(d):\n    return json.loads(d)\ndef level1(s, n=3, *a, **k):\n    return level2(s)\n",
              'level1("{bad", 4, 5, z=1)')


@pytest.fixture
def plain_shell(output):
    return Shell(output=output, colors="NoColor")


def run_all(shell, *cells):
    for cell in cells:
        shell.run_cell(cell)


def test_frames_name_the_call_with_its_arguments_and_show_only_their_function(plain_shell, output):
    run_all(plain_shell, *JSON_CELLS)
    err = output.stderr
    assert ("Cell In[2], line 1\n"
            '----> 1 level1("{bad", 4, 5, z=1)\n'
            "\n"
            "Cell In[1], line 5, in level1(s, n, *a, **k)\n"
            "      4 def level1(s, n=3, *a, **k):\n"
            "----> 5     return level2(s)\n"
            "\n"
            "Cell In[1], line 3, in level2(d)\n"
            "      2 def level2(d):\n"
            "----> 3     return json.loads(d)\n"
            "\n") in err
    assert re.search(r"/json/decoder\.py:\d+, in JSONDecoder\.decode\(self, s, _w\)\n", err)
    assert re.search(r"/json/__init__\.py:\d+, in loads\(s, cls, object_hook, parse_float, parse_int, "
                     r"parse_constant, object_pairs_hook, \*\*kw\)\n", err)


LIBRARY = '''def decode(text, strict=True):
    if not isinstance(text, str):
        raise TypeError("text")
        text = text.decode()

    if (strict and
            text.startswith("{") and
            not text.endswith("}")):
        return scan(text)
    if not strict:
        return text


def scan(text, idx=0):
    """Scan a document.

    The document starts at idx
    and goes on to its end, and this
    docstring is long enough to be cut
    in the middle.
    """
    try:
        raise ValueError("unbalanced")
    except KeyError:
        pass
'''


def test_file_frames_are_trimmed_to_their_statements_and_dedented(plain_shell, output, tmp_path, monkeypatch):
    (tmp_path / "scanner.py").write_text(LIBRARY)
    monkeypatch.syspath_prepend(str(tmp_path))
    run_all(plain_shell, "import scanner", 'scanner.decode("{bad")')
    err = output.stderr
    # IPython 9 shows exactly these lines (its gap line runs into the next one; here it is a line of its own)
    assert ("scanner.py:9, in decode(text, strict)\n"
            "      4     text = text.decode()\n"
            "      6 if (strict and\n"
            "      7         text.startswith(\"{\") and\n"
            "      8         not text.endswith(\"}\")):\n"
            "----> 9     return scan(text)\n"
            "     10 if not strict:\n"
            "     11     return text\n"
            "\n") in err
    assert ("scanner.py:23, in scan(text, idx)\n"
            "     15 \"\"\"Scan a document.\n"
            "     16 \n"
            "     17 The document starts at idx\n"
            "   (...)\n"
            "     20 in the middle.\n"
            "     21 \"\"\"\n"
            "     22 try:\n"
            "---> 23     raise ValueError(\"unbalanced\")\n"
            "     24 except KeyError:\n"
            "     25     pass\n"
            "\n") in err


def test_a_method_frame_starts_at_its_def_and_stops_before_the_next_one(plain_shell, output):
    run_all(plain_shell,
            'import json\nclass Config:\n    """Settings."""\n\n    def __init__(self, path):\n        self.path = path\n\n'
            '    def load(self):\n        """Read the file.\n\n        It must exist.\n        """\n'
            '        text = open(self.path).read()\n        return json.loads(text)\n\n    def other(self):\n        pass\n',
            'Config("/nonexistent/x.json").load()')
    assert ("Cell In[1], line 13, in Config.load(self)\n"
            "      8 def load(self):\n"
            '      9     """Read the file.\n'
            "     10 \n"
            "     11     It must exist.\n"
            '     12     """\n'
            "---> 13     text = open(self.path).read()\n"
            "     14     return json.loads(text)\n"
            "\n"
            "FileNotFoundError: [Errno 2] No such file or directory: '/nonexistent/x.json'\n") in output.stderr


def test_verbose_frames_show_the_argument_values(plain_shell, output):
    run_all(plain_shell, JSON_CELLS[0], "%xmode Verbose", JSON_CELLS[1])
    assert "Cell In[1], line 3, in level2(d='{bad')\n" in output.stderr
    assert "Cell In[1], line 5, in level1(s='{bad', n=4, *a=(5,), **k={'z': 1})\n" in output.stderr


def test_an_error_in_a_time_cell_shows_the_cell_not_the_magic_call(plain_shell, output):
    plain_shell.run_cell("%%time\nx = 1\n1/0\n")
    err = output.stderr
    assert "__hocus__" not in err and "cell_magic" not in err
    assert ("ZeroDivisionError                         Traceback (most recent call last)\n"
            "Cell In[1], line 3\n"
            "      1 %%time\n"
            "      2 x = 1\n"
            "----> 3 1/0\n"
            "\n"
            "ZeroDivisionError: division by zero\n") in err


def test_an_error_in_a_timeit_cell_shows_the_cell(plain_shell, output):
    plain_shell.run_cell("%%timeit -n1 -r1\nraise ValueError('inside')\n")
    assert "__hocus__" not in output.stderr
    assert "----> 2 raise ValueError('inside')\n" in output.stderr


def test_a_syntax_error_without_text_shows_its_line(plain_shell, output):
    plain_shell.run_cell("x = 1\nreturn x")
    assert output.stderr.startswith("  Cell In[1], line 2\n    return x\n    ^")
    assert output.stderr.endswith("SyntaxError: 'return' outside function\n")


def test_ctrl_c_in_a_running_function_shows_its_frames(plain_shell, output):
    # a real SIGINT, delivered while the cell's function runs
    run_all(plain_shell, "import signal\ndef work(n):\n    signal.raise_signal(signal.SIGINT)\n    return n\n", "work(3)")
    result_err = output.stderr
    assert ("KeyboardInterrupt                         Traceback (most recent call last)\n"
            "Cell In[2], line 1\n"
            "----> 1 work(3)\n"
            "\n"
            "Cell In[1], line 3, in work(n)\n"
            "      2 def work(n):\n"
            "----> 3     signal.raise_signal(signal.SIGINT)\n"
            "      4     return n\n"
            "\n"
            "KeyboardInterrupt\n") in result_err
    assert plain_shell.run_cell("1 + 1").result == 2


def test_ctrl_c_in_an_awaiting_cell_shows_the_await_it_stopped_at(plain_shell, output):
    # the SIGINT arrives while the event loop waits: the cell's own frames are where it stopped
    plain_shell.run_cell("import asyncio, signal\n"
                         "asyncio.get_running_loop().call_later(0.05, signal.raise_signal, signal.SIGINT)\n"
                         "await asyncio.sleep(30)")
    err = output.stderr
    assert ("KeyboardInterrupt                         Traceback (most recent call last)\n"
            "Cell In[1], line 3\n"
            "      1 import asyncio, signal\n"
            "      2 asyncio.get_running_loop().call_later(0.05, signal.raise_signal, signal.SIGINT)\n"
            "----> 3 await asyncio.sleep(30)\n") in err
    assert re.search(r"asyncio/tasks\.py:\d+, in sleep\(delay, result\)\n", err)
    assert "selectors.py" not in err and err.endswith("KeyboardInterrupt\n")
    assert plain_shell.run_cell("await asyncio.sleep(0)").success


def test_a_form_feed_in_a_file_does_not_shift_the_lines():
    from shell.engine.tracebacks.context import frame_lines

    lines = ["def a():\n", "    pass\n", "\f\n", "def b(x):\n", "    y = 1\n", "    return 1 / x\n"]
    assert frame_lines(lines, 6) == [(4, "def b(x):"), (5, "    y = 1"), (6, "    return 1 / x")]
