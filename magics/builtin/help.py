"""Help magics: ``%quickref``, ``%pinfo``, ``%pinfo2``, ``%psearch``, ``%page``.

Usage::

    %quickref              # the reference card (also a lone ``?``)
    %pinfo len             # what ``len?`` shows; ``%pinfo2 f`` is ``f??``, with source
    %pinfo %timeit         # the help of a magic (``%timeit?``, ``%%bash?``)
    %psearch os.*path*     # names matching a wildcard (``os.*path*?``)
    %page -r big_object    # an object's value through the pager

The input transforms turn ``obj?``/``obj??``/``?`` into these calls, so the
text here is what users see for every help request. Finding objects and
describing them is the engine's job (``shell.inspect_object``,
``shell.search_names``); these magics choose what to ask and how to show it.
"""

from __future__ import annotations

import inspect
import os
import textwrap

from magics.arguments import argument, magic_arguments, parse_argstring, rest
from magics.base import Magics
from magics.decorators import line_magic
from magics.errors import MagicNotFound, UsageError

QUICKREF = """\
hocus -- quick reference
========================

Getting help
  ?                   this reference card
  obj?  ?obj          signature, docstring, type, file of obj   (%pinfo)
  obj??  ??obj        the same, with the source code            (%pinfo2)
  %magic?  %%magic?   help of a line or cell magic
  a*b*?  os.*path*?   names matching a wildcard                 (%psearch)
  %magic              how magics work, with every magic's summary
  %lsmagic            the names of all magics

Magics
  %name args          a line magic: the rest of the line is its argument
  %%name args         a cell magic: first line of a cell; the cell is its body
  x = %name args      keep a line magic's result
  name args           automagic: the same as %name when no variable is called name

The shell
  !cmd                run a shell command; $var and {expr} are expanded
  !!cmd  x = !cmd     run it and keep its output lines (a list with .s, .n, .grep)

History and results
  _  __  ___          the last three results
  _N  Out[N]          the result of cell N
  _i  _iN  In[N]      the input of cell N

Everyday magics
  %timeit %time %prun     timing and profiling
  %run %load %pycat       running and reading files
  %who %whos %reset       the namespace
  %debug %pdb %xmode %tb  debugging and tracebacks
  %config %precision      settings
  %pip %load_ext          packages and extensions
"""


class HelpMagics(Magics):
    """Help on objects and magics, wildcard search, and paging values."""

    @line_magic
    def quickref(self, line: str = "") -> None:
        """Show a quick reference card of hocus's syntax and magics."""
        registry = self.shell.magics
        names = "  ".join([f"%{n}" for n in registry.names("line")] + [f"%%{n}" for n in registry.names("cell")])
        listing = textwrap.fill(names, 79, initial_indent="  ", subsequent_indent="  ", break_on_hyphens=False)
        self.shell.page(f"{QUICKREF}\nAll magics\n{listing}\n")

    @line_magic
    def pinfo(self, line: str = "") -> None:
        """Show an object's signature, docstring, type and file: what ``obj?`` shows.

        ``%pinfo %name`` and ``%pinfo %%name`` show a magic's help; a name that
        is no object but is a magic shows the magic's help too.
        """
        self._info(line, 0, "pinfo")

    @line_magic
    def pinfo2(self, line: str = "") -> None:
        """Show an object's details and source code: what ``obj??`` shows."""
        self._info(line, 1, "pinfo2")

    def _info(self, line: str, detail: int, magic_name: str) -> None:
        name = line.strip()
        if not name:
            raise UsageError(f"%{magic_name}: which object? For example: %{magic_name} len")
        if name.startswith("%"):
            kind = "cell" if name.startswith("%%") else "line"
            text = self._magic_help(kind, name.lstrip("%"), detail)
        else:
            try:
                text = self.shell.inspect_object(name, detail)
            except NameError:
                text = self._magic_help("line", name, detail) or self._magic_help("cell", name, detail)
        if text is None:
            self.shell.write(f"Object `{name}` not found.\n")
        else:
            self.shell.page(text)

    def _magic_help(self, kind: str, name: str, detail: int) -> str | None:
        """The text ``%name?`` shows, or None when there is no such magic."""
        try:
            magic = self.shell.magics.find(kind, name)
        except MagicNotFound:
            return None
        fields = {"Docstring": inspect.cleandoc(magic.doc) or "<no docstring>"}
        func = inspect.unwrap(getattr(magic.func, "__func__", magic.func))
        if detail:
            try:
                fields = {"Source": inspect.getsource(func).rstrip("\n")}
            except (OSError, TypeError):
                pass
        try:
            filename = inspect.getsourcefile(func)
        except TypeError:
            filename = None
        if filename:
            home = os.path.expanduser("~")
            fields["File"] = "~" + filename[len(home):] if filename.startswith(home + os.sep) else filename
        fields["Type"] = f"{kind} magic %{'%' if kind == 'cell' else ''}{name}"
        lines = []
        for label, value in fields.items():
            block = label in ("Docstring", "Source")  # laid out as inspection does for long fields
            lines.append(f"{label}:\n{value}" if block else f"{label + ':':<15}{value}")
        return "\n".join(lines) + "\n"

    @magic_arguments()
    @argument("-i", "--ignore-case", dest="ignore_case", action="store_true", help="match case-insensitively")
    @argument("-c", "--case-sensitive", dest="ignore_case", action="store_false", help="match case-sensitively (the default)")
    @argument("-a", "--all", dest="include_private", action="store_true", help="include names starting with _")
    @argument("-e", "--exclude", action="append", default=[], metavar="NAMESPACE",
              help="leave out a namespace: user or builtin")
    @argument("-s", "--search", action="append", default=[], metavar="NAMESPACE",
              help="search a namespace: user or builtin (both by default)")
    @argument("pattern", help="a name with * and ? wildcards, possibly dotted: os.*path*")
    @argument("type", nargs="?", help="only objects of this type: function, module, int, ...")
    @line_magic
    def psearch(self, line: str = "") -> None:
        """Search the namespaces for names matching a wildcard pattern.

        ``*`` matches any characters, ``?`` one; ``os.*path*`` searches the
        attributes of ``os``. Names starting with ``_`` are left out unless
        ``-a`` is given. ``a*?`` at the prompt is the same as ``%psearch a*``.
        """
        args = parse_argstring(self.psearch, line)
        aliases = {"user": "user", "user_local": "user", "user_global": "user", "builtin": "builtin"}
        for space in args.search + args.exclude:
            if space not in aliases:
                raise UsageError(f"%psearch: unknown namespace {space!r}; choose from user and builtin")
        wanted = {"user", "builtin"} | {aliases[s] for s in args.search}
        wanted -= {aliases[s] for s in args.exclude}
        try:
            found = self.shell.search_names(args.pattern, namespaces=tuple(sorted(wanted)),
                                            include_private=args.include_private,
                                            ignore_case=args.ignore_case, type_name=args.type)
        except NameError:
            found = []  # the dotted base does not exist: nothing matches, as in IPython
        if found:
            self.shell.page("\n".join(found))

    @magic_arguments()
    @argument("-r", "--raw", action="store_true", help="show str(obj) instead of the pretty-printed value")
    @rest("expression", help="a name or expression (default: the last result, _)")
    @line_magic
    def page(self, line: str = "") -> None:
        """Show an object's value through the pager, pretty-printed."""
        args = parse_argstring(self.page, line)
        expression = args.expression or "_"
        try:
            obj = eval(expression, self.shell.user_ns)
        except NameError:
            self.shell.write(f"Object `{expression}` not found.\n")
            return
        except SyntaxError as err:
            raise UsageError(f"%page: cannot read {expression!r}: {err.msg}") from None
        text = str(obj) if args.raw else self.shell.format_plain(obj)
        self.shell.page(text)
