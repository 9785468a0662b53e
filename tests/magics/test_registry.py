"""The magics registry: decorators, Magics classes, lazy entries, aliases, and unknown names."""

from __future__ import annotations

import sys

import pytest

from magics import (MagicNotFound, MagicRegistry, Magics, UsageError, cell_magic, line_cell_magic, line_magic)
from magics.errors import MagicLoadError


@line_magic
def shout(line):
    return line.upper()


@cell_magic("reverse")
def reverse_cell(line, cell):
    return cell[::-1]


class Counter(Magics):
    def __init__(self, shell):
        super().__init__(shell)
        self.count = 0

    @line_cell_magic("count")
    def count_magic(self, line, cell=None):
        self.count += 1 if cell is None else len(cell.splitlines())
        return self.count

    @line_magic
    def whoami(self, line):
        return self.shell


def test_two_registries_share_nothing():
    one, two = MagicRegistry("shell one"), MagicRegistry("shell two")
    one.register_function(shout)
    assert one.find("line", "shout").func("hi") == "HI"
    with pytest.raises(MagicNotFound):
        two.find("line", "shout")


def test_decorators_record_name_and_kind():
    registry = MagicRegistry()
    registry.register_function(reverse_cell)
    assert registry.names("cell") == ["reverse"] and registry.names("line") == []
    assert registry.find("cell", "reverse").func("", "abc") == "cba"


def test_register_function_with_explicit_kind_and_name():
    registry = MagicRegistry()
    registry.register_function(lambda line, cell=None: (line, cell), "line_cell", "both")
    assert registry.find("line", "both").func("x") == ("x", None)
    assert registry.find("cell", "both").func("x", "body") == ("x", "body")
    with pytest.raises(ValueError):
        registry.register_function(shout, "block")


def test_magics_class_shares_state_and_gets_the_shell():
    registry = MagicRegistry(shell="the shell")
    registry.register_magics(Counter)
    count_line = registry.find("line", "count").func
    count_cell = registry.find("cell", "count").func
    assert count_line("") == 1
    assert count_cell("", "a\nb\n") == 3
    assert registry.find("line", "whoami").func("") == "the shell"


def test_lazy_entries_import_on_first_use(tmp_path, monkeypatch):
    (tmp_path / "lazy_magic_mod.py").write_text(
        "from magics import Magics, line_magic\n"
        "class Lazy(Magics):\n    @line_magic\n    def lazy(self, line):\n        return 'loaded ' + line\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    registry = MagicRegistry(shell="the shell")
    registry.register_lazy("line", "lazy", "lazy_magic_mod:Lazy")
    assert registry.has("line", "lazy")
    assert "lazy_magic_mod" not in sys.modules
    assert registry.find("line", "lazy").func("now") == "loaded now"
    assert "lazy_magic_mod" in sys.modules


def test_a_magics_class_needs_a_registry_with_a_shell():
    registry = MagicRegistry()
    with pytest.raises(MagicLoadError, match="Counter needs a shell"):
        registry.register_magics(Counter)


def test_broken_lazy_entry_is_a_usage_error():
    registry = MagicRegistry()
    registry.register_lazy("line", "ghost", "no_such_module_here:Ghost")
    with pytest.raises(MagicLoadError, match="could not load magic 'ghost'"):
        registry.find("line", "ghost")


def test_alias_passes_params():
    registry = MagicRegistry()
    registry.register_function(shout)
    registry.alias("line", "yell", "shout", params="hey")
    assert registry.find("line", "yell").func("you") == "HEY YOU"


def test_unknown_magic_message():
    registry = MagicRegistry()
    with pytest.raises(UsageError, match=r"Line magic function `%nope` not found."):
        registry.find("line", "nope")
    with pytest.raises(UsageError, match=r"Cell magic function `%%nope` not found."):
        registry.find("cell", "nope")


def test_finders_run_once_on_a_miss():
    calls = []

    def finder(registry):
        calls.append(1)
        registry.register_function(shout)

    registry = MagicRegistry()
    registry.add_finder(finder)
    assert registry.find("line", "shout").func("a") == "A"
    with pytest.raises(MagicNotFound):
        registry.find("line", "other")
    assert calls == [1]


def test_shell_registration_api(shell, output):
    shell.register_magic_function(lambda line: f"<{line}>", "line", "angle")
    shell.register_magics(Counter)
    assert shell.run_line_magic("angle", "x") == "<x>"
    result = shell.run_cell("%angle hello")
    assert result.result == "<hello>"
    assert "Out[1]: '<hello>'" in output.stdout
    shell.run_cell("%%count\na\nb")
    assert shell.run_cell_magic("count", "", "one") == 3


def test_unknown_magic_in_a_cell_is_one_line(shell, output):
    result = shell.run_cell("%nosuch arg")
    assert not result.success
    assert output.stderr == "UsageError: Line magic function `%nosuch` not found.\n"
    output.clear()
    shell.run_cell("%%nosuch\nbody")
    assert output.stderr == "UsageError: Cell magic function `%%nosuch` not found.\n"
    assert shell.run_cell("1").success


def test_exception_inside_a_magic_is_reported(shell, output):
    def explode(line):
        raise RuntimeError("magic broke")

    shell.register_magic_function(explode)
    result = shell.run_cell("%explode")
    assert isinstance(result.error_in_exec, RuntimeError)
    assert "RuntimeError: magic broke" in output.stderr
    assert shell.run_cell("2").result == 2


def test_automagic(shell, output):
    shell.register_magic_function(lambda line: f"ran {line}", "line", "hello")
    assert shell.run_cell("hello world").result == "ran world"
    shell.run_cell("hello = 5")
    assert shell.run_cell("hello").result == 5
    shell.automagic = False
    shell.run_cell("del hello")
    assert not shell.run_cell("hello world").success


def test_magic_line_gets_variable_expansion_unless_it_opts_out(shell):
    from magics import no_var_expand

    @no_var_expand
    def raw(line):
        return line

    shell.register_magic_function(raw)
    shell.register_magic_function(lambda line: line, "line", "echo")
    shell.run_cell("name = 'world'")
    assert shell.run_cell("%echo hello $name {1+1}").result == "hello world 2"  # as IPython: every magic
    assert shell.run_cell("%raw hello $name {1+1}").result == "hello $name {1+1}"


def test_magic_inside_a_function_sees_locals(shell):
    from magics import expand_vars

    @expand_vars
    def echo(line):
        return line

    shell.register_magic_function(echo)
    shell.run_cell("def f(who):\n    said = %echo hi $who\n    return said\n")
    assert shell.run_cell("f('there')").result == "hi there"


def test_alias_of_a_magic_that_needs_local_scope(shell):
    shell.run_cell('%alias_magic -l -p "-n 1 -r 1 -q -o" once timeit')
    result = shell.run_cell("res = %once sum(range(10))")
    assert result.success
    assert shell.user_ns["res"].loops == 1


def test_tracebacks_quote_the_cell_as_typed(shell, output):
    shell.run_cell("x = 1\n%time 1/0")
    assert "----> 2 %time 1/0" in output.stderr
    assert "__hocus__" not in output.stderr
