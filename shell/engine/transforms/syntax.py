"""Input transforms: IPython syntax in, plain Python that calls the engine's hook out.

    >>> transform_cell("files = !ls\\n%cd /tmp\\n")
    "files = __hocus__.getoutput('ls')\\n__hocus__.line_magic('cd', '/tmp')\\n"
    >>> transform_cell("x = 1 % 2  # !not a command\\n")
    'x = 1 % 2  # !not a command\\n'

The engine compiles the result and puts a hook object in the user namespace
under :data:`HOOK`; generated code never looks up "the current shell".

A cell goes through four steps, each a small piece below:

1. paste clean-up: a common leading indent and pasted ``>>>`` / ``In [1]:``
   prompts are removed (:func:`strip_prompts`);
2. a ``%%magic`` on the first line turns the whole cell into one call, and its
   body is never tokenized: it is often bash or SQL, not Python;
3. every *logical line start* is offered to the line transformers
   (:class:`HelpRequest`, :class:`EscapedCommand`, :class:`MagicAssignment`,
   :class:`AutocallEscape`, :class:`Automagic`, :class:`Autocall`); the first
   that recognises the statement replaces it;
4. everything else is copied verbatim.

Python's tokenizer decides where logical lines start, so a ``%`` or ``!``
inside a string, a comment, brackets or a backslash continuation is never
touched, and valid Python without IPython syntax comes back byte-for-byte.
Tokenizing happens one logical line at a time and only *after* the line
transformers have had a look, because magic lines are not Python and would
derail the tokenizer (``!echo it's``, ``%cd (``). Each transformed physical
line stays one line, so tracebacks point at the right line of the cell.
"""

from __future__ import annotations

import keyword
import re
import tokenize
from collections.abc import Callable
from typing import Protocol

__all__ = [
    "HOOK",
    "Autocall",
    "AutocallEscape",
    "Automagic",
    "EscapedCommand",
    "HelpRequest",
    "MagicAssignment",
    "PromptStripper",
    "is_cell_magic",
    "strip_prompts",
    "transform_cell",
]

HOOK = "__hocus__"
"""Name of the hook object the engine injects into the user namespace."""

_LINE_END = re.compile(r"\r?\n\Z")


def _indent_of(line: str) -> str:
    """The spaces and tabs ``line`` starts with."""
    return line[:len(line) - len(line.lstrip(" \t"))]


def _call(method: str, *args: str) -> str:
    """Source for a hook call; ``repr`` makes any argument text safe to embed."""
    return f"{HOOK}.{method}({', '.join(map(repr, args))})"


_MAGIC_WORDS = re.compile(r"(\S*)\s*(.*?)\s*\Z", re.S)


def _split_magic(text: str) -> tuple[str, str]:
    """``'timeit -n1 f() '`` -> ``('timeit', '-n1 f()')``: the name ends at the first space."""
    match = _MAGIC_WORDS.match(text)
    assert match is not None  # any text matches: both parts may be empty
    return match[1], match[2]


# -- 1. paste clean-up ---------------------------------------------------------


class PromptStripper:
    """Removes interpreter prompts from a pasted session.

    It acts only when the first non-blank line starts with the *first* prompt
    (``>>>`` or ``In [N]:``): a continuation prompt alone proves nothing, since
    ``...`` is valid Python. Then every line that starts with either prompt
    loses it; lines without one (the session's output) are kept, as IPython
    does.
    """

    def __init__(self, first_prompt: str, any_prompt: str):
        end = r"(?: |(?=\r?\n)|\Z)"  # the prompt, then a space or the end of the line
        self._first = re.compile(first_prompt + end)
        self._any = re.compile(f"(?:{any_prompt}){end}")

    def __call__(self, lines: list[str]) -> list[str]:
        first = next((line for line in lines if line.strip()), None)
        if first is None or not self._first.match(first):
            return lines
        return [self._any.sub("", line, count=1) for line in lines]


_CLASSIC_PROMPT = PromptStripper(r">>>", r">>>|\.\.\.")
# IPython's own prompts: ``In [N]:`` (``[ins] In [N]:`` in vi mode) or its ``...:``
# continuation, which can never start Python either, so a paste may begin with one.
_IPYTHON_PROMPT = PromptStripper(r"(?:\[(?:ins|nav)\] )?In \[\d+\]:|[ \t]*\.\.\.+:",
                                 r"(?:\[(?:ins|nav)\] )?In \[\d+\]:|[ \t]*\.\.\.+:")


def _dedent_paste(lines: list[str]) -> list[str]:
    """Remove the indent of the first code line from every line that has it.

    Code copied out of a function body keeps its indent; Python would reject
    it, IPython accepts it. Valid Python never starts indented, so this never
    changes it (comment lines do not count: their indent is free).
    """
    for line in lines:
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            indent = _indent_of(line)
            break
    else:
        return lines
    if not indent:
        return lines
    return [line[len(indent):] if line.startswith(indent) else line for line in lines]


def _clean_paste(lines: list[str]) -> list[str]:
    # dedented again after the prompts go: ``>>>     print(1)`` keeps the indent it had after its prompt
    return _dedent_paste(_IPYTHON_PROMPT(_CLASSIC_PROMPT(_dedent_paste(lines))))


def strip_prompts(source: str) -> str:
    """Remove pasted ``>>>``/``...`` or ``In [N]:``/``...:`` prompts (and a common indent)."""
    return "".join(_clean_paste(_split_lines(source)))


# -- 2. cell magics --------------------------------------------------------------


def _first_code_index(lines: list[str]) -> int | None:
    return next((i for i, line in enumerate(lines) if line.strip()), None)


def _cell_magic(lines: list[str]) -> str | None:
    """``%%name line`` on the first non-blank line: the whole cell becomes one call.

    The body is the text after the ``%%`` line, verbatim, with a final newline
    added when it has none (as IPython does, so ``%%writefile`` writes a
    proper last line); a magic with no body gets ``''``. Blank lines before
    the ``%%`` line are dropped. ``%%name?`` alone is a help request instead.
    """
    first = _first_code_index(lines)
    if first is None or not lines[first].startswith("%%"):
        return None
    body = "".join(lines[first + 1:])
    header = _LINE_END.sub("", lines[first])[2:]
    if not body.strip() and HelpRequest()("%%" + header.strip()) is not None:
        return None
    if body and not body.endswith("\n"):
        body += "\n"
    name, args = _split_magic(header)
    newline = "\n" if lines[-1].endswith("\n") else ""
    return _call("cell_magic", name, args, body) + newline


def is_cell_magic(source: str) -> bool:
    """Whether :func:`transform_cell` treats ``source`` as one ``%%magic`` cell."""
    return _cell_magic(_clean_paste(_split_lines(source))) is not None


# -- 3. line transformers --------------------------------------------------------
#
# Each one gets a statement (the text of a logical line, indent and line end
# removed, backslash continuations joined) and returns the replacement code,
# or None when the statement is not its business.


class HelpRequest:
    """``obj?``, ``obj??``, ``?obj``, ``??obj``, ``%magic?``, ``os.*path*?`` and ``?``.

    A statement ending in ``?`` asks about the (dotted, possibly indexed by an
    integer, ``%``-prefixed or wildcarded) name it ends with, as in IPython:
    ``a = b + c?`` asks about ``c``, ``container[0]?`` about
    ``container[0]``, and a backslash-continued ``x = \\`` then ``zip?``
    about ``zip``. No Python statement ends in ``?``; one that ends in
    something else (``print(a?)``, ``f(a)?``) stays as it is and compile()
    reports it. A leading ``?`` can never start Python, so anything after it
    is taken as the target. ``?`` asks for details level 1, ``??`` for level
    2; a ``*`` anywhere makes it a search (``%psearch``), and a lone ``?``
    shows the quick reference.
    """

    _WHOLE = re.compile(r"%{0,2}[\w.*]+\?\??\Z")
    _TARGET_AT_END = re.compile(r"(?<![\w.%*\]])%{0,2}(?!\d)[\w*]+(?:\.(?!\d)[\w*]+|\[-?\d+\])*\Z")

    def __call__(self, text: str) -> str | None:
        if not (text.startswith("?") or text.endswith("?")):
            return None
        if not text.startswith("?") and not (_ends_logical_line_with_question(text)
                                             and (not text.startswith(("%", "!")) or self._WHOLE.match(text))):
            return None  # x = 1  # why? / """why? / (why? / %cd where?
        if text in ("?", "??"):
            return _call("line_magic", "quickref", "")
        before = len(text) - len(text.lstrip("?"))
        after = len(text) - len(text.rstrip("?"))
        target = text[before:len(text) - after]
        if before:
            target = target.strip()
        else:
            match = self._TARGET_AT_END.search(target)
            if match is None:
                return None
            target = match.group()
        if before > 2 or after > 2 or not target:
            return None
        if "*" in target:
            return _call("line_magic", "psearch", target)
        return _call("line_magic", "pinfo2" if max(before, after) == 2 else "pinfo", target)


def _ends_logical_line_with_question(text: str) -> bool:
    """Whether the ``?`` ending this physical line also ends its logical line: it is not in a
    comment (``x = 1  # why?``), an unclosed string (``\"\"\"why?``) or open brackets (``(why?``)."""
    quote, depth, i = "", 0, 0
    while i < len(text):
        char = text[i]
        if quote:
            if char == "\\":
                i += 2
                continue
            if text.startswith(quote, i):
                i += len(quote)
                quote = ""
                continue
        elif char == "#":
            return False
        elif char in "'\"":
            quote = char * 3 if text.startswith(char * 3, i) else char
            i += len(quote)
            continue
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        i += 1
    return not quote and depth <= 0


class EscapedCommand:
    """``%name args``, ``!cmd`` and ``!!cmd`` at the start of a statement.

    ``!cmd`` runs the command; ``!!cmd`` returns its output. A ``%%`` below
    the first line is not a cell magic: it is left alone, so compile()
    reports it where it stands instead of running half a cell as a magic.
    """

    def __call__(self, text: str) -> str | None:
        if text.startswith("!!"):
            return _call("getoutput", text[2:].strip())
        if text.startswith("!"):
            return _call("system", text[1:].strip())
        if text.startswith("%") and not text.startswith("%%"):
            return _call("line_magic", *_split_magic(text[1:]))
        return None


def _quoted(text: str) -> str:
    """``"text"`` as IPython writes it, or the ``repr`` when a quote or backslash would break that."""
    return f'"{text}"' if not set(text) & set('"\\\n') else repr(text)


class AutocallEscape:
    """IPython's call escapes, which work whether autocall is on or not.

    ``,f a b`` is ``f("a", "b")`` (each word quoted), ``;f a b`` is
    ``f("a b")`` (the rest quoted as one string) and ``/f 1 2`` is
    ``f(1, 2)`` (the words as arguments). None of ``,``, ``;`` or ``/``
    can start a Python statement, so no valid Python is taken for one.
    """

    _CALL = re.compile(r"([,;/])\s*((?!\d)[\w.]+)(?:\s+(.*))?\Z", re.S)

    def __call__(self, text: str) -> str | None:
        match = self._CALL.match(text)
        if not match:
            return None
        escape, name, rest = match[1], match[2], match[3] or ""
        if escape == ",":
            return f"{name}({', '.join(map(_quoted, rest.split() or ['']))})"
        if escape == ";":
            return f"{name}({_quoted(rest)})"
        return f"{name}({', '.join(rest.split())})"


class CallableNamed(Protocol):
    """Whether ``name`` (dotted) names something callable (with ``subscript``: and not subscriptable)."""

    def __call__(self, name: str, *, subscript: bool = False) -> bool: ...


class Autocall:
    """``f 1, 2`` as ``f(1, 2)``, IPython's ``%autocall``, for a one-line cell.

    ``callable_named(name, subscript=...)`` says whether ``name`` (dotted)
    names something callable in the namespace (with ``subscript``: and not
    also subscriptable). Only a statement that is not valid Python is
    rewritten (``f 1`` is not; ``f + 1``, ``f(1)`` and ``f = 1`` are, and
    stay), except that ``full`` (``%autocall 2``) also calls a bare ``f``.
    As in IPython, ``f [1]`` on an object that also has ``__getitem__`` is
    left alone, and the rewritten call is echoed as ``------> f(1, 2)``.
    """

    _CALL = re.compile(r"((?!\d)[\w.]+)(\s.*)?\Z", re.S)

    def __init__(self, callable_named: CallableNamed, *, full: bool = False) -> None:
        self._callable_named = callable_named
        self._full = full

    def __call__(self, text: str) -> str | None:
        match = self._CALL.match(text)
        if not match or keyword.iskeyword(match[1].split(".")[0]):
            return None
        name, rest = match[1], (match[2] or "").strip()
        if not rest and not self._full:
            return None
        if rest and not rest.startswith("[") and _compiles(text):
            return None
        if not self._callable_named(name, subscript=rest.startswith("[")):
            return None
        call = f"{name}({rest[:-1]});" if rest.endswith(";") else f"{name}({rest})"
        return f"{_call('echo_rewrite', call)} or {call}"


def _compiles(text: str) -> bool:
    try:
        compile(text, "<autocall>", "exec", 0x2000, dont_inherit=True)  # PyCF_ALLOW_TOP_LEVEL_AWAIT
    except (SyntaxError, ValueError):
        return False
    return True


class MagicAssignment:
    """``x = %magic args`` and ``x = !cmd`` (also ``a, b =``, ``o.attr =``, ``d[k] =``).

    The right-hand side must *start* with the escape. The text before the
    ``=`` must parse as assignment targets on its own, which rules out an
    ``=`` inside a string, a comment, a call's keyword argument or a
    comparison. ``x = !!cmd`` is the same as ``x = !cmd``.
    """

    # a plain "=": not part of ==, !=, <=, >=, +=, :=, ... and followed by % or !
    _EQUALS = re.compile(r"(?<![=!<>+\-*/%&|^@:~])=(?!=)\s*(?=[%!])")

    def __call__(self, text: str) -> str | None:
        start = self.escape_start(text)
        if start is None:
            return None
        rhs = text[start:]
        if rhs.startswith("%"):
            if rhs.startswith("%%"):
                return None
            call = _call("line_magic", *_split_magic(rhs[1:]))
        else:
            call = _call("getoutput", rhs.lstrip("!").strip())
        return text[:start] + call

    def escape_start(self, text: str) -> int | None:
        """Where the ``%`` or ``!`` after the ``=`` is, when ``text`` is such an assignment
        (the completer completes what follows as the magic's or command's text)."""
        if "=" not in text:
            return None
        for match in self._EQUALS.finditer(text):
            if _is_assignment_target(text[:match.start()]):
                return match.end()
        return None


def _is_assignment_target(text: str) -> bool:
    """Whether ``text = _`` is exactly one assignment statement whose value is that ``_``."""
    import ast  # only lines that look like "x = %..." get here
    import warnings

    text = text.strip()
    if not text:
        return False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a SyntaxWarning about a non-target is not news
        try:
            tree = ast.parse(f"{text} = _")
        except (SyntaxError, ValueError):
            return False
    if len(tree.body) != 1 or not isinstance(tree.body[0], (ast.Assign, ast.AnnAssign)):
        return False
    value = tree.body[0].value
    return (
        isinstance(value, ast.Name)
        and value.id == "_"
        and (value.lineno, value.col_offset) == (1, len(text.encode()) + 3)  # offsets are UTF-8
    )


class Automagic:
    """``cd /tmp`` as ``%cd /tmp`` when ``is_automagic('cd')`` says so.

    The engine's predicate checks that the name is a line magic that no
    variable or builtin shadows. Read as Python, such a line could then only
    raise NameError, unless it binds the name; so the statement is a command
    when it is the bare name, or the name, whitespace and arguments that do
    not begin like an assignment, annotation, call, subscript or comparison
    (``=``, ``+=``, ``==``, ``:``, ``,``, ``(``, ``[``, ``is``, ``in``...).
    ``time(1)`` and ``pwd = 3`` stay Python; ``cd /tmp`` and ``cd ..`` do not.
    """

    _NAME = re.compile(r"((?!\d)\w+)(.*)\Z", re.S)
    _PYTHON_START = re.compile(
        r"\s*(?:[-+*/%@&|^<>!=]?=|//=|\*\*=|<<=|>>=|[:,;(\[]|(?:is|in|and|or|not|if|else)\b)"
    )

    def __init__(self, is_automagic: Callable[[str], bool]):
        self._is_automagic = is_automagic

    def __call__(self, text: str) -> str | None:
        match = self._NAME.match(text)
        if not match or keyword.iskeyword(match[1]):
            return None
        name, rest = match.groups()
        args = rest.strip()
        if args and (not rest[0].isspace() or self._PYTHON_START.match(rest)):
            return None
        if not self._is_automagic(name):
            return None
        return _call("line_magic", name, "" if args.startswith("#") else args)


# -- 4. walking logical lines ----------------------------------------------------


def _split_lines(source: str) -> list[str]:
    """Physical lines with their ends; only ``\\n`` ends a line (``\\r\\n`` is kept whole)."""
    parts = source.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _line_end(line: str) -> str:
    match = _LINE_END.search(line)
    return match.group() if match else ""


def _content(line: str) -> str:
    return line[: len(line) - len(_line_end(line))]


def _join_continuation(lines: list[str], start: int) -> tuple[int, str]:
    """Index of the last physical line of a backslash-continued line, and the joined text.

    Only escape statements use the joined text; for Python the tokenizer
    sees the original lines.
    """
    end, text = start, _content(lines[start])
    while text.endswith("\\") and end + 1 < len(lines):
        end += 1
        text = f"{text[:-1].rstrip()} {_content(lines[end]).lstrip()}"
    return end, text


def _logical_line_end(lines: list[str], start: int) -> int:
    """Index of the last physical line of the Python logical line starting at ``start``.

    Tokenizing stops at the statement's NEWLINE, so the cost is the length
    of the statement. When the tokenizer gives up, the cell is broken
    Python: at end of input (an unclosed bracket or string) the rest of the
    cell belongs to this statement; on a bad character (Python 3.12+ raises
    where 3.11 yields an error token) only this physical line is taken and
    the walk goes on, so compile() still reports the first real error.
    """
    if start == len(lines) - 1:  # the cell's last line: nothing after it to belong to it (and no tokenizer to load)
        return start
    position = start

    def readline() -> str:
        nonlocal position
        if position >= len(lines):
            return ""
        position += 1
        return lines[position - 1]

    try:
        for token in tokenize.generate_tokens(readline):
            if token.type == tokenize.NEWLINE:
                return start + token.start[0] - 1
    except tokenize.TokenError as error:
        message = str(error)  # 3.11: "EOF in multi-line ..."; 3.12+ also "unterminated triple-quoted ..."
        return len(lines) - 1 if "EOF" in message or "triple-quoted" in message else start
    except SyntaxError:
        return start
    return len(lines) - 1


LineTransformer = Callable[[str], "str | None"]


def _rewrite_statements(lines: list[str], transformers: list[LineTransformer]) -> list[str]:
    """Offer each logical line start to the transformers; copy the rest verbatim."""
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            out.append(line)
            index += 1
            continue
        end, text = _join_continuation(lines, index)
        statement = text.strip()
        code = next((c for c in (t(statement) for t in transformers) if c is not None), None)
        if code is None:
            end = _logical_line_end(lines, index)
            out.extend(lines[index:end + 1])
        else:
            # Continuation lines become blank lines, so the line count is kept.
            out.append(_indent_of(line) + code + _line_end(line))
            out.extend(_line_end(extra) for extra in lines[index + 1:end + 1])
        index = end + 1
    return out


_MAY_ESCAPE = re.compile(r"[%!?]|^\s*[,;/]")


def transform_cell(source: str, *, is_automagic: Callable[[str], bool] | None = None,
                   autocall: Autocall | None = None) -> str:
    """Turn a cell with IPython syntax into plain Python that calls the hook.

    ``is_automagic(name)`` enables automagic (``cd /tmp``): it must say
    whether ``name`` is a line magic that no variable or builtin shadows.
    ``autocall`` (IPython's ``%autocall``) applies to a cell of one line, as
    in IPython. A cell that is broken Python comes back as unchanged as
    possible, so compile() reports the real SyntaxError.
    """
    lines = _clean_paste(_split_lines(source))
    cell = _cell_magic(lines)
    if cell is not None:
        return cell
    one_line = autocall is not None and sum(1 for line in lines if line.strip()) == 1
    if is_automagic is None and not one_line and not any(_MAY_ESCAPE.search(line) for line in lines):
        return "".join(lines)
    transformers: list[LineTransformer] = [HelpRequest(), EscapedCommand(), MagicAssignment(), AutocallEscape()]
    if is_automagic is not None:
        transformers.append(Automagic(is_automagic))
    if autocall is not None and one_line:
        transformers.append(autocall)
    return "".join(_rewrite_statements(lines, transformers))
