"""The fast source: names, attributes and keyword arguments read from live objects.

It answers in a millisecond or two because it only reads what is already
there: the namespace, builtins and keywords for a bare name; ``dir()`` of
the object a plain dotted name (or a safely resolved expression, see
:mod:`.evaluation`) refers to for an attribute; the signature of the called
object for ``print(se`` → ``sep=``. Each attribute's type comes from
:func:`inspect.getattr_static`, so listing ``obj.`` never runs a property.

Every function returns the candidates and whether it understood the
context completely; when it did not (``x.`` where ``x`` is only assigned
earlier in the same cell, ``f().`` of an unannotated function), the
completer also asks jedi, within the time budget.
"""

from __future__ import annotations

import builtins
import inspect
import keyword
import re
import types
from typing import Any, Callable, Mapping

from shell.engine.completion.evaluation import Evaluator, InstanceOf, Unresolved
from shell.engine.completion.model import Candidate

__all__ = ["attribute_candidates", "classify", "keyword_argument_candidates", "name_candidates", "safe_dir"]

_MISSING = object()
_FUNCTIONS = (types.FunctionType, types.BuiltinFunctionType, types.MethodType, types.MethodDescriptorType,
              types.ClassMethodDescriptorType, types.WrapperDescriptorType, types.MethodWrapperType,
              classmethod, staticmethod)


def prefix_matcher(prefix: str) -> Callable[[str], bool]:
    """A case-insensitive prefix test for ``prefix`` (ranking puts exact-case matches first).

    Built once per request and called for every candidate name, so the
    cheap first-character test goes before the case-folding one.
    """
    if not prefix:
        return lambda name: True
    folded, size = prefix.casefold(), len(prefix)
    first = {prefix[0], prefix[0].lower(), prefix[0].upper()}

    def match(name: str) -> bool:
        return name[:1] in first and name[:size].casefold() == folded

    return match


def matches(name: str, prefix: str) -> bool:
    """Whether ``name`` starts with ``prefix``, ignoring case."""
    return prefix_matcher(prefix)(name)


def classify(value: Any) -> str:
    """A completion type for a value found statically (never calls it or reads properties)."""
    if value is _MISSING:
        return "instance"
    if isinstance(value, property) or type(value).__name__ == "cached_property":
        return "property"
    if isinstance(value, _FUNCTIONS):
        return "function"
    if isinstance(value, type):
        return "class"
    if isinstance(value, types.ModuleType):
        return "module"
    return "instance"


def name_candidates(namespace: Mapping[str, Any], prefix: str, start: int, end: int) -> list[Candidate]:
    """Names from the namespace, builtins and keywords that start with ``prefix``."""
    found: list[Candidate] = []
    seen: set[str] = set()
    match = prefix_matcher(prefix)
    for source, space in (("namespace", namespace), ("builtins", vars(builtins))):
        for name in list(space):
            if isinstance(name, str) and name not in seen and match(name) and name.isidentifier():
                seen.add(name)
                value = space[name]
                found.append(Candidate(name, start, end, classify(value), prefix=prefix, obj=value, source=source))
    for word in keyword.kwlist:
        if word not in seen and match(word):
            found.append(Candidate(word, start, end, "keyword", prefix=prefix, source="keywords"))
    return found


def safe_dir(obj: Any) -> list[str]:
    """The attribute names of ``obj``, or of the class an :class:`InstanceOf` stands for.

    ``__dir__`` is there to list names (pandas adds column names, numpy its
    lazy submodules), so it is called — looked up on the class, as
    :func:`dir` does, and its answer kept only where it is strings. When it
    raises, or for an object without a ``__dir__`` of its own, the names
    come from the class and the instance's ``__dict__`` instead, which never
    involves ``__getattr__``.
    """
    if isinstance(obj, InstanceOf):
        return _listed(obj.cls)
    custom_dir = inspect.getattr_static(type(obj), "__dir__", None) is not object.__dir__
    if custom_dir or isinstance(obj, (type, types.ModuleType)):
        listed = _listed(obj)
        if listed:
            return listed
    names = set(_listed(type(obj)))
    try:
        own = object.__getattribute__(obj, "__dict__")
    except Exception:
        own = {}
    if type(own) is dict:
        names.update(name for name in own if isinstance(name, str))
    return sorted(names)


def _listed(obj: Any) -> list[str]:
    try:
        listed = getattr(type(obj), "__dir__")(obj)  # the class's own __dir__, as dir() calls it
        return sorted({name for name in listed if isinstance(name, str)})
    except Exception:  # a __dir__ that raises, or returns something that is not a list of names
        return []


def attribute_candidates(evaluator: Evaluator, base_source: str, prefix: str, start: int,
                         end: int) -> tuple[list[Candidate], bool]:
    """``base.prefix``: the attributes of what ``base_source`` resolves to, and whether it resolved."""
    try:
        base = evaluator.resolve(base_source)
    except Unresolved:
        return [], False
    lookup = static_lookup(base.cls if isinstance(base, InstanceOf) else base)
    found = []
    match = prefix_matcher(prefix)
    for name in safe_dir(base):
        if match(name) and name.isidentifier():
            value = lookup(name)
            kind = classify(value)
            found.append(Candidate(name, start, end, kind, prefix=prefix,
                                   obj=value if kind in ("function", "class") else None, source="attributes"))
    return found, True


def static_lookup(obj: Any) -> Callable[[str], Any]:
    """A fast ``inspect.getattr_static(obj, name, _MISSING)`` for many names of one object.

    ``getattr_static`` walks the MRO for every name (a DataFrame's is deep,
    and ``df.`` asks for hundreds); here the class dictionaries are merged
    once. As in attribute lookup, a data descriptor (a property) on the
    class wins over the instance's ``__dict__``, which wins over the rest.
    """
    merged: dict[str, Any] = {}
    try:
        if isinstance(obj, type):
            merged = {**_class_attributes(type(obj)), **_class_attributes(obj)}  # the metaclass's, then its own
            own: dict = {}
        else:
            merged = _class_attributes(type(obj))
            own = object.__getattribute__(obj, "__dict__")
            own = own if type(own) is dict else {}
    except Exception:
        own = {}

    def lookup(name: str) -> Any:
        on_class = merged.get(name, _MISSING)
        if name in own and not _is_data_descriptor(on_class):
            return own[name]
        return on_class

    return lookup


def _class_attributes(cls: type) -> dict[str, Any]:
    """What the classes of ``cls.__mro__`` define, nearer classes winning, read without any ``__getattr__``."""
    merged: dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        merged.update(type.__dict__["__dict__"].__get__(klass))
    return merged


def _is_data_descriptor(value: Any) -> bool:
    kind = type(value)
    return hasattr(kind, "__set__") or hasattr(kind, "__delete__")


def keyword_argument_candidates(evaluator: Evaluator, callee_source: str, prefix: str, start: int,
                                end: int) -> tuple[list[Candidate], bool]:
    """``f(pre`` → ``name=`` for each of ``f``'s parameters that can be passed by keyword."""
    try:
        callee = evaluator.resolve(callee_source)
    except Unresolved:
        return [], False
    parameters = parameter_names(callee)
    if parameters is None:
        return [], False
    return [Candidate(f"{name}=", start, end, "param", prefix=prefix, source="arguments")
            for name in parameters if matches(name, prefix)], True


def parameter_names(callee: Any) -> list[str] | None:
    """The names ``callee`` accepts as keywords, or None when its signature cannot be read safely."""
    if not _has_plain_signature(callee):
        return None  # a callable instance: its __call__ could be anything, leave it to jedi
    try:
        signature = inspect.signature(callee)
    except Exception:
        return _documented_keywords(callee)
    kinds = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    return [p.name for p in signature.parameters.values() if p.kind in kinds]


def _documented_keywords(callee: Any) -> list[str] | None:
    """Keywords of a built-in without a signature, from its docstring: ``min(..., *[, key=func])`` → key.

    ``min``, ``max``, ``iter`` and others document their signatures only in
    prose; IPython (through jedi's stubs) offers ``key=`` there too.
    """
    if not isinstance(callee, types.BuiltinFunctionType) or not isinstance(callee.__doc__, str):
        return None
    head = f"{callee.__name__}("
    found: list[str] = []
    for line in callee.__doc__.splitlines():
        if not line.startswith(head):
            break
        found += [name for name in re.findall(r"(\w+)=", line) if name not in found]
    return found or None


def _has_plain_signature(obj: object) -> bool:
    """A class or a function of any kind: its signature is read (a callable instance is left to jedi)."""
    return isinstance(obj, (type,) + _FUNCTIONS)


def signature_text(obj: Any) -> str:
    """``(sep=' ', end='\\n', ...)`` for functions and classes; "" when it cannot be read."""
    if not _has_plain_signature(obj):
        return ""
    try:
        return str(inspect.signature(obj))
    except Exception:
        return ""
