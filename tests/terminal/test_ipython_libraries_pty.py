"""Code written for IPython in the hocus terminal, typed into a real pty (the IPython bridge).

In IPython's terminal ``IPython.display.display`` prints the text form,
``get_ipython()`` is a ``TerminalInteractiveShell``, ``%lprun`` prints its
table and ``%autoreload 2`` picks up an edited module; the same here.
"""

from __future__ import annotations

import os

import pytest

from pty_session import spawn_hocus

pytest.importorskip("IPython", reason="the test extra installs IPython for the bridge")


@pytest.fixture
def hocus(home):
    child = spawn_hocus(home, timeout=60, dimensions=(40, 200))
    child.expect_exact("In [1]: ")
    yield child
    child.close(force=True)


def run(child, line: str, expected: str, count: int) -> None:
    child.send(line + "\r")
    child.expect_exact(expected)
    child.expect_exact(f"In [{count + 1}]: ")


def test_ipython_display_prints_text_and_the_shell_is_a_terminal_one(hocus):
    run(hocus, "from IPython.display import display, HTML; display(HTML('<b>x</b>'))",
        "<IPython.core.display.HTML object>", 1)
    run(hocus, "import IPython; type(IPython.get_ipython()).__name__", "Out[2]: 'TerminalInteractiveShell'", 2)


def test_lprun_prints_its_table(hocus):
    pytest.importorskip("line_profiler", reason="the test extra installs line_profiler")
    run(hocus, "%load_ext line_profiler", "", 1)
    run(hocus, "def g(n): return sum(i * i for i in range(n))", "", 2)
    # the table shows the cell's own source line, as in IPython (cells are named <ipython-input-N-...>)
    run(hocus, "%lprun -f g g(50)", "def g(n): return sum(i * i for i in range(n))", 3)


def test_autoreload_sees_a_module_edited_between_cells(hocus, home):
    module = home / "edited_in_pty.py"
    module.write_text("def answer():\n    return 1\n")
    run(hocus, "import sys; sys.path.insert(0, '.')", "", 1)
    run(hocus, "%load_ext autoreload", "", 2)
    run(hocus, "%autoreload 2", "", 3)
    run(hocus, "import edited_in_pty; edited_in_pty.answer()", "Out[4]: 1", 4)
    module.write_text("def answer():\n    return 2\n")
    stat = module.stat()
    os.utime(module, (stat.st_atime, stat.st_mtime + 10))  # a later mtime without waiting for the clock
    run(hocus, "edited_in_pty.answer()", "Out[5]: 2", 5)
