"""matplotlib in the terminal, in a real pty: what ``%matplotlib`` says, and the image files it leaves.

A terminal without a graphics protocol gets each figure as a PNG file whose
path is printed; those files are the session's own and go when it ends.
``TMPDIR`` points into the test's folder, so what is left behind can be counted.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pexpect
import pytest

pytest.importorskip("matplotlib")

SAVED = re.compile(r"\[image/png saved to (\S+\.png)\]")


def spawn(tmp_path):
    env = {**os.environ, "TERM": "xterm", "NO_COLOR": "1", "PROMPT_TOOLKIT_NO_CPR": "1", "TMPDIR": str(tmp_path),
           "HOCUS_DIR": str(tmp_path / "home")}
    env.pop("MPLBACKEND", None)
    env.pop("KITTY_WINDOW_ID", None)
    env.pop("TERM_PROGRAM", None)
    env.pop("LC_TERMINAL", None)
    return pexpect.spawn(sys.executable, ["-m", "shell", "--no-banner"], env=env, cwd=str(tmp_path),
                         encoding="utf-8", timeout=60, dimensions=(40, 200))


def images_left(tmp_path) -> list[str]:
    return [os.path.join(folder, name) for folder, _, names in os.walk(tmp_path) for name in names
            if name.startswith(("hocus-image-", "hocus-figure-"))]


def test_matplotlib_without_a_name_says_which_backend_it_chose(tmp_path):
    # IPython 9: "%matplotlib" alone prints "Using matplotlib backend: <backend>"; a named one prints nothing.
    child = spawn(tmp_path)
    try:
        child.expect_exact("In [1]: ")
        child.sendline("%matplotlib")
        child.expect_exact("Using matplotlib backend: inline")
        child.expect_exact("In [2]: ")
        child.sendline("%matplotlib inline")
        child.expect_exact("In [3]: ")
        assert "Using" not in child.before
    finally:
        child.close(force=True)


def test_figure_files_shown_in_the_terminal_are_removed_when_the_session_ends(tmp_path):
    child = spawn(tmp_path)
    try:
        child.expect_exact("In [1]: ")
        child.sendline("%matplotlib inline")
        child.expect_exact("In [2]: ")
        child.sendline("import matplotlib.pyplot as plt; plt.plot([1, 2]); plt.show()")
        child.expect(SAVED)
        shown = child.match.group(1)
        child.expect_exact("In [3]: ")
        child.sendline("plt.figure(); _ = plt.plot([3, 1])")  # shown when the cell ends
        child.expect(SAVED)
        second = child.match.group(1)
        child.expect_exact("In [4]: ")
        assert os.path.isfile(shown) and os.path.isfile(second)  # there to open while the session lasts
        assert os.path.realpath(shown).startswith(os.path.realpath(tmp_path))
        child.sendline("exit")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert not os.path.exists(shown) and not os.path.exists(second)
    assert images_left(tmp_path) == []


def test_plt_show_outside_a_session_removes_its_files_at_exit(tmp_path):
    env = {**os.environ, "TMPDIR": str(tmp_path), "MPLBACKEND": "module://shell.display.inline_backend"}
    code = ("import os, matplotlib.pyplot as plt\nplt.plot([1, 2])\nplt.show()\n"
            "print('left', len(os.listdir(os.environ['TMPDIR'])) > 0)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    match = re.search(r"\[figure saved to (\S+\.png)\]", proc.stdout)
    assert match and "left True" in proc.stdout, proc.stdout
    assert not os.path.exists(match.group(1)) and images_left(tmp_path) == []
