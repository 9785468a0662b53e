"""JupyterLab in a real headless Chromium runs a notebook on the hocus kernel.

The test starts JupyterLab on loopback with a token, a temporary root folder
holding a notebook whose kernelspec is ``hocus``, and the hocus kernelspec
installed (the ``hocus_env`` fixture). Debian's Chromium (``/usr/bin/chromium``;
``.ci/run`` installs it), driven by playwright with that executable — playwright
never downloads a browser of its own here — opens the notebook, runs all cells,
and finds the printed text and the rendered HTML in the page. Requests to
anything but the local server are refused, so the test needs no network.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest

pytest.importorskip("jupyterlab")
sync_api = pytest.importorskip("playwright.sync_api")

from jupyter_servers import running_server  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
LAB_CONFIG = """\
c.LabApp.news_url = None
c.LabApp.check_for_updates_class = "jupyterlab.NeverCheckForUpdate"
c.LabApp.extension_manager = "readonly"
c.LabApp.expose_app_in_browser = True
"""
PRINT_CELL = "import sys\nprint('printed by', sys.modules['shell'].__name__)"
HTML_CELL = "display({'text/html': '<b class=\"hocus-html\">bold from hocus</b>', 'text/plain': 'plain'}, raw=True)"

# .ci/run installs chromium, so under CI a missing browser is a failure, not a skip
pytestmark = pytest.mark.skipif(not CHROMIUM.exists() and not os.environ.get("CI"),
                                reason="Debian's chromium is not installed (apt-get install chromium)")


def write_notebook(root: Path) -> str:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "hocus", "display_name": "Python 3 (hocus)", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(PRINT_CELL), nbformat.v4.new_code_cell(HTML_CELL)]
    nbformat.write(nb, root / "tour.ipynb")
    return "tour.ipynb"


def test_jupyterlab_runs_a_notebook_on_hocus_in_chromium(hocus_env, tmp_path):
    root, scratch = tmp_path / "root", tmp_path / "scratch"
    root.mkdir()
    (scratch / "config").mkdir(parents=True)
    (scratch / "config" / "jupyter_lab_config.py").write_text(LAB_CONFIG)
    name = write_notebook(root)
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    with running_server("jupyterlab", root, scratch) as server, sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(server.url)
                       else route.abort())
            page.set_default_timeout(30_000)
            page.goto(f"{server.url}lab/tree/{name}?token={server.token}")
            page.wait_for_selector(".jp-Notebook .jp-Cell")
            # the kernel (named in the toolbar) has started and is idle before anything runs
            page.wait_for_function(
                "() => { const w = window.jupyterapp?.shell.currentWidget;"
                " return w?.sessionContext?.session?.kernel?.status === 'idle'"
                " && w.sessionContext.kernelDisplayName === 'Python 3 (hocus)'; }")
            page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
            printed = page.wait_for_selector(".jp-OutputArea-output:has-text('printed by shell')")
            assert printed.inner_text().strip() == "printed by shell"
            html = page.wait_for_selector(".jp-OutputArea-output.jp-RenderedHTMLCommon b.hocus-html")
            assert html.inner_text() == "bold from hocus"
            prompts = page.locator(".jp-InputArea-prompt").all_inner_texts()
            assert prompts[:2] == ["[1]:", "[2]:"]
        finally:
            browser.close()
