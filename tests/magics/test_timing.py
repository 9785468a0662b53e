"""%time, %timeit and %prun, driven through run_cell as a user types them.

No assertion depends on how fast this machine is: loop counts are fixed
with ``-n``/``-r``, or the statement is chosen so calibration has one answer.
"""

from __future__ import annotations

import pstats
import re

import pytest

from cell_checks import run_ok

SUMMARY = re.compile(r"^\d[\d.]* (ns|µs|ms|s) ± \d[\d.]* (ns|µs|ms|s) per loop "
                     r"\(mean ± std\. dev\. of (?P<runs>[\d,]+) runs?, (?P<loops>[\d,]+) loops? each\)$")
CPU_LINE = re.compile(r"^CPU times: user \d[\d.]* (ns|µs|ms|s), sys: \d[\d.]* (ns|µs|ms|s), "
                      r"total: \d[\d.]* (ns|µs|ms|s)$", re.M)
WALL_LINE = re.compile(r"^Wall time: \d[\d.]* (ns|µs|ms|s)$", re.M)


# -- %timeit ----------------------------------------------------------------------------------
def test_timeit_o_returns_result_with_requested_loops_and_runs(shell, output):
    shell.run_cell("x = 7")
    result = run_ok(shell, output, "r = %timeit -n 3 -r 2 -o x * 2")
    r = shell.user_ns["r"]
    assert (r.loops, r.repeat, len(r.all_runs), len(r.timings)) == (3, 2, 2, 2)
    assert r.best <= r.average <= r.worst and r.stdev >= 0 and r.compile_time >= 0
    assert r.timings == [run / 3 for run in r.all_runs]
    assert result.result is None
    printed = output.stdout.strip().splitlines()
    assert len(printed) == 1 and SUMMARY.match(printed[0]), output.stdout
    assert repr(r) == str(r) and SUMMARY.match(repr(r)).group("runs", "loops") == ("2", "3")


def test_timeit_result_is_shown_as_out(shell, output):
    run_ok(shell, output, "%timeit -q -o -n 4 -r 3 1 + 1")
    assert re.match(r"^Out\[1\]: .* per loop \(mean ± std\. dev\. of 3 runs, 4 loops each\)$", output.stdout.strip())


def test_timeit_summary_singular_and_thousands(shell, output):
    run_ok(shell, output, "%timeit -n 1 -r 1 pass")
    assert output.stdout.strip().endswith("(mean ± std. dev. of 1 run, 1 loop each)")
    output.clear()
    run_ok(shell, output, "%timeit -n 1000 -r 2 pass")
    assert output.stdout.strip().endswith("(mean ± std. dev. of 2 runs, 1,000 loops each)")


def test_timeit_quiet_prints_nothing_and_returns_nothing_without_o(shell, output):
    result = run_ok(shell, output, "%timeit -q -n 2 -r 2 pass")
    assert output.stdout == "" and result.result is None


def test_timeit_precision_and_units():
    from magics.builtin.timing import format_time

    assert format_time(1.23456789e-5, 6) == "12.3457 µs"
    assert format_time(1.23456789e-5) == "12.3 µs"
    assert format_time(0.5) == "500 ms"
    assert format_time(2.5e-9) == "2.5 ns"
    assert format_time(3.0) == "3 s"
    assert format_time(0.0) == "0 ns"
    assert format_time(75.0) == "1min 15s"
    assert format_time(9.999999e-7) == "1 µs" and format_time(0.99999999) == "1 s"


def test_timeit_p_option_changes_digits(shell, output):
    from magics.builtin.timing import format_time

    run_ok(shell, output, "r = %timeit -o -p 8 -n 10 -r 2 sum(range(100))")
    r = shell.user_ns["r"]
    assert output.stdout.startswith(f"{format_time(r.average, 8)} ± {format_time(r.stdev, 8)} per loop")


def test_timeit_cell_setup_runs_once_per_run_and_statement_per_loop(shell, output):
    shell.run_cell("calls = []")
    run_ok(shell, output, "%%timeit -q -n 5 -r 3 calls.append('setup'); mark = 'set'\ncalls.append(mark)")
    calls = shell.user_ns["calls"]
    assert calls.count("setup") == 3 and calls.count("set") == 15


def test_timeit_sees_user_namespace_and_keeps_its_assignments_local(shell, output):
    shell.run_cell("data = [3, 1, 2]")
    run_ok(shell, output, "%timeit -n 2 -r 2 leaked = sorted(data)")
    assert "leaked" not in shell.user_ns


def test_timeit_sees_function_locals(shell, output):
    run_ok(shell, output, "def f():\n    secret = 41\n    r = %timeit -q -o -n 2 -r 1 assert secret + 1 == 42\n    return r\n")
    run_ok(shell, output, "res = f()")
    assert shell.user_ns["res"].loops == 2


def test_timeit_via_run_line_magic_sees_caller_locals(shell):
    local_value = 41  # noqa: F841 - read by the timed statement
    r = shell.run_line_magic("timeit", "-q -o -n 1 -r 1 assert local_value == 41")
    assert r.loops == 1


def test_timeit_calibrates_in_1_2_5_steps(shell, output):
    run_ok(shell, output, "r = %timeit -q -o -r 1 pass")
    loops = shell.user_ns["r"].loops
    assert loops > 1 and re.fullmatch(r"[125]0*", str(loops))


def test_timeit_slow_statement_calibrates_to_one_loop(shell, output):
    run_ok(shell, output, "import time\nr = %timeit -q -o -r 1 time.sleep(0.21)")
    assert shell.user_ns["r"].loops == 1


def test_timeit_warns_when_slowest_run_is_much_slower(shell, output):
    shell.run_cell("import time\ncache = []")
    run_ok(shell, output, "%%timeit -n 1 -r 3\nif not cache:\n    time.sleep(0.02)\n    cache.append(1)")
    assert re.search(r"The slowest run took [\d.]+ times longer than the fastest\. "
                     r"This could mean that an intermediate result is being cached\.", output.stdout)


def test_timeit_timer_options_are_accepted(shell, output):
    run_ok(shell, output, "r = %timeit -q -o -t -n 2 -r 2 pass")
    run_ok(shell, output, "r2 = %timeit -q -o -c -n 2 -r 2 pass")
    assert shell.user_ns["r2"].loops == 2


def test_timeit_top_level_await(shell, output):
    run_ok(shell, output, "import asyncio\nr = %timeit -q -o -n 2 -r 2 await asyncio.sleep(0)")
    assert shell.user_ns["r"].loops == 2


def test_timeit_line_magics_inside_are_transformed(shell, output):
    shell.run_cell("hits = []")
    run_ok(shell, output, "%%timeit -q -n 2 -r 1\nv = %time 5\nhits.append(v)")
    assert shell.user_ns["hits"] == [5, 5]


@pytest.mark.parametrize("line", ["-n abc x", "-r 0 x", "-n -3 x", "-p 0 x", ""])
def test_timeit_bad_arguments_give_one_line_usage_error(shell, output, line):
    result = shell.run_cell(f"%timeit {line}")
    assert not result.success
    assert output.stderr.startswith("UsageError: %timeit") and output.stderr.count("\n") == 1, output.stderr
    assert "Traceback" not in output.stderr
    assert shell.run_cell("1 + 1").result == 2


@pytest.mark.parametrize("source", ["%timeit -Z hits.append(1)", "%timeit -n 2 -Z hits.append(1)",
                                    "%%timeit -Z\nhits.append(1)", "%prun -Z hits.append(1)",
                                    "%%prun -Z\nhits.append(1)", "%timeit --bogus hits.append(1)"])
def test_an_unknown_option_is_a_one_line_usage_error_naming_it(shell, output, source):
    # IPython 9: UsageError: option -Z not recognized (allowed: "n:r:tcp:qov:"); nothing runs.
    shell.run_cell("hits = []")
    result = shell.run_cell(source)
    assert not result.success and shell.user_ns["hits"] == []
    option = "--bogus" if "--bogus" in source else "-Z"
    assert output.stderr.startswith("UsageError: %") and output.stderr.count("\n") == 1, output.stderr
    assert f"unknown option '{option}' " in output.stderr
    assert shell.run_cell("%timeit -q -n 1 -r 1 -- -1").success  # `--` ends the options, as in IPython


def test_timeit_exception_is_reported_and_shell_goes_on(shell, output):
    result = shell.run_cell("%%timeit -n 1 -r 1\nx = 1\n1/0")
    assert isinstance(result.error_in_exec, ZeroDivisionError)
    assert "ZeroDivisionError" in output.stderr and "1/0" in output.stderr and "line 3" in output.stderr
    assert shell.run_cell("2 + 2").result == 4


def test_timeit_syntax_error_is_reported(shell, output):
    result = shell.run_cell("%timeit x +")
    assert isinstance(result.error_in_exec, SyntaxError) and "SyntaxError" in output.stderr
    assert shell.run_cell("3").result == 3


def test_timeit_help_lists_options(shell):
    doc = shell.magics.find("line", "timeit").doc
    assert all(option in doc for option in ("-n N", "-r R", "-o", "-q", "-p P", "-t", "-c"))


# -- %time ------------------------------------------------------------------------------------
def test_time_prints_cpu_and_wall_and_returns_value(shell, output):
    result = run_ok(shell, output, "%time 1 + 1")
    assert result.result == 2
    assert CPU_LINE.search(output.stdout) and WALL_LINE.search(output.stdout), output.stdout
    assert output.stdout.rstrip().endswith("Out[1]: 2")


def test_time_cell_keeps_assignments_and_returns_last_expression(shell, output):
    result = run_ok(shell, output, "%%time\ny = 20\ny + 22")
    assert result.result == 42 and shell.user_ns["y"] == 20
    assert CPU_LINE.search(output.stdout) and WALL_LINE.search(output.stdout)


def test_time_statement_has_no_value(shell, output):
    result = run_ok(shell, output, "%time z = 3")
    assert result.result is None and shell.user_ns["z"] == 3 and "Out[" not in output.stdout


def test_time_top_level_await(shell, output):
    result = run_ok(shell, output, "import asyncio\n%time await asyncio.sleep(0, result=7)")
    assert result.result == 7


def test_time_exception_points_into_the_cell(shell, output):
    result = shell.run_cell("%%time\nx = 1\n1/0")
    assert isinstance(result.error_in_exec, ZeroDivisionError)
    assert "line 3" in output.stderr and "1/0" in output.stderr and "Wall time" not in output.stdout
    assert shell.run_cell("5").result == 5


def test_time_rejects_statement_after_cell_magic(shell, output):
    shell.run_cell("%%time x = 1\ny = 2")
    assert output.stderr.startswith("UsageError:") and "y" not in shell.user_ns


# -- %prun ------------------------------------------------------------------------------------
@pytest.fixture
def with_f(shell):
    shell.run_cell("def f():\n    return sum(range(1000))")
    return shell


def test_prun_sorted_and_limited_listing_names_the_function(with_f, output):
    run_ok(with_f, output, "%prun -s cumulative -l 4 f()")
    assert "Ordered by: cumulative time" in output.stdout
    assert re.search(r":1\(f\)$", output.stdout, re.M), output.stdout
    rows = output.stdout.split("filename:lineno(function)", 1)[1].strip().splitlines()
    assert len(rows) == 4 and "due to restriction <4>" in output.stdout


def test_prun_regex_limit(with_f, output):
    run_ok(with_f, output, r"%prun -l '\(f\)' f()")
    assert "due to restriction <" in output.stdout, output.stdout
    assert "(f)" in output.stdout and "builtins.sum" not in output.stdout


def test_prun_dump_file_loads_in_pstats(with_f, output, tmp_path):
    dump = tmp_path / "out.prof"
    run_ok(with_f, output, f"%prun -q -D {dump} f()")
    names = {func[2] for func in pstats.Stats(str(dump)).stats}
    assert "f" in names and f"Profile stats marshalled to file {str(dump)!r}" in output.stdout


def test_prun_text_file_and_quiet(with_f, output, tmp_path):
    text = tmp_path / "out.txt"
    run_ok(with_f, output, f"%prun -q -T {text} f()")
    assert "function calls" not in output.stdout
    assert "function calls" in text.read_text() and "(f)" in text.read_text()


def test_prun_r_returns_stats(with_f, output):
    run_ok(with_f, output, "st = %prun -q -r f()")
    stats = with_f.user_ns["st"]
    assert isinstance(stats, pstats.Stats) and any(func[2] == "f" for func in stats.stats)


def test_prun_cell_runs_line_then_cell_in_user_namespace(with_f, output):
    run_ok(with_f, output, "%%prun -q a = 1\nb = a + f()")
    assert with_f.user_ns["b"] == 1 + sum(range(1000))


def test_prun_bad_sort_key_is_one_line(with_f, output):
    result = with_f.run_cell("%prun -s nonsense f()")
    assert not result.success and output.stderr.count("\n") == 1 and "nonsense" in output.stderr


def test_prun_unwritable_dump_is_one_line(with_f, output, tmp_path):
    result = with_f.run_cell(f"%prun -q -D {tmp_path}/missing/dir/x.prof f()")
    assert not result.success and output.stderr.startswith("UsageError:") and output.stderr.count("\n") == 1


def test_prun_catches_system_exit(with_f, output):
    run_ok(with_f, output, "%prun -q raise SystemExit(3)")
    assert "SystemExit exception caught" in output.stdout
    assert with_f.run_cell("6").result == 6
