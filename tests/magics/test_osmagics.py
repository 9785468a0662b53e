"""``%cd`` and friends, ``%bookmark``, ``%env``/``%set_env``, ``%sx``/``%system``, ``%alias``."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from shell import Shell
from shell.engine.processes.slist import SList


@pytest.fixture
def folders(tmp_path, monkeypatch):
    """A tree to move around in; the test starts in ``start`` and the cwd is restored afterwards."""
    for name in ("start", "a", "b", "with space", "home"):
        (tmp_path / name).mkdir()
    monkeypatch.chdir(tmp_path / "start")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return tmp_path


def cwd() -> Path:
    return Path(os.getcwd()).resolve()


def run_ok(shell, cell):
    result = shell.run_cell(cell)
    assert result.success, cell
    return result.result


def one_line_error(shell, output, cell) -> str:
    output.clear()
    result = shell.run_cell(cell)
    assert not result.success, cell
    lines = output.stderr.strip().splitlines()
    assert len(lines) == 1, output.stderr
    assert shell.run_cell("1 + 1").success
    return lines[0]


# -- %cd, %pwd, %dhist, %pushd, %popd, %dirs -----------------------------------------------------


def test_cd_prints_the_new_folder(shell, output, folders):
    run_ok(shell, "%cd ../a")
    assert cwd() == folders / "a"
    assert output.stdout == f"{folders / 'a'}\n"


def test_cd_quiet_home_tilde_and_spaces(shell, output, folders):
    run_ok(shell, "%cd -q ../b")
    assert cwd() == folders / "b" and output.stdout == ""
    run_ok(shell, "%cd")
    assert cwd() == folders / "home"
    run_ok(shell, "%cd ~/../a")
    assert cwd() == folders / "a"
    run_ok(shell, f"%cd {folders}/with space")
    assert cwd() == folders / "with space"
    run_ok(shell, f"%cd '{folders}/a'")
    assert cwd() == folders / "a"


def test_cd_expands_variables_and_works_without_percent(shell, output, folders):
    shell.user_ns["target"] = str(folders / "b")
    run_ok(shell, "cd $target")
    assert cwd() == folders / "b"


def test_cd_dash_history_and_search(shell, output, folders):
    run_ok(shell, "%cd -q ../a")
    run_ok(shell, "%cd -q ../b")
    run_ok(shell, "%cd -q -")
    assert cwd() == folders / "a"
    assert shell.user_ns["_dh"] == [str(folders / d) for d in ("start", "a", "b", "a")]
    run_ok(shell, "%cd -q -0")
    assert cwd() == folders / "start"
    run_ok(shell, "%cd -q --b")
    assert cwd() == folders / "b"


def test_dhist_lists_the_history(shell, output, folders):
    run_ok(shell, "%cd -q ../a")
    output.clear()
    run_ok(shell, "%dhist")
    assert output.stdout == f"Directory history (kept in _dh)\n0: {folders / 'start'}\n1: {folders / 'a'}\n"
    output.clear()
    run_ok(shell, "%dhist 1")
    assert output.stdout == f"Directory history (kept in _dh)\n1: {folders / 'a'}\n"


def test_pwd_returns_the_folder(shell, output, folders):
    assert run_ok(shell, "%pwd") == str(folders / "start")
    assert output.stdout == f"Out[1]: '{folders / 'start'}'\n"


def test_pushd_popd_dirs(shell, output, folders):
    assert run_ok(shell, "%pushd ../a") == [str(folders / "start")]
    assert cwd() == folders / "a"
    run_ok(shell, "%pushd ../b")
    assert run_ok(shell, "%dirs") == [str(folders / "a"), str(folders / "start")]
    output.clear()
    run_ok(shell, "%popd")
    assert cwd() == folders / "a"
    assert output.stdout.endswith(f"popd -> {folders / 'a'}\n")
    run_ok(shell, "%popd")
    assert cwd() == folders / "start"
    assert one_line_error(shell, output, "%popd") == "UsageError: %popd: the folder stack is empty (see %pushd)"


@pytest.mark.parametrize("cell, message", [
    ("%cd /nonexistent/hocus", "UsageError: %cd: no such folder: /nonexistent/hocus"),
    ("%cd -", "UsageError: %cd -: there is no previous folder yet"),
    ("%cd -7", "UsageError: %cd -7: the folder history has 1 entries (see %dhist)"),
    ("%cd --zzz", "UsageError: %cd --zzz: no folder in the history contains 'zzz' (see %dhist)"),
    ("%cd -b nowhere", "UsageError: %cd -b: no bookmark called 'nowhere' (see %bookmark -l)"),
    ("%cd -b", "UsageError: %cd -b: give a bookmark name"),
    ("%dhist x", "UsageError: %dhist: expected numbers, not 'x'"),
])
def test_cd_bad_input_changes_nothing(shell, output, folders, cell, message):
    assert one_line_error(shell, output, cell) == message
    assert cwd() == folders / "start"


def test_cd_to_a_file(shell, output, folders):
    (folders / "file.txt").write_text("")
    assert one_line_error(shell, output, f"%cd {folders}/file.txt") == f"UsageError: %cd: not a folder: {folders}/file.txt"


# -- %bookmark --------------------------------------------------------------------------------------


def test_bookmarks_are_persisted_in_the_user_folder(shell, output, folders):
    run_ok(shell, "%bookmark here")
    run_ok(shell, f"%bookmark there {folders}/a")
    stored = json.loads((shell.hocus_dir / "bookmarks.json").read_text())
    assert stored == {"here": str(folders / "start"), "there": str(folders / "a")}

    later, later_output = Shell(output=output), output
    later_output.clear()
    later.run_cell("%cd -b there")
    assert cwd() == folders / "a"
    assert later_output.stdout == f"(bookmark:there) -> {folders / 'a'}\n{folders / 'a'}\n"
    later.run_cell("%cd -q here")  # no folder called "here": the bookmark is used
    assert cwd() == folders / "start"


def test_bookmark_list_delete_and_remove_all(shell, output, folders):
    run_ok(shell, "%bookmark one")
    run_ok(shell, "%bookmark second ../b")
    output.clear()
    run_ok(shell, "%bookmark -l")
    assert output.stdout == (f"Current bookmarks:\none    -> {folders / 'start'}\nsecond -> {folders / 'b'}\n")
    run_ok(shell, "%bookmark -d one")
    assert set(json.loads((shell.hocus_dir / "bookmarks.json").read_text())) == {"second"}
    run_ok(shell, "%bookmark -r")
    output.clear()
    run_ok(shell, "%bookmark -l")
    assert output.stdout == "No bookmarks defined.\n"


def test_bookmark_bad_input(shell, output, folders):
    assert one_line_error(shell, output, "%bookmark -d nope") == "UsageError: %bookmark -d: no bookmark called 'nope'"
    assert one_line_error(shell, output, "%bookmark").startswith("UsageError: %bookmark: give a name")
    assert one_line_error(shell, output, "%bookmark a b c").startswith("UsageError: %bookmark: unrecognized")


def test_corrupt_bookmarks_file_is_one_line_and_kept(shell, output, folders):
    path = shell.hocus_dir / "bookmarks.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{not json")
    assert one_line_error(shell, output, "%bookmark x").startswith(f"UsageError: cannot read bookmarks from {path}")
    assert path.read_text() == "{not json"


# -- %env and %set_env -------------------------------------------------------------------------------


@pytest.fixture
def clean_env(monkeypatch):
    for name in ("HOCUS_T1", "HOCUS_T2", "HOCUS_T3", "HOCUS_API_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_env_lists_and_hides_secrets(shell, output, clean_env):
    clean_env.setenv("HOCUS_T1", "visible")
    clean_env.setenv("HOCUS_API_TOKEN", "s3cr3t")
    env = run_ok(shell, "%env")
    assert isinstance(env, dict)
    assert env["HOCUS_T1"] == "visible" and env["HOCUS_API_TOKEN"] == "<hidden>"
    assert "s3cr3t" not in output.stdout
    assert run_ok(shell, "%env HOCUS_API_TOKEN") == "s3cr3t"  # asked for by name: shown


def test_env_set_forms_and_children_see_them(shell, output, clean_env):
    run_ok(shell, "%env HOCUS_T1=one")
    run_ok(shell, "%env HOCUS_T2 two words")
    run_ok(shell, "%set_env HOCUS_T3 'quoted value'")
    assert output.stdout == "env: HOCUS_T1=one\nenv: HOCUS_T2=two words\nenv: HOCUS_T3=quoted value\n"
    assert run_ok(shell, "%env HOCUS_T2") == "two words"
    output.clear()
    run_ok(shell, "!echo $HOCUS_T1-$HOCUS_T3")
    assert output.stdout == "one-quoted value\n"


def test_env_value_may_contain_equals_and_is_expanded(shell, output, clean_env):
    run_ok(shell, "%env HOCUS_T1 a=b")
    assert os.environ["HOCUS_T1"] == "a=b"
    shell.user_ns["folder"] = "/data"
    run_ok(shell, "%env HOCUS_T2=$folder/{1 + 1}")
    assert os.environ["HOCUS_T2"] == "/data/2"
    run_ok(shell, "%set_env HOCUS_T3=x=y")
    assert os.environ["HOCUS_T3"] == "x=y"


def test_env_bad_input(shell, output, clean_env):
    assert one_line_error(shell, output, "%env HOCUS_T1") == "UsageError: %env: the environment has no variable HOCUS_T1"
    assert one_line_error(shell, output, "%set_env") == "UsageError: %set_env: expected NAME=value or NAME value"
    assert one_line_error(shell, output, "%set_env =x") == "UsageError: %set_env: expected NAME=value or NAME value"


# -- %sx and %system ---------------------------------------------------------------------------------


def test_sx_and_system_return_slists(shell, output):
    for magic in ("sx", "system"):
        lines = run_ok(shell, f"%{magic} echo a; echo b")
        assert isinstance(lines, SList) and lines == ["a", "b"]
    shell.run_cell("word = 'hi'")
    assert run_ok(shell, "x = %sx echo $word") is None and shell.user_ns["x"] == ["hi"]
    assert one_line_error(shell, output, "%sx") == "UsageError: %sx: give a shell command, e.g. %sx ls"


# -- %alias, %unalias, %rehashx ----------------------------------------------------------------------


def test_alias_with_words_whole_line_and_leftovers(shell, output):
    run_ok(shell, "%alias pair echo %s and %s")
    run_ok(shell, "%pair a b c")
    run_ok(shell, "%alias wrap echo [%l]")
    run_ok(shell, "wrap x y")  # automagic
    run_ok(shell, "%alias plain echo")
    run_ok(shell, "plain 1 2")
    run_ok(shell, "%alias pct printf '%%s|' %s")
    run_ok(shell, "pct q")
    assert output.stdout == "a and b c\n[x y]\n1 2\nq|"


def test_alias_expands_variables(shell, output):
    run_ok(shell, "%alias say echo %s")
    shell.run_cell("who = 'ann'")
    run_ok(shell, "say $who")
    assert output.stdout == "ann\n"


def test_alias_listing_and_unalias(shell, output):
    run_ok(shell, "%alias mine echo mine")
    output.clear()
    pairs = run_ok(shell, "%alias")
    assert ("mine", "echo mine") in pairs and ("cat", "cat") in pairs
    assert output.stdout.startswith(f"Total number of aliases: {len(pairs)}\n")
    run_ok(shell, "%unalias mine")
    assert one_line_error(shell, output, "%mine") == "UsageError: Line magic function `%mine` not found."


def test_default_aliases(shell, output, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("text\n")
    run_ok(shell, "cat notes.txt")
    run_ok(shell, "mkdir sub")
    assert (tmp_path / "sub").is_dir()
    output.clear()
    run_ok(shell, "ls -d sub")
    assert re.sub(r"\x1b\[[0-9;]*m", "", output.stdout) == "sub/\n"  # -F marks folders; colours unless NO_COLOR
    run_ok(shell, "%unalias cat")
    assert not shell.run_cell("%cat notes.txt").success


def test_alias_persisted_for_later_sessions(shell, output):
    run_ok(shell, "%alias --persist greet echo hello %s")
    assert json.loads((shell.hocus_dir / "aliases.json").read_text()) == {"greet": "echo hello %s"}
    later = Shell(output=output)
    output.clear()
    assert later.run_cell("greet again").success  # without %, as the first cell of the new session
    assert later.run_cell("%greet you").success
    assert output.stdout == "hello again\nhello you\n"
    later.run_cell("%unalias greet")
    assert json.loads((shell.hocus_dir / "aliases.json").read_text()) == {}


def test_persisted_alias_can_override_a_default(shell, output):
    run_ok(shell, "%alias -p ll echo long listing")
    later = Shell(output=output)
    output.clear()
    assert later.run_cell("ll").success
    assert output.stdout == "long listing\n"


def test_corrupt_aliases_file_is_reported_once_and_ignored(shell, output):
    path = shell.hocus_dir / "aliases.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("[broken")
    later = Shell(output=output)
    output.clear()
    assert later.run_cell("%alias x echo x").success
    assert output.stderr.count("ignoring saved aliases") == 1


@pytest.mark.parametrize("cell, message", [
    ("%alias 1bad echo", "UsageError: %alias: '1bad' cannot be an alias name (it must be a Python identifier, not a keyword)"),
    ("%alias for echo", "UsageError: %alias: 'for' cannot be an alias name (it must be a Python identifier, not a keyword)"),
    ("%alias lonely", "UsageError: %alias: give the command for lonely, e.g. %alias lonely ls -la"),
    ("%alias cd echo", "UsageError: %alias: %cd is a magic already; choose another name"),
    ("%alias both echo %s %l", "UsageError: %alias: use either %s or %l in one alias, not both"),
    ("%unalias nothing", "UsageError: %unalias: there is no alias 'nothing'"),
    ("%unalias", "UsageError: %unalias: give the name of an alias"),
])
def test_alias_bad_input(shell, output, cell, message):
    assert one_line_error(shell, output, cell) == message


def test_alias_with_too_few_words(shell, output):
    run_ok(shell, "%alias two echo %s %s")
    assert one_line_error(shell, output, "%two one") == "UsageError: %two: needs 2 arguments, got 1"


def test_rehashx_aliases_programs_on_path(shell, output, tmp_path, monkeypatch):
    tool = tmp_path / "hocus_tool"
    tool.write_text("#!/bin/sh\necho tool ran $1\n")
    tool.chmod(0o755)
    (tmp_path / "not-an-identifier").write_text("")
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    run_ok(shell, "%rehashx")
    output.clear()
    run_ok(shell, "hocus_tool now")
    assert output.stdout == "tool ran now\n"
