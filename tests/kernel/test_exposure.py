"""Connection and exposure (issue 18 item 4): the key, the address, ports picked by the kernel,
IPC and CurveZMQ, each against a real kernel process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from jupyter_client import BlockingKernelClient, KernelManager
from jupyter_client.connect import write_connection_file
from kernel_client import execute, stdout_of
from waiting import eventually

DEADLINE = 30.0


def start(args: list[str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "shell", "kernel", *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)


def lines_until(proc: subprocess.Popen, marker: str) -> list[str]:
    """The kernel's stderr lines up to the one starting with ``marker``."""
    lines = []
    while True:
        line = proc.stderr.readline()
        assert line, f"the kernel ended before printing {marker!r}: {lines}"
        lines.append(line.rstrip("\n"))
        if line.startswith(marker):
            return lines


def stop(proc: subprocess.Popen) -> None:
    proc.kill()
    proc.wait()


def client_for(connection_file: Path) -> BlockingKernelClient:
    kc = BlockingKernelClient(connection_file=str(connection_file))
    kc.load_connection_file()
    kc.start_channels()
    kc.wait_for_ready(timeout=DEADLINE)
    return kc


def run_print(kc) -> str:
    reply, outputs = execute(kc, "print(6 * 7)", timeout=DEADLINE)
    assert reply["status"] == "ok"
    return stdout_of(outputs)


def test_listening_beyond_loopback_prints_one_warning(hocus_env, tmp_path):
    proc = start(["-f", str(tmp_path / "k.json"), "--ip", "0.0.0.0"])
    try:
        lines = lines_until(proc, "connect with:")
    finally:
        stop(proc)
    warnings = [line for line in lines if "WARNING" in line]
    assert len(warnings) == 1
    assert "listening on 0.0.0.0, reachable from other machines" in warnings[0]
    assert "plain text" in warnings[0]


def test_loopback_prints_no_warning(hocus_env, tmp_path):
    proc = start(["-f", str(tmp_path / "k.json")])
    try:
        lines = lines_until(proc, "connect with:")
    finally:
        stop(proc)
    assert not [line for line in lines if "WARNING" in line]


def test_an_empty_key_is_refused_in_one_line(hocus_env, tmp_path):
    connection_file = tmp_path / "k.json"
    write_connection_file(str(connection_file), ip="127.0.0.1", key=b"")
    result = subprocess.run([sys.executable, "-m", "shell", "kernel", "-f", str(connection_file)],
                            capture_output=True, text=True, timeout=DEADLINE)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "empty key" in result.stderr and "--insecure" in result.stderr


def test_an_empty_key_with_insecure_starts_and_says_so(hocus_env, tmp_path):
    connection_file = tmp_path / "k.json"
    write_connection_file(str(connection_file), ip="127.0.0.1", key=b"")
    proc = start(["-f", str(connection_file), "--insecure"])
    try:
        assert "messages are not signed" in proc.stderr.readline()
        kc = client_for(connection_file)
        try:
            assert run_print(kc) == "42\n"
        finally:
            kc.stop_channels()
    finally:
        stop(proc)


def test_ports_given_as_zero_are_written_back(hocus_env, tmp_path):
    connection_file = tmp_path / "k.json"
    # written by hand: jupyter_client's write_connection_file would pick the ports itself
    connection_file.write_text(json.dumps({"ip": "127.0.0.1", "transport": "tcp", "key": "a-key",
                                           "signature_scheme": "hmac-sha256", "launcher_note": "kept",
                                           **{f"{c}_port": 0 for c in ("shell", "iopub", "stdin", "control", "hb")}}))
    proc = start(["-f", str(connection_file)])
    try:
        assert eventually(lambda: proc.poll() is not None or all(
            json.loads(connection_file.read_text() or "{}").get(f"{c}_port")
            for c in ("shell", "iopub", "stdin", "control", "hb"))), "the ports were never written back"
        assert proc.poll() is None, "the kernel ended before writing its ports back"
        written = json.loads(connection_file.read_text())
        assert written["launcher_note"] == "kept" and written["key"] == "a-key"
        assert len({written[f"{c}_port"] for c in ("shell", "iopub", "stdin", "control", "hb")}) == 5
        kc = client_for(connection_file)
        try:
            assert run_print(kc) == "42\n"
        finally:
            kc.stop_channels()
    finally:
        stop(proc)


def test_ipc_transport_from_the_command_line(hocus_env, tmp_path):
    connection_file = tmp_path / "k.json"
    proc = start(["-f", str(connection_file), "--transport", "ipc"])
    try:
        lines_until(proc, "connect with:")
        assert eventually(lambda: json.loads(connection_file.read_text()).get("hb_port")), \
            "the socket names were never written back"
        info = json.loads(connection_file.read_text())
        assert info["transport"] == "ipc"
        assert Path(f"{info['ip']}-{info['shell_port']}").is_socket()
        kc = client_for(connection_file)
        try:
            assert run_print(kc) == "42\n"
        finally:
            kc.stop_channels()
    finally:
        stop(proc)


@pytest.mark.parametrize("options", [{"transport": "ipc"}, {"transport_encryption": "required"}],
                         ids=["ipc", "curve"])
def test_a_kernel_manager_can_use_ipc_or_curve(hocus_env, tmp_path, monkeypatch, options):
    """jupyter_client 8.10 provisions CurveZMQ keys for a kernelspec that declares ``supported_encryption``."""
    monkeypatch.chdir(tmp_path)  # jupyter_client names IPC sockets after the working folder
    km = KernelManager(kernel_name="hocus", **options)
    km.start_kernel()
    try:
        info = json.loads(Path(km.connection_file).read_text())
        if "transport_encryption" in options:
            assert info["curve_publickey"] and info["curve_secretkey"]
        kc = km.client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=DEADLINE)
            assert run_print(kc) == "42\n"
        finally:
            kc.stop_channels()
    finally:
        km.shutdown_kernel(now=True)
