"""Which modules changed on disk, and reloading them so that old objects run the new code.

Usage::

    reloader = ModuleReloader()            # notes the source mtime of every module loaded now
    reloader.remember_new_modules()        # after each cell: the modules it imported
    for outcome in reloader.reload_changed(check_all=True):
        outcome.error                      # None, or why the module could not be reloaded

A module counts as changed when its source file's modification time differs
from the one noted when it was imported (or last reloaded), or, while that
mtime is recent, when its text differs (see :data:`RACY_SECONDS`). Reloading empties
the module's namespace first, so a name deleted from the source is gone, runs
the module again with :func:`importlib.reload`, then moves the new code into
the old functions and classes (:mod:`.patching`) and puts those back into the
module. A module whose source fails (a syntax error while editing) keeps its
old namespace, and is not tried again until its file changes once more.

hocus never reloads its own modules (``shell``, ``magics``): a reload of the
code that is running the reload would leave it half old, half new.
"""

from __future__ import annotations

import gc
import importlib
import os
import sys
import time
from dataclasses import dataclass, field
from importlib.util import source_from_cache
from types import ModuleType
from typing import Any, Iterable

from magics.builtin.autoreload.patching import patch

#: Module attributes that say what the module is; they must survive emptying it for reload.
MODULE_IDENTITY = ("__name__", "__spec__", "__loader__", "__file__", "__cached__", "__package__",
                   "__path__", "__builtins__")

#: Packages of hocus itself, never reloaded.
OWN_PACKAGES = ("shell", "magics")

#: Modules that are not imported from a file of their own.
NOT_RELOADABLE = frozenset({"__main__", "__mp_main__"})

#: A file's mtime moves in the kernel's clock ticks (milliseconds), so two saves within one tick
#: (cells of a "Run All" writing a module twice) look alike. A source noted this soon after its
#: mtime also has its text kept, and compared while the mtime stays the same (git's "racy" files).
RACY_SECONDS = 2.0


@dataclass
class Outcome:
    """What reloading one module did.

    ``added``: names the module gained; ``replaced``: pairs ``(old, new)`` of
    objects defined in the module that could not take the new code in place
    (their holders must be pointed at the new object); ``previous``: the
    namespace before the reload; ``error``: the exception that stopped it.
    """

    name: str
    path: str
    module: ModuleType
    error: BaseException | None = None
    added: dict[str, Any] = field(default_factory=dict)
    replaced: list[tuple[Any, Any]] = field(default_factory=list)
    previous: dict[str, Any] = field(default_factory=dict)


class ModuleReloader:
    """Source mtimes of loaded modules, and the modules marked for or against reloading."""

    def __init__(self) -> None:
        self.mtimes: dict[str, float] = {}  # noted before a reload is tried: a failed one is not retried
        self.explicit: dict[str, None] = {}  # %aimport mod (an ordered set)
        self.skipped: dict[str, None] = {}  # %aimport -mod
        self._racy: dict[str, bytes | None] = {}  # module -> its source text, while its mtime is recent
        self._paths: dict[str, tuple[ModuleType, str | None]] = {}  # module -> its source file, worked out once
        self._seen: set[str] = set()
        self.remember_new_modules()

    # -- marking -----------------------------------------------------------------------
    def mark_explicit(self, name: str) -> None:
        self.skipped.pop(name, None)
        self.explicit[name] = None

    def mark_skipped(self, name: str) -> None:
        self.explicit.pop(name, None)
        self.skipped[name] = None

    # -- watching ------------------------------------------------------------------------
    def remember_new_modules(self) -> None:
        """Note the source mtime of modules imported since the last call.

        Called after every cell, so an edit made after ``import mod`` and
        before the next cell is seen as a change.
        """
        loaded = set(sys.modules)
        for name in self._seen - loaded:
            self._paths.pop(name, None)
        for name in loaded - self._seen:
            module = sys.modules.get(name)
            path = self._path_of(name, module) if module is not None else None
            mtime = _mtime(path)
            if path is not None and mtime is not None and name not in self.mtimes:
                self._note(name, path, mtime)
        self._seen = loaded

    def changed(self, check_all: bool) -> list[tuple[str, ModuleType, str, float]]:
        """``(name, module, source path, mtime)`` of every watched module whose source changed.

        ``check_all``: every loaded module except skipped ones; otherwise only
        the ``%aimport`` ones. The new mtimes are noted as seen.
        """
        names: Iterable[str] = list(sys.modules) if check_all else list(self.explicit)
        found = []
        for name in names:
            module = sys.modules.get(name)
            if module is None or name in self.skipped:
                continue
            path = self._path_of(name, module)
            mtime = _mtime(path)
            if path is None or mtime is None:
                continue
            if self._is_changed(name, path, mtime):
                self._note(name, path, mtime)
                found.append((name, module, path, mtime))
        return found

    def _path_of(self, name: str, module: ModuleType) -> str | None:
        """The module's source file (None when it cannot be reloaded), cached: this runs before every cell."""
        cached = self._paths.get(name)
        if cached is None or cached[0] is not module:
            cached = self._paths[name] = (module, None if _is_own(name) else _source_path(module))
        return cached[1]

    def _note(self, name: str, path: str, mtime: float) -> None:
        self.mtimes[name] = mtime
        if time.time() - mtime < RACY_SECONDS:
            self._racy[name] = _read(path)
        else:
            self._racy.pop(name, None)

    def _is_changed(self, name: str, path: str, mtime: float) -> bool:
        known = self.mtimes.get(name)
        if known is None:  # loaded since the last look: from now on it is watched
            self._note(name, path, mtime)
            return False
        if mtime != known:
            return True
        if name not in self._racy:
            return False
        if _read(path) != self._racy[name]:
            return True
        if time.time() - mtime >= RACY_SECONDS:
            del self._racy[name]  # any later save gets a later mtime
        return False

    def reload_changed(self, check_all: bool) -> list[Outcome]:
        """Reload every changed module (see :meth:`changed`); errors are returned, never raised."""
        outcomes = []
        for name, module, path, _ in self.changed(check_all):
            try:
                outcome = reload_module(module)
            except (Exception, SystemExit) as err:
                outcome = Outcome(name, path, module, error=err)
            outcome.path = path
            outcomes.append(outcome)
        return outcomes


def reload_module(module: ModuleType) -> Outcome:
    """Run ``module`` again from its source and patch its old functions and classes.

    On failure the module gets its old namespace back and the error is raised.
    """
    name = module.__name__
    previous = dict(module.__dict__)
    _drop_bytecode(module)
    module.__dict__.clear()
    module.__dict__.update({key: previous[key] for key in MODULE_IDENTITY if key in previous})
    try:
        reloaded = importlib.reload(module)
    except BaseException:
        module.__dict__.clear()
        module.__dict__.update(previous)
        sys.modules[name] = module
        raise
    namespace = reloaded.__dict__
    outcome = Outcome(name, "", reloaded, previous=previous)
    outcome.added = {key: value for key, value in namespace.items() if key not in previous}
    _patch_namespace(name, namespace, previous, outcome)
    return outcome


def _patch_namespace(name: str, namespace: dict[str, Any], previous: dict[str, Any], outcome: Outcome) -> None:
    """Move new code into the old objects the module defined, and put those back in the module."""
    pairs = [(key, old, namespace[key]) for key, old in previous.items()
             if key in namespace and old is not namespace[key]
             and _defined_in(old, name) and _defined_in(namespace[key], name)]
    # Bases before subclasses, so a subclass is rebased only onto classes that took the new code.
    pairs.sort(key=lambda pair: len(pair[2].__mro__) if isinstance(pair[2], type) else 0)
    old_of = {id(new): old for _, old, new in pairs if isinstance(new, type)}

    def counterpart(obj: Any) -> Any:
        return old_of.get(id(obj), obj)

    adopted: dict[type, type] = {}
    for key, old, new in pairs:
        if patch(old, new, counterpart):
            namespace[key] = old
            if isinstance(new, type):
                adopted[new] = old
        else:
            old_of.pop(id(new), None)
            outcome.replaced.append((old, new))
    for value in outcome.added.values():  # a new subclass of a reloaded class
        if isinstance(value, type) and _defined_in(value, name):
            bases = tuple(counterpart(base) for base in value.__bases__)
            if bases != value.__bases__:
                try:
                    value.__bases__ = bases
                except TypeError:
                    pass
    _move_instances(adopted)


def _move_instances(adopted: dict[type, type]) -> None:
    """Instances the reload made of a new class (``DEFAULT = C()`` in the module) join the old class."""
    if not adopted:
        return
    for obj in gc.get_referrers(*adopted):
        old = adopted.get(type(obj))
        if old is not None:
            try:
                obj.__class__ = old
            except TypeError:
                pass


def _defined_in(obj: Any, module_name: str) -> bool:
    try:
        return getattr(obj, "__module__", None) == module_name
    except Exception:  # noqa: BLE001 - proxies may raise anything from __getattr__
        return False


def _is_own(name: str) -> bool:
    return name.partition(".")[0] in OWN_PACKAGES


def _source_path(module: ModuleType) -> str | None:
    """The module's Python source file; None for built-in, compiled or namespace modules."""
    if getattr(module, "__name__", None) in NOT_RELOADABLE:
        return None
    filename = getattr(module, "__file__", None)
    if not isinstance(filename, str):
        return None
    if filename.endswith(".py"):
        return filename
    try:
        return source_from_cache(filename)
    except ValueError:
        return None  # an extension module (.so) or a zip


def _mtime(path: str | None) -> float | None:
    if path is None:
        return None
    try:
        return os.stat(path).st_mtime
    except OSError:
        return None


def _read(path: str) -> bytes | None:
    try:
        with open(path, "rb") as file:
            return file.read()
    except OSError:
        return None


def _drop_bytecode(module: ModuleType) -> None:
    """Remove the module's cached bytecode before reloading it.

    Python trusts a ``.pyc`` whose recorded source mtime (in whole seconds)
    and size match: an edit saved within the same second that keeps the
    file's size (``return 1`` -> ``return 2``) would otherwise reload the
    old code.
    """
    cached = getattr(module, "__cached__", None)
    if isinstance(cached, str) and cached.endswith(".pyc"):
        try:
            os.remove(cached)
        except OSError:
            pass
