"""Keys inside brackets: ``d["al`` → ``alpha"]``, ``d[1`` → ``10]``, ``d[`` → ``'alpha']``, ``df["co`` → a column.

Reading a mapping's keys can run code (a ``keys()`` method is a call), so
by default keys are read only from objects whose key listing is Python's
own: ``dict`` and its subclasses that do not override ``keys``/``__iter__``,
``os.environ``, a numpy structured array's field names, and a pandas
DataFrame's columns — the last two only when the user has imported numpy
or pandas already; hocus never imports them. ``Completer.evaluation =
"unsafe"`` calls ``keys()`` on any object that has it.

An object may also list its keys itself, as h5py files, xarray datasets
and zarr groups do for IPython: a ``_ipython_key_completions_`` method
defined on its class. That method exists to be called by completers, so it
is the one piece of the user's code that completion runs, and only that: it
is found without ``__getattr__``, and it runs in a thread given what is left
of the time budget (an overrun is abandoned, see :mod:`.budget`).

A completion closes what it opened: when nothing follows the cursor, the
string's quote and the ``]`` are added.
"""

from __future__ import annotations

import itertools
import os
import sys
from typing import Any

from shell.engine.completion.budget import BudgetedCall
from shell.engine.completion.evaluation import InstanceOf, is_instance_of
from shell.engine.completion.model import Candidate

__all__ = ["key_candidates", "keys_of"]

MAX_KEYS = 20_000  # a dict with millions of keys: look at the first ones only


def keys_of(obj: Any, *, unsafe: bool = False, wait: float = 0.05) -> list[Any] | None:
    """The keys of ``obj`` when they can be read without running user code; None if not.

    ``wait``: how long (seconds) the object's own ``_ipython_key_completions_`` may take.
    """
    if isinstance(obj, InstanceOf):
        return None
    hook = _key_completions_hook(obj)
    if hook is not None:
        return _hook_keys(hook, wait)
    pandas = sys.modules.get("pandas")
    if pandas is not None and is_instance_of(obj, pandas.DataFrame):
        try:
            return list(itertools.islice(pandas.DataFrame.columns.__get__(obj, type(obj)), MAX_KEYS))
        except Exception:
            return None
    numpy = sys.modules.get("numpy")
    if numpy is not None and is_instance_of(obj, numpy.ndarray):
        names = obj.dtype.names
        return list(names) if names else None
    if is_instance_of(obj, dict) and _dict_listing(type(obj)):
        return list(itertools.islice(dict.keys(obj), MAX_KEYS))
    if obj is os.environ or unsafe:
        try:
            return list(itertools.islice(obj.keys(), MAX_KEYS))
        except Exception:
            return None
    return None


def _key_completions_hook(obj: Any) -> Any:
    """``obj._ipython_key_completions_`` bound, when its class defines it as a plain function."""
    import inspect
    import types

    try:
        found = inspect.getattr_static(type(obj), "_ipython_key_completions_")
    except AttributeError:
        return None
    if not isinstance(found, types.FunctionType):
        return None
    return types.MethodType(found, obj)


def _hook_keys(hook: Any, wait: float) -> list[Any] | None:
    outcome = BudgetedCall(lambda: list(itertools.islice(hook(), MAX_KEYS)), name="hocus-key-completions") \
        .wait(wait)
    if not outcome.finished or outcome.error is not None:
        return None
    return outcome.value


def _dict_listing(cls: type) -> bool:
    """A dict subclass lists its keys as dict does unless it overrides how."""
    import collections

    for klass in cls.__mro__:
        if klass in (dict, collections.OrderedDict, collections.defaultdict, collections.Counter):
            return True
        if "keys" in vars(klass) or "__iter__" in vars(klass):
            return False
    return True


def key_candidates(keys: list[Any], typed: str, start: int, cursor: int, *, quote: str | None,
                   bytes_literal: bool = False, closed: str = "") -> list[Candidate]:
    """Candidates for the keys that start with ``typed``.

    ``quote``: the quote the user opened (``"`` or ``'``), or None when the
    cursor is right after ``[`` or in a number (then string keys come with
    their own quotes, ``'alpha'``). ``closed``: the text right
    after the cursor, so a quote or bracket already there is not doubled.
    """
    found = []
    for key in keys:
        text = _key_text(key, quote, bytes_literal)
        if text is None or not text.startswith(typed):
            continue
        if quote is not None and not closed.startswith(quote):
            text += quote
        if not closed.lstrip((quote or "") + " \t").startswith("]"):
            text += "]"
        found.append(Candidate(text, start, cursor, "dict key", prefix=typed, source="keys"))
    return found


def _key_text(key: Any, quote: str | None, bytes_literal: bool) -> str | None:
    if quote is None:  # ``d[``: the key as a literal, written as IPython writes it (its repr)
        return repr(key) if type(key) in (int, str, bytes) else None
    if type(key) is (bytes if bytes_literal else str):
        return _body(repr(key), quote[0])
    return None


def _body(literal: str, quote: str) -> str:
    """The inside of ``repr()``'s literal, escaped for ``quote`` rather than the quote repr chose."""
    literal = literal.lstrip("b")
    used, body = literal[0], literal[1:-1]
    if used != quote:
        body = body.replace("\\" + used, used).replace(quote, "\\" + quote)
    return body
