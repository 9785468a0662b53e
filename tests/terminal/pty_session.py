"""The real ``hocus`` in a pty, as the terminal tests start and type into it.

``spawn_hocus(home)`` starts ``python -m shell --no-banner`` with its own
``HOCUS_DIR``, plain prompts (``NO_COLOR``) and no cursor-position queries
(``PROMPT_TOOLKIT_NO_CPR``) unless a test asks for colours or a real
terminal's answers; ``$VISUAL``/``$EDITOR`` are the test's own. ``type_keys``
sends keystrokes. Neither waits on a clock: a test waits for what the shell
draws (``child.expect_exact``) before typing what depends on it.
"""

from __future__ import annotations

import os
import re
import sys

import pexpect


def spawn_hocus(home, *args: str, cwd=None, hocus_dir=None, env=None, cpr: bool = False, colors: bool = False,
                timeout: float = 30, dimensions: tuple[int, int] = (40, 120)) -> pexpect.spawn:
    """hocus in a pty; ``env`` values of None remove a variable."""
    full_env = {**os.environ, "TERM": "xterm", "HOCUS_DIR": str(hocus_dir or home), "PAGER": "cat"}
    for name in ("NO_COLOR", "PROMPT_TOOLKIT_NO_CPR", "VISUAL", "EDITOR"):
        full_env.pop(name, None)
    if not colors:
        full_env["NO_COLOR"] = "1"
    if not cpr:
        full_env["PROMPT_TOOLKIT_NO_CPR"] = "1"
    for name, value in (env or {}).items():
        if value is None:
            full_env.pop(name, None)
        else:
            full_env[name] = value
    return pexpect.spawn(sys.executable, ["-m", "shell", "--no-banner", *args], env=full_env,
                         cwd=str(cwd or home), encoding="utf-8", timeout=timeout, dimensions=dimensions)


def type_keys(child: pexpect.spawn, text: str) -> None:
    """Send keystrokes, one write per line (pexpect leaves a moment between writes, as a person does)."""
    for part in re.split(r"(\r)", text):
        if part:
            child.send(part)
