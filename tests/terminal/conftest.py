"""Terminal tests drive the real ``hocus`` in a pty (tests/terminal/pty_session.py).

``home`` is a test's own folder, used as its ``HOCUS_DIR`` and working directory.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tests import pty_session


@pytest.fixture
def home(tmp_path):
    path = tmp_path / "home"
    path.mkdir()
    return path
