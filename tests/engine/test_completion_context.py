"""The scanner completion reads the text before the cursor with (shell/engine/completion/context.py)."""

from __future__ import annotations

import pytest

from shell.engine.completion.context import expression_start, scan


def test_tokens_brackets_and_the_word_at_the_cursor():
    found = scan("print(os.pa", 11)
    assert [t.text for t in found.tokens] == ["print", "(", "os", ".", "pa"]
    assert [t.text for t in found.brackets] == ["("]
    assert found.word() == (9, "pa") and found.string is None and not found.comment


def test_strings_at_the_cursor():
    found = scan('x = rb"abc', 10)
    assert found.string.prefix == "rb" and found.string.quote == '"' and found.string.body_start == 7
    assert scan("'''a\nb", 6).string.quote == "'''"
    assert scan("'a\\'b", 5).string is not None  # an escaped quote does not close it
    assert scan("'done' + x", 10).string is None


def test_comments_and_logical_lines():
    assert scan("x = 1  # note", 13).comment
    assert not scan("x = '#' + y", 11).comment
    joined = scan("f(a,\n  b", 8)
    assert joined.line_start == 0 and [t.text for t in joined.brackets] == ["("]
    assert scan("x = 1\ny", 7).line_start == 6
    assert scan("x = \\\n  y", 9).line_start == 0


def test_ipython_lines_are_not_python():
    found = scan("!echo it's\nx.", 13)
    assert not found.escaped and found.string is None and found.line_start == 11
    assert scan("  %timeit x", 11).escaped
    assert scan("x = 1 % 2", 9).escaped is False


@pytest.mark.parametrize("text, expected", [
    ("os.path.", "os.path"), ("f(x).", "f(x)"), ("d['a'][0].", "d['a'][0]"), ("'abc'.upper().", "'abc'.upper()"),
    ("x + y.", "y"), ("(a + b).", "(a + b)"), ("[1, 2].", "[1, 2]"), ("return x.", "x"), ("not_a_kw.", "not_a_kw"),
])
def test_expression_start(text, expected):
    found = scan(text, len(text))
    dot = len(found.tokens) - 1
    start = expression_start(found.tokens, dot - 1)
    assert text[start:found.tokens[dot].start] == expected


def test_no_expression_after_an_operator_or_keyword():
    found = scan("x = ", 4)
    assert expression_start(found.tokens, len(found.tokens) - 1) is None
    found = scan("import", 6)
    assert expression_start(found.tokens, 0) is None
