"""Moving a reloaded module's new code into its old functions and classes.

Usage::

    if patch(old_function, new_function):   # old_function now runs the new code
        ...
    if patch(OldClass, NewClass, counterpart):  # OldClass now has NewClass's methods
        ...

After ``importlib.reload`` a module holds new function and class objects,
while the user's namespace (``from mod import f``), other modules and the
instances made before the reload still hold the old ones. Rather than chase
every reference, the new code goes into the old objects: a function gets the
new ``__code__``, defaults and closure contents; a class gets the new class's
attributes, its methods patched the same way, so an instance made before the
reload runs the new methods. The reloader then puts the old, patched objects
back into the module, so ``mod.C is C`` and ``isinstance(old_instance, mod.C)``
keep holding (IPython swaps instances over to the new class instead, and
``isinstance(obj, C)`` with the ``C`` the user imported turns false). An
Enum whose members stay the same keeps them (``Color.RED is mod.Color.RED``)
and gets the new methods.

:func:`patch` returns False when an object cannot take the new code in place
— a function whose closure changed shape, a class whose metaclass or memory
layout changed, an Enum whose members changed — and the caller keeps the new
object.
"""

from __future__ import annotations

import enum
from types import FunctionType
from typing import Any, Callable

#: Function attributes that carry a definition's behaviour and documentation.
FUNCTION_ATTRS = ("__code__", "__defaults__", "__kwdefaults__", "__doc__", "__annotations__",
                  "__dict__", "__name__", "__qualname__", "__type_params__")

#: Class attributes that belong to the class object itself, never copied over.
KEEP_ON_CLASS = frozenset({"__dict__", "__weakref__", "_abc_impl"})


def _same(obj: Any) -> Any:
    return obj


def patch(old: Any, new: Any, counterpart: Callable[[Any], Any] = _same) -> bool:
    """Give ``old`` the behaviour of ``new`` in place; False when that is not possible.

    ``counterpart(obj)`` names the old object a new one replaces (the reloader's
    pairing of the module's names), so a class whose base was reloaded too keeps
    the old, patched base.
    """
    if isinstance(old, FunctionType) and isinstance(new, FunctionType):
        return patch_function(old, new)
    if isinstance(old, type) and isinstance(new, type):
        return patch_class(old, new, counterpart)
    return False


def patch_function(old: FunctionType, new: FunctionType) -> bool:
    """Run ``new``'s code in ``old``: code, defaults, docs, attributes and closure contents.

    A closure's cells cannot be swapped, only refilled, so the code must keep
    the number of free variables; decorator wrappers keep theirs and so get
    the new wrapped function in their cell.
    """
    old_cells, new_cells = old.__closure__ or (), new.__closure__ or ()
    if len(old_cells) != len(new_cells):
        return False
    for name in FUNCTION_ATTRS:
        try:
            setattr(old, name, getattr(new, name))
        except (AttributeError, TypeError, ValueError):
            pass  # __type_params__ before Python 3.12; nothing else fails for plain functions
    for old_cell, new_cell in zip(old_cells, new_cells):
        if old_cell is new_cell:
            continue
        try:
            old_cell.cell_contents = new_cell.cell_contents
        except ValueError:  # the new cell is still empty
            del old_cell.cell_contents
    return True


def patch_class(old: type, new: type, counterpart: Callable[[Any], Any] = _same) -> bool:
    """Give class ``old`` the attributes and methods of ``new``; False when the layout differs."""
    if type(old) is not type(new):
        return False  # another metaclass
    members: frozenset[str] = frozenset()
    if issubclass(old, enum.Enum) and issubclass(new, enum.Enum):  # same metaclass: both or neither
        if _members(old) != _members(new):
            return False  # Enum members cannot be reassigned, only kept
        members = frozenset(new.__members__) | {key for key in new.__dict__ if _is_sunder(key)}
    if (old.__basicsize__, old.__itemsize__) != (new.__basicsize__, new.__itemsize__):
        return False  # __slots__ changed: old instances could not hold the new attributes
    bases = tuple(counterpart(base) for base in new.__bases__)
    if bases != old.__bases__:
        try:
            old.__bases__ = bases
        except TypeError:
            return False
    adopt_methods(new, old)
    for key, value in list(new.__dict__.items()):
        if key in KEEP_ON_CLASS or key in members or _is_slot(new, value):
            continue
        current = old.__dict__.get(key)
        if current is not None and _patch_member(current, value, counterpart):
            continue
        try:
            setattr(old, key, value)
        except (AttributeError, TypeError):
            pass  # read-only class attributes (__qualname__ of a nested class and such)
    for key in [key for key in old.__dict__ if key not in new.__dict__ and key not in KEEP_ON_CLASS | members]:
        try:
            delattr(old, key)  # a method removed from the source is gone from old instances too
        except (AttributeError, TypeError):
            pass
    return True


def adopt_methods(new: type, owner: type) -> None:
    """Point the methods of ``new`` at ``owner`` for ``super()`` and ``__class__``.

    The methods of one class body share a single ``__class__`` cell; filling
    it with the old class lets the new methods call ``super()`` on instances
    of the old class.
    """
    for value in new.__dict__.values():
        for func in _functions_in(value):
            code, cells = func.__code__, func.__closure__ or ()
            if "__class__" in code.co_freevars:
                cells[code.co_freevars.index("__class__")].cell_contents = owner
                return


def _patch_member(old: Any, new: Any, counterpart: Callable[[Any], Any]) -> bool:
    """Patch one class attribute in place: a method, a static or class method, a property, a nested class."""
    if isinstance(old, (staticmethod, classmethod)) and type(old) is type(new):
        return patch(old.__func__, new.__func__, counterpart)
    if isinstance(old, property) and isinstance(new, property):
        pairs = [(getattr(old, part), getattr(new, part)) for part in ("fget", "fset", "fdel")]
        if any((o is None) != (n is None) for o, n in pairs):
            return False  # a setter or deleter appeared or went: take the new property
        return all(o is None or patch(o, n, counterpart) for o, n in pairs)
    if isinstance(old, type) and isinstance(new, type):
        return old.__qualname__ == new.__qualname__ and patch_class(old, new, counterpart)
    return patch(old, new, counterpart)


def _functions_in(value: Any) -> list[FunctionType]:
    if isinstance(value, (staticmethod, classmethod)):
        value = value.__func__
    if isinstance(value, property):
        return [f for f in (value.fget, value.fset, value.fdel) if isinstance(f, FunctionType)]
    return [value] if isinstance(value, FunctionType) else []


def _is_slot(cls: type, value: Any) -> bool:
    """A ``__slots__`` member of ``cls``: it reads memory of ``cls``'s own instances only."""
    return type(value).__name__ == "member_descriptor" and getattr(value, "__objclass__", None) is cls


def _members(cls: type[enum.Enum]) -> list[tuple[str, Any]]:
    """An Enum's members as ``(name, value)``: while they stay the same, the old members are kept."""
    return [(name, member.value) for name, member in cls.__members__.items()]


def _is_sunder(key: str) -> bool:
    """Enum's own bookkeeping (``_member_map_``, ``_value2member_map_``...): it stays with the members."""
    return len(key) > 2 and key[0] == key[-1] == "_" and key[1] != "_" and key[-2] != "_"
