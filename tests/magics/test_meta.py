"""%lsmagic, %magic, %automagic and %alias_magic, driven through cells as a user types them."""

from __future__ import annotations

from magics import line_magic


def test_lsmagic_lists_line_and_cell_magics(shell, output):
    result = shell.run_cell("%lsmagic")
    text = output.stdout
    assert result.success
    assert "Available line magics:" in text and "Available cell magics:" in text
    assert "%lsmagic" in text and "%xmode" in text and "%%debug" in text
    assert "Automagic is ON, % prefix IS NOT needed for line magics." in text


def test_lsmagic_returns_an_object_with_the_names(shell):
    listing = shell.run_line_magic("lsmagic", "")
    assert "pinfo" in listing.line and "debug" in listing.cell
    assert listing.line == shell.magics.names("line")
    assert str(listing).startswith("Available line magics:")


def test_lsmagic_imports_none_of_the_magics_it_lists():
    import subprocess
    import sys

    code = ("import sys; from shell import Shell; Shell().run_line_magic('lsmagic', ''); "
            "print(sorted(m for m in sys.modules if m.startswith('magics.builtin.')))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "['magics.builtin.meta']", proc.stderr


def test_lsmagic_shows_newly_registered_magics(shell, output):
    @line_magic
    def brand_new(line):
        """A magic registered at run time."""

    shell.register_magic_function(brand_new)
    shell.run_cell("%lsmagic")
    assert "%brand_new" in output.stdout


def test_magic_gives_an_overview_with_summaries(shell, output):
    shell.run_cell("%magic")
    text = output.stdout
    assert "A line magic starts with %" in text
    assert "%lsmagic" in text and "List the available line and cell magics." in text
    assert "%%debug" in text


def test_magic_full_shows_whole_docstrings(shell, output):
    shell.run_cell("%magic --full")
    assert "usage: %alias_magic" in output.stdout


def test_automagic_toggles_and_takes_on_off(shell, output):
    shell.run_cell("%automagic")
    assert output.stdout == "Automagic is OFF, % prefix IS needed for line magics.\n"
    assert shell.automagic is False
    output.clear()
    shell.run_cell("lsmagic")  # without % it is now a plain name
    assert "NameError" in output.stderr
    shell.run_cell("%automagic on")
    assert shell.automagic is True
    shell.run_cell("%automagic 0")
    assert shell.automagic is False
    shell.run_cell("%automagic 1")
    assert shell.automagic is True


def test_automagic_bad_argument_is_one_line(shell, output):
    result = shell.run_cell("%automagic maybe")
    assert not result.success
    assert output.stderr == "UsageError: %automagic: expected on or off, not 'maybe'\n"
    assert shell.automagic is True
    assert shell.run_cell("1 + 1").success


def test_alias_magic_line_and_cell(shell, output):
    shell.run_cell("%alias_magic dbg debug")
    assert "Created `%dbg` as an alias for `%debug`." in output.stdout
    assert "Created `%%dbg` as an alias for `%%debug`." in output.stdout
    assert shell.magics.has("line", "dbg") and shell.magics.has("cell", "dbg")


def test_alias_magic_with_params(shell, output):
    calls = []

    @line_magic
    def echo(line):
        calls.append(line)

    shell.register_magic_function(echo)
    shell.run_cell('%alias_magic -l -p "-n 3" e3 %echo')
    shell.run_cell("%e3 x")
    assert calls == ["-n 3 x"]
    assert not shell.magics.has("cell", "e3")


def test_alias_magic_is_listed_and_has_help(shell, output):
    shell.run_cell("%alias_magic ls lsmagic")
    output.clear()
    shell.run_cell("%ls?")
    assert "Alias for `%lsmagic`" in output.stdout


def test_alias_magic_errors_are_one_line(shell, output):
    for line, message in [
        ("%alias_magic a nope", "UsageError: %alias_magic: no magic named `nope`\n"),
        ("%alias_magic -c a lsmagic", "UsageError: Cell magic function `%%lsmagic` not found.\n"),
        ("%alias_magic same same", "UsageError: %alias_magic: `same` cannot be an alias of itself\n"),
    ]:
        output.clear()
        assert not shell.run_cell(line).success
        assert output.stderr == message
    output.clear()
    shell.run_cell("%alias_magic onlyone")
    assert output.stderr.startswith("UsageError: %alias_magic: ") and output.stderr.count("\n") == 1
