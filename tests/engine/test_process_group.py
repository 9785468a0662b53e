"""Stopping a child's process group, and holding Ctrl-C back while a child starts."""

from __future__ import annotations

import signal
import subprocess

import pytest

from shell.engine.processes.process_group import (STOP_SIGNALS, group_gone, interrupt_deferred, stop_process_group,
                                        wait_for_exit)
from shell.engine.processes.system import exit_code


def start(script: str) -> subprocess.Popen:
    proc = subprocess.Popen(["bash", "-c", script], start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout.readline() == "ready\n"  # the traps are set
    return proc


@pytest.mark.parametrize("script, ends_with", [
    ("echo ready; sleep 100 & wait", -signal.SIGINT),
    ("trap '' INT; echo ready; sleep 100 & wait", -signal.SIGTERM),
    ("trap '' INT TERM; echo ready; while :; do sleep 0.05; done", -signal.SIGKILL),
])
def test_stop_escalates_and_ends_the_whole_group(script, ends_with):
    # How long it may take is the sum of the graces (checked below); how long it takes: bench/interrupt.py.
    proc = start(script)
    stop_process_group(proc)
    assert group_gone(proc)
    assert proc.returncode == ends_with or proc.returncode == 128 - ends_with


def test_the_graces_add_up_to_less_than_a_second():
    assert sum(grace for _, grace in STOP_SIGNALS) < 1.0
    assert [sig for sig, _ in STOP_SIGNALS] == [signal.SIGINT, signal.SIGTERM, signal.SIGKILL]


def test_sigint_reaches_the_child_first():
    proc = start("trap 'echo got INT; exit 3' INT; echo ready; sleep 100 & wait")
    stop_process_group(proc)
    assert proc.stdout.read() == "got INT\n"
    assert proc.returncode == 3


def test_interrupt_deferred_until_the_block_ends():
    reached_end_of_block = False
    with pytest.raises(KeyboardInterrupt):
        with interrupt_deferred():
            signal.raise_signal(signal.SIGINT)  # delivered before it returns: the next line is past the handler
            reached_end_of_block = True
    assert reached_end_of_block
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_interrupt_deferred_calls_a_custom_handler_afterwards():
    calls = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: calls.append(signum))
    try:
        with interrupt_deferred():
            signal.raise_signal(signal.SIGINT)
            assert calls == []
        assert calls == [signal.SIGINT]
    finally:
        signal.signal(signal.SIGINT, previous)


def test_wait_for_exit_returns_the_status():
    proc = subprocess.Popen(["sh", "-c", "exit 7"], start_new_session=True)
    assert wait_for_exit(proc) == 7


@pytest.mark.parametrize("status, shown", [(0, 0), (1, 1), (127, 127), (130, -2), (137, -9), (-2, -2)])
def test_exit_code_is_ipythons(status, shown):
    assert exit_code(status) == shown
