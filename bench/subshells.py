"""Kernel subshells (JEP 91): hocus beside ipykernel 7, in one run.

Usage::

    python3 bench/subshells.py                   # 200 samples per case
    python3 bench/subshells.py --samples 500 --json out.json

Both kernels are started by jupyter_client from the environment this runs
in (ipykernel's ``python3`` kernelspec, and a ``hocus`` kernelspec installed
into a temporary ``JUPYTER_PATH``), so they share the interpreter and the
libraries. For each kernel, the round trip of ``execute_request`` ``1`` —
from sending it until both its reply and its ``idle`` status have arrived —
is sampled:

1. on the main shell, before any subshell exists;
2. on the main shell, after a subshell was created (hocus then reads the
   shell socket in a router thread: the price of routing);
3. in a subshell while the main shell is idle;
4. in a subshell while the main shell sleeps in a cell (``Event.wait``);
5. in a subshell while the main shell runs a CPU-bound loop (the two threads
   share the GIL, so this is the case issue 16's "within 100 ms" is about).

Median and 90th percentile per case, and the ratio hocus/ipykernel of the
medians (below 1: hocus answers sooner). The client is jupyter_client's
``BlockingKernelClient`` for both kernels, so its own overhead is the same
on each side.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASES = ("main, no subshell", "main, after a subshell", "subshell, main idle",
         "subshell, main sleeping", "subshell, main CPU-bound")
MAIN_CELLS = {"subshell, main sleeping": "bench_stop.wait()",
              "subshell, main CPU-bound": "while not bench_stop.is_set():\n    pass"}


def control(kc, msg_type: str, content: dict | None = None) -> dict:
    msg = kc.session.msg(msg_type, content or {})
    kc.control_channel.send(msg)
    while True:
        reply = kc.get_control_msg(timeout=60)
        if reply["parent_header"].get("msg_id") == msg["header"]["msg_id"]:
            return reply["content"]


def send_execute(kc, code: str, subshell_id: str | None = None) -> str:
    msg = kc.session.msg("execute_request", {"code": code, "silent": False, "store_history": True,
                                             "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
    if subshell_id is not None:
        msg["header"]["subshell_id"] = subshell_id
    kc.shell_channel.send(msg)
    return msg["header"]["msg_id"]


def wait_done(kc, *msg_ids: str) -> None:
    """Until each request's reply and its idle status have arrived (in any order)."""
    waiting = set(msg_ids)
    while waiting:
        waiting.discard(kc.get_shell_msg(timeout=60)["parent_header"].get("msg_id"))
    waiting = set(msg_ids)
    while waiting:
        msg = kc.get_iopub_msg(timeout=60)
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            waiting.discard(msg["parent_header"].get("msg_id"))


def round_trips(kc, samples: int, subshell_id: str | None = None) -> list[float]:
    times = []
    for _ in range(samples):
        start = time.perf_counter()
        wait_done(kc, send_execute(kc, "1", subshell_id))
        times.append(time.perf_counter() - start)
    return times


def wait_stream(kc, msg_id: str, text: str) -> None:
    seen = ""
    while text not in seen:
        msg = kc.get_iopub_msg(timeout=60)
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "stream":
            seen += msg["content"]["text"]


def measure(kernel_name: str, samples: int) -> dict[str, list[float]]:
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name=kernel_name, startup_timeout=60)
    try:
        results = {}
        round_trips(kc, 20)  # warm up
        results["main, no subshell"] = round_trips(kc, samples)
        subshell = control(kc, "create_subshell_request")["subshell_id"]
        round_trips(kc, 20, subshell)
        results["main, after a subshell"] = round_trips(kc, samples)
        results["subshell, main idle"] = round_trips(kc, samples, subshell)
        wait_done(kc, send_execute(kc, "import threading\nbench_stop = threading.Event()"))
        for case, cell in MAIN_CELLS.items():
            wait_done(kc, send_execute(kc, "bench_stop.clear()"))
            main = send_execute(kc, f"print('main busy', flush=True)\n{cell}")
            wait_stream(kc, main, "main busy")
            results[case] = round_trips(kc, samples, subshell)
            wait_done(kc, send_execute(kc, "bench_stop.set()", subshell), main)
        return results
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=200, help="round trips per case (default: 200)")
    parser.add_argument("--json", type=Path, help="write every sample to this file")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([sys.executable, "-m", "shell", "kernel", "install", "--prefix", folder],
                       check=True, cwd=ROOT, capture_output=True)
        os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(Path(folder) / "share" / "jupyter"),
                                                                   os.environ.get("JUPYTER_PATH")]))
        os.environ["HOCUS_DIR"] = str(Path(folder) / "hocus")
        os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
        import ipykernel

        found = {"hocus": measure("hocus", args.samples), f"ipykernel {ipykernel.__version__}":
                 measure("python3", args.samples)}
    names = list(found)
    print(f"execute_request `1`, round trip in ms ({args.samples} samples per case): median / 90th percentile")
    print(f"{'case':<26}" + "".join(f"{name:>22}" for name in names) + f"{'hocus/ipykernel':>18}")
    for case in CASES:
        cells = []
        for name in names:
            ms = sorted(t * 1000 for t in found[name][case])
            cells.append(f"{statistics.median(ms):9.2f} / {ms[int(len(ms) * 0.9)]:7.2f}")
        ratio = statistics.median(found[names[0]][case]) / statistics.median(found[names[1]][case])
        print(f"{case:<26}" + "".join(f"{cell:>22}" for cell in cells) + f"{ratio:>18.2f}")
    if args.json:
        args.json.write_text(json.dumps(found, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
