"""Kernel tests run real kernel processes over real ZMQ sockets, driven by jupyter_client.

``hocus_env`` installs the kernelspec into a temporary prefix and points
``JUPYTER_PATH`` at it (and ``HOCUS_DIR`` at a temporary folder, so the
history database is the test's own). ``kernel`` is one kernel shared by a
module; tests that kill or restart a kernel start their own.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests import kernel_client

from kernel_client import flush, start_kernel  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def hocus_env(tmp_path_factory):
    base = tmp_path_factory.mktemp("kernel-env")
    subprocess.run([sys.executable, "-m", "shell", "kernel", "install", "--prefix", str(base)],
                   check=True, cwd=ROOT, capture_output=True)
    saved = {k: os.environ.get(k) for k in ("JUPYTER_PATH", "HOCUS_DIR", "PYTHONPATH")}
    os.environ["JUPYTER_PATH"] = str(base / "share" / "jupyter")
    os.environ["HOCUS_DIR"] = str(base / "hocus")
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), saved["PYTHONPATH"]]))
    yield base
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


@pytest.fixture(scope="module")
def kernel(hocus_env):
    km, kc = start_kernel()
    yield km, kc
    kc.stop_channels()
    km.shutdown_kernel(now=True)


@pytest.fixture
def kc(kernel):
    client = kernel[1]
    flush(client)
    return client
