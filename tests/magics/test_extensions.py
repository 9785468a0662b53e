"""%load_ext, %unload_ext and %reload_ext with extension modules written into a temporary folder."""

from __future__ import annotations

import sys
import textwrap

import pytest

HOCUS_EXT = '''
from magics import line_magic

LOADS = []

@line_magic
def shout(line):
    """Shout the line."""
    return line.upper() + "{suffix}"

def load_hocus_extension(shell):
    LOADS.append(shell)
    shell.register_magic_function(shout)
    shell.user_ns["ext_version"] = {version}

def unload_hocus_extension(shell):
    shell.magics.unregister("line", "shout")
    shell.user_ns.pop("ext_version", None)
'''

IPYTHON_ONLY = '''
def load_ipython_extension(ipython):
    ipython.user_ns["from_ipython_ext"] = True
'''

BOTH = '''
def load_hocus_extension(shell):
    shell.user_ns["which"] = "hocus"

def load_ipython_extension(shell):
    shell.user_ns["which"] = "ipython"
'''


@pytest.fixture
def ext_dir(tmp_path, monkeypatch):
    """A folder on sys.path; write(name, source) puts an extension module there."""
    monkeypatch.syspath_prepend(str(tmp_path))
    written = []

    def write(name: str, source: str, *, forget: bool = True) -> None:
        (tmp_path / f"{name}.py").write_text(textwrap.dedent(source))
        if forget:
            sys.modules.pop(name, None)
        written.append(name)

    yield write
    for name in written:
        sys.modules.pop(name, None)


def test_load_ext_calls_load_hocus_extension(shell, output, ext_dir):
    ext_dir("hx_basic", HOCUS_EXT.format(suffix="!", version=1))
    assert shell.run_cell("%load_ext hx_basic").success
    assert shell.user_ns["ext_version"] == 1
    assert shell.run_line_magic("shout", "hi") == "HI!"
    assert sys.modules["hx_basic"].LOADS == [shell]


def test_loading_twice_says_already_loaded(shell, output, ext_dir):
    ext_dir("hx_twice", HOCUS_EXT.format(suffix="", version=1))
    shell.run_cell("%load_ext hx_twice")
    shell.run_cell("%load_ext hx_twice")
    assert output.stdout == "The hx_twice extension is already loaded. To reload it, use:\n  %reload_ext hx_twice\n"
    assert len(sys.modules["hx_twice"].LOADS) == 1


def test_ipython_extension_loads(shell, ext_dir):
    ext_dir("hx_ipython", IPYTHON_ONLY)
    shell.run_cell("%load_ext hx_ipython")
    assert shell.user_ns["from_ipython_ext"] is True


def test_hocus_hook_wins_over_ipython_hook(shell, ext_dir):
    ext_dir("hx_both", BOTH)
    shell.run_cell("%load_ext hx_both")
    assert shell.user_ns["which"] == "hocus"


def test_unload_ext(shell, output, ext_dir):
    ext_dir("hx_unload", HOCUS_EXT.format(suffix="", version=1))
    shell.run_cell("%load_ext hx_unload")
    shell.run_cell("%unload_ext hx_unload")
    assert "ext_version" not in shell.user_ns and not shell.magics.has("line", "shout")
    shell.run_cell("%unload_ext hx_unload")
    assert output.stdout == "The hx_unload extension is not loaded.\n"
    shell.run_cell("%load_ext hx_unload")  # can be loaded again after unloading
    assert shell.user_ns["ext_version"] == 1


def test_unload_without_unload_hook(shell, output, ext_dir):
    ext_dir("hx_noun", IPYTHON_ONLY)
    shell.run_cell("%load_ext hx_noun")
    shell.run_cell("%unload_ext hx_noun")
    assert output.stdout == "The hx_noun extension doesn't define how to unload it.\n"


def test_reload_ext_picks_up_changes(shell, ext_dir):
    ext_dir("hx_reload", HOCUS_EXT.format(suffix="!", version=1))
    shell.run_cell("%load_ext hx_reload")
    old_module = sys.modules["hx_reload"]
    # a different size too, so a .pyc written in the same second is not taken for current
    ext_dir("hx_reload", HOCUS_EXT.format(suffix="??", version=20), forget=False)
    shell.run_cell("%reload_ext hx_reload")
    assert shell.user_ns["ext_version"] == 20
    assert shell.run_line_magic("shout", "hi") == "HI??"
    assert sys.modules["hx_reload"] is old_module  # reloaded in place, as importlib.reload does
    assert len(old_module.LOADS) == 1  # the reloaded module starts a new list: loaded once more


def test_reload_ext_of_an_unloaded_extension_loads_it(shell, ext_dir):
    ext_dir("hx_fresh", HOCUS_EXT.format(suffix="", version=7))
    shell.run_cell("%reload_ext hx_fresh")
    assert shell.user_ns["ext_version"] == 7


def test_unknown_extension_fails_the_cell_in_one_line_and_the_shell_goes_on(shell, output):
    assert not shell.run_cell("%load_ext no_such_extension_hocus").success
    assert output.stderr == "ModuleNotFoundError: No module named 'no_such_extension_hocus'\n"
    assert shell.run_cell("x = 1").success and shell.user_ns["x"] == 1


def test_module_without_load_function_is_a_usage_error(shell, output, ext_dir):
    ext_dir("hx_plain", "VALUE = 1\n")
    assert not shell.run_cell("%load_ext hx_plain").success
    assert output.stderr == ("UsageError: The hx_plain module is not an extension: it has no "
                             "load_hocus_extension(shell) or load_ipython_extension(shell) function.\n")


def test_error_inside_the_extension_shows_its_traceback(shell, output, ext_dir):
    ext_dir("hx_broken", "def load_hocus_extension(shell):\n    raise RuntimeError('boom in extension')\n")
    assert not shell.run_cell("%load_ext hx_broken").success
    assert "RuntimeError: boom in extension" in output.stderr and "hx_broken.py" in output.stderr
    output.clear()
    shell.run_cell("%load_ext hx_broken")  # not recorded as loaded
    assert "already loaded" not in output.stdout


def test_usage_without_a_module_name(shell, output):
    assert not shell.run_cell("%load_ext").success
    assert output.stderr == "UsageError: %load_ext: give one module name, e.g. %load_ext my_extension\n"


def test_each_shell_keeps_its_own_loaded_set(output, ext_dir):
    from shell import Shell

    ext_dir("hx_two", HOCUS_EXT.format(suffix="", version=1))
    one, two = Shell(output=output), Shell(output=output)
    one.run_cell("%load_ext hx_two")
    two.run_cell("%load_ext hx_two")
    assert "already loaded" not in output.stdout
    assert sys.modules["hx_two"].LOADS == [one, two]


def test_load_ext_sql_is_built_in_and_keeps_hocus_sql(shell, output):
    assert shell.run_cell("%load_ext sql").success and output.stderr == ""
    assert shell.run_cell("%sql SELECT 40 + 2 AS answer").success
    assert "42" in output.stdout
