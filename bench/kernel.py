"""The Jupyter kernel: hocus beside ipykernel and xeus-python, in one run.

Usage::

    python3 bench/kernel.py                          # throwaway venv, default sample counts
    python3 bench/kernel.py --starts 9 --executes 1000 --json out.json
    python3 bench/kernel.py --keep-venv /tmp/hocus-bench   # reuse the venv between runs

The three kernels are installed into one fresh virtual environment (the one
``startup_and_timeit.py`` builds, plus ``ipykernel`` and ``xeus-python`` from
PyPI), so they run on the same interpreter with the same libraries. Each gets
a kernelspec of its own in a temporary ``JUPYTER_PATH`` and is started by
jupyter_client's ``KernelManager``, as a notebook server starts it. The
measuring client is lean on purpose: the kernel's own shell (DEALER) and
IOPub (SUB, no receive high-water mark, so any loss is the kernel's) sockets,
messages signed by jupyter_client's ``Session``, one ``zmq.Poller``.

Measured, per kernel:

1. start-to-ready: from ``start_kernel()`` until a ``kernel_info_reply`` has
   come back and IOPub has delivered a message (what ``wait_for_ready`` waits
   for); ``--starts`` interleaved starts, median; the resident memory (VmRSS)
   of the kernel process one second after each start, median;
2. execute round trip of ``1``: from sending ``execute_request`` until both
   the ``execute_reply`` and the ``idle`` status have arrived; the three
   kernels run side by side and are sampled in interleaved blocks;
3. complete latency of ``import os; os.pa`` (cursor at the end), the first,
   cold request included in the samples;
4. a cell printing 200,000 lines: time until the reply and the ``idle``
   status have arrived, stream messages and bytes received, and whether the
   text arrived complete and in order. A kernel that loses its ``idle`` is
   given up on after ``--print-timeout`` seconds.

A bare ZMQ echo between two processes (DEALER to ROUTER, the same
poller) gives the floor of any round trip. The exit status is 1 when hocus
misses one of the goals of issue 7 (shown in the last column).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from startup_and_timeit import isolated_env, log, prepare_venv, run_text  # noqa: E402 - the shared venv recipe

PRINT_LINES = 200_000
PRINT_CELL = f"for i in range({PRINT_LINES}):\n    print(i)"
PRINT_EXPECTED = "".join(f"{i}\n" for i in range(PRINT_LINES))
# the case (os not imported yet: static inference), then os.pa with os in the namespace
COMPLETE_CASES = ("import os; os.pa", "os.pa")
KERNELS = ("hocus", "ipykernel", "xeus-python")

ECHO_SERVER = """\
import sys, zmq
sock = zmq.Context().socket(zmq.ROUTER)
port = sock.bind_to_random_port("tcp://127.0.0.1")
print(port, flush=True)
while True:
    frames = sock.recv_multipart()
    if frames[-1] == b"stop":
        break
    sock.send_multipart(frames)
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--starts", type=int, default=7, help="starts per kernel (default: 7)")
    parser.add_argument("--executes", type=int, default=600, help="round trips of `1` per kernel (default: 600)")
    parser.add_argument("--completes", type=int, default=100, help="complete requests per kernel (default: 100)")
    parser.add_argument("--print-timeout", type=float, default=120.0, metavar="S",
                        help="give up on the 200k-line print after S seconds (default: 120)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the results as JSON to PATH")
    parser.add_argument("--keep-venv", type=Path, metavar="PATH",
                        help="create the venv at PATH (or reuse it) instead of in a throwaway folder")
    args = parser.parse_args(argv)

    scratch = Path(tempfile.mkdtemp(prefix="hocus-kernel-bench-"))
    try:
        venv = args.keep_venv.resolve() if args.keep_venv else scratch / "venv"
        bindir = prepare_venv(venv, ("ipykernel", "xeus-python"), probe="ipykernel, xpython_launcher")
        python = str(bindir / "python")
        env = isolated_env(scratch)
        os.environ["JUPYTER_PATH"] = str(write_kernelspecs(scratch, bindir))
        versions = {name: run_text([python, "-c", code], env, scratch) for name, code in (
            ("python", "import sys; print(sys.version.split()[0])"),
            ("ipykernel", "import ipykernel; print(ipykernel.__version__)"),
            ("xeus-python", "from importlib.metadata import version; print(version('xeus-python'))"))}
        results = {"versions": versions, "platform": platform.platform(),
                   "zmq_echo": zmq_echo(args.executes),
                   "start": measure_starts(args.starts, env, scratch)}
        results.update(measure_running(args, env, scratch))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    text, met = render(results)
    print(text)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0 if met else 1


# -- the environment -------------------------------------------------------------------------------
def write_kernelspecs(scratch: Path, bindir: Path) -> Path:
    python = str(bindir / "python")
    argv = {"hocus": [python, "-m", "shell", "kernel", "-f", "{connection_file}"],
            "ipykernel": [python, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            "xeus-python": [python, "-m", "xpython_launcher", "-f", "{connection_file}"]}  # the wheel's own spec
    root = scratch / "jupyter"
    for name, command in argv.items():
        folder = root / "kernels" / name
        folder.mkdir(parents=True)
        (folder / "kernel.json").write_text(json.dumps({"argv": command, "display_name": name,
                                                        "language": "python"}))
    return root


# -- the client ------------------------------------------------------------------------------------
class Kernel:
    """One kernel process and a lean client on its shell and IOPub sockets."""

    def __init__(self, name: str, env: dict[str, str], cwd: Path):
        import zmq
        from jupyter_client import KernelManager
        from jupyter_client.session import Session

        self.name = name
        self.manager = KernelManager(kernel_name=name)
        self.started = time.perf_counter()
        with open(cwd / f"{name}.log", "ab") as log_file:  # the kernels' banners and warnings
            self.manager.start_kernel(env=env, cwd=str(cwd), stdout=log_file, stderr=log_file)
        self.session = Session(key=self.manager.session.key,
                               signature_scheme=self.manager.session.signature_scheme)
        self.context = zmq.Context()
        url = f"tcp://{self.manager.ip}:"
        self.shell = self.context.socket(zmq.DEALER)
        self.shell.linger = 0
        self.shell.connect(url + str(self.manager.shell_port))
        self.iopub = self.context.socket(zmq.SUB)
        self.iopub.linger = 0
        self.iopub.setsockopt(zmq.RCVHWM, 0)
        self.iopub.setsockopt(zmq.SUBSCRIBE, b"")
        self.iopub.connect(url + str(self.manager.iopub_port))
        self.poller = zmq.Poller()
        self.poller.register(self.shell, zmq.POLLIN)
        self.poller.register(self.iopub, zmq.POLLIN)
        self.ready_s = self._wait_until_ready()

    @property
    def pid(self) -> int:
        return self.manager.provisioner.process.pid

    def rss_mib(self) -> float:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError("no VmRSS")

    def _recv(self, socket) -> tuple[dict, int]:
        frames = socket.recv_multipart()
        _, parts = self.session.feed_identities(frames)
        return self.session.deserialize(parts), sum(len(f) for f in frames)

    def _wait_until_ready(self, timeout: float = 60) -> float:
        deadline = time.perf_counter() + timeout
        replied = heard = False
        while not (replied and heard):
            if time.perf_counter() > deadline:
                raise SystemExit(f"{self.name} did not become ready:\n{self.manager}")
            if not replied or not heard:
                self.session.send(self.shell, "kernel_info_request", {})
            for socket, _ in self.poller.poll(100):
                msg, _ = self._recv(socket)
                if socket is self.shell:
                    replied = True
                else:
                    heard = True
        return time.perf_counter() - self.started

    def request(self, msg_type: str, content: dict, on_iopub=None, timeout: float = 60) -> tuple[dict | None, bool, float]:
        """Send one shell request; (its reply, whether its idle came, seconds until both)."""
        started = time.perf_counter()
        msg_id = self.session.send(self.shell, msg_type, content)["header"]["msg_id"]
        reply, idle, deadline = None, False, started + timeout
        while reply is None or not idle:
            left = deadline - time.perf_counter()
            if left <= 0:
                break
            for socket, _ in self.poller.poll(left * 1000):
                msg, size = self._recv(socket)
                if msg["parent_header"].get("msg_id") != msg_id:
                    continue
                if socket is self.shell:
                    reply = msg
                elif msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                    idle = True
                elif on_iopub is not None:
                    on_iopub(msg, size)
        return reply, idle, time.perf_counter() - started

    def execute(self, code: str, **kwargs):
        return self.request("execute_request", {"code": code, "silent": False, "store_history": True,
                                                "user_expressions": {}, "allow_stdin": False,
                                                "stop_on_error": True}, **kwargs)

    def close(self) -> None:
        self.shell.close()
        self.iopub.close()
        self.context.term()
        self.manager.shutdown_kernel(now=True)


# -- the measurements ------------------------------------------------------------------------------
def measure_starts(starts: int, env, cwd) -> dict[str, dict]:
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in KERNELS}
    for index in range(starts + 1):  # the first round is a warm-up (byte-compiling, disk cache)
        order = KERNELS if index % 2 == 0 else KERNELS[::-1]
        for name in order:
            kernel = Kernel(name, env, cwd)
            time.sleep(1.0)
            if index:
                samples[name].append((kernel.ready_s, kernel.rss_mib()))
            kernel.close()
        log(f"start round {index}/{starts}")
    return {name: {"ready_median_s": statistics.median(s for s, _ in runs),
                   "ready_all_s": [s for s, _ in runs],
                   "rss_median_mib": statistics.median(r for _, r in runs)} for name, runs in samples.items()}


def measure_running(args, env, cwd) -> dict:
    kernels = [Kernel(name, env, cwd) for name in KERNELS]
    try:
        complete = {case: {k.name: [] for k in kernels} for case in COMPLETE_CASES}
        found = {case: {k.name: 0 for k in kernels} for case in COMPLETE_CASES}
        for case in COMPLETE_CASES:  # the first request is cold (jedi's import), and counts
            for k in kernels:
                if case == "os.pa":
                    k.execute("import os")
                for _ in range(args.completes):
                    reply, idle, seconds = k.request("complete_request", {"code": case, "cursor_pos": len(case)})
                    if reply is None:
                        raise SystemExit(f"{k.name} did not answer complete_request")
                    complete[case][k.name].append(seconds)
                    found[case][k.name] += "path" in reply["content"]["matches"]
        log("complete done")
        rtt = {k.name: [] for k in kernels}
        for k in kernels:
            for _ in range(50):
                k.execute("1")
        block = 50
        for start in range(0, args.executes, block):
            for k in kernels if (start // block) % 2 == 0 else kernels[::-1]:
                for _ in range(min(block, args.executes - start)):
                    reply, idle, seconds = k.execute("1")
                    if reply is None or not idle:
                        raise SystemExit(f"{k.name} did not answer `1`")
                    rtt[k.name].append(seconds)
        log("round trips done")
        flood = {}
        for k in kernels:  # last: a kernel that loses output may be in no state for more
            flood[k.name] = print_flood(k, args.print_timeout)
            log(f"200k-line print on {k.name}: {flood[k.name]['seconds']:.2f} s")
    finally:
        for k in kernels:
            k.close()
    return {"complete": {case: {name: {**stats(s), "found_path": found[case][name]} for name, s in by.items()}
                         for case, by in complete.items()},
            "execute": {name: stats(s) for name, s in rtt.items()},
            "print": flood}


def print_flood(kernel: Kernel, timeout: float) -> dict:
    chunks: list[str] = []
    counts = {"messages": 0, "bytes": 0}

    def on_iopub(msg, size):
        if msg["msg_type"] == "stream" and msg["content"]["name"] == "stdout":
            chunks.append(msg["content"]["text"])
            counts["messages"] += 1
            counts["bytes"] += size

    reply, idle, seconds = kernel.execute(PRINT_CELL, on_iopub=on_iopub, timeout=timeout)
    text = "".join(chunks)
    return {"seconds": seconds, "reply": reply is not None, "idle": idle, "complete": text == PRINT_EXPECTED,
            "lines": text.count("\n"), **counts}


def zmq_echo(samples: int) -> dict:
    import zmq

    server = subprocess.Popen([sys.executable, "-c", ECHO_SERVER], stdout=subprocess.PIPE, text=True)
    try:
        port = int(server.stdout.readline())
        context = zmq.Context()
        sock = context.socket(zmq.DEALER)
        sock.linger = 0
        sock.connect(f"tcp://127.0.0.1:{port}")
        poller = zmq.Poller()
        poller.register(sock, zmq.POLLIN)
        times = []
        for index in range(samples + 50):
            started = time.perf_counter()
            sock.send(b"ping")
            poller.poll(5000)
            sock.recv()
            if index >= 50:
                times.append(time.perf_counter() - started)
        sock.send(b"stop")
        sock.close()
        context.term()
        return stats(times)
    finally:
        server.wait(5)


def stats(samples: list[float]) -> dict:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return {"p50_s": cuts[49], "p99_s": cuts[98], "first_s": samples[0], "n": len(samples)}


# -- report ----------------------------------------------------------------------------------------
def render(r: dict) -> tuple[str, bool]:
    """The table, and whether hocus met every goal."""
    h, i, x = KERNELS
    v = r["versions"]
    lines = [f"hocus vs ipykernel {v['ipykernel']} vs xeus-python {v['xeus-python']} "
             f"on Python {v['python']} ({r['platform']})", ""]
    head = f"{'measure':<40}{'hocus':>11}{'ipykernel':>11}{'xeus-py':>11}{'h/ipyk':>8}{'h/xeus':>8}  goal"
    lines += [head, "-" * len(head)]
    verdicts = []

    def row(label, values, fmt, goal="", ok=None):
        a, b, c = values
        ratio = lambda p, q: f"{p / q:.2f}" if isinstance(p, (int, float)) and q else ""  # noqa: E731
        mark = "" if ok is None else (" ok" if ok else " MISSED")
        if ok is not None:
            verdicts.append(ok)
        lines.append(f"{label:<40}{fmt(a):>11}{fmt(b):>11}{fmt(c):>11}{ratio(a, b):>8}{ratio(a, c):>8}  {goal}{mark}")

    start = [r["start"][k]["ready_median_s"] for k in KERNELS]
    row("start to ready (median)", start, ms, "<= 0.5 x ipyk", start[0] <= 0.5 * start[1])
    p50 = [r["execute"][k]["p50_s"] for k in KERNELS]
    row("execute `1` round trip p50", p50, ms, "<= 0.25 x ipyk, < xeus", p50[0] <= 0.25 * p50[1] and p50[0] < p50[2])
    row("execute `1` round trip p99", [r["execute"][k]["p99_s"] for k in KERNELS], ms)
    for case, label in zip(COMPLETE_CASES, ("complete `import os; os.pa`", "complete `os.pa`, os imported")):
        by = r["complete"][case]
        row(f"{label} p50", [by[k]["p50_s"] for k in KERNELS], ms)
        c99 = [by[k]["p99_s"] for k in KERNELS]
        useful = by[h]["found_path"] >= by[h]["n"] - 1  # a fast empty answer is no answer
        row(f"{label} p99", c99, ms, *(("<= 50 ms, offers path", c99[0] <= 0.050 and useful)
                                       if case == COMPLETE_CASES[0] else ()))
        row(f"{label} first", [by[k]["first_s"] for k in KERNELS], ms)
        row("  replies offering `path`", [f"{by[k]['found_path']}/{by[k]['n']}" for k in KERNELS], str)
    rss = [r["start"][k]["rss_median_mib"] for k in KERNELS]
    row("resident memory after start", rss, lambda m: f"{m:.1f} MiB", "<= 0.6 x ipyk", rss[0] <= 0.6 * rss[1])
    flood = [r["print"][k] for k in KERNELS]
    row("200k-line print: time", [f["seconds"] for f in flood], ms, "<= 0.5 x ipyk, complete",
        flood[0]["seconds"] <= 0.5 * flood[1]["seconds"] and flood[0]["complete"] and flood[0]["idle"])
    row("200k-line print: stream messages", [f["messages"] for f in flood], str)
    row("200k-line print: bytes received", [f["bytes"] for f in flood], lambda b: f"{b / 2**20:.2f} MiB")
    row("200k-line print: lines arrived", [f["lines"] for f in flood], str)
    lines.append(f"{'200k-line print: complete, idle':<40}"
                 + "".join(f"{('yes' if f['complete'] else 'NO') + ', ' + ('yes' if f['idle'] else 'LOST'):>11}"
                           for f in flood))
    echo = r["zmq_echo"]
    lines += ["", f"floor: bare ZMQ echo between two processes p50 {ms(echo['p50_s'])}, p99 {ms(echo['p99_s'])}",
              f"samples: {r['start'][h]['ready_all_s'].__len__()} starts, {r['execute'][h]['n']} round trips, "
              f"{r['complete'][COMPLETE_CASES[0]][h]['n']} completes per case and kernel"]
    return "\n".join(lines), all(verdicts)


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:.2f} ms" if seconds < 0.1 else f"{seconds * 1e3:.0f} ms"


if __name__ == "__main__":
    sys.exit(main())
