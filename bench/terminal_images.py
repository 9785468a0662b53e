"""Figures drawn in the terminal: the cost of each graphics protocol beside drawing the figure itself.

Usage::

    python3 bench/terminal_images.py                    # 15 samples per case
    python3 bench/terminal_images.py --samples 31 --json out.json

IPython has no terminal graphics to compare with, so the yardstick is the
figure itself: a 640x480 matplotlib figure (10 lines and a legend, Agg at
100 dpi) is drawn to PNG (``savefig``), and then shown with
``TerminalImages.render`` for each protocol — kitty and iTerm2 (base64 of
the PNG), sixel (decode, quantize to 255 colours, encode) and the file
fallback. The table gives the median and the ratio to ``savefig``. The goal
(issue 13, item 27: the sixel encoder took 6.6 s on this figure) is sixel
at most 3 x the time matplotlib takes to draw the PNG; the exit status is 1
when it is missed. Runs in the current environment: it needs matplotlib
and Pillow, nothing from PyPI.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

GOAL = 3.0  # sixel / savefig


def figure_png() -> tuple[bytes, float]:
    """The benchmark figure as PNG bytes, and how long one savefig took."""
    import matplotlib

    matplotlib.use("agg")
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(6.4, 4.8), dpi=100)
    xs = [i / 20 for i in range(200)]
    import math

    for k in range(10):
        plt.plot(xs, [math.sin(x + k) for x in xs], label=f"phase {k}")
    plt.legend(loc="upper right")
    plt.title("ten lines")
    buffer = io.BytesIO()
    started = time.perf_counter()
    fig.savefig(buffer, format="png")
    took = time.perf_counter() - started
    plt.close(fig)
    return buffer.getvalue(), took


def median_time(work, samples: int) -> float:
    work()  # warm-up: imports, caches
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=15, help="runs per case (default: 15)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the results as JSON to PATH")
    args = parser.parse_args(argv)

    from shell.terminal.images import TerminalImages

    png, _ = figure_png()
    results = {"savefig": statistics.median(figure_png()[1] for _ in range(args.samples))}
    for protocol in ("kitty", "iterm", "sixel", "file"):
        images = TerminalImages(protocol=protocol)
        results[protocol] = median_time(lambda: images.render(png), args.samples)

    print(f"640x480 figure, {len(png):,} bytes of PNG; median of {args.samples}")
    print(f"{'case':<10} {'ms':>8} {'/ savefig':>10}")
    for case, seconds in results.items():
        print(f"{case:<10} {seconds * 1000:8.1f} {seconds / results['savefig']:10.2f}")
    ratio = results["sixel"] / results["savefig"]
    print(f"goal: sixel <= {GOAL} x savefig: {'met' if ratio <= GOAL else 'MISSED'} ({ratio:.2f})")
    if args.json:
        args.json.write_text(json.dumps({"seconds": results, "png_bytes": len(png), "samples": args.samples},
                                        indent=1) + "\n")
    return 0 if ratio <= GOAL else 1


if __name__ == "__main__":
    raise SystemExit(main())
