"""docs/configuration.md: its generated reference is in step with the settings, and its examples run as shown."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def test_the_reference_is_in_step_with_the_settings():
    proc = subprocess.run([sys.executable, str(DOCS / "config_reference.py"), "--check"], capture_output=True,
                          text=True, timeout=120, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr


def test_the_reference_lists_every_configurable_class_of_hocus():
    """A new Configurable anywhere in shell/ or magics/ must join CONFIGURABLES (and so the reference)."""
    sys.path.insert(0, str(DOCS))
    try:
        from config_reference import configurables, reference
    finally:
        sys.path.remove(str(DOCS))
    defined = set()
    for path in [*(ROOT / "shell").rglob("*.py"), *(ROOT / "magics").rglob("*.py")]:
        if "bridge" in path.parts:  # IPython's own classes, seen through the bridge
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ClassDef) and any(ast.unparse(base).endswith("Configurable")
                                                       for base in node.bases):
                defined.add(node.name)
    listed = {cls.__name__ for cls in configurables()}
    assert defined == listed
    text = reference()
    for cls in configurables():
        for name, trait in cls.class_traits(config=True).items():
            assert f"| `{cls.__name__}.{name}` |" in text
            assert f"`{trait.default_value_repr()}`".replace("|", "\\|") in text


def test_the_bad_value_example_runs_as_shown(tmp_path):
    page = (DOCS / "configuration.md").read_text()
    block = re.search(r"```text\n\$ (hocus [^\n]*)\n(.*?)```", page, re.S)
    command, shown = block.group(1), block.group(2)
    args = re.findall(r'"[^"]*"|\S+', command)[1:]
    proc = subprocess.run([sys.executable, "-m", "shell", *(a.strip('"') for a in args)], capture_output=True,
                          text=True, timeout=120, env={**os.environ, "HOCUS_DIR": str(tmp_path)})
    assert proc.stderr + proc.stdout == shown
