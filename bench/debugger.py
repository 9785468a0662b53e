"""The kernel's debugger: hocus beside ipykernel, and hocus before the debugger existed, in one run.

Usage::

    python3 bench/debugger.py                         # throwaway venv, default sample counts
    python3 bench/debugger.py --starts 9 --executes 600 --json out.json
    python3 bench/debugger.py --keep-venv /tmp/hocus-bench --baseline b220f56

All kernels run on one interpreter in one virtual environment (the one
``bench/kernel.py`` builds). hocus runs from two trees taken out of git:
this commit (``HEAD``), and the commit before the debugger was added
(``--baseline``, found from the history by default; ``--head`` picks
another commit to measure), each on its own
``PYTHONPATH``. Measured:

1. initialize to attached: from sending ``debug_request`` ``initialize`` to
   a fresh kernel until the ``attach`` reply has come back (JupyterLab sends
   the two in a row when its debugger is switched on), hocus beside
   ipykernel, ``--starts`` interleaved fresh kernels, median;
2. a kernel nobody debugs pays nothing: start-to-ready, resident memory one
   second after start (medians over the same starts) and the round trip of
   ``1`` (``--executes``, interleaved blocks), hocus now beside hocus at the
   baseline; and that a fresh kernel has not imported debugpy;
3. for information, the round trip of ``1`` once the debugger is attached
   (every line of the kernel's main thread then runs under debugpy's tracer),
   hocus beside ipykernel.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from kernel import Kernel, stats  # noqa: E402 - the lean client of bench/kernel.py
from startup_and_timeit import REPO, isolated_env, log, prepare_venv, run_text  # noqa: E402

CHECK_MODULES = "import sys; print(sorted(m for m in ('debugpy', 'pydevd') if m in sys.modules))"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--starts", type=int, default=7, help="fresh kernels per measurement (default: 7)")
    parser.add_argument("--executes", type=int, default=600, help="round trips of `1` per kernel (default: 600)")
    parser.add_argument("--baseline", default="", help="the hocus commit to compare against "
                        "(default: the parent of the commit that added shell/kernel/debugger.py)")
    parser.add_argument("--head", default="HEAD", help="the hocus commit measured (default: HEAD)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the results as JSON to PATH")
    parser.add_argument("--keep-venv", type=Path, metavar="PATH",
                        help="create the venv at PATH (or reuse it) instead of in a throwaway folder")
    args = parser.parse_args(argv)

    baseline = args.baseline or _commit_before_debugger()
    scratch = Path(tempfile.mkdtemp(prefix="hocus-debugger-bench-"))
    try:
        venv = args.keep_venv.resolve() if args.keep_venv else scratch / "venv"
        bindir = prepare_venv(venv, ("ipykernel",), probe="ipykernel, debugpy")
        python = str(bindir / "python")
        env = isolated_env(scratch)
        trees = {"hocus": _tree(args.head, scratch / "head"), "hocus-baseline": _tree(baseline, scratch / "baseline")}
        os.environ["JUPYTER_PATH"] = str(_kernelspecs(scratch, python, trees))
        versions = {name: run_text([python, "-c", f"import {name}; print({name}.__version__)"], env, scratch)
                    for name in ("ipykernel", "debugpy")}
        versions["hocus"] = _describe(args.head)
        versions["hocus-baseline"] = _describe(baseline)
        results = {"versions": versions,
                   "attach": measure_attach(args.starts, env, scratch),
                   "idle_cost": measure_idle_cost(args, env, scratch),
                   "attached_round_trip": measure_attached_round_trip(args.executes, env, scratch)}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(render(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


# -- the trees and kernelspecs ---------------------------------------------------------------------
def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=True).stdout.strip()


def _commit_before_debugger() -> str:
    added = _git("log", "--format=%H", "--diff-filter=A", "--", "shell/kernel/debugger.py").splitlines()
    if not added:
        raise SystemExit("no commit adds shell/kernel/debugger.py: give --baseline")
    return _git("rev-parse", f"{added[-1]}^")


def _describe(rev: str) -> str:
    return _git("log", "-1", "--format=%h %s", rev)[:72]


def _tree(rev: str, folder: Path) -> Path:
    """The files of hocus at ``rev`` (committed state only), unpacked into ``folder``."""
    folder.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", rev, "shell", "magics"], cwd=REPO, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder


def _kernelspecs(scratch: Path, python: str, trees: dict[str, Path]) -> Path:
    root = scratch / "jupyter"
    specs = {name: {"argv": [python, "-m", "shell", "kernel", "-f", "{connection_file}"],
                    "env": {"PYTHONPATH": str(tree)}} for name, tree in trees.items()}
    specs["ipykernel"] = {"argv": [python, "-m", "ipykernel_launcher", "-f", "{connection_file}"]}
    for name, spec in specs.items():
        folder = root / "kernels" / name
        folder.mkdir(parents=True)
        (folder / "kernel.json").write_text(json.dumps({**spec, "display_name": name, "language": "python"}))
    return root


# -- a client that also speaks on control -----------------------------------------------------------
class DebugKernel(Kernel):
    """bench/kernel.py's lean client, plus the control socket debug requests go on."""

    def __init__(self, name: str, env: dict[str, str], cwd: Path):
        import zmq

        super().__init__(name, env, cwd)
        self.control = self.context.socket(zmq.DEALER)
        self.control.linger = 0
        self.control.connect(f"tcp://{self.manager.ip}:{self.manager.control_port}")
        self._seq = itertools.count(1)

    def debug(self, command: str, timeout: float = 60, **arguments: Any) -> dict:
        """One debug_request; the DAP response in its debug_reply."""
        sent = self.session.send(self.control, "debug_request", {"type": "request", "seq": next(self._seq),
                                                                 "command": command, "arguments": arguments})
        assert sent is not None
        give_up = time.perf_counter() + timeout
        while time.perf_counter() < give_up:
            if self.control.poll(100):
                msg, _ = self._recv(self.control)
                if msg["parent_header"].get("msg_id") == sent["header"]["msg_id"]:
                    return msg["content"]
            while self.iopub.poll(0):  # debug events: not measured, not left to pile up
                self._recv(self.iopub)
        raise SystemExit(f"{self.name} did not answer the debug request {command!r}")

    def attach(self) -> tuple[float, float]:
        """What JupyterLab's switch does: (seconds to the initialize reply, seconds to the attach reply)."""
        started = time.perf_counter()
        reply = self.debug("initialize", clientID="jupyterlab", clientName="JupyterLab", adapterID="python",
                           pathFormat="path", linesStartAt1=True, columnsStartAt1=True, supportsVariableType=True,
                           supportsVariablePaging=True, supportsRunInTerminalRequest=True, locale="en")
        initialized = time.perf_counter() - started
        if not reply.get("success"):
            raise SystemExit(f"{self.name}: initialize failed: {reply}")
        reply = self.debug("attach")
        if not reply.get("success"):
            raise SystemExit(f"{self.name}: attach failed: {reply}")
        return initialized, time.perf_counter() - started

    def close(self) -> None:
        self.control.close()  # before the context is ended, which waits for every socket
        super().close()

    def printed(self, code: str) -> str:
        text: list[str] = []
        self.execute(code, on_iopub=lambda msg, size: text.append(msg["content"].get("text", ""))
                     if msg["msg_type"] == "stream" else None)
        return "".join(text).strip()


# -- the measurements ------------------------------------------------------------------------------
def measure_attach(starts: int, env: dict[str, str], cwd: Path) -> dict:
    names = ("hocus", "ipykernel")
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in names}
    for index in range(starts + 1):  # the first round warms the disk cache and byte-compiles
        for name in names if index % 2 == 0 else names[::-1]:
            kernel = DebugKernel(name, env, cwd)
            try:
                timing = kernel.attach()
            finally:
                kernel.close()
            if index:
                samples[name].append(timing)
        log(f"attach round {index}/{starts}")
    return {name: {"initialize_median_s": statistics.median(i for i, _ in runs),
                   "attached_median_s": statistics.median(a for _, a in runs),
                   "attached_all_s": [a for _, a in runs]} for name, runs in samples.items()}


def measure_idle_cost(args: argparse.Namespace, env: dict[str, str], cwd: Path) -> dict:
    names = ("hocus", "hocus-baseline")
    starts: dict[str, list[tuple[float, float]]] = {name: [] for name in names}
    loaded: dict[str, str] = {}
    for index in range(args.starts + 1):
        for name in names if index % 2 == 0 else names[::-1]:
            kernel = DebugKernel(name, env, cwd)
            try:
                time.sleep(1.0)
                if index:
                    starts[name].append((kernel.ready_s, kernel.rss_mib()))
                loaded[name] = kernel.printed(CHECK_MODULES)
            finally:
                kernel.close()
        log(f"idle start round {index}/{args.starts}")
    kernels = [DebugKernel(name, env, cwd) for name in names]
    rtt: dict[str, list[float]] = {k.name: [] for k in kernels}
    try:
        _round_trips(kernels, args.executes, rtt)
    finally:
        for k in kernels:
            k.close()
    log("idle round trips done")
    return {name: {"ready_median_s": statistics.median(s for s, _ in starts[name]),
                   "rss_median_mib": statistics.median(r for _, r in starts[name]),
                   "execute": stats(rtt[name]), "debugger_modules_loaded": loaded[name]} for name in names}


def measure_attached_round_trip(executes: int, env: dict[str, str], cwd: Path) -> dict:
    kernels = [DebugKernel(name, env, cwd) for name in ("hocus", "ipykernel")]
    rtt: dict[str, list[float]] = {k.name: [] for k in kernels}
    try:
        for k in kernels:
            k.attach()
            k.debug("configurationDone")
        _round_trips(kernels, executes, rtt)
    finally:
        for k in kernels:
            k.close()
    log("attached round trips done")
    return {name: stats(samples) for name, samples in rtt.items()}


def _round_trips(kernels: list[DebugKernel], executes: int, into: dict[str, list[float]]) -> None:
    for k in kernels:
        for _ in range(50):
            k.execute("1")
    block = 50
    for start in range(0, executes, block):
        for k in kernels if (start // block) % 2 == 0 else kernels[::-1]:
            for _ in range(min(block, executes - start)):
                reply, idle, seconds = k.execute("1")
                if reply is None or not idle:
                    raise SystemExit(f"{k.name} did not answer `1`")
                into[k.name].append(seconds)


# -- the report ------------------------------------------------------------------------------------
def render(results: dict) -> str:
    ms = 1000.0
    attach, idle, attached = results["attach"], results["idle_cost"], results["attached_round_trip"]
    versions = results["versions"]
    lines = [f"hocus {versions['hocus']}", f"baseline {versions['hocus-baseline']}",
             f"ipykernel {versions['ipykernel']}, debugpy {versions['debugpy']}", "",
             "| measure | hocus | reference | ratio |", "| --- | --- | --- | --- |"]

    def row(label: str, ours: float, theirs: float, unit: str = "ms", scale: float = ms) -> None:
        lines.append(f"| {label} | {ours * scale:.1f} {unit} | {theirs * scale:.1f} {unit} | {ours / theirs:.2f} |")

    row("initialize to attached (vs ipykernel)", attach["hocus"]["attached_median_s"],
        attach["ipykernel"]["attached_median_s"])
    row("initialize reply alone (vs ipykernel)", attach["hocus"]["initialize_median_s"],
        attach["ipykernel"]["initialize_median_s"])
    row("no debugging: start to ready (vs baseline)", idle["hocus"]["ready_median_s"],
        idle["hocus-baseline"]["ready_median_s"])
    row("no debugging: resident memory (vs baseline)", idle["hocus"]["rss_median_mib"],
        idle["hocus-baseline"]["rss_median_mib"], "MiB", 1.0)
    row("no debugging: round trip p50 (vs baseline)", idle["hocus"]["execute"]["p50_s"],
        idle["hocus-baseline"]["execute"]["p50_s"])
    row("debugger attached: round trip p50 (vs ipykernel)", attached["hocus"]["p50_s"],
        attached["ipykernel"]["p50_s"])
    lines.append("")
    lines.append(f"debugger modules a fresh kernel has loaded: hocus {idle['hocus']['debugger_modules_loaded']}, "
                 f"baseline {idle['hocus-baseline']['debugger_modules_loaded']}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
