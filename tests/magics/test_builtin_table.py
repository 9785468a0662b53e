"""The lazy table of built-in magics and the modules stay in step; every magic has help."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

import pytest

import magics.builtin
from magics import Magics, MagicRegistry
from magics.builtin import BUILTIN_MAGICS
from magics.decorators import magic_spec

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the surface-only fake shell lives beside this file
from surface_fake import FakeShell  # noqa: E402


def builtin_classes():
    for info in pkgutil.walk_packages(magics.builtin.__path__, prefix="magics.builtin."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Magics) and value.__module__ == module.__name__:
                yield value


def declared(cls):
    for klass in cls.__mro__:
        for value in vars(klass).values():
            spec = magic_spec(value)
            if spec:
                for kind in spec.kinds:
                    yield kind, spec.name, value


@pytest.mark.parametrize("kind,name,target", BUILTIN_MAGICS, ids=[f"{k}:{n}" for k, n, _ in BUILTIN_MAGICS])
def test_every_table_row_resolves(kind, name, target, tmp_path):
    registry = MagicRegistry(shell=FakeShell(tmp_path))  # each magic's class is made with a shell
    registry.register_lazy(kind, name, target)
    magic = registry.find(kind, name)
    assert magic.name == name and magic.kind == kind
    assert magic.doc.strip(), f"%{name} has no help text"


def test_every_builtin_magic_is_in_the_table():
    table = {(kind, name): target for kind, name, target in BUILTIN_MAGICS}
    missing = []
    for cls in builtin_classes():
        for kind, name, _ in declared(cls):
            target = f"{cls.__module__}:{cls.__qualname__}"
            if table.get((kind, name)) != target:
                missing.append((kind, name, target))
    assert not missing, f"add these rows to magics/builtin/__init__.py: {missing}"


def test_table_has_no_duplicates():
    keys = [(kind, name) for kind, name, _ in BUILTIN_MAGICS]
    assert len(keys) == len(set(keys))


def test_registering_the_table_imports_no_magic_module():
    import subprocess
    import sys

    code = ("import sys\nfrom shell import Shell\nShell()\n"
            "print(sorted(m for m in sys.modules if m.startswith('magics.builtin.')))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
