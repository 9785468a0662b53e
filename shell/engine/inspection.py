"""What ``obj?`` and ``obj??`` show: type, signature, docstring, file, source.

``find_object(name, namespaces)`` resolves a dotted name without calling
anything but attribute access; ``describe(obj, name, detail)`` returns the
fields; ``format_description(fields)`` the text a front end prints (the
kernel's inspect_request sends the same text). ``search(pattern, ns)`` is
``%psearch``: wildcard matching of names like ``os.*path*``.
"""

from __future__ import annotations

import fnmatch
import inspect
import os
import types
from typing import Any, Iterable, Mapping

_MISSING = object()


def find_object(name: str, namespaces: Iterable[Mapping[str, Any]]) -> Any:
    """Return the object called ``name`` (dotted), or raise ``NameError``."""
    head, *attrs = name.strip().split(".")
    for ns in namespaces:
        if head in ns:
            value = ns[head]
            break
    else:
        import builtins

        if not hasattr(builtins, head):
            raise NameError(f"Object `{name}` not found.")
        value = getattr(builtins, head)
    for attr in attrs:
        try:
            value = getattr(value, attr)
        except Exception:
            raise NameError(f"Object `{name}` not found.") from None
    return value


def describe(obj: Any, name: str, detail: int = 0) -> dict[str, str]:
    """The fields ``obj?`` (detail 0) or ``obj??`` (detail 1) shows, in display order."""
    fields: dict[str, str] = {}
    signature = _signature(obj)
    source = _source(obj) if detail else None
    if signature:
        fields["Signature"] = f"{name.rsplit('.', 1)[-1]}{signature}"
    if not isinstance(obj, (types.FunctionType, type, types.ModuleType, types.MethodType, types.BuiltinFunctionType)):
        try:
            text = str(obj)
        except Exception as err:
            text = f"<str failed: {type(err).__name__}>"
        fields["String form"] = text if len(text) < 200 else text[:200] + "..."
        if hasattr(obj, "__len__"):
            try:
                fields["Length"] = str(len(obj))
            except Exception:
                pass
    if source:
        fields["Source"] = source
    else:
        doc = inspect.getdoc(obj)
        if doc and not (isinstance(obj, (int, float, str, bytes, list, dict, tuple, set)) and doc == inspect.getdoc(type(obj))):
            fields["Docstring"] = doc
        else:
            fields["Docstring"] = "<no docstring>"
    filename = _file(obj)
    if filename:
        fields["File"] = filename
    fields["Type"] = type(obj).__name__
    if isinstance(obj, type) and detail == 0:
        init_doc = inspect.getdoc(obj.__init__) if obj.__init__ is not object.__init__ else None
        if init_doc and init_doc != fields.get("Docstring"):
            fields["Init docstring"] = init_doc
    return fields


def format_description(fields: Mapping[str, str], color: bool = False) -> str:
    """Lay out :func:`describe`'s fields as IPython does: ``Label:     value``."""
    lines = []
    for label, value in fields.items():
        head = f"{label + ':':<15}"
        if color:
            head = f"\x1b[31m{head}\x1b[0m"
        if "\n" in value:
            lines.append(f"{head}\n{value}")
        else:
            lines.append(f"{head}{value}")
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


def _signature(obj: Any) -> str | None:
    if not callable(obj):
        return None
    try:
        return str(inspect.signature(obj))
    except (TypeError, ValueError):
        return None


def _source(obj: Any) -> str | None:
    try:
        return inspect.getsource(obj).rstrip("\n")
    except (TypeError, OSError, IndentationError):
        return None


def _file(obj: Any) -> str | None:
    try:
        filename = inspect.getsourcefile(obj) or inspect.getfile(obj)
    except TypeError:
        return None
    if filename is None:
        return None
    home = os.path.expanduser("~")
    return "~" + filename[len(home):] if filename.startswith(home + os.sep) else filename
