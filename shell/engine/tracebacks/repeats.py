"""Collapsing the repeated frames of a deep recursion, as IPython 9 (stack_data) does.

A RecursionError carries about a thousand frames of the same few lines;
printing each one buries the message under thousands of lines. Within a run
of frames whose (code, line) occurs more than three times in the traceback,
the first two and the last occurrence of each are kept and the rest become
one :class:`Repeated` entry::

    entries = collapse(frames)      # frames: [(frame, lineno)], outermost first
    # [frame, frame, Repeated("f at line 2 (987 times)"), frame]

The description is IPython's: each collapsed (function, line) with its count,
the most frequent first.
"""

from __future__ import annotations

import itertools
import types
from collections import Counter
from typing import Union

Frame = tuple[types.FrameType, int]
THRESHOLD = 3  # a (code, line) seen more often than this in one traceback is a repetition


class Repeated:
    """Frames left out of a traceback; ``description`` says which, and how many."""

    __slots__ = ("frames",)

    def __init__(self, frames: list[Frame]):
        self.frames = frames

    @property
    def description(self) -> str:
        counts = Counter((frame.f_code, lineno) for frame, lineno in self.frames)
        ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0][0].co_name))
        return ", ".join(f"{getattr(code, 'co_qualname', code.co_name)} at line {lineno} ({count} times)"
                         for (code, lineno), count in ordered)


def collapse(frames: list[Frame]) -> list[Union[Frame, Repeated]]:
    """``frames`` with each stretch of repetitions replaced by one :class:`Repeated`."""
    keys = [(frame.f_code, lineno) for frame, lineno in frames]
    counts = Counter(keys)
    if max(counts.values(), default=0) <= THRESHOLD:
        return list(frames)
    shown = [True] * len(frames)
    start = 0
    for common, run in itertools.groupby(keys, key=lambda key: counts[key] > THRESHOLD):
        run_keys = list(run)
        if common:
            kept = _kept_positions(run_keys)
            for offset in range(len(run_keys)):
                shown[start + offset] = offset in kept
        start += len(run_keys)
    entries: list[Union[Frame, Repeated]] = []
    for visible, group in itertools.groupby(zip(frames, shown), key=lambda pair: pair[1]):
        members = [frame for frame, _ in group]
        if visible:
            entries.extend(members)
        else:
            entries.append(Repeated(members))
    return entries


def _kept_positions(keys: list) -> set[int]:
    """Of a run of common keys: where each key first, second and last occurs."""
    kept: set[int] = set()
    seen: dict = {}
    for position, key in enumerate(keys):
        if seen.get(key, 0) < 2:
            kept.add(position)
        seen[key] = seen.get(key, 0) + 1
    last: dict = {}
    for position, key in enumerate(keys):
        last[key] = position
    kept.update(last.values())
    return kept
