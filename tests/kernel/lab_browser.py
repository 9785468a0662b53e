"""JupyterLab in Debian's headless Chromium, driven by playwright, for the browser tests.

Usage, with a server from :func:`jupyter_servers.running_server`::

    write_lab_config(scratch)
    write_hocus_notebook(root / "tour.ipynb", "print(1)", "display(2)")
    with running_server("jupyterlab", root, scratch) as server, sync_playwright() as pw:
        with offline_page(pw, server) as page:
            open_notebook(page, server, "tour.ipynb")   # returns once the hocus kernel is idle

Playwright drives ``/usr/bin/chromium`` (``.ci/run`` installs it) and never
downloads a browser of its own. Requests to anything but the local server are
refused, so what the page shows never comes from the network.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
HOCUS = {"name": "hocus", "display_name": "Python 3 (hocus)", "language": "python"}
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
LAB_CONFIG = """\
c.LabApp.news_url = None
c.LabApp.check_for_updates_class = "jupyterlab.NeverCheckForUpdate"
c.LabApp.extension_manager = "readonly"
c.LabApp.expose_app_in_browser = True
"""
NO_NEWS = '{"fetchNews": "false"}'  # no "get notified about Jupyter news?" toast over the page

# .ci/run installs chromium, so under CI a missing browser is a failure, not a skip
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists() and not os.environ.get("CI"),
                                    reason="Debian's chromium is not installed (apt-get install chromium)")


def write_lab_config(scratch: Path) -> None:
    """JupyterLab's config and settings in ``scratch`` (the folders ``running_server`` points it at)."""
    (scratch / "config").mkdir(parents=True)
    (scratch / "config" / "jupyter_lab_config.py").write_text(LAB_CONFIG)
    news = scratch / "lab-settings" / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    news.parent.mkdir(parents=True)
    news.write_text(NO_NEWS)


def write_hocus_notebook(path: Path, *sources: str, kernelspec: dict[str, str] = HOCUS) -> str:
    """A notebook of code cells whose kernelspec is hocus; returns its name, for :func:`open_notebook`."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = dict(kernelspec)
    nb.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    nbformat.write(nb, path)
    return path.name


@contextlib.contextmanager
def offline_page(pw, server, *, timeout_ms: float = 30_000, height: int = 900) -> Iterator:
    """A page in a fresh Chromium that may only reach ``server``; the browser closes at the end."""
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    try:
        page = browser.new_page(viewport={"width": 1280, "height": height})
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(server.url)
                   else route.abort())
        page.set_default_timeout(timeout_ms)
        yield page
    finally:
        browser.close()


def open_notebook(page, server, name: str, kernel_display_name: str = HOCUS["display_name"]) -> None:
    """Open notebook ``name`` and wait until its kernel, named "Python 3 (hocus)", is idle."""
    page.goto(f"{server.url}lab/tree/{name}?token={server.token}")
    page.wait_for_selector(".jp-Notebook .jp-Cell")
    page.wait_for_function(
        "name => { const w = window.jupyterapp?.shell.currentWidget;"
        " return w?.sessionContext?.session?.kernel?.status === 'idle'"
        " && w.sessionContext.kernelDisplayName === name; }", arg=kernel_display_name)


def run_all_cells(page) -> None:
    """Run the notebook's cells as Run > Run All Cells does; returns when the kernel has answered them all."""
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")


class Screenshots:
    """Saves screenshots (of the page or of one element) by step name; copies them to ``test-artifacts/``.

    They go to ``folder`` (a test's ``tmp_path / "screenshots"``), and also to
    ``test-artifacts/TEST_NAME/`` at the repository root when ``HOCUS_TEST_ARTIFACTS``
    is set (``.ci/run`` sets it).
    """

    def __init__(self, folder: Path, test_name: str) -> None:
        self.folder = folder
        self.folder.mkdir()
        self.artifacts = ROOT / "test-artifacts" / test_name if os.environ.get("HOCUS_TEST_ARTIFACTS") else None

    def take(self, page_or_locator, name: str) -> Path:
        path = self.folder / f"{name}.png"
        page_or_locator.screenshot(path=str(path))
        if self.artifacts is not None:
            self.artifacts.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, self.artifacts / path.name)
        return path
