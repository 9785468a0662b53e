"""%autoreload in the terminal shell, in a real pty: a module edited between prompts."""

from __future__ import annotations

import os
import sys

import pexpect


def write(path, source: str, mtime: int) -> None:
    path.write_text(source)
    os.utime(path, (mtime, mtime))


def test_a_module_edited_between_prompts_is_reloaded(tmp_path):
    module = tmp_path / "geometry.py"
    write(module, "class Shape:\n    def describe(self):\n        return 'round'\n", 1_000_000)
    env = {**os.environ, "NO_COLOR": "1", "TERM": "xterm", "HOCUS_DIR": str(tmp_path / "home"),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(tmp_path), os.environ.get("PYTHONPATH")]))}
    child = pexpect.spawn(sys.executable, ["-m", "shell", "--no-banner"], env=env, cwd=str(tmp_path),
                          encoding="utf-8", timeout=30, dimensions=(40, 120))
    try:
        child.expect_exact("In [1]: ")
        child.sendline("%autoreload 2")
        child.expect_exact("In [2]: ")
        child.sendline("from geometry import Shape; shape = Shape(); shape.describe()")
        child.expect_exact("Out[2]: 'round'")
        child.expect_exact("In [3]: ")
        write(module, "class Shape:\n    def describe(self):\n        return 'square'\n", 1_000_010)
        child.sendline("shape.describe()")
        child.expect_exact("Out[3]: 'square'")
        child.expect_exact("In [4]: ")
        write(module, "class Shape(:\n", 1_000_020)
        child.sendline("shape.describe()")
        child.expect_exact("[autoreload of geometry failed: SyntaxError: ")
        child.expect_exact("Out[4]: 'square'")  # the cell still ran, the shell lives on
        child.expect_exact("In [5]: ")
    finally:
        child.close(force=True)
