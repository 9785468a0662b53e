"""Events fire around cells; unknown events are errors; failing callbacks never break a cell."""

from __future__ import annotations

import pytest


def test_events_fire_in_order(shell):
    seen = []
    shell.events.register("pre_execute", lambda: seen.append("pre_execute"))
    shell.events.register("pre_run_cell", lambda info: seen.append(("pre_run_cell", info.raw_cell)))
    shell.events.register("post_execute", lambda: seen.append("post_execute"))
    shell.events.register("post_run_cell", lambda result: seen.append(("post_run_cell", result.result)))
    shell.run_cell("40 + 2")
    assert seen == ["pre_execute", ("pre_run_cell", "40 + 2"), "post_execute", ("post_run_cell", 42)]


def test_silent_cells_fire_only_execute_events(shell):
    seen = []
    for name in ("pre_execute", "post_execute"):
        shell.events.register(name, lambda name=name: seen.append(name))
    for name in ("pre_run_cell", "post_run_cell"):
        shell.events.register(name, lambda arg, name=name: seen.append(name))
    shell.run_cell("1", silent=True)
    assert seen == ["pre_execute", "post_execute"]


def test_unknown_event_is_an_error(shell):
    with pytest.raises(KeyError, match="not a known event"):
        shell.events.register("pre_run_cel", lambda info: None)


def test_failing_callback_is_reported_and_the_cell_runs(shell, output):
    def broken(info):
        raise RuntimeError("callback exploded")

    shell.events.register("pre_run_cell", broken)
    result = shell.run_cell("x = 3\nx")
    assert result.success and result.result == 3
    assert "Error in callback" in output.stderr and "RuntimeError: callback exploded" in output.stderr
    assert "broken" in output.stderr


def test_unregister(shell):
    seen = []
    callback = lambda: seen.append(1)  # noqa: E731
    shell.events.register("post_execute", callback)
    shell.events.unregister("post_execute", callback)
    shell.run_cell("1")
    assert seen == []
    with pytest.raises(ValueError):
        shell.events.unregister("post_execute", callback)
