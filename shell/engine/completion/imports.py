"""Import statements: ``import nu`` → numpy, ``from os import pa`` → path, ``from . import``.

Usage::

    index = ModuleIndex()
    module_candidates(index, "nu", start=7, cursor=9, wait=0.1)

Listing every installed module means walking every folder on ``sys.path``
— tens to hundreds of milliseconds, far too slow for a keystroke. The
:class:`ModuleIndex` does that walk once, in a background thread, the first
time an import is completed, and again only when ``sys.path`` or one of its
folders changes (a ``%pip install`` adds a folder to site-packages, which
changes its modification time). Until the first walk is done, modules
already imported and the interpreter's built-in ones are offered.

Nothing is imported to complete an import: ``from pkg import`` lists a
package's attributes only when the user has imported it already, and
otherwise its submodules, found on disk.
"""

from __future__ import annotations

import re
import os
import pkgutil
import sys
import threading
from pathlib import Path
from types import ModuleType
from typing import Any, Iterable, Mapping

from shell.engine.completion.model import Candidate
from shell.engine.completion.runtime import classify, prefix_matcher, safe_dir

__all__ = ["ModuleIndex", "from_import_candidates", "module_candidates"]


class ModuleIndex:
    """The names of the top-level modules that ``import`` can find, scanned in the background."""

    def __init__(self) -> None:
        self._names: frozenset[str] = frozenset()
        self._key: tuple | None = None
        self._scan: threading.Thread | None = None
        self._lock = threading.Lock()

    def names(self, wait: float = 0.0) -> set[str]:
        """Top-level module names; waits up to ``wait`` seconds for a scan that is under way."""
        key = _path_key()
        with self._lock:
            if key != self._key and (self._scan is None or not self._scan.is_alive()):
                self._key = key
                self._scan = threading.Thread(target=self._rescan, name="hocus-module-index", daemon=True)
                self._scan.start()
            scan = self._scan
        if scan is not None and wait > 0 and not self._names:
            scan.join(wait)
        loaded = {name.partition(".")[0] for name in list(sys.modules)}
        return set(self._names) | loaded | set(sys.builtin_module_names)

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for the scan under way (for tests and benchmarks); True when none is left running."""
        scan = self._scan
        if scan is not None:
            scan.join(timeout)
        return scan is None or not scan.is_alive()

    def _rescan(self) -> None:
        names = set()
        try:
            for info in pkgutil.iter_modules():
                names.add(info.name)
        except Exception:  # a broken path entry: keep what was found
            pass
        self._names = frozenset(name for name in names if name.isidentifier())


def _path_key() -> tuple[tuple[str, int | None], ...]:
    """sys.path with each folder's modification time: a change means modules came or went."""
    key: list[tuple[str, int | None]] = []
    for entry in list(sys.path):
        try:
            key.append((entry, os.stat(entry or ".").st_mtime_ns))
        except (OSError, TypeError, ValueError):
            key.append((entry, None))
    return tuple(key)


def module_candidates(index: ModuleIndex, dotted: str, start: int, cursor: int, *, wait: float = 0.0,
                      package_dirs: Iterable[str] | None = None) -> list[Candidate]:
    """``import nu`` / ``import os.pa`` / ``from xml.d``: modules whose name starts with ``dotted``."""
    parent, _, prefix = dotted.rpartition(".")
    first = cursor - len(prefix)
    if package_dirs is not None:
        names = _modules_in(package_dirs)
    elif parent:
        names = submodule_names(parent)
    else:
        names = index.names(wait)
    match = prefix_matcher(prefix)
    return [Candidate(name, first, cursor, "module", prefix=prefix, source="modules")
            for name in names if match(name)]


def submodule_names(package: str) -> set[str]:
    """Submodules of ``package`` found without importing anything the user has not imported."""
    names = {name[len(package) + 1:].partition(".")[0] for name in list(sys.modules)
             if name.startswith(package + ".")}
    module = sys.modules.get(package)
    if module is not None:
        paths = getattr(module, "__path__", None)
    elif "." not in package:
        import importlib.util

        try:
            spec = importlib.util.find_spec(package)
        except (ImportError, ValueError):
            spec = None
        paths = spec.submodule_search_locations if spec else None
    else:
        paths = None
    if paths:
        names |= _modules_in(list(paths))
    return names


def _modules_in(folders: Iterable[str]) -> set[str]:
    try:
        return {info.name for info in pkgutil.iter_modules(list(folders)) if info.name.isidentifier()}
    except Exception:
        return set()


def relative_package_dirs(level: int, dotted: str, namespace: Mapping[str, Any]) -> list[str]:
    """The folders ``from <level dots><dotted> import`` refers to.

    Inside a package (the namespace's ``__package__`` names an imported
    one, as under ``embed()`` in a package module) they are that package's
    folders; in a plain session, the current folder stands for the package.
    """
    package = namespace.get("__package__") or ""
    module = sys.modules.get(package) if package else None
    paths = list(getattr(module, "__path__", None) or []) if module is not None else [os.getcwd()]
    folders = [Path(path) for path in paths]
    for _ in range(level - 1):
        folders = [folder.parent for folder in folders]
    for part in filter(None, dotted.split(".")):
        folders = [folder / part for folder in folders]
    return [str(folder) for folder in folders if folder.is_dir()]


def from_import_candidates(module_name: str, prefix: str, start: int, cursor: int, *,
                           package_dirs: list[str] | None = None) -> tuple[list[Candidate], bool]:
    """``from os import pa``: the module's attributes (when imported) and its submodules.

    The boolean says whether the module was found imported; when it was
    not, jedi may know its names from the source, statically.
    """
    found: dict[str, Candidate] = {}
    match = prefix_matcher(prefix)
    module = sys.modules.get(module_name) if package_dirs is None else None
    if isinstance(module, ModuleType):
        for name in safe_dir(module):
            if match(name) and name.isidentifier():
                value = vars(module).get(name)
                found[name] = Candidate(name, start, cursor, classify(value), prefix=prefix,
                                        obj=value, source="from import")
    submodules = _modules_in(package_dirs) if package_dirs is not None else submodule_names(module_name)
    for name in submodules:
        if match(name) and name not in found:
            found[name] = Candidate(name, start, cursor, "module", prefix=prefix, source="from import")
    return list(found.values()), module is not None or package_dirs is not None


_IMPORT_STMT = re.compile(r"^[ \t]*import[ \t]+(.+)$", re.M)
_FROM_STMT = re.compile(r"^[ \t]*from[ \t]+([\w.]+)[ \t]+import[ \t]+\(?([^)\n]+)", re.M)
_ALIAS = re.compile(r"([\w.]+)(?:\s+as\s+(\w+))?")


def names_imported_before(text: str) -> dict[str, Any]:
    """Names bound by ``import`` statements in ``text`` whose modules are already loaded.

    ``import os; os.pa`` typed in one cell must complete before the cell has
    run. Only modules already in ``sys.modules`` are used: looking them up
    runs nothing, while importing would run the module's code.
    """
    found: dict[str, Any] = {}
    for statement in re.split(r"[;\n]", text):
        if m := _IMPORT_STMT.match(statement):
            for alias in _ALIAS.finditer(m.group(1)):
                dotted, as_name = alias.group(1), alias.group(2)
                target = dotted if as_name else dotted.split(".")[0]
                module = sys.modules.get(target)
                if module is not None:
                    found[as_name or target] = module
        elif m := _FROM_STMT.match(statement):
            module = sys.modules.get(m.group(1))
            if module is None:
                continue
            for alias in _ALIAS.finditer(m.group(2)):
                value = vars(module).get(alias.group(1), _NOT_FOUND)
                if value is _NOT_FOUND:
                    value = sys.modules.get(f"{m.group(1)}.{alias.group(1)}", _NOT_FOUND)
                if value is not _NOT_FOUND:
                    found[alias.group(2) or alias.group(1)] = value
    return found


_NOT_FOUND = object()
