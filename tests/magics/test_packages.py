"""%pip runs this interpreter's pip, streaming its output through the shell."""

from __future__ import annotations

import sys

from magics.builtin.packages import RESTART_NOTE, pip_command


def test_pip_version_is_this_interpreters_pip(shell, output):
    import pip

    result = shell.run_cell("%pip --version")
    assert result.success
    line = output.stdout.strip().splitlines()[0]
    assert line.startswith(f"pip {pip.__version__} from ")
    assert f"(python {sys.version_info.major}.{sys.version_info.minor})" in line
    assert RESTART_NOTE not in output.stdout
    assert shell.user_ns["_exit_code"] == 0


def test_pip_command_quotes_the_interpreter():
    assert pip_command("list", "/opt/my python/bin/python3") == "'/opt/my python/bin/python3' -m pip list"


def test_pip_expands_variables(shell, output):
    shell.run_cell("what = '--version'")
    shell.run_cell("%pip $what")
    assert output.stdout.startswith("pip ")


def test_pip_install_prints_the_restart_note(shell, output):
    shell.run_cell("%pip install --no-index --no-deps this-package-does-not-exist-hocus")
    assert RESTART_NOTE in output.stdout
    assert shell.user_ns["_exit_code"] != 0
    assert shell.run_cell("x = 1").success


def test_pip_without_arguments_is_a_usage_error(shell, output):
    assert not shell.run_cell("%pip").success
    assert output.stderr == "UsageError: %pip: give pip's arguments, e.g. %pip install requests or %pip list\n"
