"""The session bootstrap in-process: settings win over constructor defaults, extensions, the library opt-in."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from traitlets.config import Config

from shell import Shell
from shell.session import SessionBootstrap, split_config_flags, start_session


def test_colors_from_config_win_over_the_constructor_default():
    assert Shell(config=Config({"Shell": {"colors": "Linux"}})).colors == "Linux"
    assert Shell().colors == "NoColor"
    assert Shell(colors="LightBG", config=Config({"Shell": {"colors": "Linux"}})).colors == "LightBG"


def test_plain_text_formatter_settings_from_config_are_used(output):
    capture = output
    shell = Shell(output=capture, config=Config({"PlainTextFormatter": {"pprint": False, "width": 40}}))
    assert shell.display_formatter.plain.pprint is False
    assert shell.display_formatter.plain.width == 40
    shell.run_cell("list(range(40))")
    assert capture.stdout == f"Out[1]: {list(range(40))!r}\n"


def test_command_line_settings_win_over_the_file_and_the_front_end_defaults(hocus_dir):
    hocus_dir.mkdir()
    (hocus_dir / "config.py").write_text("c.Shell.xmode = 'Verbose'\nc.Shell.colors = 'Linux'\n"
                                         "c.PlainTextFormatter.pprint = False\n")
    rest, flags = split_config_flags(["--InteractiveShell.xmode=Minimal", "--PlainTextFormatter.pprint=True", "-i"])
    boot = SessionBootstrap(overrides=flags, defaults=Config({"Shell": {"colors": "Neutral"}}))
    shell = boot.build_shell()
    assert rest == ["-i"]
    assert (shell.xmode, shell.colors, shell.display_formatter.plain.pprint) == ("Minimal", "Linux", True)


def test_extensions_load_before_the_startup_files_and_a_bad_one_costs_one_line(hocus_dir, tmp_path, monkeypatch):
    modules = tmp_path / "modules"
    modules.mkdir()
    (modules / "bootstrap_ext.py").write_text(
        "def load_hocus_extension(shell):\n    shell.user_ns['order'] = ['extension']\n")
    monkeypatch.syspath_prepend(str(modules))
    (hocus_dir / "startup").mkdir(parents=True)
    (hocus_dir / "startup" / "a.py").write_text("order.append('startup')\n")
    (hocus_dir / "config.py").write_text("c.ShellApp.extensions = ['no_such_extension_here', 'bootstrap_ext']\n")
    errors = []

    class Output:
        def write(self, text):
            pass

        def write_err(self, text):
            errors.append(text)

    shell = start_session(output=Output(), main_module=False, exit_flush=False)
    assert shell.user_ns["order"] == ["extension", "startup"]
    assert errors == ["hocus: extension 'no_such_extension_here' could not be loaded: "
                      "ExtensionNotFound: No module named 'no_such_extension_here'\n"]
    assert shell.run_cell("1 + 1").success  # the session goes on


def test_ipython_extensions_setting_on_the_command_line_names_one_extension(hocus_dir):
    _, flags = split_config_flags(["--InteractiveShellApp.extensions=autoreload"])
    boot = SessionBootstrap(overrides=flags)
    shell = boot.build_shell()
    boot.start(shell, main_module=False, exit_flush=False)
    assert shell.configurables()["ShellApp"].extensions == ["autoreload"]


def test_start_session_is_the_documented_opt_in_for_library_users(hocus_dir):
    hocus_dir.mkdir()
    (hocus_dir / "config.py").write_text("c.Shell.xmode = 'Plain'\n")
    (hocus_dir / "startup").mkdir()
    (hocus_dir / "startup" / "names.py").write_text("greeting = 'hello'\n")
    code = ("import signal, sys\nfrom shell.session import start_session\n"
            "sh = start_session()\n"
            "print(sh.xmode, sh.user_ns['greeting'], sys.modules['__main__'] is sh.user_module,"
            " signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "HOCUS_DIR": str(hocus_dir)})
    assert (proc.stdout, proc.stderr) == ("Plain hello True True\n", "")


def test_a_bad_value_in_config_or_on_the_command_line_costs_one_line_and_the_session_goes_on(hocus_dir):
    hocus_dir.mkdir()
    (hocus_dir / "config.py").write_text("c.Completer.budget_ms = 'soon'\nc.Shell.xmode = 'Plain'\n")
    proc = subprocess.run([sys.executable, "-m", "shell", "--Shell.colors=Purple", "-c", "1/0"],
                          capture_output=True, text=True, timeout=120, env={**os.environ, "HOCUS_DIR": str(hocus_dir)})
    lines = proc.stderr.splitlines()
    assert lines[:2] == [
        "hocus: Shell.colors = 'Purple' ignored: The 'colors' trait of a Shell instance expected any of "
        "['NoColor', 'Neutral', 'Linux', 'LightBG'] (case-insensitive), not the str 'Purple'.",
        "hocus: Completer.budget_ms = 'soon' ignored: The 'budget_ms' trait of a Completer instance expected "
        "a float, not the str 'soon'."]
    assert lines[2:] == ["Traceback (most recent call last):", "  Cell In[1], line 1", "    1/0",
                         "ZeroDivisionError: division by zero"]  # xmode Plain from the file still applies


def test_a_setting_without_a_value_on_the_command_line_is_a_usage_error(hocus_dir):
    proc = subprocess.run([sys.executable, "-m", "shell", "--Shell.xmode"], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "HOCUS_DIR": str(hocus_dir)}, stdin=subprocess.DEVNULL)
    assert proc.returncode == 2
    assert proc.stderr.splitlines()[-1] == "hocus: error: --Shell.xmode needs a value: --Shell.xmode=VALUE"


def test_a_bad_terminal_setting_costs_one_line_in_the_full_prompt(hocus_dir):
    import io

    import pexpect

    hocus_dir.mkdir()
    env = {**os.environ, "HOCUS_DIR": str(hocus_dir), "TERM": "xterm", "NO_COLOR": "1", "PROMPT_TOOLKIT_NO_CPR": "1"}
    child = pexpect.spawn(sys.executable, ["-m", "shell", "--no-banner", "--TerminalShell.editing_mode=bogus"],
                          env=env, encoding="utf-8", timeout=60, dimensions=(40, 200))
    child.logfile_read = shown = io.StringIO()
    warning = ("hocus: TerminalShell.editing_mode = 'bogus' ignored: The 'editing_mode' trait of a TerminalShell "
               "instance expected any of ['emacs', 'vi'] (case-insensitive), not the str 'bogus'.")
    try:
        child.expect_exact("In [1]: ")
        child.expect_exact(warning)  # written as prompt_toolkit's TerminalShell is made, while the first prompt waits
        child.send("1 + 1\r")
        child.expect_exact("Out[1]: 2")
        child.expect_exact("In [2]: ")
        child.send("exit\r")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert "Traceback" not in shown.getvalue()
    assert shown.getvalue().count("hocus: ") == 1
