"""Start a Jupyter server application (jupyter_server or JupyterLab) on loopback for a test.

``running_server("jupyter_server", root, data)`` starts ``python -m jupyter_server``
on 127.0.0.1 with a random token and its own config and runtime folders, waits
until its REST API answers, and yields a :class:`Server` (base URL, token, small
JSON helpers); the server and the kernels it started are stopped at the end.
The port is the one the server wrote into its ``jpserver-PID.json``, so a port
taken by someone else between choosing and binding is never a problem.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Server:
    url: str  # http://127.0.0.1:PORT/ (no base path)
    token: str
    log: Path

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, object]:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path.lstrip("/"), data=data, method=method,
                                     headers={"Authorization": f"token {self.token}",
                                              "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as resp:
            raw = resp.read()
            return resp.status, json.loads(raw) if raw else None


@contextlib.contextmanager
def running_server(module: str, root: Path, scratch: Path, *extra: str, startup_timeout: float = 60):
    """Run ``python -m MODULE`` serving ``root``; ``scratch`` holds its config, runtime and log."""
    token = secrets.token_hex(16)
    runtime = scratch / "runtime"
    env = {**os.environ,
           "JUPYTER_CONFIG_DIR": str(scratch / "config"),
           "JUPYTER_RUNTIME_DIR": str(runtime),
           "JUPYTERLAB_SETTINGS_DIR": str(scratch / "lab-settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(scratch / "lab-workspaces"),
           "IPYTHONDIR": str(scratch / "ipython")}
    log = scratch / "server.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", module, "--no-browser", "--ServerApp.ip=127.0.0.1", "--ServerApp.port=0",
             f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
             *(["--allow-root"] if os.geteuid() == 0 else []), *extra],  # CI runs as root
            env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, cwd=str(root))
    try:
        server = Server(_wait_for_url(proc, runtime, log, startup_timeout), token, log)
        _wait_for_api(server, proc, startup_timeout)
        yield server
    finally:
        proc.send_signal(signal.SIGTERM)  # the server's clean stop: it shuts its kernels down first
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(20)
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)


def _wait_for_url(proc: subprocess.Popen, runtime: Path, log: Path, timeout: float) -> str:
    info = runtime / f"jpserver-{proc.pid}.json"
    deadline = time.monotonic() + timeout
    while not info.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"the server did not start:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.1)
    while True:  # written in one go, but it may be read mid-write
        with contextlib.suppress(ValueError):
            port = json.loads(info.read_text())["port"]
            return f"http://127.0.0.1:{port}/"
        time.sleep(0.05)


def _wait_for_api(server: Server, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            server.request("GET", "api/status")
            return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"the server's API did not answer:\n{server.log.read_text()[-3000:]}")
            time.sleep(0.1)
