"""A third-party package, really installed with pip, adds %hello through the ``hocus.magics`` entry point.

The package is ``tests/magics/fixtures/hocus_hello_magics``. It is installed
once per test session into a temporary ``--target`` folder that is put on
``sys.path`` (and ``PYTHONPATH`` for child processes). pip builds it with
the setuptools already installed (``--no-build-isolation``); where that
setuptools cannot build wheels (before 70.1 it needs the separate ``wheel``
package), the test builds the wheel itself from the same files and pip
installs that: the installation, with its metadata and entry points, is
real either way.
"""

from __future__ import annotations

import base64
import hashlib
import importlib
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

FIXTURE = Path(__file__).parent / "fixtures" / "hocus_hello_magics"


def _pip_install(source: str | Path, target: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-input", "--disable-pip-version-check",
                           "--target", str(target), *extra, str(source)], capture_output=True, text=True, timeout=300)


def _build_wheel(project: Path, out: Path) -> Path:
    """A PEP 427 wheel of the fixture's single module, with the metadata from its pyproject.toml."""
    meta = tomllib.loads((project / "pyproject.toml").read_text())["project"]
    name, version = meta["name"], meta["version"]
    stem = f"{name.replace('-', '_')}-{version}"
    dist_info = f"{stem}.dist-info"
    groups = meta.get("entry-points", {})
    files = {
        "hocus_hello_magics.py": (project / "hocus_hello_magics.py").read_bytes(),
        f"{dist_info}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n".encode(),
        f"{dist_info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: hocus-tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        f"{dist_info}/entry_points.txt": "".join(
            f"[{group}]\n" + "".join(f"{k} = {v}\n" for k, v in eps.items()) + "\n"
            for group, eps in groups.items()).encode(),
    }
    record = []
    for path, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{path},sha256={digest},{len(data)}")
    record.append(f"{dist_info}/RECORD,,")
    files[f"{dist_info}/RECORD"] = ("\n".join(record) + "\n").encode()
    wheel = out / f"{stem}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for path, data in files.items():
            archive.writestr(path, data)
    return wheel


@pytest.fixture(scope="session")
def hello_package(tmp_path_factory):
    """Install hocus-hello-magics into a fresh folder; yield that folder, importable."""
    work = tmp_path_factory.mktemp("hello-pkg")
    source = work / "src"
    shutil.copytree(FIXTURE, source, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    target = work / "site"
    proc = _pip_install(source, target, "--no-build-isolation")
    if proc.returncode != 0:
        shutil.rmtree(target, ignore_errors=True)
        proc = _pip_install(_build_wheel(source, work), target)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert list(target.glob("hocus_hello_magics-*.dist-info/entry_points.txt"))

    sys.path.insert(0, str(target))
    importlib.invalidate_caches()
    saved_pythonpath = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(target), saved_pythonpath]))
    try:
        yield target
    finally:
        sys.path.remove(str(target))
        sys.modules.pop("hocus_hello_magics", None)
        importlib.invalidate_caches()
        if saved_pythonpath is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = saved_pythonpath


def test_installed_package_declares_the_entry_point(hello_package):
    from importlib.metadata import entry_points

    (ep,) = [ep for ep in entry_points(group="hocus.magics") if ep.name == "hello"]
    assert ep.value == "hocus_hello_magics:HelloMagics"


def test_fresh_shell_finds_hello_without_registration(hello_package, output):
    from shell import Shell

    shell = Shell(output=output)
    result = shell.run_cell("%hello world")
    assert result.success, output.stderr
    assert output.stdout == "Hello, world!\nOut[1]: 1\n"


def test_cell_magic_from_the_entry_point(hello_package, output):
    from shell import Shell

    shell = Shell(output=output)
    shell.run_cell("%%hello Ada\nGrace\nBarbara\n")
    assert output.stdout.startswith("Hello, Ada!\nHello, Grace!\nHello, Barbara!\n")


def test_entry_point_magics_are_listed_and_have_help(hello_package, output):
    from shell import Shell

    shell = Shell(output=output)
    assert "hello" in shell.magics.names("line") and "hello" in shell.magics.names("cell")
    shell.run_cell("%hello?")
    assert "Greet the words on the line" in output.stdout
    assert "hocus_hello_magics.py" in output.stdout


def test_shell_without_entry_points_does_not_see_it(hello_package, output):
    from shell import Shell

    shell = Shell(output=output, entry_points=False)
    assert not shell.run_cell("%hello").success
    assert output.stderr == "UsageError: Line magic function `%hello` not found.\n"


def test_load_ext_uses_load_ipython_extension(hello_package, output):
    from shell import Shell

    shell = Shell(output=output, entry_points=False)
    shell.run_cell("%load_ext hocus_hello_magics")
    assert shell.user_ns["hello_loaded"] is True
    shell.run_cell("%hello there")
    assert "Hello, there!" in output.stdout
    shell.run_cell("%unload_ext hocus_hello_magics")
    assert "hello_loaded" not in shell.user_ns


def test_hocus_command_runs_the_entry_point_magic(hello_package, tmp_path):
    env = dict(os.environ, HOCUS_DIR=str(tmp_path / "home"), NO_COLOR="1")
    hocus = shutil.which("hocus")
    command = [hocus] if hocus else [sys.executable, "-m", "shell"]
    proc = subprocess.run([*command, "-c", "%hello world"], capture_output=True, text=True,
                          timeout=60, env=env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Hello, world!" in proc.stdout
