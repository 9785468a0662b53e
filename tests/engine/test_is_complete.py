"""is_complete: the answer behind the terminal's Enter key and Jupyter's is_complete_request.

Blocks follow IPython's TransformerManager.check_complete: a cell whose last
line is indented is incomplete until the text ends with a newline (at the
terminal: until Enter is pressed on a blank line); ``"if x:\\n    pass\\n"`` is
complete. Where IPython is known to be wrong (``0b12 + (`` incomplete
forever, mismatched brackets over several lines) hocus says invalid.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shell.engine.transforms.completeness import Completeness, is_complete

C, I, X = "complete", "incomplete", "invalid"
FOUR, EIGHT = " " * 4, " " * 8

CASES = [
    # -- complete
    ("empty", "", C, ""),
    ("whitespace", "  \n\t\n", C, ""),
    ("assignment", "a = 1", C, ""),
    ("assignment-newline", "a = 1\n", C, ""),
    ("comment-only", "# hello", C, ""),
    ("two-statements", "a = 1\nb = 2", C, ""),
    ("one-line-compound", "if x: pass", C, ""),
    ("decorated-one-liner", "@dec\ndef f(): pass", C, ""),
    ("top-level-raise", "raise", C, ""),
    ("top-level-await", "await x", C, ""),
    ("semicolon", "a = 1;", C, ""),
    ("pasted-indent", "  a = 1", C, ""),
    ("comment-ending-in-backslash", "x = 1  # c:\\", C, ""),
    ("closed-triple-quote", "s = '''a\nb'''", C, ""),
    ("closed-brackets", "x = [\n    1,\n]", C, ""),
    # -- IPython syntax
    ("line-magic", "%cd /tmp", C, ""),
    ("line-magic-open-bracket-in-args", "%timeit f(", C, ""),
    ("shell", "!ls", C, ""),
    ("shell-quote-in-args", "!echo it's", C, ""),
    ("shell-assign", "x = !ls", C, ""),
    ("help", "a?", C, ""),
    ("help-prefix", "??a.b", C, ""),
    ("cell-magic-help", "%%timeit?", C, ""),
    ("magic-continued", "%timeit x = \\", I, ""),
    ("shell-continued", "!make \\\n", I, ""),
    ("magic-in-open-block", "for i in x:\n    %time f(i)", I, FOUR),
    # -- cell magics: a blank last line ends them
    ("cell-magic-first-line", "%%bash", I, ""),
    ("cell-magic-first-line-newline", "%%bash\n", I, ""),
    ("cell-magic-body", "%%bash\necho hi", I, ""),
    ("cell-magic-body-newline", "%%bash\necho hi\n", I, ""),
    ("cell-magic-indented-body", "%%bash\nif x; then\n  echo", I, "  "),
    ("cell-magic-blank-line", "%%bash\necho hi\n\n", C, ""),
    ("cell-magic-blank-line-with-spaces", "%%bash\necho hi\n   ", C, ""),
    ("cell-magic-body-not-python", "%%bash\necho 'it's (\n\n", C, ""),
    # -- open brackets
    ("call-open", "f(", I, FOUR),
    ("call-open-newline", "f(\n", I, FOUR),
    ("call-open-aligned", "print('hi',", I, " " * 6),
    ("list-open-aligned", "x = [1,\n", I, " " * 5),
    ("hanging-inside-block", "if True:\n    a = (", I, EIGHT),
    ("nested-aligned", "x = {\n    'a': [1,", I, " " * 10),
    ("continuation-line", "x = foo(\n    a,\n    b,", I, FOUR),
    # -- strings and backslashes
    ("triple-quote", "'''abc", I, ""),
    ("triple-quote-newline", "s = '''abc\n", I, ""),
    ("docstring-in-function", "def f():\n    '''Doc", I, FOUR),
    ("fstring-triple", "f'''{x}", I, ""),
    ("backslash", "a = \\", I, ""),
    ("backslash-newline", "a = 1 + \\\n", I, ""),
    ("backslash-in-block", "if x:\n    y = 1 + \\", I, FOUR),
    # -- blocks
    ("header", "if x:", I, FOUR),
    ("header-newline", "if x:\n", I, FOUR),
    ("header-with-comment", "while True:  # forever", I, FOUR),
    ("header-indented", "def f():\n    for i in x:", I, EIGHT),
    ("header-after-statement", "a = 1\nif x:", I, FOUR),
    ("else-header", "if x:\n    a\nelse:", I, FOUR),
    ("class-method-header", "class A:\n    def f(self):", I, EIGHT),
    ("match", "match x:", I, FOUR),
    ("async-def", "async def f():", I, FOUR),
    ("open-block", "for i in range(3):\n    x = i", I, FOUR),
    ("open-block-newline", "for i in range(3):\n    x = i\n", C, ""),
    ("open-block-blank-line", "for i in range(3):\n    x = i\n\n", C, ""),
    ("open-block-auto-indent-line", "if x:\n    pass\n    ", C, ""),
    ("open-block-comment", "if x:\n    a = 1\n    # more", I, FOUR),
    ("nested-open-block", "def f():\n    if x:\n        y = 1", I, EIGHT),
    ("try-needs-except", "try:\n    a\n", I, FOUR),
    ("try-needs-except-blank", "try:\n    a\n\n", I, FOUR),
    ("decorator", "@dec", I, ""),
    ("decorator-newline", "@dec\n", I, ""),
    ("decorator-in-class", "class A:\n    @property", I, FOUR),
    # -- dedent after return / pass / break / continue / raise
    ("dedent-pass", "if x:\n    pass", I, ""),
    ("dedent-return", "def f():\n    return 1", I, ""),
    ("dedent-bare-return", "def f():\n    return", I, ""),
    ("dedent-nested-return", "def f():\n    if x:\n        return 1", I, FOUR),
    ("dedent-break", "for i in x:\n    if i:\n        break", I, FOUR),
    ("dedent-continue", "while x:\n    continue", I, ""),
    ("dedent-raise", "def f():\n    raise ValueError", I, ""),
    ("dedent-tab", "if x:\n\tpass", I, ""),
    ("no-dedent-returned-name", "def f():\n    returned = 1", I, FOUR),
    # -- invalid, never incomplete forever
    ("bad-binary-literal", "0b12", X, ""),
    ("bad-binary-literal-then-bracket", "0b12 + (", X, ""),
    ("bad-operator", "1 +* 2", X, ""),
    ("dangling-operator", "1 +", X, ""),
    ("dollar", "$", X, ""),
    ("mismatched", "(]", X, ""),
    ("mismatched-then-open", "(]\n(", X, ""),
    ("mismatched-inside", "f([1, 2)", X, ""),
    ("unopened", ")", X, ""),
    ("help-in-call", "print(a?)", X, ""),
    ("help-in-open-call", "print(a?", X, ""),
    ("two-names", "a b", X, ""),
    ("return-outside", "return", X, ""),
    ("yield-outside", "yield", X, ""),
    ("unterminated-string", "x = 'abc", X, ""),
    ("unterminated-fstring", "f'{'", X, ""),
    ("else-alone", "else:", X, ""),
    ("lambda-colon", "lambda:", X, ""),
    ("bad-dedent", "if x:\n    a\n  b", X, ""),
    ("cell-magic-later-line", "a = 1\n%%bash\n", X, ""),
    ("null-byte", "x = 1\0", X, ""),
]


@pytest.mark.parametrize(("source", "status", "indent"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_is_complete(source, status, indent):
    assert is_complete(source) == Completeness(status, indent)


def test_completeness_is_a_value():
    assert Completeness("complete") == Completeness("complete", "")
    with pytest.raises(AttributeError):
        Completeness("complete").status = "invalid"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab1 \n%!?=()[]{}:#'\"\\.,*$@-", max_size=30))
def test_any_text_gets_an_answer(source):
    """Garbage never raises, and an indent is only ever whitespace."""
    verdict = is_complete(source)
    assert verdict.status in (C, I, X)
    assert verdict.indent.strip() == ""
