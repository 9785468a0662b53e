"""embed() inside a script: the caller's names, comprehensions over its locals, exit returns."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap


def test_embed_twice_then_the_script_continues(tmp_path):
    script = tmp_path / "prog.py"
    script.write_text(textwrap.dedent("""
        from shell import embed

        GLOBAL_FACTOR = 10

        def work(items):
            scale = 3
            embed(header="first stop")
            embed(header="second stop")
            return [i * scale for i in items]

        print("result", work([1, 2]))
    """))
    cells = ("[i * scale * GLOBAL_FACTOR for i in items]\n"
             "made_here = 5\n"
             "(lambda: made_here + scale)()\n"
             "exit\n"
             "'second', scale\n"
             "exit\n")
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.run([sys.executable, str(script)], input=cells, capture_output=True, text=True,
                          env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "first stop" in out and "second stop" in out
    assert "Out[1]: [30, 60]" in out
    assert "Out[3]: 8" in out
    assert "Out[1]: ('second', 3)" in out
    assert out.rstrip().endswith("result [3, 6]")
    assert "NameError" not in proc.stderr
