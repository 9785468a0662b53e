"""What ``obj?`` and ``obj??`` show: type, signature, docstring, file, source.

``find_object(name, namespaces)`` resolves a dotted name without running
the user's code (a property is described, not called); ``describe(obj,
name, detail)`` returns the
fields; ``format_description(fields)`` the text a front end prints (the
kernel's inspect_request sends the same text). ``search(pattern, ns)`` is
``%psearch``: wildcard matching of names like ``os.*path*``.
"""

from __future__ import annotations

import ast
import fnmatch
import inspect
import os
import re
import textwrap
import types
from typing import Any, Iterable, Mapping, Sequence

_MISSING = object()


def find_object(name: str, namespaces: Iterable[Mapping[str, Any]]) -> Any:
    """Return the object called ``name`` (dotted), or raise ``NameError``.

    Asking about an object never runs a getter the user wrote: a property
    (or any descriptor implemented in Python) on the way is returned as it
    is, not called. Only an attribute that static lookup cannot see (a
    module's or a class's ``__getattr__``, as for DataFrame columns) is
    fetched dynamically, as IPython does.
    """
    head, *steps = _STEP.findall(name.strip())
    if "".join([head, *steps]) != name.strip() or head.startswith((".", "[")):
        raise NameError(f"Object `{name}` not found.")
    for ns in namespaces:
        if head in ns:
            value = ns[head]
            break
    else:
        import builtins

        if not hasattr(builtins, head):
            raise NameError(f"Object `{name}` not found.")
        value = getattr(builtins, head)
    for index, step in enumerate(steps):
        if index and _runs_user_code(value):  # p.prop.real: what the getter returns is unknown
            raise NameError(f"Object `{name}` not found.")
        try:
            # ``container[0]?``: an integer subscript the user typed is taken, as IPython does
            value = value[int(step[1:-1])] if step.startswith("[") else _attribute(value, step[1:])
        except Exception:
            raise NameError(f"Object `{name}` not found.") from None
    return value


# a name, then ``.attr`` and ``[integer]`` steps (the first item is the name itself)
_STEP = re.compile(r"\.?[^.\[]+|\[-?\d+\]")


def describe(obj: Any, name: str, detail: int = 0, *, cells: Sequence[str] = (),
             session_module: str = "__main__") -> dict[str, str]:
    """The fields ``obj?`` (detail 0) or ``obj??`` (detail 1) shows, in IPython's order.

    ``cells`` are the filenames of the session's cells, newest first: where a
    class defined at the prompt (module ``session_module``) is looked for.
    """
    where = _class_source(obj, cells, session_module) if inspect.isclass(obj) else None
    source = (where[0] if where else _source(obj, name)) if detail else None
    doc = _docstring(obj)
    if doc is None or isinstance(obj, (int, float, str, bytes, list, dict, tuple, set)) and doc == inspect.getdoc(type(obj)):
        doc = "<no docstring>"
    if source and _source_contains_docstring(source, doc):
        doc = None
    filename = _shown_path(where[1]) if where else _file(obj)
    fields: dict[str, str] = {}
    if inspect.isclass(obj) or _is_simple_callable(obj):
        signature = _signature(obj)
        if signature:
            fields["Init signature" if inspect.isclass(obj) else "Signature"] = f"{name}{signature}"
        if doc:
            fields["Docstring"] = doc
        if source:
            fields["Source"] = source
        elif inspect.isclass(obj):
            init_doc = _init_docstring(obj)
            if init_doc and init_doc != doc:
                fields["Init docstring"] = init_doc
        if filename:
            fields["File"] = filename
        fields["Type"] = type(obj).__name__
        subclasses = _subclasses(obj) if inspect.isclass(obj) else ""
        if subclasses:
            fields["Subclasses"] = subclasses
        return fields
    signature = _signature(obj)
    if signature:
        fields["Signature"] = f"{name}{signature}"
    fields["Type"] = type(obj).__name__
    try:
        text = str(obj)
    except Exception as err:
        text = f"<str failed: {type(err).__name__}>"
    fields["String form"] = text if len(text) < 200 else text[:200] + "..."
    if hasattr(type(obj), "__len__"):
        try:
            fields["Length"] = str(len(obj))
        except Exception:
            pass
    if filename:
        fields["File"] = filename
    if source:
        fields["Source"] = source
    if doc:
        fields["Docstring"] = doc
    call = inspect.getattr_static(type(obj), "__call__", None)
    call_doc = _docstring(call) if isinstance(call, types.FunctionType) else None
    if call_doc and call_doc != doc:
        fields["Call docstring"] = call_doc
    return fields


def format_description(fields: Mapping[str, str], color: bool = False) -> str:
    """Lay out :func:`describe`'s fields as IPython does: labels padded to the longest one."""
    width = max((len(label) for label in fields), default=0)
    lines = []
    for label, value in fields.items():
        head = f"{label}:"
        if color:
            head = f"\x1b[31m{head}\x1b[0m"
        if "\n" in value:
            lines.append(f"{head}\n{value}")
        else:
            lines.append(f"{head}{' ' * (width - len(label))} {value}".rstrip() if value else head)
    return "\n".join(lines) + "\n"


def search(pattern: str, namespaces: Iterable[Mapping[str, Any]], *, include_private: bool = False,
           ignore_case: bool = False) -> list[str]:
    """Names matching a wildcard pattern such as ``os.*path*`` or ``*int*``."""
    if "." in pattern:
        base, _, last = pattern.rpartition(".")
        obj = find_object(base, namespaces)
        names = [f"{base}.{n}" for n in dir(obj)]
        pattern = f"{base}.{last}"
    else:
        import builtins

        names = sorted({n for ns in namespaces for n in ns} | set(dir(builtins)))
    matcher = (lambda n: fnmatch.fnmatch(n.lower(), pattern.lower())) if ignore_case else (
        lambda n: fnmatch.fnmatchcase(n, pattern))
    found = [n for n in names if matcher(n)]
    if not include_private:
        found = [n for n in found if not n.rsplit(".", 1)[-1].startswith("_")]
    return sorted(set(found))


def _attribute(obj: Any, attr: str) -> Any:
    """``obj.attr``, except that a getter the user wrote is returned, not run."""
    found = inspect.getattr_static(obj, attr, _MISSING)
    if found is _MISSING:
        if _has_dynamic_attributes(obj):
            return getattr(obj, attr)
        raise AttributeError(attr)
    if _runs_user_code(found) or _custom_getattribute(obj):
        return found
    return getattr(obj, attr)  # binds methods and reads C-level slots: no user code runs


def _runs_user_code(descriptor: Any) -> bool:
    """Whether reading an attribute stored as ``descriptor`` would call Python code."""
    if isinstance(descriptor, property):
        return True
    if isinstance(descriptor, (classmethod, staticmethod)):
        return not isinstance(descriptor.__func__, (types.FunctionType, types.BuiltinFunctionType))
    return isinstance(inspect.getattr_static(type(descriptor), "__get__", None), types.FunctionType)


def _custom_getattribute(obj: Any) -> bool:
    return isinstance(inspect.getattr_static(type(obj), "__getattribute__", None), types.FunctionType)


def _has_dynamic_attributes(obj: Any) -> bool:
    if isinstance(obj, types.ModuleType):
        return "__getattr__" in vars(obj)
    return inspect.getattr_static(type(obj), "__getattr__", None) is not None


def _is_simple_callable(obj: Any) -> bool:
    return isinstance(obj, (types.FunctionType, types.MethodType, types.BuiltinFunctionType,
                            types.BuiltinMethodType, types.MethodWrapperType))


def _signature(obj: Any) -> str | None:
    if not callable(obj):
        return None
    try:
        return str(inspect.signature(obj))
    except Exception:  # no signature (TypeError, ValueError), or a __signature__ that fails
        pass
    if inspect.isclass(obj):  # a built-in base: IPython falls back to __init__'s signature
        try:
            return str(inspect.signature(obj.__init__))
        except Exception:
            return None
    return None


def _docstring(obj: Any) -> str | None:
    try:
        return inspect.getdoc(obj)
    except Exception:  # a __doc__ property that fails
        return None


def _init_docstring(cls: type) -> str | None:
    init = inspect.getattr_static(cls, "__init__", None)
    if init is None or init is object.__init__:
        return None
    return _docstring(init)


def _subclasses(cls: type) -> str:
    try:
        subclasses: list[type] = type.__subclasses__(cls)  # unbound: works for `type` and metaclasses too
        names = [sub.__name__ for sub in subclasses]
    except TypeError:
        return ""
    return ", ".join(names) if len(names) < 10 else ", ".join(names[:10]) + ", ..."


def _class_source(cls: type, cells: Sequence[str], session_module: str) -> tuple[str, str] | None:
    from shell.engine.inspection.class_source import find_class_source

    methods_in_cells = cls.__module__ == session_module
    return find_class_source(cls, cells if methods_in_cells else ())


def _source(obj: Any, name: str) -> str | None:
    if isinstance(obj, property):  # as IPython: each accessor's source under a "# name.fget" line
        parts = []
        for accessor in ("fget", "fset", "fdel"):
            func = getattr(obj, accessor)
            if func is not None:
                text = _source(func, name)
                parts.append(f"# {name}.{accessor}\n" + (textwrap.dedent(text) if text else repr(func)))
        return "\n".join(parts) or None
    try:
        return inspect.getsource(obj).rstrip("\n")
    except (TypeError, OSError, IndentationError):
        return None


def _source_contains_docstring(source: str, doc: str | None) -> bool:
    """Whether the source shown already holds the docstring (IPython then leaves the docstring out)."""
    try:
        (node,) = ast.parse(textwrap.dedent(source)).body
        return ast.get_docstring(node) == doc  # type: ignore[arg-type]
    except (SyntaxError, ValueError, TypeError):
        return False


def _file(obj: Any) -> str | None:
    try:
        filename = inspect.getsourcefile(obj) or inspect.getfile(obj)
    except (TypeError, OSError):  # OSError: a class whose module (the session's __main__) has no file
        return None
    return _shown_path(filename) if filename else None


def _shown_path(filename: str) -> str:
    home = os.path.expanduser("~")
    return "~" + filename[len(home):] if filename.startswith(home + os.sep) else filename
