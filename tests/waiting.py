"""Waiting for something a test can see happen: a file written, a process gone, a row committed.

``eventually(condition)`` polls until the condition holds and returns
whether it did. Tests assert on what they waited for, never on the clock:
the patience is only a safety net so that a broken build fails instead of
hanging, set far above what a loaded machine needs.
"""

from __future__ import annotations

import time
from typing import Callable

PATIENCE = 120.0  # seconds; a safety net, not a measurement


def eventually(condition: Callable[[], object], *, patience: float = PATIENCE, interval: float = 0.02) -> bool:
    """Poll ``condition`` until it is true; whether it became true before the safety net ran out."""
    give_up = time.monotonic() + patience
    while not condition():
        if time.monotonic() > give_up:
            return bool(condition())
        time.sleep(interval)
    return True
