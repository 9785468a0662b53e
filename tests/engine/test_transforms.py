"""Input transforms: exact output for IPython syntax, and valid Python left byte-for-byte alone."""

from __future__ import annotations

import keyword
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shell.engine.transforms.syntax import HOOK, is_cell_magic, strip_prompts, transform_cell

H = HOOK


def magic(name, args=""):
    return f"{H}.line_magic({name!r}, {args!r})"


def system(command):
    return f"{H}.system({command!r})"


def cell(name, line, body):
    return f"{H}.cell_magic({name!r}, {line!r}, {body!r})"


# (id, input, expected output, whether the output must compile)
CASES = [
    # -- line magics
    ("line-magic", "%timeit x", magic("timeit", "x"), True),
    ("line-magic-no-args", "%who", magic("who"), True),
    ("line-magic-args-stripped", "%cd   /tmp   ", magic("cd", "/tmp"), True),
    ("line-magic-tab", "%cd\t/tmp", magic("cd", "/tmp"), True),
    ("line-magic-newline-kept", "%who\n", magic("who") + "\n", True),
    ("line-magic-crlf-kept", "%who\r\nx = 1\r\n", magic("who") + "\r\nx = 1\r\n", True),
    ("line-magic-quotes", "%run 'a b'.py", magic("run", "'a b'.py"), True),
    ("line-magic-both-quotes", """%run "it's" x""", magic("run", """"it's" x"""), True),
    ("line-magic-backslash", r"%cd C:\temp\new", magic("cd", r"C:\temp\new"), True),
    ("line-magic-unicode", "%cd /tmp/données ünï", magic("cd", "/tmp/données ünï"), True),
    ("line-magic-dollar-brace-verbatim", "%cd $HOME/{sub}", magic("cd", "$HOME/{sub}"), True),
    ("line-magic-percent-in-args", "%time x = 5 % 2", magic("time", "x = 5 % 2"), True),
    ("line-magic-lone-percent", "%", magic(""), True),
    ("line-magic-middle-of-cell", "a = 1\n%time f(a)\nb = 2\n", f"a = 1\n{magic('time', 'f(a)')}\nb = 2\n", True),
    ("line-magic-in-block", "for i in x:\n    %time f(i)\n    y = 1\n",
     f"for i in x:\n    {magic('time', 'f(i)')}\n    y = 1\n", True),
    ("line-magic-nested-block", "if a:\n    if b:\n        %cd /\n", f"if a:\n    if b:\n        {magic('cd', '/')}\n", True),
    ("line-magic-backslash-continued", "%timeit x = \\\n    1\ny = 2\n", magic("timeit", "x = 1") + "\n\ny = 2\n", True),
    ("line-magic-after-comment", "# setup\n%cd /tmp  \n", f"# setup\n{magic('cd', '/tmp')}\n", True),
    # -- cell magics
    ("cell-magic", "%%bash\necho hi\n", cell("bash", "", "echo hi\n") + "\n", True),
    ("cell-magic-adds-final-newline", "%%bash\necho hi", cell("bash", "", "echo hi\n"), True),
    ("cell-magic-with-line", "%%timeit -n1 x = 1\nf(x)\n\n", cell("timeit", "-n1 x = 1", "f(x)\n\n") + "\n", True),
    ("cell-magic-no-body", "%%bash", cell("bash", "", ""), True),
    ("cell-magic-body-not-python", "%%bash\necho 'it's (\n!ls\n%x\n",
     cell("bash", "", "echo 'it's (\n!ls\n%x\n") + "\n", True),
    ("cell-magic-sql", "%%sql sqlite://\nSELECT 100 % 7 AS \"x?\"\n",
     cell("sql", "sqlite://", "SELECT 100 % 7 AS \"x?\"\n") + "\n", True),
    ("cell-magic-after-blank-lines", "\n\n%%bash\nls\n", cell("bash", "", "ls\n") + "\n", True),
    ("cell-magic-later-line-untouched", "a = 1\n%%bash\necho\n", "a = 1\n%%bash\necho\n", False),
    ("cell-magic-help", "%%timeit?", magic("pinfo", "%%timeit"), True),
    ("cell-magic-line-ending-in-question", "%%sql SELECT * FROM t WHERE x = ?",
     cell("sql", "SELECT * FROM t WHERE x = ?", ""), True),
    # -- shell commands
    ("system", "!ls -la", f"{H}.system('ls -la')", True),
    ("system-in-block", "if x:\n    !make\n", f"if x:\n    {H}.system('make')\n", True),
    ("system-quotes", "!echo \"it's\"", system("echo \"it's\""), True),
    ("system-unbalanced-brackets", "!echo (\n%cd x\n", f"{system('echo (')}\n{magic('cd', 'x')}\n", True),
    ("system-dollar-brace-verbatim", "!echo $x {y}", system("echo $x {y}"), True),
    ("getoutput", "!!ls", f"{H}.getoutput('ls')", True),
    ("system-assign", "x = !ls", f"x = {H}.getoutput('ls')", True),
    ("system-assign-tuple", "x, y = !ls", f"x, y = {H}.getoutput('ls')", True),
    ("system-assign-double-bang", "x = !!ls", f"x = {H}.getoutput('ls')", True),
    ("system-assign-no-spaces", "x=!ls", f"x={H}.getoutput('ls')", True),
    # -- magic assignment
    ("magic-assign", "x = %who_ls", f"x = {magic('who_ls')}", True),
    ("magic-assign-attr", "a.b = %who", f"a.b = {magic('who')}", True),
    ("magic-assign-subscript", "d[k] = %who", f"d[k] = {magic('who')}", True),
    ("magic-assign-annotated", "x: list = %who_ls", f"x: list = {magic('who_ls')}", True),
    ("magic-assign-unicode-target", "données = %who_ls int", f"données = {magic('who_ls', 'int')}", True),
    ("magic-assign-indented", "def f():\n    x = %pwd\n    return x\n", f"def f():\n    x = {magic('pwd')}\n    return x\n", True),
    # -- help
    ("pinfo", "obj?", magic("pinfo", "obj"), True),
    ("pinfo2", "obj??", magic("pinfo2", "obj"), True),
    ("pinfo-prefix", "?obj", magic("pinfo", "obj"), True),
    ("pinfo2-prefix", "??obj", magic("pinfo2", "obj"), True),
    ("pinfo-dotted", "a.b.c?", magic("pinfo", "a.b.c"), True),
    ("pinfo-magic", "%timeit?", magic("pinfo", "%timeit"), True),
    ("pinfo2-magic", "%timeit??", magic("pinfo2", "%timeit"), True),
    ("pinfo-indented", "if x:\n    obj?\n", f"if x:\n    {magic('pinfo', 'obj')}\n", True),
    ("pinfo-unicode", "données?", magic("pinfo", "données"), True),
    ("psearch", "os.*path*?", magic("psearch", "os.*path*"), True),
    ("psearch-bare", "*int*?", magic("psearch", "*int*"), True),
    ("quickref", "?", magic("quickref"), True),
    ("not-help-in-call", "print(a?)", "print(a?)", False),
    ("not-help-infix", "a ? b", "a ? b", False),
    ("not-help-number", "1?", "1?", False),
    ("not-help-comment", "x = 1  # why?\n", "x = 1  # why?\n", True),
    ("not-help-string", "s = 'why?'", "s = 'why?'", True),
    ("magic-args-ending-in-question", "%cd foo?", magic("cd", "foo?"), True),
    # -- valid Python left alone
    ("percent-in-string", "s = '%d items' % n", "s = '%d items' % n", True),
    ("bang-in-string", 'print("!ls")', 'print("!ls")', True),
    ("escape-at-string-line-start", "s = '''\n%cd /tmp\n!ls\nobj?\n'''\n", "s = '''\n%cd /tmp\n!ls\nobj?\n'''\n", True),
    ("fstring", "f'{x!r} {y%2} {z!s:>{w}}'", "f'{x!r} {y%2} {z!s:>{w}}'", True),
    ("fstring-debug-equals", "print(f'{x = !r}')", "print(f'{x = !r}')", True),
    ("comment", "# %cd /tmp and !ls\nx = 1\n", "# %cd /tmp and !ls\nx = 1\n", True),
    ("indented-comment", "if x:\n    # !rm -rf\n    pass\n", "if x:\n    # !rm -rf\n    pass\n", True),
    ("dict-literal", "{'a': 1 % 2}", "{'a': 1 % 2}", True),
    ("modulo", "a = b % c", "a = b % c", True),
    ("not-equal", "x != y", "x != y", True),
    ("not-equal-assign", "z = x != y", "z = x != y", True),
    ("augmented-modulo", "x %= 3", "x %= 3", True),
    ("bracket-continuation", "x = (1\n%2)\n", "x = (1\n%2)\n", True),
    ("backslash-continuation", "x = 1 \\\n% 2\n", "x = 1 \\\n% 2\n", True),
    ("keyword-argument", "f(a=1, b='%s' % x)", "f(a=1, b='%s' % x)", True),
    ("equals-in-comment", "x = 1  # y = %s\n", "x = 1  # y = %s\n", True),
    ("empty", "", "", True),
    ("blank-lines", "\n\n   \n", "\n\n   \n", True),
    ("ellipsis-not-a-prompt", "x = 1\n...\n", "x = 1\n...\n", True),
    # -- broken Python stays broken
    ("unclosed-bracket-keeps-rest", "x = (1,\n%cd /tmp\n", "x = (1,\n%cd /tmp\n", False),
    ("bang-in-expression", "x = a if b else !c", "x = a if b else !c", False),
    ("dollar", "x = $y", "x = $y", False),
    # -- pasted prompts and indent
    ("classic-prompt", ">>> a = 1\n>>> b = a\n", "a = 1\nb = a\n", True),
    ("classic-continuation", ">>> if a:\n...     b = 1\n...\n", "if a:\n    b = 1\n\n", True),
    ("classic-with-output", ">>> a = 1\n>>> a\n1\n", "a = 1\na\n1\n", True),
    ("classic-with-magic", ">>> %cd /tmp\n", magic("cd", "/tmp") + "\n", True),
    ("ipython-prompt", "In [1]: def f():\n   ...:     return 1\n   ...:\n",
     "def f():\n    return 1\n\n", True),
    ("ipython-prompt-magic", "In [12]: x = !ls\n", f"x = {H}.getoutput('ls')\n", True),
    ("pasted-indent", "    a = 1\n    if a:\n        b = 2\n", "a = 1\nif a:\n    b = 2\n", True),
    ("pasted-indent-magic", "  %cd /tmp\n  x = 1\n", magic("cd", "/tmp") + "\nx = 1\n", True),
]

AUTOMAGIC = {"cd", "who", "run", "time", "reset", "pwd"}.__contains__

AUTOMAGIC_CASES = [
    ("automagic-args", "cd /tmp", magic("cd", "/tmp"), True),
    ("automagic-bare", "who", magic("who"), True),
    ("automagic-dotdot", "cd ..", magic("cd", ".."), True),
    ("automagic-option", "reset -f", magic("reset", "-f"), True),
    ("automagic-run", "run x.py", magic("run", "x.py"), True),
    ("automagic-expression-args", "time 1 + 2", magic("time", "1 + 2"), True),
    ("automagic-comment-only", "who  # list", magic("who"), True),
    ("automagic-in-block", "for d in ds:\n    cd /tmp\n", f"for d in ds:\n    {magic('cd', '/tmp')}\n", True),
    ("automagic-assignment-stays", "pwd = 3", "pwd = 3", True),
    ("automagic-annotation-stays", "pwd: int = 3", "pwd: int = 3", True),
    ("automagic-tuple-stays", "who, x = 1, 2", "who, x = 1, 2", True),
    ("automagic-call-stays", "time(1)", "time(1)", True),
    ("automagic-spaced-call-stays", "time (1)", "time (1)", True),
    ("automagic-attribute-stays", "time.sleep(1)", "time.sleep(1)", True),
    ("automagic-comparison-stays", "who == 3", "who == 3", True),
    ("automagic-is-stays", "who is None", "who is None", True),
    ("automagic-unknown-name", "ls -l", "ls -l", True),
    ("automagic-in-brackets-never", "x = [\ncd /tmp]", "x = [\ncd /tmp]", True),
    ("automagic-in-string-never", "s = '''\ncd /tmp\n'''", "s = '''\ncd /tmp\n'''", True),
]


@pytest.mark.parametrize(("source", "expected", "compiles"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_transform_cell(source, expected, compiles):
    out = transform_cell(source)
    assert out == expected
    check_compiles(out, compiles)


@pytest.mark.parametrize(
    ("source", "expected", "compiles"), [c[1:] for c in AUTOMAGIC_CASES], ids=[c[0] for c in AUTOMAGIC_CASES]
)
def test_automagic(source, expected, compiles):
    out = transform_cell(source, is_automagic=AUTOMAGIC)
    assert out == expected
    check_compiles(out, compiles)


def check_compiles(out, compiles):
    if compiles:
        compile(out, "<t>", "exec")
    else:
        with pytest.raises(SyntaxError):
            compile(out, "<t>", "exec")


def test_automagic_off_by_default():
    assert transform_cell("cd /tmp\nwho\n") == "cd /tmp\nwho\n"


def test_automagic_asks_only_for_candidates():
    asked = []
    transform_cell("x = 1\ncd /tmp\nf(2)\nwho\n", is_automagic=lambda n: asked.append(n) or True)
    assert asked == ["cd", "who"]


def test_line_count_is_kept():
    source = "import os\n%cd /tmp\nx = !ls\nif x:\n    obj?\n    !echo \\\n  more\ny = 1\n"
    out = transform_cell(source)
    assert out.count("\n") == source.count("\n")
    assert out.splitlines()[-1] == "y = 1"


def test_strip_prompts():
    assert strip_prompts(">>> x = 1\n... y\n") == "x = 1\ny\n"
    assert strip_prompts("x = 1\n>>> y\n") == "x = 1\n>>> y\n"  # first line has no prompt


def test_is_cell_magic():
    assert is_cell_magic("%%bash\nls")
    assert is_cell_magic("\n  %%bash\n  ls")
    assert not is_cell_magic("x = 1\n%%bash")
    assert not is_cell_magic("%%timeit?")


# -- property: valid Python without IPython syntax passes through byte-for-byte

NAMES = st.text(alphabet="abcdefgxyzé_", min_size=1, max_size=6).filter(
    lambda s: s.isidentifier() and not keyword.iskeyword(s) and not s.startswith("__")
)
# text that would be IPython syntax anywhere but inside a string or a comment
NOISE = st.text(alphabet="abc %!?$={}()[]:#.*-'\"\\>", max_size=12)


@st.composite
def string_literals(draw):
    text = draw(NOISE)
    kind = draw(st.sampled_from(["single", "triple", "raw"]))
    if kind == "triple":
        body = draw(st.text(alphabet="ab %!?\n$#", max_size=15)) or "x"
        return '"""' + body.replace('"', "") + 'x"""'
    literal = repr(text)
    return "r" + literal if kind == "raw" and "\\" not in literal else literal


@st.composite
def expressions(draw, depth=1):
    leaf = st.one_of(
        NAMES,
        st.integers(0, 999).map(str),
        string_literals(),
        NAMES.map(lambda n: f"f'{{{n}!r}} {{{n}%2}} %!?'"),
    )
    if depth == 0:
        return draw(leaf)
    sub = expressions(depth=depth - 1)
    form = draw(st.sampled_from(["leaf", "binop", "compare", "call", "dict", "list", "multiline", "ternary"]))
    if form == "binop":
        return f"{draw(sub)} {draw(st.sampled_from(['%', '+', '*', '//', '-']))} {draw(sub)}"
    if form == "compare":
        return f"{draw(sub)} {draw(st.sampled_from(['!=', '==', '<', 'is not', 'not in']))} {draw(sub)}"
    if form == "call":
        return f"{draw(NAMES)}({draw(sub)}, key={draw(sub)})"
    if form == "dict":
        return f"{{{draw(sub)}: {draw(sub)} % {draw(sub)}}}"
    if form == "list":
        return f"[{draw(sub)}, {draw(sub)}]"
    if form == "multiline":
        return f"(\n{draw(sub)}\n% {draw(sub)}\n!= {draw(sub)},\n)"
    if form == "ternary":
        return f"({draw(sub)} if {draw(sub)} else {draw(sub)})"
    return draw(leaf)


@st.composite
def statements(draw, indent="", depth=2):
    form = draw(st.sampled_from(["expr", "assign", "augassign", "comment", "blank", "if", "for", "def", "backslash"]))
    if depth == 0 and form in ("if", "for", "def"):
        form = "assign"
    comment = draw(st.one_of(st.just(""), NOISE.map(lambda t: "  # " + t.replace("\n", ""))))
    if form == "expr":
        return f"{indent}{draw(expressions())}{comment}\n"
    if form == "assign":
        targets = draw(st.sampled_from(["{n}", "{n}, {m}", "{n}.attr", "{n}[{m}]", "{n}: int"]))
        target = targets.format(n=draw(NAMES), m=draw(NAMES))
        value = draw(expressions()) if "," not in target else f"{draw(expressions())}, {draw(expressions())}"
        return f"{indent}{target} = {value}{comment}\n"
    if form == "augassign":
        return f"{indent}{draw(NAMES)} {draw(st.sampled_from(['%=', '+=', '//=']))} {draw(expressions())}\n"
    if form == "comment":
        return f"{indent}#{draw(NOISE)}\n"
    if form == "blank":
        return "\n"
    if form == "backslash":
        return f"{indent}{draw(NAMES)} = {draw(expressions(depth=0))} \\\n{indent}    % {draw(expressions(depth=0))}\n"
    inner = indent + "    "
    body = "".join(draw(st.lists(statements(indent=inner, depth=depth - 1), min_size=1, max_size=3)))
    body = f"{inner}pass\n" + body  # a block needs one real statement
    if form == "if":
        header = f"if {draw(expressions())}:"
    elif form == "for":
        header = f"for {draw(NAMES)} in {draw(expressions())}:"
    else:
        header = f"def {draw(NAMES)}({draw(NAMES)}='%!?'):"
    return f"{indent}{header}{comment}\n{body}"


@st.composite
def modules(draw):
    source = "".join(draw(st.lists(statements(), min_size=1, max_size=4)))
    if draw(st.booleans()):
        source = source.rstrip("\n")
    return source


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(modules())
def test_valid_python_is_untouched(source):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)  # "x is not 1" is valid, if unwise
        compile(source, "<generated>", "exec")  # the generator only makes valid Python
    assert transform_cell(source) == source
    assert transform_cell(source, is_automagic=lambda name: False) == source
