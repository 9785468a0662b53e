"""``hocus kernel install`` and ``hocus kernel`` without ``-f``, as a user runs them."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

from jupyter_client import BlockingKernelClient

ROOT = Path(__file__).resolve().parents[2]


def hocus(*args: str, env=None, **kwargs):
    return subprocess.run([sys.executable, "-m", "shell", *args], cwd=ROOT, capture_output=True, text=True,
                          env=env, timeout=60, **kwargs)


def test_install_writes_a_spec_that_jupyter_kernelspec_list_shows(tmp_path):
    result = hocus("kernel", "install", "--prefix", str(tmp_path), "--name", "hocus-x", "--display-name", "Hocus X")
    assert result.returncode == 0, result.stderr
    assert "hocus-x" in result.stdout
    env = {**os.environ, "JUPYTER_PATH": str(tmp_path / "share" / "jupyter")}
    listed = subprocess.run([sys.executable, "-m", "jupyter_client.kernelspecapp", "list", "--json"],
                            capture_output=True, text=True, env=env, timeout=60)
    specs = json.loads(listed.stdout)["kernelspecs"]
    assert specs["hocus-x"]["spec"]["display_name"] == "Hocus X"
    assert specs["hocus-x"]["spec"]["argv"][:4] == [sys.executable, "-m", "shell", "kernel"]


def test_install_rejects_a_bad_name_with_one_line(tmp_path):
    result = hocus("kernel", "install", "--prefix", str(tmp_path), "--name", "../evil")
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0 and "Invalid kernel name '../evil'" in result.stderr
    result = hocus("kernel", "install", "--prefix", str(tmp_path), "--name", "..")
    assert result.returncode == 1 and "must not start with '.'" in result.stderr


def test_install_refuses_names_jupyter_cannot_list_as_ipykernel_does(tmp_path):
    # ipykernel 7 (jupyter_client's rule): ASCII letters, digits, - . _ only; "My Kernel" is refused.
    result = hocus("kernel", "install", "--prefix", str(tmp_path), "--name", "My Kernel")
    assert result.returncode == 1 and result.stderr.strip().count("\n") == 0, result.stderr
    assert "Invalid kernel name 'my kernel'" in result.stderr
    assert "ASCII letters and numbers" in result.stderr
    assert not (tmp_path / "share" / "jupyter" / "kernels" / "my kernel").exists()
    for name in ["caf\u00e9", "a:b", "x*"]:
        assert hocus("kernel", "install", "--prefix", str(tmp_path), "--name", name).returncode == 1, name


def test_kernel_json_carries_the_protocol_version_and_a_lowercased_name(tmp_path):
    result = hocus("kernel", "install", "--prefix", str(tmp_path), "--name", "My-Kernel_2.0")
    assert result.returncode == 0, result.stderr
    spec = json.loads((tmp_path / "share" / "jupyter" / "kernels" / "my-kernel_2.0" / "kernel.json").read_text())
    assert spec["kernel_protocol_version"] == "5.5"  # what ipykernel 7 writes, and what kernel_info says
    env = {**os.environ, "JUPYTER_PATH": str(tmp_path / "share" / "jupyter")}
    listed = subprocess.run([sys.executable, "-m", "jupyter_client.kernelspecapp", "list", "--json"],
                            capture_output=True, text=True, env=env, timeout=60)
    assert "my-kernel_2.0" in json.loads(listed.stdout)["kernelspecs"]
    assert "nvalid" not in listed.stderr


def test_kernel_without_f_writes_a_private_connection_file_and_serves_it(tmp_path):
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path), "HOCUS_DIR": str(tmp_path / "hocus")}
    proc = subprocess.Popen([sys.executable, "-m", "shell", "kernel"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        path = tmp_path / f"kernel-{proc.pid}.json"
        deadline = time.monotonic() + 20
        while not path.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        info = json.loads(path.read_text())
        assert info["ip"] == "127.0.0.1" and len(info["key"]) >= 32
        client = BlockingKernelClient(connection_file=str(path))
        client.load_connection_file()
        client.start_channels()
        try:
            reply = client.execute_interactive("6 * 7", timeout=20)
            assert reply["content"]["status"] == "ok"
        finally:
            client.stop_channels()
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(10)
