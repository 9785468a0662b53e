"""Tracebacks that point into the cell's own lines: the formatter (:mod:`.formatter`), which source
lines a frame shows (:mod:`.context`), and repeated frames of a deep recursion folded (:mod:`.repeats`)."""
