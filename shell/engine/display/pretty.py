"""A pretty printer for ``Out[N]`` and ``text/plain``: IPython's layout, written for hocus.

Usage::

    from shell.engine.display.pretty import pretty
    pretty(list(range(40)), width=40)      # wrapped, one item per line when too wide
    pretty(obj)                             # _repr_pretty_(printer, cycle) is honoured

The layout algorithm is the one IPython's ``lib/pretty.py`` uses (after
Wadler's "prettier printer"): text is buffered in *groups* with *breakable*
spaces; when a line would pass ``width``, the outermost group that can break
turns all its breakables into newlines at its indentation. Breaking outer
groups first is what keeps ``{'a': [1, 2, 3]}`` together on one line inside
a long dict.

Printers are looked up by type along the MRO: ``type_printers`` (by class),
``deferred_printers`` (by ``(module, name)``, so a library is never imported
to register one), then ``_repr_pretty_``, then the object's own ``__repr__``
(numpy arrays too, so ``np.set_printoptions`` applies, as in IPython).
Containers whose ``__repr__`` a subclass overrides print with that repr.
Cycles print as ``[...]``/``{...}``; sequences stop after ``max_seq_length``
items with ``...``.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import inspect
import io
import sys
import types
from typing import Any, Callable, Iterable, Iterator, TextIO, TypeVar

Printer = Callable[[Any, "PrettyPrinter", bool], None]
_Item = TypeVar("_Item")


class _Text:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.width = 0

    def add(self, text: str, width: int) -> None:
        self.parts.append(text)
        self.width += width

    def output(self, stream: TextIO, output_width: int) -> int:
        for part in self.parts:
            stream.write(part)
        return output_width + self.width


class _Breakable:
    def __init__(self, sep: str, printer: "PrettyPrinter") -> None:
        self.sep = sep
        self.width = len(sep)
        self.printer = printer
        self.indentation = printer.indentation
        self.group = printer._groups[-1]
        self.group.breakables.append(self)

    def output(self, stream: TextIO, output_width: int) -> int:
        self.group.breakables.popleft()
        if self.group.want_break:
            stream.write(self.printer.newline + " " * self.indentation)
            return self.indentation
        if not self.group.breakables:
            self.printer._queue.remove(self.group)
        stream.write(self.sep)
        return output_width + self.width


class _Group:
    def __init__(self, depth: int) -> None:
        self.depth = depth
        self.breakables: collections.deque[_Breakable] = collections.deque()
        self.want_break = False


class _GroupQueue:
    """Open groups by depth; the outermost group with a breakable is broken first."""

    def __init__(self, *groups: _Group) -> None:
        self.queue: list[list[_Group]] = []
        for group in groups:
            self.enqueue(group)

    def enqueue(self, group: _Group) -> None:
        while len(self.queue) <= group.depth:
            self.queue.append([])
        self.queue[group.depth].append(group)

    def dequeue(self) -> _Group | None:
        for level in self.queue:
            for group in reversed(level):
                if group.breakables:
                    level.remove(group)
                    group.want_break = True
                    return group
            for group in level:
                group.want_break = True
            del level[:]
        return None

    def remove(self, group: _Group) -> None:
        with contextlib.suppress(ValueError, IndexError):
            self.queue[group.depth].remove(group)


class PrettyPrinter:
    """Lays out text, groups and breakables within ``width`` columns; ``pretty(obj)`` prints objects.

    This is the printer ``_repr_pretty_(self, p, cycle)`` methods receive:
    ``p.text``, ``p.breakable``, ``p.break_``, ``p.group``, ``p.begin_group``/
    ``p.end_group``, ``p.indent``, ``p.pretty`` behave as in IPython.
    """

    def __init__(self, stream: TextIO | None = None, width: int = 79, newline: str = "\n",
                 max_seq_length: int = 1000, *,
                 type_printers: dict[type, Printer] | None = None,
                 deferred_printers: dict[tuple[str, str], Printer] | None = None,
                 float_format: str = "%r") -> None:
        self.output: TextIO = stream if stream is not None else io.StringIO()
        self.max_width = width
        self.newline = newline
        self.max_seq_length = max_seq_length
        self.output_width = 0
        self.buffer_width = 0
        self.buffer: collections.deque[_Text | _Breakable] = collections.deque()
        root = _Group(0)
        self._groups = [root]
        self._queue = _GroupQueue(root)
        self.indentation = 0
        self._object_stack: list[int] = []
        self.type_printers = {**DEFAULT_PRINTERS, **(type_printers or {})}
        self.deferred_printers = {**DEFERRED_PRINTERS, **(deferred_printers or {})}
        self.float_format = float_format

    # -- layout ------------------------------------------------------------------------
    def text(self, obj: str) -> None:
        """Add text that is never broken."""
        width = len(obj)
        if self.buffer:
            text = self.buffer[-1]
            if not isinstance(text, _Text):
                text = _Text()
                self.buffer.append(text)
            text.add(obj, width)
            self.buffer_width += width
            self._break_outer_groups()
        else:
            self.output.write(obj)
            self.output_width += width

    def breakable(self, sep: str = " ") -> None:
        """A place to break the line: ``sep`` when the group fits, a newline when it does not."""
        group = self._groups[-1]
        if group.want_break:
            self.flush()
            self.output.write(self.newline + " " * self.indentation)
            self.output_width = self.indentation
            self.buffer_width = 0
        else:
            self.buffer.append(_Breakable(sep, self))
            self.buffer_width += len(sep)
            self._break_outer_groups()

    def break_(self) -> None:
        """An unconditional newline; it breaks the outermost open group too, as IPython's does.

        So a multi-line repr inside a list puts the list's next item on its own line.
        """
        group = self._queue.dequeue()
        if group is not None:
            self._break_one_group(group)
        self.flush()
        self.output.write(self.newline + " " * self.indentation)
        self.output_width = self.indentation
        self.buffer_width = 0

    def begin_group(self, indent: int = 0, open: str = "") -> None:
        if open:
            self.text(open)
        group = _Group(len(self._groups))
        self._groups.append(group)
        self._queue.enqueue(group)
        self.indentation += indent

    def end_group(self, dedent: int = 0, close: str = "") -> None:
        self.indentation -= dedent
        group = self._groups.pop()
        if not group.breakables:
            self._queue.remove(group)
        if close:
            self.text(close)

    @contextlib.contextmanager
    def group(self, indent: int = 0, open: str = "", close: str = "") -> Iterator[None]:
        self.begin_group(indent, open)
        try:
            yield
        finally:
            self.end_group(indent, close)

    @contextlib.contextmanager
    def indent(self, indent: int) -> Iterator[None]:
        self.indentation += indent
        try:
            yield
        finally:
            self.indentation -= indent

    def flush(self) -> None:
        for data in self.buffer:
            self.output_width += data.output(self.output, self.output_width)
        self.buffer.clear()
        self.buffer_width = 0

    def _break_outer_groups(self) -> None:
        while self.max_width < self.output_width + self.buffer_width:
            group = self._queue.dequeue()
            if group is None:
                return
            self._break_one_group(group)

    def _break_one_group(self, group: _Group) -> None:
        """Write out the buffer up to and including ``group``'s breakables (now newlines)."""
        while group.breakables:
            data = self.buffer.popleft()
            self.output_width = data.output(self.output, self.output_width)
            self.buffer_width -= data.width
        while self.buffer and isinstance(self.buffer[0], _Text):
            data = self.buffer.popleft()
            self.output_width = data.output(self.output, self.output_width)
            self.buffer_width -= data.width

    def getvalue(self) -> str:
        """The text printed so far, when the printer writes to its own buffer (no ``stream`` given)."""
        self.flush()
        if not isinstance(self.output, io.StringIO):
            raise TypeError("getvalue() reads the printer's own buffer; this printer writes to a stream")
        return self.output.getvalue()

    # -- objects -------------------------------------------------------------------------
    def enumerate(self, seq: Iterable[_Item]) -> Iterator[tuple[int, _Item]]:
        """Enumerate ``seq``, stopping with ``,...`` after ``max_seq_length`` items."""
        for idx, item in enumerate(seq):
            if self.max_seq_length and idx >= self.max_seq_length:
                self.text(",")
                self.breakable()
                self.text("...")
                return
            yield idx, item

    _enumerate = enumerate  # IPython's spelling, which some _repr_pretty_ methods use

    def pretty(self, obj: Any) -> None:
        """Print ``obj`` with the best printer for its type."""
        obj_id = id(obj)
        cycle = obj_id in self._object_stack
        self._object_stack.append(obj_id)
        self.begin_group()
        try:
            cls = type(obj)
            special = None if hasattr(cls, "_repr_pretty_") else _special_printer(obj, cls)
            if special is not None:
                return special(obj, self, cycle)
            for base in _mro(cls):
                printer = self.type_printers.get(base)
                if printer is None:
                    printer = self.deferred_printers.get((base.__module__, base.__name__))
                if printer is not None:
                    return printer(obj, self, cycle)
                if "_repr_pretty_" in base.__dict__:
                    if isinstance(obj, type) or not callable(base.__dict__["_repr_pretty_"]):
                        break  # `_repr_pretty_ = None` turns a base class's printer off: repr, as IPython
                    return obj._repr_pretty_(self, cycle)
                if base is not object and "__repr__" in base.__dict__:
                    break  # a class's own __repr__ wins over what its bases print, as in IPython
            if cls.__repr__ is object.__repr__ and not isinstance(obj, type):
                return _default_printer(obj, self, cycle)
            return _repr_printer(obj, self, cycle)
        finally:
            self.end_group()
            self._object_stack.pop()


def pretty(obj: Any, width: int = 79, max_seq_length: int = 1000, **kwargs: Any) -> str:
    """``obj`` as pretty-printed text."""
    if DEFAULT_PRINTERS.get(type(obj)) is _repr_printer and not kwargs.get("type_printers"):
        return repr(obj)  # an exact int, str, bool...: its repr is all a printer would write
    printer = PrettyPrinter(width=width, max_seq_length=max_seq_length, **kwargs)
    printer.pretty(obj)
    return printer.getvalue()


def _mro(cls: type) -> tuple[type, ...]:
    try:
        return cls.__mro__
    except AttributeError:
        return (cls,)


# -- printers ----------------------------------------------------------------------------
def _repr_printer(obj: Any, p: PrettyPrinter, cycle: bool) -> None:
    """The object's own repr, its lines kept apart so indentation applies."""
    text = repr(obj)
    with p.group():
        for idx, line in enumerate(text.splitlines()):
            if idx:
                p.break_()
            p.text(line)


def _default_printer(obj: Any, p: PrettyPrinter, cycle: bool) -> None:
    p.text(f"<{_type_name(type(obj))} at 0x{id(obj):x}>")


def _type_name(cls: type) -> str:
    module = getattr(cls, "__module__", None)
    name: str = getattr(cls, "__qualname__", None) or str(getattr(cls, "__name__", "?"))
    if module in (None, "builtins", "__builtin__", "exceptions"):
        return name
    return f"{module}.{name}"


def _type_printer(obj: type, p: PrettyPrinter, cycle: bool) -> None:
    if type(obj).__repr__ not in (type.__repr__, getattr(type(type), "__repr__", None)):
        p.text(repr(obj))
        return
    p.text(_type_name(obj))


def _function_printer(obj: Any, p: PrettyPrinter, cycle: bool) -> None:
    name = _type_name_of_function(obj)
    try:
        signature = str(inspect.signature(obj))
    except (ValueError, TypeError):
        signature = ""
    p.text(f"<function {name}{signature}>")


def _type_name_of_function(obj: Any) -> str:
    name: str = getattr(obj, "__qualname__", None) or obj.__name__
    module = getattr(obj, "__module__", None)
    if module and module not in ("builtins", "__builtin__", "exceptions"):
        return f"{module}.{name}"
    return name


def _uses_base_repr(obj: Any, bases: tuple[type, ...]) -> bool:
    return type(obj).__repr__ in {base.__repr__ for base in bases}


def _sequence_printer(start: str, end: str) -> Printer:
    def print_sequence(obj: Any, p: PrettyPrinter, cycle: bool) -> None:
        if not _uses_base_repr(obj, (list, tuple)):
            return _repr_printer(obj, p, cycle)
        if cycle:
            return p.text(start + "..." + end)
        step = len(start)
        p.begin_group(step, start)
        for idx, item in p.enumerate(obj):
            if idx:
                p.text(",")
                p.breakable()
            p.pretty(item)
        if len(obj) == 1 and isinstance(obj, tuple):
            p.text(",")
        p.end_group(step, end)

    return print_sequence


def _sorted_if_possible(items: Iterable[Any]) -> list[Any]:
    items = list(items)
    try:
        return sorted(items)
    except Exception:
        return items


def _set_printer(obj: Any, p: PrettyPrinter, cycle: bool) -> None:
    if not _uses_base_repr(obj, (set, frozenset)):
        return _repr_printer(obj, p, cycle)
    name = type(obj).__name__
    if cycle:
        return p.text(f"{name}(...)")
    if not obj:
        return p.text(f"{name}()")
    start, end = ("{", "}") if type(obj) is set else (f"{name}({{", "})")
    step = len(start)
    p.begin_group(step, start)
    for idx, item in p.enumerate(_sorted_if_possible(obj)):
        if idx:
            p.text(",")
            p.breakable()
        p.pretty(item)
    p.end_group(step, end)


def _dict_items(obj: Any, p: PrettyPrinter) -> None:
    for idx, key in p.enumerate(obj.keys()):
        if idx:
            p.text(",")
            p.breakable()
        p.pretty(key)
        p.text(": ")
        p.pretty(obj[key])


def _dict_printer(obj: Any, p: PrettyPrinter, cycle: bool) -> None:
    if type(obj).__repr__ not in (dict.__repr__, collections.OrderedDict.__repr__,
                                  collections.defaultdict.__repr__, collections.Counter.__repr__):
        return _repr_printer(obj, p, cycle)
    if isinstance(obj, collections.Counter):  # a subclass under its own name, as its repr and IPython do
        return _wrapped(obj, p, cycle, type(obj).__name__ + "(", ")",
                        lambda: _dict_printer(dict(obj.most_common()), p, False) if obj else None)
    if isinstance(obj, collections.defaultdict):
        def body() -> None:
            p.pretty(obj.default_factory)
            p.text(",")
            p.breakable()
            _dict_printer(dict(obj), p, False)
        return _wrapped(obj, p, cycle, "defaultdict(", ")", body)
    if isinstance(obj, collections.OrderedDict):
        return _wrapped(obj, p, cycle, "OrderedDict(", ")",
                        lambda: p.pretty(list(obj.items())) if obj else None)
    if cycle:
        return p.text("{...}")
    p.begin_group(1, "{")
    _dict_items(obj, p)
    p.end_group(1, "}")


def _mappingproxy_printer(obj: Any, p: PrettyPrinter, cycle: bool) -> None:
    if cycle:
        return p.text("{...}")
    with p.group(len("mappingproxy({"), "mappingproxy({", "})"):
        _dict_items(obj, p)


def _userlist_printer(obj: Any, p: PrettyPrinter, cycle: bool) -> None:
    """``MyList([1, 2])``: a UserList prints like its list, under its class's name, as in IPython."""
    if type(obj).__repr__ is not collections.UserList.__repr__:
        return _repr_printer(obj, p, cycle)
    _wrapped(obj, p, cycle, type(obj).__name__ + "(", ")", lambda: p.pretty(obj.data))


def _namespace_printer(obj: Any, p: PrettyPrinter, cycle: bool) -> None:
    if type(obj).__repr__ is not types.SimpleNamespace.__repr__:
        return _repr_printer(obj, p, cycle)
    name = "namespace" if type(obj) is types.SimpleNamespace else type(obj).__qualname__
    _fields_printer(name, list(vars(obj).items()), p, cycle)


def _wrapped(obj: Any, p: PrettyPrinter, cycle: bool, start: str, end: str, body: Callable[[], None]) -> None:
    if cycle:
        return p.text(start + "..." + end)
    with p.group(len(start), start, end):
        body()


def _deque_printer(obj: Any, p: PrettyPrinter, cycle: bool) -> None:
    def body() -> None:
        p.pretty(list(obj))
        if obj.maxlen is not None:
            p.text(",")
            p.breakable()
            p.text(f"maxlen={obj.maxlen}")
    _wrapped(obj, p, cycle, "deque(", ")", body)


def _fields_printer(name: str, fields: list[tuple[str, Any]], p: PrettyPrinter, cycle: bool) -> None:
    """``Name(a=1, b=2)`` with the fields wrapped under the parenthesis: dataclasses, namedtuples."""
    if cycle:
        return p.text(f"{name}(...)")
    start = name + "("
    with p.group(len(start), start, ")"):
        for idx, (field, value) in enumerate(fields):
            if idx:
                p.text(",")
                p.breakable()
            p.text(field + "=")
            with p.group(len(field) + 1):  # a wrapped value lines up after "field="
                p.pretty(value)


def _float_printer(obj: float, p: PrettyPrinter, cycle: bool) -> None:
    p.text(repr(obj) if p.float_format == "%r" else p.float_format % obj)


def _exception_printer(obj: BaseException, p: PrettyPrinter, cycle: bool) -> None:
    if type(obj).__repr__ is not BaseException.__repr__:
        return _repr_printer(obj, p, cycle)
    name = type(obj).__qualname__
    if type(obj).__module__ not in ("builtins", "exceptions", "__builtin__"):
        name = f"{type(obj).__module__}.{name}"
    with p.group(len(name) + 1, name + "(", ")"):
        for idx, arg in enumerate(obj.args):
            if idx:
                p.text(",")
                p.breakable()
            p.pretty(arg)


def _special_printer(obj: Any, cls: type) -> Printer | None:
    """Printers found by shape rather than by class: dataclasses and namedtuples with generated reprs."""
    if dataclasses.is_dataclass(cls) and not isinstance(obj, type) and _generated_repr(cls, "dataclasses"):
        fields = [(f.name, getattr(obj, f.name)) for f in dataclasses.fields(obj) if f.repr]
        return lambda o, p, cycle: _fields_printer(cls.__qualname__, fields, p, cycle)
    if isinstance(obj, tuple) and hasattr(cls, "_fields") and _generated_repr(cls, "collections"):
        return lambda o, p, cycle: _fields_printer(cls.__name__, list(zip(cls._fields, o)), p, cycle)
    return None


def _generated_repr(cls: type, module_name: str) -> bool:
    """Whether ``cls.__repr__`` is the one ``dataclasses``/``collections.namedtuple`` made."""
    func = cls.__repr__
    func = getattr(func, "__wrapped__", func)
    code = getattr(func, "__code__", None)
    if code is None:
        return False
    if module_name == "collections":
        return code.co_filename.replace("\\", "/").endswith("collections/__init__.py")
    return code.co_filename == "<string>" and "__create_fn__" in func.__qualname__ or \
        code.co_filename.replace("\\", "/").endswith("dataclasses.py")


DEFAULT_PRINTERS: dict[type, Printer] = {
    int: _repr_printer,
    float: _float_printer,
    str: _repr_printer,
    bytes: _repr_printer,
    tuple: _sequence_printer("(", ")"),
    list: _sequence_printer("[", "]"),
    dict: _dict_printer,
    collections.Counter: _dict_printer,  # each at its own level: their __repr__ would win otherwise
    collections.OrderedDict: _dict_printer,
    collections.defaultdict: _dict_printer,
    set: _set_printer,
    frozenset: _set_printer,
    collections.deque: _deque_printer,
    collections.UserList: _userlist_printer,
    types.MappingProxyType: _mappingproxy_printer,
    types.SimpleNamespace: _namespace_printer,
    type: _type_printer,
    types.FunctionType: _function_printer,
    BaseException: _exception_printer,
    range: _repr_printer,
    bool: _repr_printer,
    type(None): _repr_printer,
}

# None built in: a numpy array prints with its own repr, so np.set_printoptions applies, as in IPython.
DEFERRED_PRINTERS: dict[tuple[str, str], Printer] = {}
