"""Rich display in the kernel: hocus beside ipykernel, in one run.

Usage::

    python3 bench/display.py                              # throwaway venv, 40 samples per case
    python3 bench/display.py --samples 100 --json out.json
    python3 bench/display.py --keep-venv /tmp/hocus-bench # reuse the venv (shared with the other benches)

Both kernels are installed into one fresh virtual environment (the one
``startup_and_timeit.py`` builds, plus ipykernel, pandas and numpy from
PyPI) and started by jupyter_client, with the lean client of ``kernel.py``.
After a set-up cell (a 1,000-row DataFrame, ``%matplotlib inline``), each
case is one cell whose time is measured from ``execute_request`` until the
reply, the ``idle`` status and the expected ``display_data`` have all
arrived; the kernels are sampled in interleaved blocks, median reported:

1. ``display(df)``: the DataFrame's HTML and text bundle;
2. a figure of 10 lines drawn in the cell and sent inline as PNG after it.

The table shows ``hocus/ipykernel`` ratios; the goal (issue 8) is at most
1. The exit status is 1 when hocus misses it.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from kernel import Kernel, write_kernelspecs  # noqa: E402 - the lean client and kernelspecs of kernel.py
from startup_and_timeit import isolated_env, prepare_venv, run_text  # noqa: E402

KERNELS = ("hocus", "ipykernel")
SETUP = ("import numpy as np, pandas as pd\n"
         "df = pd.DataFrame(np.random.default_rng(0).random((1000, 6)), columns=list('abcdef'))\n"
         "%matplotlib inline\nimport matplotlib.pyplot as plt\nx = np.linspace(0, 10, 200)")
CASES = {
    "display(df), 1,000 rows": ("display(df)", "text/html"),
    "inline figure, 10 lines": ("fig = plt.figure(figsize=(6, 4))\nfor k in range(10):\n    plt.plot(x, np.sin(x + k))",
                                "image/png"),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=40, help="cells per case and kernel (default: 40)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the results as JSON to PATH")
    parser.add_argument("--keep-venv", type=Path, metavar="PATH",
                        help="create the venv at PATH (or reuse it) instead of in a throwaway folder")
    args = parser.parse_args(argv)

    scratch = Path(tempfile.mkdtemp(prefix="hocus-display-bench-"))
    kernels: dict[str, Kernel] = {}
    try:
        venv = args.keep_venv.resolve() if args.keep_venv else scratch / "venv"
        bindir = prepare_venv(venv, ("ipykernel", "pandas", "numpy", "matplotlib"),
                              probe="ipykernel, pandas, numpy, matplotlib")
        python = str(bindir / "python")
        env = isolated_env(scratch)
        spec_root = write_kernelspecs(scratch, bindir)
        import os

        os.environ["JUPYTER_PATH"] = str(spec_root)
        versions = {name: run_text([python, "-c", code], env, scratch) for name, code in (
            ("python", "import sys; print(sys.version.split()[0])"),
            ("ipykernel", "import ipykernel; print(ipykernel.__version__)"),
            ("pandas", "import pandas; print(pandas.__version__)"),
            ("matplotlib", "import matplotlib; print(matplotlib.__version__)"))}
        for name in KERNELS:
            kernels[name] = Kernel(name, env, scratch)
            reply, idle, _ = kernels[name].execute(SETUP)
            if reply is None or reply["content"]["status"] != "ok":
                raise SystemExit(f"{name}: the set-up cell failed: {reply and reply['content']}")
        results = {"versions": versions, "platform": platform.platform(), "samples": args.samples,
                   "cases": {case: measure(kernels, code, mime, args.samples) for case, (code, mime) in CASES.items()}}
    finally:
        for kernel in kernels.values():
            kernel.close()
        shutil.rmtree(scratch, ignore_errors=True)

    text, met = render(results)
    print(text)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0 if met else 1


def measure(kernels: dict[str, Kernel], code: str, mime: str, samples: int, block: int = 5) -> dict[str, dict]:
    """Median seconds per cell, for cells that showed ``mime``; interleaved blocks of ``block`` cells."""
    times: dict[str, list[float]] = {name: [] for name in kernels}
    names = list(kernels)
    for name in names:  # warm-up: first use of the formatter, the backend, the fonts
        one_cell(kernels[name], code, mime)
    for index in range(0, samples, block):
        order = names if (index // block) % 2 == 0 else names[::-1]
        for name in order:
            for _ in range(min(block, samples - index)):
                times[name].append(one_cell(kernels[name], code, mime))
    return {name: {"median_s": statistics.median(t), "best_s": min(t)} for name, t in times.items()}


def one_cell(kernel: Kernel, code: str, mime: str) -> float:
    shown = []

    def on_iopub(msg, size):
        if msg["msg_type"] == "display_data" and mime in msg["content"]["data"]:
            shown.append(size)

    reply, idle, seconds = kernel.execute(code, on_iopub=on_iopub)
    if reply is None or not idle or reply["content"]["status"] != "ok" or len(shown) != 1:
        raise SystemExit(f"{kernel.name}: {code!r} did not show one {mime} display "
                         f"(reply={reply and reply['content'].get('status')}, idle={idle}, shown={len(shown)})")
    return seconds


def render(results: dict) -> tuple[str, bool]:
    lines = [f"display in the kernel: hocus vs ipykernel {results['versions']['ipykernel']} "
             f"(Python {results['versions']['python']}, pandas {results['versions']['pandas']}, "
             f"matplotlib {results['versions']['matplotlib']}; {results['platform']})", "",
             f"{'case':<28}{'hocus':>12}{'ipykernel':>12}{'ratio':>8}  goal <= 1"]
    met = True
    for case, by_kernel in results["cases"].items():
        hocus, ipyk = by_kernel["hocus"]["median_s"], by_kernel["ipykernel"]["median_s"]
        ratio = hocus / ipyk
        ok = ratio <= 1.0
        met &= ok
        lines.append(f"{case:<28}{hocus * 1000:>10.2f}ms{ipyk * 1000:>10.2f}ms{ratio:>8.2f}  {'met' if ok else 'MISSED'}")
    return "\n".join(lines), met


if __name__ == "__main__":
    sys.exit(main())
