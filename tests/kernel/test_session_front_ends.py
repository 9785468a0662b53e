"""One HOCUS_DIR, every front end: the kernel, the terminal, ``embed()`` and ``hocus -c`` see its settings.

The folder holds a config.py that sets one setting of every configurable
(IPython's name for the extensions), an extension, and two startup files
(a ``.py`` and an ``.ipy``). The second startup file defines ``probe()``,
which shows each setting through ``%config`` and the names the startup files
and the extension left. Each front end is started on that folder, runs
``probe()`` and a wide result (``pprint = False`` keeps it on one line), and
must show every setting it has, with the config's value.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pexpect
import pytest

from kernel_client import execute, stdout_of

CONFIG = """
c.Shell.xmode = "Minimal"
c.Shell.colors = "LightBG"
c.PlainTextFormatter.pprint = False
c.InlineBackend.figure_formats = {"svg"}
c.SqlMagic.displaylimit = 7
c.Completer.budget_ms = 33.0
c.HistoryStore.store_outputs = True
c.TerminalImages.protocol = "none"
c.TerminalShell.editing_mode = "vi"
c.InteractiveShellApp.extensions = ["session_probe_ext"]
"""

# What %config shows for each setting above, by configurable.
SHOWN = {
    "Shell": "Shell.xmode = 'Minimal'",
    "Shell.colors": "Shell.colors = 'LightBG'",
    "PlainTextFormatter": "PlainTextFormatter.pprint = False",
    "InlineBackend": "InlineBackend.figure_formats = {'svg'}",
    "SqlMagic": "SqlMagic.displaylimit = 7",
    "Completer": "Completer.budget_ms = 33.0",
    "HistoryStore": "HistoryStore.store_outputs = True",
    "TerminalImages": "TerminalImages.protocol = 'none'",
    "TerminalShell": "[ins] In [2]: ",  # the vi mode, shown in the prompt (the first line may run before
                                         # TerminalShell exists: the instant prompt)
    "ShellApp": "ShellApp.extensions = ['session_probe_ext']",
}
NAMES = "names: from-startup from-ipy from-extension"

PROBE = '''
def probe():
    """Each setting as %config shows it (one line each), then the startup and extension names."""
    settings = ["Shell.xmode", "Shell.colors", "PlainTextFormatter.pprint", "InlineBackend.figure_formats",
                "SqlMagic.displaylimit", "Completer.budget_ms", "HistoryStore.store_outputs",
                "TerminalImages.protocol", "ShellApp.extensions"]
    get_ipython().run_line_magic("matplotlib", "inline")  # the terminal makes its InlineBackend here
    for setting in settings:
        try:
            get_ipython().run_line_magic("config", setting)
        except Exception as err:
            print(setting, "absent:", type(err).__name__)
        print()
    print("names:", startup_name, from_ipy[0], extension_loaded)
'''


@pytest.fixture
def session_home(tmp_path):
    """A HOCUS_DIR with config.py and startup files, and a folder holding the extension module."""
    home = tmp_path / "home"
    (home / "startup").mkdir(parents=True)
    (home / "config.py").write_text(CONFIG)
    (home / "startup" / "10-names.py").write_text("startup_name = 'from-startup'\n")
    (home / "startup" / "20-ipy.ipy").write_text("from_ipy = !echo from-ipy\n" + PROBE)
    modules = tmp_path / "modules"
    modules.mkdir()
    (modules / "session_probe_ext.py").write_text(
        "def load_hocus_extension(shell):\n    shell.user_ns['extension_loaded'] = 'from-extension'\n")
    return home, modules


def front_end_env(home: Path, modules: Path) -> dict[str, str]:
    pythonpath = os.pathsep.join(filter(None, [str(modules), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "HOCUS_DIR": str(home), "PYTHONPATH": pythonpath, "NO_COLOR": "1", "TERM": "xterm",
            "PROMPT_TOOLKIT_NO_CPR": "1", "PAGER": "cat"}


def assert_sees_the_folder(output: str, configurables: set[str]) -> None:
    for name, line in SHOWN.items():
        if name.split(".")[0] in configurables:
            assert line in output, f"{line!r} not shown:\n{output}"
    assert NAMES in output, output


EVERYWHERE = {"Shell", "PlainTextFormatter", "InlineBackend", "SqlMagic", "Completer", "HistoryStore", "ShellApp"}


def run_kernel(env: dict[str, str]) -> tuple[str, str]:
    """probe() and a wide result in a kernel started by jupyter_client: what they printed, the result."""
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="hocus", startup_timeout=60, env=env)
    try:
        reply, outputs = execute(kc, "probe()")
        assert reply["status"] == "ok", reply
        reply, results = execute(kc, "list(range(40))")
        result = [m for m in results if m["msg_type"] == "execute_result"][0]["content"]["data"]["text/plain"]
        return stdout_of(outputs), result
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def prompt(number: int) -> str:
    """The prompt ``In [number]: `` as a pattern, with the colour codes c.Shell.colors puts in it."""
    return rf"In \[{ANSI}*{number}{ANSI}*\]: "


ANSI = r"(?:\x1b\[[0-9;?]*[A-Za-z])"


def run_terminal(env: dict[str, str], home: Path) -> str:
    """probe() and a wide result typed into the prompt_toolkit shell in a pty: everything it showed."""
    child = pexpect.spawn(sys.executable, ["-m", "shell", "--no-banner"], env=env, cwd=str(home),
                          encoding="utf-8", timeout=60, dimensions=(60, 200))
    try:
        child.expect(prompt(1))
        child.send("probe()\r")
        child.expect_exact(NAMES)
        shown = child.before + NAMES
        child.expect(prompt(2))
        child.send("list(range(40))\r")
        child.expect(prompt(3))
        shown += child.before
        child.send("exit\r")
        child.expect(pexpect.EOF)
        return re.sub(ANSI, "", shown)
    finally:
        child.close(force=True)


def test_the_kernel_sees_the_settings_startup_files_and_extensions(hocus_env, session_home):
    home, modules = session_home
    printed, result = run_kernel(front_end_env(home, modules))
    assert_sees_the_folder(printed, EVERYWHERE)
    assert result == repr(list(range(40)))  # one line: c.PlainTextFormatter.pprint = False


def test_hocus_dash_c_sees_the_settings_startup_files_and_extensions(session_home):
    home, modules = session_home
    proc = subprocess.run([sys.executable, "-m", "shell", "-c", "probe()\nlist(range(40))"],
                          env=front_end_env(home, modules), cwd=home, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert_sees_the_folder(proc.stdout, EVERYWHERE | {"TerminalImages"})
    assert f"Out[1]: {list(range(40))!r}\n" in proc.stdout


def test_embed_sees_the_settings_startup_files_and_extensions(session_home, tmp_path):
    home, modules = session_home
    script = tmp_path / "prog.py"
    script.write_text(textwrap.dedent("""
        from shell import embed

        def work():
            startup_name = "the caller's own"   # a startup file's name never hides the caller's
            embed()

        work()
    """))
    proc = subprocess.run([sys.executable, str(script)], input="probe()\nstartup_name\nlist(range(40))\nexit\n",
                          env=front_end_env(home, modules), cwd=home, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert_sees_the_folder(proc.stdout.replace("the caller's own", "from-startup", 1),
                           EVERYWHERE | {"TerminalImages"})
    assert "Out[2]: \"the caller's own\"" in proc.stdout
    assert f"Out[3]: {list(range(40))!r}\n" in proc.stdout


def test_the_terminal_and_a_kernel_on_one_folder_see_the_same(hocus_env, session_home):
    home, modules = session_home
    env = front_end_env(home, modules)
    shown = run_terminal(env, home)
    assert_sees_the_folder(shown, EVERYWHERE | {"TerminalImages", "TerminalShell"})
    assert f"Out[2]: {list(range(40))!r}" in shown
    printed, result = run_kernel(env)
    assert_sees_the_folder(printed, EVERYWHERE)
    assert result == repr(list(range(40)))


def test_kernel_command_line_settings_win_over_config_py(hocus_env, tmp_path):
    """``hocus kernel -f FILE --Class.name=value`` (a kernelspec's argv may carry them), IPython's names too."""
    from jupyter_client.manager import start_new_kernel

    home = tmp_path / "home"
    home.mkdir()
    (home / "config.py").write_text("c.Shell.xmode = 'Verbose'\nc.PlainTextFormatter.pprint = True\n")
    env = {**os.environ, "HOCUS_DIR": str(home)}
    km, kc = start_new_kernel(kernel_name="hocus", startup_timeout=60, env=env,
                              extra_arguments=["--PlainTextFormatter.pprint=False", "--InteractiveShell.xmode=Minimal"])
    try:
        reply, outputs = execute(kc, "%config Shell.xmode")
        assert stdout_of(outputs) == "Shell.xmode = 'Minimal'\n"
        reply, results = execute(kc, "list(range(40))")
        result = [m for m in results if m["msg_type"] == "execute_result"][0]["content"]["data"]["text/plain"]
        assert result == repr(list(range(40)))
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
