"""A fresh kernel imports only what starting and its first cell need (names, not timings: those are bench/kernel.py's).

tests/test_layering.py checks the same for ``hocus -c`` and ``Shell().run_cell``.
"""

from __future__ import annotations

from kernel_client import execute, start_kernel, stdout_of

# What only a later request needs, with that request: each is imported on its first use.
LATER_PATHS = {
    "shell.kernel.history_query": "the first history_request",
    "shell.kernel.bundles": "the first result or display_data",
    "shell.display._objects": "the first display object (HTML, Image, ...)",
    "html": "the first display object that escapes HTML",
    "shell.engine.display.pretty": "the first result shown",
    "shell.engine.transforms.completeness": "the first is_complete_request",
    "shell.engine.completion.completer": "the first complete_request",
    "shell.engine.tracebacks.formatter": "the first traceback",
    "shell.engine.tracebacks.context": "the first traceback",
    "shell.engine.debugging.debugger": "the first %debug or breakpoint()",
    "magics.arguments": "the first magic that parses arguments",
    "magics.surface": "the first magic that asks for the surface's types",
}


def test_a_fresh_kernel_loads_nothing_only_a_later_request_needs(hocus_env):
    km, kc = start_kernel()
    try:
        reply, outputs = execute(kc, "import sys\n"
                                     f"print(sorted(name for name in {sorted(LATER_PATHS)!r} if name in sys.modules))")
        assert reply["status"] == "ok"
        loaded = eval(stdout_of(outputs))  # a printed list of names
        assert not loaded, {name: f"only {LATER_PATHS[name]} needs it" for name in loaded}
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
