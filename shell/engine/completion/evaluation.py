"""Finding the object an expression names, without running the user's code.

    >>> ev = Evaluator({"os": os})
    >>> ev.resolve("os.path") is os.path
    True
    >>> ev.resolve("str(1)")          # a class called: its instance, never made
    InstanceOf(cls=<class 'str'>)

Completion has to look at live objects (``df.`` should list the
DataFrame's columns), but pressing Tab must never run code the user did not
run: a property getter that writes a file, a ``__getattr__`` that opens a
network connection, a function call. So by default (``safe``) an expression
is resolved from its AST with static lookups only:

- names come from the namespace and builtins;
- attributes are found with :func:`inspect.getattr_static`, which reads
  ``__dict__`` entries along the MRO and never calls ``__getattr__``,
  ``__getattribute__`` or a property; a descriptor is only bound when it is
  one of Python's own (functions, class and static methods, slots, C-level
  getters), and a property yields the type its getter is annotated with;
- calls are never made: calling a class gives :class:`InstanceOf` that
  class, calling an annotated function gives its return type;
- subscripts only on ``dict``, ``list``, ``tuple`` and ``str`` themselves,
  with literal keys (and ``df["col"]`` on a pandas DataFrame, a Series).

Anything else raises :class:`Unresolved`, and the completer leaves the
expression to jedi, which infers statically. ``unsafe`` mode
(``Completer.evaluation = "unsafe"``, like IPython's greedy completion)
evaluates the expression with :func:`eval` instead.
"""

from __future__ import annotations

import ast
import builtins
import inspect
import sys
import types
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping

if TYPE_CHECKING:
    import functools

__all__ = ["Evaluator", "InstanceOf", "Unresolved", "has_dynamic_attributes", "is_instance_of", "static_attribute"]

_MISSING = object()
# Descriptors implemented by Python itself: binding them runs no user code. (Builtin
# functions and method-wrappers are no descriptors: found on a class, they are the value.)
_SAFE_DESCRIPTORS = (types.FunctionType, types.MethodDescriptorType,
                     types.ClassMethodDescriptorType, types.WrapperDescriptorType,
                     types.MemberDescriptorType, types.GetSetDescriptorType, classmethod, staticmethod)
_SUBSCRIPTABLE = (dict, list, tuple, str, bytes)
_LITERAL_TYPES = {ast.List: list, ast.ListComp: list, ast.Tuple: tuple, ast.Dict: dict, ast.DictComp: dict,
                  ast.Set: set, ast.SetComp: set, ast.JoinedStr: str}


class Unresolved(Exception):
    """The expression cannot be resolved without running code (or at all)."""


@dataclass(frozen=True)
class InstanceOf:
    """An instance of ``cls`` that was never made: its type is known, not its value."""

    cls: type


def is_instance_of(obj: Any, cls: type) -> bool:
    """``isinstance`` that trusts ``type(obj)``, never a ``__class__`` an object claims."""
    return cls in type(obj).__mro__


def has_dynamic_attributes(obj: Any) -> bool:
    """Whether looking up a missing attribute of ``obj`` would run its class's code.

    True for instances whose class defines ``__getattr__`` or, in Python,
    its own ``__getattribute__`` (and for classes whose metaclass does): asking them
    anything not in a ``__dict__`` — even ``hasattr(obj, "__wrapped__")``,
    as jedi does — calls that code. Modules are not counted: a module's
    ``__getattr__`` (PEP 562) is its library's lazy-import hook.
    """
    if isinstance(obj, (types.ModuleType, InstanceOf)):
        return False
    cls = type(obj)
    try:
        if inspect.getattr_static(cls, "__getattr__", None) is not None:
            return True
        # Built-in types have their own C slot (a wrapper descriptor); only Python code is a worry.
        return not isinstance(inspect.getattr_static(cls, "__getattribute__"), types.WrapperDescriptorType)
    except Exception:
        return True


def static_attribute(obj: Any, name: str) -> Any:
    """``getattr(obj, name)`` for what can be found without running user code; else :class:`Unresolved`."""
    if isinstance(obj, InstanceOf):
        found = _getattr_static(obj.cls, name)
        if isinstance(found, types.FunctionType):
            return found  # a method of an instance we do not have: the function is what we can show
        if isinstance(found, (types.GetSetDescriptorType, types.MemberDescriptorType)):
            raise Unresolved(f"{name}: a value only the instance has")
        return _bind(found, None, obj.cls, on_instance=True)
    found = _getattr_static(obj, name)
    if isinstance(obj, type):
        return _bind(found, None, obj, on_instance=False)
    if found is not inspect.getattr_static(type(obj), name, _MISSING):
        return found  # from the instance's own __dict__: never bound
    return _bind(found, obj, type(obj), on_instance=True)


def _getattr_static(obj: Any, name: str) -> Any:
    try:
        return inspect.getattr_static(obj, name)
    except AttributeError:
        raise Unresolved(name) from None
    except Exception as err:  # a broken __dict__ or __mro__
        raise Unresolved(f"{name}: {err}") from None


def _bind(found: Any, instance: Any, owner: type, *, on_instance: bool) -> Any:
    """What the attribute lookup would give, when that runs no user code."""
    if isinstance(found, property):
        return InstanceOf(_annotated_return(found.fget)) if on_instance else found  # on its class: the property
    if isinstance(found, _cached_property()):
        return InstanceOf(_annotated_return(found.func)) if on_instance else found
    if isinstance(found, _SAFE_DESCRIPTORS):
        try:
            return found.__get__(instance, owner)
        except Exception as err:
            raise Unresolved(str(err)) from None
    if isinstance(found, type) or not hasattr(type(found), "__get__"):
        return found
    raise Unresolved(f"custom descriptor {type(found).__name__}")


def _cached_property() -> type[functools.cached_property[Any]]:
    import functools

    return functools.cached_property


def _annotated_return(func: Any) -> type:
    """The class ``func`` is annotated to return, looked up without evaluating anything."""
    try:
        annotations = func.__annotations__ if isinstance(func, types.FunctionType) else {}
    except Exception:
        annotations = {}
    result = annotations.get("return", None)
    if isinstance(result, str):
        result = _dotted_lookup(result, getattr(func, "__globals__", {}))
    if isinstance(result, type):
        return result
    raise Unresolved("no return annotation")


def _dotted_lookup(path: str, namespace: Mapping[str, Any]) -> Any:
    head, *rest = path.strip().strip("'\"").split(".")
    value = namespace.get(head, _MISSING)
    if value is _MISSING:
        value = vars(builtins).get(head, _MISSING)
    for part in rest:
        if value is _MISSING:
            break
        try:
            value = inspect.getattr_static(value, part)
        except AttributeError:
            value = _MISSING
    return None if value is _MISSING else value


class Evaluator:
    """Resolves expressions in a namespace; ``unsafe=True`` evaluates them for real."""

    def __init__(self, namespace: Mapping[str, Any], *, unsafe: bool = False):
        self.namespace = namespace
        self.unsafe = unsafe
        self.met_dynamic = False  # an object with a __getattr__ was reached: jedi must not be asked either

    def resolve(self, source: str) -> Any:
        """The object ``source`` names, or :class:`InstanceOf` its type; :class:`Unresolved` if neither."""
        try:
            tree = ast.parse(source.strip(), mode="eval")
        except (SyntaxError, ValueError, MemoryError, RecursionError):
            raise Unresolved(source) from None
        if self.unsafe:
            return self._evaluate(tree)
        try:
            return self._node(tree.body)
        except RecursionError:
            raise Unresolved(source) from None

    def _evaluate(self, tree: ast.Expression) -> Any:
        try:
            return eval(compile(tree, "<completion>", "eval"), dict(self.namespace))
        except BaseException as err:  # noqa: BLE001 - the user asked for evaluation; any failure is a miss
            if isinstance(err, KeyboardInterrupt):
                raise
            raise Unresolved(str(err)) from None

    def _node(self, node: ast.AST) -> Any:
        value = self._value(node)
        # A plain name is shown to jedi as its class when it is dynamic; one reached through an
        # attribute or a subscript would be shown to jedi as it is.
        if not self.met_dynamic and not isinstance(node, ast.Name) and has_dynamic_attributes(value):
            self.met_dynamic = True
        return value

    def _value(self, node: ast.AST) -> Any:
        if isinstance(node, ast.Name):
            return self.lookup(node.id)
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Attribute):
            return static_attribute(self._node(node.value), node.attr)
        if isinstance(node, ast.Subscript):
            return self._subscript(self._node(node.value), node.slice)
        if isinstance(node, ast.Call):
            return self._call(self._node(node.func))
        literal = _LITERAL_TYPES.get(type(node))
        if literal is not None:
            return InstanceOf(literal)
        raise Unresolved(type(node).__name__)

    def lookup(self, name: str) -> Any:
        """A plain name, from the namespace or builtins."""
        value = self.namespace.get(name, _MISSING)
        if value is _MISSING:
            value = vars(builtins).get(name, _MISSING)
        if value is _MISSING:
            raise Unresolved(name)
        return value

    def _subscript(self, base: Any, index: ast.AST) -> Any:
        key = self._node(index)
        if type(base) in _SUBSCRIPTABLE and not isinstance(key, InstanceOf):
            try:
                return base[key]
            except Exception as err:
                raise Unresolved(str(err)) from None
        pandas = sys.modules.get("pandas")
        if pandas is not None and is_instance_of(base, pandas.DataFrame) and isinstance(key, str):
            return InstanceOf(pandas.Series)
        raise Unresolved("subscript")

    @staticmethod
    def _call(callee: Any) -> InstanceOf:
        if isinstance(callee, InstanceOf):
            raise Unresolved("call of an unknown value")
        if isinstance(callee, type):
            if callee is type:
                raise Unresolved("type() of something")
            return InstanceOf(callee)
        function = getattr(callee, "__func__", callee) if isinstance(callee, types.MethodType) else callee
        return InstanceOf(_annotated_return(function))
