"""The layers of DESIGN.md, checked by reading the imports and by watching a fresh process.

- the engine imports no front end (prompt_toolkit, zmq, shell.terminal, shell.kernel);
- the magics package imports nothing from ``shell``;
- the two front ends never import each other;
- heavy libraries are imported inside functions, never at module level;
- a fresh process running ``%timeit`` loads neither prompt_toolkit nor zmq.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HEAVY = {"jedi", "matplotlib", "sqlalchemy", "pandas", "numpy", "zmq", "prompt_toolkit", "IPython"}


def imports_of(path: Path, *, module_level_only: bool = False) -> set[str]:
    tree = ast.parse(path.read_text(), str(path))
    nodes = tree.body if module_level_only else list(ast.walk(tree))
    names: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, (ast.If, ast.Try)) and module_level_only:
            pass  # conditional imports at module level are still module level; checked below
    if module_level_only:
        for node in tree.body:
            if isinstance(node, (ast.If, ast.Try)):
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Import):
                        names.update(a.name for a in inner.names)
                    elif isinstance(inner, ast.ImportFrom) and inner.module and inner.level == 0:
                        if not _type_checking_block(node):
                            names.add(inner.module)
    return names


def _type_checking_block(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def top(name: str) -> str:
    return name.split(".")[0]


@pytest.mark.parametrize("path", files("shell/engine"), ids=lambda p: p.name)
def test_engine_imports_no_front_end(path):
    bad = {n for n in imports_of(path) if top(n) in {"prompt_toolkit", "zmq"}
           or n.startswith(("shell.terminal", "shell.kernel"))}
    assert not bad, f"{path.name} imports {bad}"


@pytest.mark.parametrize("path", files("magics"), ids=lambda p: str(p.relative_to(ROOT)))
def test_magics_import_nothing_from_shell(path):
    bad = {n for n in imports_of(path) if top(n) == "shell"}
    assert not bad, f"{path.relative_to(ROOT)} imports {bad}: use the ShellSurface instead"


def test_front_ends_do_not_import_each_other():
    for path in files("shell/terminal"):
        assert not {n for n in imports_of(path) if n.startswith("shell.kernel")}, path
    for path in files("shell/kernel") if (ROOT / "shell/kernel").exists() else []:
        assert not {n for n in imports_of(path) if n.startswith("shell.terminal")}, path


@pytest.mark.parametrize("path", files("shell/session"), ids=lambda p: p.name)
def test_the_session_bootstrap_imports_no_front_end(path):
    """Both front ends start through shell.session, so it may import neither of them."""
    bad = {n for n in imports_of(path) if top(n) in {"prompt_toolkit", "zmq"}
           or n.startswith(("shell.terminal", "shell.kernel"))}
    assert not bad, f"{path.name} imports {bad}"


@pytest.mark.parametrize("path", files("shell") + files("magics"), ids=lambda p: str(p.relative_to(ROOT)))
def test_heavy_libraries_are_imported_on_first_use(path):
    heavy = {n for n in imports_of(path, module_level_only=True) if top(n) in HEAVY}
    allowed = set()
    rel = path.relative_to(ROOT).as_posix()
    if rel.startswith("shell/terminal/") and not rel.endswith(("simple.py", "__init__.py")):
        allowed.add("prompt_toolkit")
    if rel.startswith("shell/kernel/"):
        allowed.add("zmq")
    if rel.startswith("shell/bridge/") and not rel.endswith(("hook.py", "__init__.py")):
        allowed.add("IPython")  # imported only once IPython is (shell/bridge/hook.py)
    assert not {n for n in heavy if top(n) not in allowed}, f"{rel} imports {heavy} at module level"


def _loaded_modules(code: str) -> set[str]:
    script = code + "\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    return {top(name) for name in json.loads(proc.stdout.strip().splitlines()[-1])}


def test_timeit_in_a_fresh_process_loads_no_front_end():
    loaded = _loaded_modules("from shell import Shell\nsh = Shell()\n"
                             "r = sh.run_cell('%timeit -n 1 -r 1 sum(range(10))')\nassert r.success, r")
    assert "prompt_toolkit" not in loaded
    assert "zmq" not in loaded


def test_start_up_imports_nothing_heavy():
    loaded = _loaded_modules("from shell import Shell\nsh = Shell()\nsh.run_cell('x = 1')")
    assert not loaded & HEAVY, loaded & HEAVY
    assert "asyncio" not in loaded, "asyncio is only needed for cells that await"


# What only a later path needs, with that path: each is imported on its first use, so that
# start-up and a first cell that needs none of them do not pay for it.
LATER_PATHS = {
    "shell.engine.transforms.completeness": "a prompt asking whether the input is complete",
    "shell.engine.tracebacks.formatter": "the first traceback",
    "shell.engine.tracebacks.context": "the first traceback",
    "shell.engine.tracebacks.repeats": "the first traceback",
    "shell.engine.display.pretty": "the first result shown",
    "shell.engine.history.ranges": "the first history read by range",
    "shell.engine.completion.completer": "the first completion",
    "shell.engine.debugging.debugger": "the first debugger",
    "pdb": "the first debugger",
    "debugpy": "a kernel's first debug request",
    "shell.engine.processes.system": "the first shell command",
    "shell.engine.transforms.expansion": "the first magic or shell command that expands $name",
    "subprocess": "the first shell command",
    "magics.surface": "the first magic that asks for the surface's types",
    "magics.arguments": "the first magic that parses arguments",
    "magics.base": "the first Magics class",
    "hashlib": "nothing: cell names are hashed with CPython's own SHA-1",
    "asyncio": "the first cell that awaits",
}


@pytest.mark.parametrize("front_end", ["hocus -c", "Shell().run_cell"])
def test_a_first_cell_loads_nothing_only_a_later_path_needs(front_end, tmp_path):
    cell = "import sys, json; print(json.dumps(sorted(sys.modules)))"
    command = (["-m", "shell", "-c", cell] if front_end == "hocus -c" else
               ["-c", f"from shell import Shell\nassert Shell().run_cell({cell!r}).success"])
    proc = subprocess.run([sys.executable, *command], capture_output=True, text=True, timeout=120, cwd=ROOT,
                          env={**os.environ, "HOCUS_DIR": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr
    loaded = set(json.loads(proc.stdout.strip().splitlines()[-1])) & set(LATER_PATHS)
    assert not loaded, {name: f"only {LATER_PATHS[name]} needs it" for name in sorted(loaded)}


@pytest.mark.parametrize("package", ["magics", "shell.display", "shell.engine"])
def test_packages_that_export_lazily_still_give_every_name(package):
    """These load their exports on first use (so start-up imports only what it needs): each listed name resolves."""
    script = (f"import {package} as package\n"
              "missing = [n for n in package.__all__ if n not in dir(package) or getattr(package, n) is None]\n"
              "assert not missing, missing\n"
              f"from {package} import *")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("path", [p for p in files("shell") + files("magics") if "bridge" not in p.parts],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_only_the_bridge_imports_ipython(path):
    assert "IPython" not in {top(n) for n in imports_of(path)}, f"{path.relative_to(ROOT)} imports IPython"


def test_the_bridge_attaches_only_when_ipython_is_imported():
    loaded = _loaded_modules("from shell import Shell\nsh = Shell()\nassert sh.run_cell('x = 1').success\n"
                             "assert sh.run_cell('get_ipython').success")
    assert "IPython" not in loaded
    loaded = _loaded_modules("from shell import Shell\nsh = Shell()\n"
                             "assert sh.run_cell('import IPython; ip = IPython.get_ipython()').success\n"
                             "assert sh.user_ns['ip'].user_ns is sh.user_ns")
    assert "IPython" in loaded


def _documented_modules(package: Path) -> tuple[set[str], str]:
    doc = ast.get_docstring(ast.parse((package / "__init__.py").read_text())) or ""
    modules = {m.stem for m in package.glob("*.py") if m.stem != "__init__"}
    return modules, doc


@pytest.mark.parametrize("package", [ROOT / "shell/engine"] + sorted(
    p for p in (ROOT / "shell/engine").iterdir() if (p / "__init__.py").exists()), ids=lambda p: p.name)
def test_the_engine_folder_shows_its_parts(package):
    """Each engine package's docstring names every module in it, so the layout reads from its __init__.

    The engine's root holds the Shell, its seams and its mixins; each part of the
    engine (transforms, completion, inspection, display, tracebacks, history,
    processes) is a subpackage of its own.
    """
    modules, doc = _documented_modules(package)
    assert modules, package
    missing = sorted(m for m in modules if f":mod:`.{m}`" not in doc)
    assert not missing, f"{package.relative_to(ROOT)}/__init__.py does not name {missing}"
    if package.name == "engine":
        subpackages = {p.name for p in package.iterdir() if (p / "__init__.py").exists()}
        assert {"transforms", "completion", "inspection", "display", "tracebacks", "history",
                "processes"} <= subpackages
        assert not {m for m in modules if m.startswith(("history_", "traceback_", "terminal"))}


def test_terminal_only_pieces_live_in_the_terminal():
    """Drawing pictures with a terminal's graphics protocol is the terminal's business, not the engine's."""
    engine_sources = "\n".join(p.read_text() for p in files("shell/engine"))
    assert "TerminalImages" not in engine_sources.replace("shell.terminal.images.TerminalImages", "")
    assert (ROOT / "shell/terminal/images.py").exists()
