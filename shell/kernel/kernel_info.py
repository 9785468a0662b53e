"""What ``kernel_info_reply`` says about hocus and the Python it runs."""

from __future__ import annotations

import platform
import sys

from shell import __version__
from shell.kernel.wire import PROTOCOL_VERSION

# The optional features the spec names ("debugger", "kernel subshells") that
# hocus implements. IOPub welcome messages need no flag.
SUPPORTED_FEATURES: list[str] = ["kernel subshells"]  # shell/kernel/subshells.py


def language_info() -> dict:
    major = sys.version_info[0]
    return {
        "name": "python",
        "version": platform.python_version(),
        "mimetype": "text/x-python",
        "file_extension": ".py",
        "pygments_lexer": f"ipython{major}",
        "codemirror_mode": {"name": "ipython", "version": major},
        "nbconvert_exporter": "python",
    }


def debugger_available() -> bool:
    """Whether debugpy, the debugger's engine, is installed (found, not imported)."""
    global _debugpy_found
    if _debugpy_found is None:
        from importlib.machinery import PathFinder

        _debugpy_found = PathFinder.find_spec("debugpy") is not None
    return _debugpy_found


_debugpy_found: bool | None = None


def kernel_info_content() -> dict:
    debugger = debugger_available()  # debug_request: shell/kernel/debugger.py
    return {
        "status": "ok",
        "protocol_version": PROTOCOL_VERSION,
        "implementation": "hocus",
        "implementation_version": __version__,
        "language_info": language_info(),
        "banner": f"hocus {__version__} (Python {platform.python_version()}) -- an interactive Python kernel\n",
        "debugger": debugger,
        "help_links": [
            {"text": "Python Reference", "url": f"https://docs.python.org/{sys.version_info[0]}.{sys.version_info[1]}"},
            {"text": "hocus documentation", "url": "https://hocus.readthedocs.io/en/latest/kernel.html"},
        ],
        "supported_features": list(SUPPORTED_FEATURES) + (["debugger"] if debugger else []),
    }
