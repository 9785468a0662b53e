"""%autoreload and %aimport: modules written to a folder on sys.path, edited between cells.

Every write sets the file's mtime explicitly (``os.utime``), later each time,
so a change is seen without sleeping. Where the behaviour is IPython's, the
expected value is what IPython 9's autoreload gives for the same cells.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time

import pytest

GEOMETRY_V1 = '''
def area(r):
    return 3 * r * r

class Shape:
    sides = 1
    def describe(self):
        return "round"
    def gone(self):
        return "still here"
'''

GEOMETRY_V2 = '''
def area(r):
    return 4 * r * r

class Shape:
    sides = 2
    def describe(self):
        return "square"
    def corners(self):
        return 4
'''


@pytest.fixture
def modules(tmp_path, monkeypatch):
    """write(name, source): put a module in a folder on sys.path, each write with a later mtime."""
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    written: list[str] = []
    clock = [1_000_000.0]

    def write(name: str, source: str, *, mtime: float | None = None) -> None:
        path = tmp_path / f"{name}.py"
        path.write_text(textwrap.dedent(source))
        clock[0] += 10
        stamp = clock[0] if mtime is None else mtime
        os.utime(path, (stamp, stamp))
        if name not in written:
            written.append(name)

    yield write
    for name in written:
        sys.modules.pop(name, None)


def value(shell, expr):
    result = shell.run_cell(expr, store_history=False)
    assert result.success, result
    return result.result


def test_mode_2_reloads_a_function_imported_with_from(shell, output, modules):
    modules("ar_geo1", GEOMETRY_V1)
    assert shell.run_cell("%autoreload 2").success
    shell.run_cell("from ar_geo1 import area")
    assert value(shell, "area(2)") == 12
    modules("ar_geo1", GEOMETRY_V2)
    assert value(shell, "area(2)") == 16  # IPython: 16
    assert output.stderr == ""


def test_an_existing_instance_runs_the_new_methods_and_stays_an_instance(shell, modules):
    modules("ar_geo2", GEOMETRY_V1)
    shell.run_cell("%autoreload 2")
    shell.run_cell("import ar_geo2\nfrom ar_geo2 import Shape\nshape = Shape()")
    modules("ar_geo2", GEOMETRY_V2)
    assert value(shell, "shape.describe()") == "square"  # IPython: 'square'
    assert value(shell, "shape.corners()") == 4  # a method the edit added
    assert value(shell, "shape.sides") == 2
    assert value(shell, "hasattr(shape, 'gone')") is False  # a method the edit removed
    # the class the user imported and the module's class stay one class
    assert value(shell, "isinstance(shape, Shape) and isinstance(shape, ar_geo2.Shape) and Shape is ar_geo2.Shape")


def test_super_and_subclasses_work_after_a_reload(shell, modules):
    source = '''
    class Base:
        def name(self):
            return "base{n}"
    class Child(Base):
        def name(self):
            return "child{n}+" + super().name()
    '''
    modules("ar_family", source.format(n=1))
    shell.run_cell("%autoreload 2")
    shell.run_cell("from ar_family import Child\nkid = Child()")
    modules("ar_family", source.format(n=2))
    assert value(shell, "kid.name()") == "child2+base2"
    assert value(shell, "Child().name()") == "child2+base2"


def test_a_decorated_function_runs_its_new_body(shell, modules):
    source = '''
    import functools
    def logged(func):
        @functools.wraps(func)
        def wrapper(*args):
            return ("logged", func(*args))
        return wrapper
    @logged
    def double(x):
        return x * {k}
    '''
    modules("ar_deco", source.format(k=2))
    shell.run_cell("%autoreload 2")
    shell.run_cell("from ar_deco import double")
    modules("ar_deco", source.format(k=3))
    assert value(shell, "double(5)") == ("logged", 15)


def test_mode_3_brings_new_names_from_a_star_imported_module(shell, modules):
    modules("ar_star", "def f():\n    return 1\n")
    shell.run_cell("%autoreload 3")
    shell.run_cell("from ar_star import *")
    assert not shell.run_cell("g", store_history=False).success
    modules("ar_star", "def f():\n    return 2\ndef g():\n    return 'new'\n")
    assert value(shell, "g()") == "new"  # IPython: 'new'
    assert value(shell, "f()") == 2


def test_mode_3_leaves_out_names_the_user_did_not_import(shell, modules):
    modules("ar_pick", "def f():\n    return 1\n")
    shell.run_cell("%autoreload complete")
    shell.run_cell("from ar_pick import f")
    modules("ar_pick", "def f():\n    return 2\ndef g():\n    return 'new'\n")
    assert value(shell, "f()") == 2
    assert value(shell, "'g' in dir()") is False  # IPython: False
    assert value(shell, "import ar_pick; ar_pick.g()") == "new"


def test_mode_2_does_not_bring_new_names(shell, modules):
    modules("ar_two", "def f():\n    return 1\n")
    shell.run_cell("%autoreload all")
    shell.run_cell("from ar_two import *")
    modules("ar_two", "def f():\n    return 2\ndef g():\n    return 'new'\n")
    assert value(shell, "'g' in dir()") is False  # IPython: False


def test_explicit_mode_reloads_only_aimported_modules(shell, output, modules):
    modules("ar_marked", "def v():\n    return 1\n")
    modules("ar_plain", "def v():\n    return 1\n")
    shell.run_cell("%autoreload 1")
    assert shell.run_cell("%aimport ar_marked").success
    shell.run_cell("import ar_plain")
    modules("ar_marked", "def v():\n    return 2\n")
    modules("ar_plain", "def v():\n    return 2\n")
    assert value(shell, "ar_marked.v(), ar_plain.v()") == (2, 1)  # IPython: (2, 1)
    shell.run_cell("%aimport")
    assert output.stdout.endswith("Modules to reload:\nar_marked\n\nModules to skip:\n\n")


def test_aimport_minus_skips_a_module_in_mode_2(shell, output, modules):
    modules("ar_skip", "def v():\n    return 1\n")
    shell.run_cell("%autoreload 2")
    shell.run_cell("import ar_skip")
    shell.run_cell("%aimport -ar_skip")
    modules("ar_skip", "def v():\n    return 2\n")
    assert value(shell, "ar_skip.v()") == 1
    shell.run_cell("%aimport")
    assert output.stdout.endswith("Modules to reload:\nall-except-skipped\n\nModules to skip:\nar_skip\n")


def test_aimport_as_and_several_modules(shell, modules):
    modules("ar_one", "X = 1\n")
    modules("ar_other", "X = 2\n")
    assert shell.run_cell("%aimport ar_one as first, ar_other").success
    assert value(shell, "first.X, ar_other.X") == (1, 2)


def test_bare_autoreload_reloads_once_now_as_in_ipython_9(shell, modules):
    modules("ar_now", "def v():\n    return 1\n")
    shell.run_cell("%load_ext autoreload")
    shell.run_cell("import ar_now")
    modules("ar_now", "def v():\n    return 2\n")
    assert value(shell, "ar_now.v()") == 1  # nothing reloads by itself
    shell.run_cell("%autoreload")
    assert value(shell, "ar_now.v()") == 2
    modules("ar_now", "def v():\n    return 3\n")
    assert value(shell, "ar_now.v()") == 2  # IPython 9: 'now' reloads once, it turns nothing on


def test_off_stops_reloading(shell, modules):
    modules("ar_off", "def v():\n    return 1\n")
    shell.run_cell("%autoreload 2")
    shell.run_cell("import ar_off")
    shell.run_cell("%autoreload OFF")
    modules("ar_off", "def v():\n    return 2\n")
    assert value(shell, "ar_off.v()") == 1


def test_print_flag_names_each_reloaded_module(shell, output, modules):
    modules("ar_loud", "X = 1\n")
    shell.run_cell("%autoreload -p 2")
    shell.run_cell("import ar_loud")
    modules("ar_loud", "X = 2\n")
    output.clear()
    shell.run_cell("pass")
    assert output.stdout == "Reloading 'ar_loud'.\n"


def test_a_syntax_error_in_the_edit_is_one_line_and_the_cell_still_runs(shell, output, modules, capsys):
    modules("ar_broken", "def v():\n    return 1\n")
    shell.run_cell("%autoreload 2")
    shell.run_cell("from ar_broken import v")
    modules("ar_broken", "def v(:\n    return 2\n")
    output.clear()
    assert value(shell, "v()") == 1  # the cell ran, with the module as it was
    assert output.stderr == "[autoreload of ar_broken failed: SyntaxError: invalid syntax (ar_broken.py, line 1)]\n"
    output.clear()
    assert value(shell, "v()") == 1 and output.stderr == ""  # not retried until the file changes again
    modules("ar_broken", "def v():\n    return 3\n")
    assert value(shell, "v()") == 3 and output.stderr == ""


def test_an_error_while_running_the_edit_names_the_line(shell, output, modules):
    modules("ar_raises", "def v():\n    return 1\n")
    shell.run_cell("%autoreload 2")
    shell.run_cell("import ar_raises")
    modules("ar_raises", "def v():\n    return 2\nundefined_thing\n")
    output.clear()
    assert value(shell, "ar_raises.v()") == 1
    path = str(sys.modules["ar_raises"].__file__)
    assert output.stderr == (f"[autoreload of ar_raises failed: NameError: name 'undefined_thing' is not defined "
                             f"({path}, line 3)]\n")


def test_an_edit_in_the_same_second_with_the_same_size_is_not_hidden_by_bytecode(shell, modules):
    # Python's .pyc check compares whole seconds and the size: 'return 1' -> 'return 2' would load stale code.
    modules("ar_pyc", "def v():\n    return 1\n", mtime=2_000_000.25)
    shell.run_cell("%autoreload 2")
    shell.run_cell("import ar_pyc")
    modules("ar_pyc", "def v():\n    return 2\n", mtime=2_000_000.75)
    assert value(shell, "ar_pyc.v()") == 2


def test_two_saves_within_one_clock_tick_are_told_apart_by_their_text(shell, modules):
    # A file's mtime moves in clock ticks: a "Run All" that writes a module twice can leave one mtime.
    now = time.time() + 60  # "recent" however slowly the cells below run on a loaded machine
    modules("ar_tick", "def v():\n    return 1\n", mtime=now)
    shell.run_cell("%autoreload 2")
    shell.run_cell("import ar_tick")
    modules("ar_tick", "def v():\n    return 2\n", mtime=now)
    assert value(shell, "ar_tick.v()") == 2


def test_load_ext_autoreload_is_built_in_and_notes_mtimes_from_then(shell, output, modules):
    modules("ar_ext", "def v():\n    return 1\n")
    assert shell.run_cell("%load_ext autoreload").success and output.stderr == ""
    shell.run_cell("import ar_ext")
    modules("ar_ext", "def v():\n    return 2\n")  # edited before the mode is set, as in a notebook's first cells
    shell.run_cell("%autoreload 2")
    assert value(shell, "ar_ext.v()") == 2  # IPython: 2


def test_bad_mode_and_missing_module_are_one_line_errors(shell, output):
    assert not shell.run_cell("%autoreload sometimes").success
    assert output.stderr == ("UsageError: %autoreload: unknown mode 'sometimes'; "
                             "use 0/off, 1/explicit, 2/all, 3/complete, or now\n")
    output.clear()
    assert not shell.run_cell("%aimport no_such_module_here").success
    assert output.stderr == "ModuleNotFoundError: No module named 'no_such_module_here'\n"
    assert shell.run_cell("1 + 1").success


def test_ipython_spellings_are_accepted(shell, output):
    for line in ("%autoreload 2-", "%autoreload --full 3", "%autoreload --hide-errors -l 1", "%autoreload explicit"):
        assert shell.run_cell(line).success, line
    assert output.stderr == ""


def test_autoreload_needs_no_ipython():
    code = ("import sys\nfrom shell import Shell\nsh = Shell()\n"
            "for line in ('%load_ext autoreload', '%autoreload 2', '%aimport json', 'x = 1'):\n"
            "    assert sh.run_cell(line).success, line\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'IPython'))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "[]\n"
