"""Magics that look at and clean up the user's namespace.

Usage::

    In [1]: a, b, s = 1, 2.5, "hi"
    In [2]: %who int float
    a	b
    In [3]: %whos
    In [4]: %reset_selective -f ^tmp_
    In [5]: %xdel big_frame
    In [6]: %reset -f

"The user's variables" are what :meth:`ShellSurface.user_variables` returns
(the shell's own names such as ``In``, ``Out`` and ``get_ipython`` left out)
minus names starting with ``_``, as in IPython, so ``%who`` shows what the
user typed and ``%reset -s`` never breaks the shell.

Destructive magics ask ``Proceed (y/[n])?`` through the shell's
InputProvider (the terminal's prompt, or the kernel's stdin request);
``-f`` skips the question and end of input counts as "no".
"""

from __future__ import annotations

import gc
import re
import sys
from typing import Any

from magics.arguments import argument, magic_arguments, parse_argstring, rest
from magics.base import Magics
from magics.decorators import line_magic
from magics.errors import UsageError

_CONFIRM = "Once deleted, variables cannot be recovered. Proceed (y/[n])?"
_RESET_TARGETS = ("in", "out", "array", "dhist")
_SIZED_TYPES = (dict, list, tuple, set, frozenset)


def ask_yes_no(shell: Any, prompt: str, default: bool = False) -> bool:
    """Ask ``prompt`` until the user answers y/yes or n/no; empty or end of input means ``default``.

    Goes through ``shell.read_input`` rather than :func:`input`, so the
    question reaches the user in every front end (a kernel asks through its
    stdin channel).
    """
    while True:
        try:
            answer = shell.read_input(prompt + " ").strip().lower()
        except (EOFError, KeyboardInterrupt):
            shell.write("\n")
            return default
        if not answer:
            return default
        if answer in ("y", "yes"):
            return True
        if answer in ("n", "no"):
            return False


class NamespaceMagics(Magics):
    """``%who``, ``%who_ls``, ``%whos``, ``%reset``, ``%reset_selective``, ``%xdel``."""

    def _names(self, type_names: list[str] | tuple[str, ...] = ()) -> list[str]:
        """The user's variable names, sorted, optionally only those of the given type names."""
        variables = self.shell.user_variables()
        names = [name for name in variables if not name.startswith("_")]
        if type_names:
            wanted = set(type_names)
            names = [name for name in names if type(variables[name]).__name__ in wanted]
        return sorted(names)

    # -- listing ------------------------------------------------------------------------
    @line_magic
    def who_ls(self, line: str = "") -> list[str]:
        """Return a sorted list of the interactive variables' names.

        With type names (``%who_ls function str``) only variables of those
        types are listed; ``type(x).__name__`` is a variable's type name.
        Names starting with ``_`` and the shell's own names are left out.

        Example::

            In [1]: a, b = 1, "x"
            In [2]: %who_ls
            Out[2]: ['a', 'b']
        """
        return self._names(line.split())

    @line_magic
    def who(self, line: str = "") -> None:
        """Print the names of the interactive variables, nine to a line.

        ``%who int str`` shows only variables whose type name is ``int`` or
        ``str`` (``type(x).__name__``; functions are ``function``, modules
        ``module``). Names starting with ``_`` and the shell's own names
        (``In``, ``Out``, ``get_ipython``, ...) are never listed.
        ``%who_ls`` returns the names as a list; ``%whos`` shows a table.
        """
        names = self._names(line.split())
        if not names:
            self.shell.write("No variables match your requested type.\n" if line.split()
                             else "Interactive namespace is empty.\n")
            return
        rows = [names[i:i + 9] for i in range(0, len(names), 9)]
        self.shell.write("".join("\t".join(row) + "\n" for row in rows))

    @line_magic
    def whos(self, line: str = "") -> None:
        """Like ``%who``, as a table: Variable, Type and Data/Info.

        Data/Info is the length for dicts, lists, tuples and sets, the shape,
        size, dtype and bytes for numpy arrays, and otherwise ``str(value)``
        on one line, cut in the middle (``first 25<...>last 25``) when long.
        Type names filter as in ``%who`` (``%whos ndarray``).
        """
        names = self._names(line.split())
        if not names:
            self.shell.write("No variables match your requested type.\n" if line.split()
                             else "Interactive namespace is empty.\n")
            return
        variables = self.shell.user_variables()
        rows = [(name, type(variables[name]).__name__, _data_info(variables[name])) for name in names]
        name_width = max(len("Variable"), *(len(r[0]) for r in rows)) + 3
        type_width = max(len("Type"), *(len(r[1]) for r in rows)) + 3
        lines = ["Variable".ljust(name_width) + "Type".ljust(type_width) + " Data/Info",
                 "-" * (name_width + type_width + len("Data/Info") + 1)]
        lines += [name.ljust(name_width) + kind.ljust(type_width) + " " + info for name, kind, info in rows]
        self.shell.write("\n".join(lines) + "\n")

    # -- deleting ---------------------------------------------------------------------
    def _confirmed(self, force: bool) -> bool:
        if force or ask_yes_no(self.shell, _CONFIRM):
            return True
        self.shell.write("Nothing done.\n")
        return False

    @magic_arguments()
    @argument("-f", dest="force", action="store_true", help="do not ask for confirmation")
    @argument("-s", dest="soft", action="store_true",
              help="soft reset: delete only your variables; In, Out and the output cache stay")
    @argument("targets", nargs="*", metavar="in|out|array|dhist",
              help="reset only these: input history, output cache, numpy arrays, directory history")
    @line_magic
    def reset(self, line: str = "") -> None:
        """Delete the variables you defined, and the session's In/Out history.

        ``%reset`` asks ``Once deleted, variables cannot be recovered.
        Proceed (y/[n])?`` first; ``-f`` does not ask. Afterwards the shell
        works as at start-up (``In``, ``Out``, ``get_ipython``, ``exit`` are
        back) and the prompt number goes on counting.

        ``-s`` is a soft reset: only your variables go; ``In``/``Out`` and
        ``_``, ``__``, ``___`` keep their references. With targets, only
        those are reset: ``in`` (input history), ``out`` (output cache),
        ``array`` (variables holding numpy arrays), ``dhist`` (directory
        history). ``%reset_selective`` deletes by name pattern.
        """
        args = parse_argstring(self.reset, line)
        targets = [target.lower() for target in args.targets]
        for target in targets:
            if target not in _RESET_TARGETS:
                raise UsageError(f"%reset: don't know how to reset {target!r}; "
                                 f"choose from {', '.join(_RESET_TARGETS)}")
        if not self._confirmed(args.force):
            return
        if args.soft:
            for name in self._names():
                del self.shell.user_ns[name]
        elif not targets:
            self.shell.reset(keep_history=False)
        for target in targets:
            getattr(self, f"_reset_{target}")()
        gc.collect()

    def _reset_out(self) -> None:
        ns, out = self.shell.user_ns, self.shell.Out
        self.shell.write(f"Flushing output cache ({len(out)} entries)\n")
        for count in list(out):
            ns.pop(f"_{count}", None)
        out.clear()
        ns["_"] = ns["__"] = ns["___"] = ""

    def _reset_in(self) -> None:
        ns, inputs = self.shell.user_ns, self.shell.In
        self.shell.write("Flushing input history\n")
        for count in range(1, len(inputs)):
            ns.pop(f"_i{count}", None)
        # Blank the entries rather than drop them: In[N] keeps lining up with the prompt numbers.
        inputs[:] = [""] * len(inputs)
        ns["_i"] = ns["_ii"] = ns["_iii"] = ""

    def _reset_array(self) -> None:
        numpy = sys.modules.get("numpy")
        if numpy is None:  # not imported: no variable can hold an array
            return
        ns = self.shell.user_ns
        for name, value in list(self.shell.user_variables().items()):
            if isinstance(value, numpy.ndarray):
                del ns[name]

    def _reset_dhist(self) -> None:
        self.shell.write("Flushing directory history\n")
        history = self.shell.user_ns.get("_dh")
        if isinstance(history, list):
            del history[:]

    @magic_arguments()
    @argument("-f", dest="force", action="store_true", help="do not ask for confirmation")
    @rest("pattern", help="a regular expression; variables whose names it matches are deleted")
    @line_magic
    def reset_selective(self, line: str = "") -> None:
        """Delete the variables whose names match a regular expression.

        ``%reset_selective -f ^tmp_`` deletes ``tmp_a`` and ``tmp_b`` but not
        ``a_tmp``; the pattern is searched for anywhere in the name
        (``re.search``), so anchor it with ``^``/``$`` as needed. Without
        ``-f`` it asks for confirmation first. In/Out history is untouched.
        """
        args = parse_argstring(self.reset_selective, line)
        pattern = _unquote(args.pattern or "")
        if not pattern:
            raise UsageError("%reset_selective: give a regular expression, e.g. %reset_selective -f ^tmp_")
        try:
            regex = re.compile(pattern)
        except re.error as err:
            raise UsageError(f"%reset_selective: invalid regular expression {pattern!r}: {err}") from None
        if not self._confirmed(args.force):
            return
        for name in self._names():
            if regex.search(name):
                del self.shell.user_ns[name]

    @magic_arguments()
    @argument("-n", dest="by_name", action="store_true",
              help="delete only this name, not other names bound to the same object")
    @argument("name", help="the variable to delete")
    @line_magic
    def xdel(self, line: str = "") -> None:
        """Delete a variable and the shell's other references to its object.

        ``%xdel df`` deletes ``df`` and also every other name in the
        namespace bound to the very same object, its entries in ``Out`` and
        ``_N``, and ``_``/``__``/``___`` if they point to it, so the memory
        can really be freed. With ``-n`` only the name itself is deleted.
        """
        args = parse_argstring(self.xdel, line)
        ns, name = self.shell.user_ns, args.name
        if name not in ns:
            raise UsageError(f"name {name!r} is not defined")
        if name not in self.shell.user_variables():
            raise UsageError(f"%xdel: refusing to delete {name!r}: the shell uses it")
        user = self.shell.user_variables()
        obj = ns.pop(name)
        if not args.by_name:
            for other, value in list(ns.items()):
                if value is not obj:
                    continue
                if other in ("_", "__", "___"):  # the shell's: blank them rather than delete
                    ns[other] = ""
                elif other in user or re.fullmatch(r"_\d+", other):
                    del ns[other]
            self.shell.forget_object(obj)
        del obj
        gc.collect()


def _data_info(value: Any) -> str:
    """The Data/Info column of ``%whos`` for one value."""
    if isinstance(value, _SIZED_TYPES):
        return f"n={len(value)}"
    numpy = sys.modules.get("numpy")
    if numpy is not None and isinstance(value, numpy.ndarray):
        shape = "x".join(str(n) for n in value.shape)
        text = f"{shape}: {value.size} elems, type `{value.dtype}`, {value.nbytes} bytes"
        if value.nbytes >= 1024 * 1024:
            text += f" ({value.nbytes / 1024 / 1024:.1f} Mb)"
        elif value.nbytes >= 100_000:
            text += f" ({value.nbytes / 1024:.1f} kb)"
        return text
    try:
        text = str(value)
    except Exception:  # noqa: BLE001 - a broken __str__ must not break %whos
        text = f"<object with id {id(value)} (str() failed)>"
    text = text.replace("\n", "\\n")
    return text if len(text) < 50 else f"{text[:25]}<...>{text[-25:]}"


def _unquote(text: str) -> str:
    """Drop one pair of matching surrounding quotes: ``'^a b'`` -> ``^a b``."""
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text
