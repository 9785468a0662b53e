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


def run_script(tmp_path, source, cells):
    script = tmp_path / "prog.py"
    script.write_text(textwrap.dedent(source))
    env = {**os.environ, "NO_COLOR": "1", "HOCUS_DIR": str(tmp_path / "home")}
    return subprocess.run([sys.executable, str(script)], input=cells, capture_output=True, text=True,
                          env=env, timeout=60)


def test_kill_embedded_stops_that_call_site(tmp_path):
    proc = run_script(tmp_path, """
        from shell import embed

        opened = []
        for round_ in range(3):
            opened.append(round_)
            embed(header=f"round {round_}")
        print("loop finished after", len(opened), "rounds")
    """, "round_\nexit\n%kill_embedded\n")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "Out[1]: 0" in out
    assert "round 1" in out and "This embedded shell will not open again" in out
    assert "round 2" not in out  # the third round did not open a shell
    assert out.rstrip().endswith("loop finished after 3 rounds")


def test_embed_async_inside_a_running_program(tmp_path):
    proc = run_script(tmp_path, """
        import asyncio
        from shell import embed_async

        async def main():
            ticks = []

            async def ticker():
                while True:
                    ticks.append(1)
                    await asyncio.sleep(0.01)

            task = asyncio.create_task(ticker())
            await embed_async(header="inside the loop")
            task.cancel()
            print("program carried on, ticked", len(ticks) > 10)

        asyncio.run(main())
    """, "before = len(ticks)\n"
         # waits while the program's task ticks; if the loop were not the program's, ticks would stay still
         "for _ in range(6000):\n    if len(ticks) - before > 10: break\n    await asyncio.sleep(0.01)\n\n"
         "len(ticks) - before > 10\nexit\n")
    assert proc.returncode == 0, proc.stderr
    assert "inside the loop" in proc.stdout
    assert "Out[3]: True" in proc.stdout  # the program's loop kept running while the cell awaited
    assert proc.stdout.rstrip().endswith("program carried on, ticked True")
