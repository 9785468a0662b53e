"""The hidden-state warning in JupyterLab, in a real headless Chromium (issue 17).

What a user does: run a cell that defines ``a``, delete that cell, run a
cell that reads ``a``. JupyterLab sends the deleted cell's id in the next
execute request (``deletedCells``), hocus sees that ``a`` only exists because
of a deleted cell, and the warning is on the page as stderr text in the
reading cell's output, before the cell's own output, with no extension.

Every step waits on what the page shows. Screenshots of each step go to
``tmp_path/screenshots`` and, when ``HOCUS_TEST_ARTIFACTS`` is set, to
``test-artifacts/`` (``lab_browser.Screenshots``).
"""

from __future__ import annotations

import contextlib
import re

import nbformat
import pytest

pytest.importorskip("jupyterlab")
sync_api = pytest.importorskip("playwright.sync_api")

from jupyter_servers import running_server  # noqa: E402
from lab_browser import (Screenshots, needs_chromium, offline_page, open_notebook,  # noqa: E402
                         write_hocus_notebook, write_lab_config)

TIMEOUT_MS = 90_000  # a loaded 2-core machine: the lab page and the kernel start cold
WAIT = {"timeout": TIMEOUT_MS}  # for each expect(); playwright's own default is 5 s
DEFINE, READ = "a = 20", "print(a + 1)"
STDERR = ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"

pytestmark = needs_chromium


def run_cell(page, cell) -> None:
    """Select ``cell`` by its prompt, as a click does, and run it (Run > Run Selected Cell)."""
    cell.locator(".jp-InputPrompt").click()
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-cell'); }")


def test_a_cell_reading_a_name_from_a_deleted_cell_shows_the_warning_in_jupyterlab(
        hocus_env, tmp_path, request, record_property):
    root, scratch = tmp_path / "root", tmp_path / "scratch"
    root.mkdir()
    write_lab_config(scratch)
    name = write_hocus_notebook(root / "hidden.ipynb", DEFINE, READ)
    defining_id = nbformat.read(root / name, as_version=4).cells[0].id  # JupyterLab keeps the file's cell ids
    shots = Screenshots(tmp_path / "screenshots", request.node.name)
    record_property("screenshots", str(shots.folder))
    print("screenshots in", shots.folder)
    expect = sync_api.expect

    with (running_server("jupyterlab", root, scratch) as server, sync_api.sync_playwright() as pw,
          offline_page(pw, server, timeout_ms=TIMEOUT_MS) as page):
        page.on("console", lambda msg: msg.type == "error" and print("console error:", msg.text))
        try:
            open_notebook(page, server, name)
            cells = page.locator(".jp-Notebook .jp-CodeCell")

            # 1. the cell that defines a runs
            run_cell(page, cells.nth(0))
            expect(cells.nth(0).locator(".jp-InputArea-prompt")).to_have_text("[1]:", **WAIT)
            shots.take(page, "1-a-defined")

            # 2. that cell is deleted (Edit > Delete Cell)
            cells.nth(0).locator(".jp-InputPrompt").click()
            page.evaluate("() => window.jupyterapp.commands.execute('notebook:delete-cell')")
            expect(cells).to_have_count(1, **WAIT)
            expect(cells.nth(0).locator(".cm-content")).to_have_text(READ, **WAIT)
            shots.take(page, "2-defining-cell-deleted")

            # 3. the cell that reads a runs: the warning first, as stderr, then the cell's own output
            run_cell(page, cells.nth(0))
            reader = cells.nth(0)
            expect(reader.locator(".jp-InputArea-prompt")).to_have_text("[2]:", **WAIT)
            outputs = reader.locator(".jp-OutputArea-output")
            expect(outputs).to_have_count(2, **WAIT)
            warning = outputs.nth(0)
            expect(warning).to_have_attribute("data-mime-type", "application/vnd.jupyter.stderr", **WAIT)
            expect(warning).to_be_visible(**WAIT)
            expect(warning).to_have_text(re.compile(
                rf"^hidden state: 'a' was made by cell \[1\] \(id {re.escape(defining_id[:8])}\),"
                r" which has been deleted; [^\n]*\bdel a\b"), **WAIT)
            assert "\n" not in warning.inner_text().strip()  # one line
            expect(outputs.nth(1)).to_have_text("21", **WAIT)
            expect(reader.locator(STDERR)).to_have_count(1, **WAIT)
            shots.take(page, "3-warning-shown")
        except Exception:
            with contextlib.suppress(sync_api.Error):  # the test's own error is the one to report
                shots.take(page, "failure")
            raise
