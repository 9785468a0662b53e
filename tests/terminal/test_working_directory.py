"""The current directory on ``sys.path``, as in IPython: the real ``hocus`` command, run from a project folder.

``python -m shell`` puts the working directory on ``sys.path`` by itself,
so these tests start the installed ``hocus`` script, which does not: what a
user typing ``hocus`` gets. IPython inserts ``''`` (the current directory,
whatever ``%cd`` makes it) just before the first site-packages folder, after
the standard library, so a local ``random.py`` cannot break the shell.
"""

from __future__ import annotations

import os
import subprocess
import sysconfig
import textwrap
from pathlib import Path

import pexpect
import pytest

HOCUS = Path(sysconfig.get_path("scripts")) / "hocus"


@pytest.fixture
def project(tmp_path):
    """A project folder with a module, a runnable module, an extension, and a script beside its helper."""
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "mymodule.py").write_text("VALUE = 'from mymodule'\n")
    (folder / "mymain.py").write_text(textwrap.dedent("""
        import sys
        if __name__ == '__main__':
            print('mymain ran', sys.argv[1:])
    """))
    (folder / "localext.py").write_text(textwrap.dedent("""
        def load_ipython_extension(shell):
            shell.user_ns['localext_loaded'] = 'yes'
    """))
    tools = folder / "tools"
    tools.mkdir()
    (tools / "helper.py").write_text("GREETING = 'hello from helper'\n")
    (tools / "script.py").write_text("import helper\nprint(helper.GREETING)\n")
    return folder


def env_for(tmp_path) -> dict[str, str]:
    env = {**os.environ, "NO_COLOR": "1", "HOCUS_DIR": str(tmp_path / "home")}
    env.pop("PYTHONPATH", None)
    return env


def run_hocus(*args, cwd, env):
    return subprocess.run([str(HOCUS), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60)


def test_the_hocus_command_is_installed():
    assert HOCUS.exists(), f"the hocus console script is not at {HOCUS}"


def test_dash_c_imports_a_module_from_the_current_directory(project, tmp_path):
    code = ("import sys, mymodule\n"
            "print(mymodule.VALUE)\n"
            "site = min(i for i, p in enumerate(sys.path) if os.path.basename(p) in ('site-packages', 'dist-packages'))\n"
            "print('before site-packages:', sys.path.index('') < site)")
    proc = run_hocus("-c", "import os\n" + code, cwd=project, env=env_for(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "from mymodule\nbefore site-packages: True\n"  # IPython's '' placement


def test_dash_m_runs_a_module_from_the_current_directory(project, tmp_path):
    proc = run_hocus("-m", "mymain", "x", cwd=project, env=env_for(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "mymain ran ['x']\n"


def test_a_script_imports_its_sibling_from_another_directory(project, tmp_path):
    proc = run_hocus("tools/script.py", cwd=project, env=env_for(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "hello from helper\n"


def test_safe_path_keeps_the_current_directory_off(project, tmp_path):
    # PYTHONSAFEPATH (python -P) means: no current directory on sys.path; IPython 9 respects it too.
    proc = run_hocus("-c", "import sys; print('' in sys.path)", cwd=project,
                     env={**env_for(tmp_path), "PYTHONSAFEPATH": "1"})
    assert proc.stdout == "False\n", proc.stderr


def test_the_interactive_shell_finds_modules_scripts_and_extensions_in_the_current_directory(project, tmp_path):
    env = {**env_for(tmp_path), "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1"}
    child = pexpect.spawn(str(HOCUS), ["--no-banner"], env=env, cwd=str(project), encoding="utf-8",
                          timeout=30, dimensions=(40, 120))
    try:
        child.expect_exact("In [1]: ")
        child.send("import mymodule; mymodule.VALUE\r")
        child.expect_exact("Out[1]: 'from mymodule'")
        child.expect_exact("In [2]: ")
        child.send("%run -m mymain y\r")
        child.expect_exact("mymain ran ['y']")
        child.expect_exact("In [3]: ")
        child.send("%run tools/script.py\r")  # the script's folder goes first while it runs, as python does
        child.expect_exact("hello from helper")
        child.expect_exact("In [4]: ")
        child.send("%load_ext localext\r")
        child.expect_exact("In [5]: ")
        child.send("localext_loaded\r")
        child.expect_exact("Out[5]: 'yes'")
        child.expect_exact("In [6]: ")
        child.send("exit\r")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
