"""JupyterLab's debugger on the hocus kernel, in a real headless Chromium (issue 16).

What a user does: the bug button in the notebook's toolbar is enabled for the
kernel and is switched on (before the cell ever ran, or after it ran once); a click in the cell editor's gutter sets a
breakpoint on the line inside a function the cell defines and calls; running
the cell stops there (the line is highlighted, the cell stays busy); the
Variables panel of the debugger sidebar lists the function's local ``x`` with
its value; Continue in the Callstack panel lets the cell finish, its printed
output appears, and the panel shows the user's globals without the kernel's
own names (``In``, ``Out``, ``_i1``, ``exit`` ...), as ipykernel leaves them out.

The page is driven through the DOM and JupyterLab's command registry only, and
every step waits on what the page shows, never on the clock. Screenshots of
each step go to ``tmp_path/screenshots`` and, when ``HOCUS_TEST_ARTIFACTS`` is
set, to ``test-artifacts/`` (``lab_browser.Screenshots``). The selectors were
checked against ipykernel (``debug_a_cell`` with the ``python3`` kernelspec).
"""

from __future__ import annotations

import contextlib
import re

import pytest

pytest.importorskip("jupyterlab")
sync_api = pytest.importorskip("playwright.sync_api")

from jupyter_servers import running_server  # noqa: E402
from lab_browser import (HOCUS, Screenshots, needs_chromium, offline_page, open_notebook,  # noqa: E402
                         write_hocus_notebook, write_lab_config)

TIMEOUT_MS = 90_000  # a loaded 2-core machine: the lab page, the kernel and debugpy all start cold
CELL = "def double(x):\n    doubled = x * 2\n    return doubled\n\nresult = double(21)\nprint('result', result)"
WAIT = {"timeout": TIMEOUT_MS}  # for each expect(); playwright's own default is 5 s
BREAKPOINT_LINE = 2  # "    doubled = x * 2"
KERNELS_OWN = re.compile(r"^(In|Out|_|__|___|_i|_ii|_iii|_i\d+|_\d+|_ih|_oh|_dh|exit|quit|get_ipython)$")

pytestmark = needs_chromium


def debug_a_cell(page, shots: Screenshots, *, run_first: bool) -> None:
    """The user's session with the debugger, on the notebook open in ``page`` (one cell: ``CELL``).

    ``run_first``: the cell has run once before the debugger is switched on,
    which is how most sessions start.
    """
    expect = sync_api.expect
    cell = page.locator(".jp-Notebook .jp-CodeCell").first
    runs = 1
    if run_first:
        cell.click()
        page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-cell'); }")
        expect(cell.locator(".jp-OutputArea-output")).to_have_text("result 42", **WAIT)
        expect(cell.locator(".jp-InputArea-prompt")).to_have_text("[1]:", **WAIT)
        shots.take(page, "0-run-before-the-debugger")
        runs = 2

    # 1. the bug button is enabled for this kernel (disabled, it says "Select a kernel that supports debugging")
    bug = page.locator(".jp-DebuggerBugButton")
    expect(bug).to_have_attribute("aria-disabled", "false", **WAIT)
    shots.take(page, "1-debugger-available")
    bug.click()
    expect(bug).to_have_attribute("aria-pressed", "true", **WAIT)

    # 2. a click in the gutter sets a breakpoint (gutter element 0 is CodeMirror's hidden spacer)
    gutter_line = cell.locator(".cm-gutter.cm-breakpoint-gutter .cm-gutterElement").nth(BREAKPOINT_LINE)
    gutter_line.click()
    expect(gutter_line.locator(".cm-breakpoint-icon")).to_be_visible(**WAIT)
    breakpoints = page.locator("#jp-debugger-sidebar .jp-DebuggerBreakpoint")
    expect(breakpoints).to_have_count(1, **WAIT)
    shots.take(page, "2-breakpoint-set")

    # 3. running the cell stops on that line; the command's promise only settles when the cell ends
    cell.click()
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-cell'); }")
    stopped_at = cell.locator(".jp-DebuggerEditor-highlight")
    expect(stopped_at).to_have_text("    doubled = x * 2", **WAIT)
    expect(cell.locator(".jp-InputArea-prompt")).to_have_text("[*]:", **WAIT)
    shots.take(page, "3-stopped-at-the-breakpoint")

    # 4. the Variables panel lists the frame's local x = 21
    variables = page.locator("#jp-debugger-sidebar .jp-DebuggerVariables")
    local_x = variables.locator("jp-tree-item", has=page.locator(".jp-DebuggerVariables-name", has_text="x"))
    expect(local_x.locator(".jp-DebuggerVariables-name")).to_have_text("x", **WAIT)
    expect(local_x.locator(".jp-DebuggerVariables-detail")).to_have_text("21", **WAIT)
    shots.take(page, "4-variables-panel")
    # the Callstack panel names the frame after its cell, as for ipykernel, not by the cell file's path
    frame = page.locator("#jp-debugger-sidebar .jp-DebuggerCallstackFrame-location").first
    expect(frame).to_contain_text("Cell [", **WAIT)

    # 5. Continue (the Callstack panel's button, "Continue (F9)"): the cell runs to its end and prints
    page.locator("#jp-debugger-sidebar jp-button[title^='Continue']").click()
    expect(cell.locator(".jp-OutputArea-output")).to_have_text("result 42", **WAIT)
    expect(cell.locator(".jp-InputArea-prompt")).to_have_text(f"[{runs}]:", **WAIT)
    expect(stopped_at).to_have_count(0, **WAIT)

    # 6. the Variables panel now shows the globals: the user's result, none of the kernel's own names
    result = variables.locator("jp-tree-item", has=page.locator(".jp-DebuggerVariables-name", has_text="result"))
    expect(result.locator(".jp-DebuggerVariables-detail")).to_have_text("42", **WAIT)
    expect(variables.locator(".jp-DebuggerVariables-name", has_text=KERNELS_OWN)).to_have_count(0, **WAIT)
    shots.take(page, "5-continued-to-the-end")


@pytest.mark.parametrize("run_first", [False, True], ids=["debugger-on-first", "cell-run-before-the-debugger"])
def test_jupyterlab_debugger_stops_at_a_breakpoint_in_a_hocus_cell(hocus_env, tmp_path, request, record_property,
                                                                   run_first):
    root, scratch = tmp_path / "root", tmp_path / "scratch"
    root.mkdir()
    write_lab_config(scratch)
    name = write_hocus_notebook(root / "debug.ipynb", CELL)
    shots = Screenshots(tmp_path / "screenshots", request.node.name)
    record_property("screenshots", str(shots.folder))
    print("screenshots in", shots.folder)
    with (running_server("jupyterlab", root, scratch) as server, sync_api.sync_playwright() as pw,
          offline_page(pw, server, timeout_ms=TIMEOUT_MS, height=1000) as page):
        page.on("console", lambda msg: msg.type == "error" and print("console error:", msg.text))
        try:
            open_notebook(page, server, name, HOCUS["display_name"])
            debug_a_cell(page, shots, run_first=run_first)
        except Exception:
            with contextlib.suppress(sync_api.Error):  # the test's own error is the one to report
                shots.take(page, "failure")
            raise
