"""Macros: named pieces of history that run again when their name is typed.

Usage::

    In [1]: x = 2
    In [2]: print(x * 21)
    In [3]: %macro answer 1-2
    In [4]: answer            # runs cells 1 and 2 again: prints 42
    In [5]: print(answer)     # shows the code

``%macro NAME RANGES`` stores a :class:`Macro` in the user namespace. A
macro is plain data — its code, as text — so it pickles, prints and adds
(``m1 + m2``) like a string. Running it is the engine's job: when a cell's
value is a Macro (the cell is just its name), the engine runs the macro's
code as a cell instead of displaying the object. Calling ``shell.run_cell(str(macro))``
does the same explicitly.
"""

from __future__ import annotations


class Macro:
    """Code to run again when the macro's name is typed at the prompt."""

    def __init__(self, code: str):
        lines = [line for line in code.splitlines() if not _is_coding_line(line)]
        self.value = "\n".join(lines) + "\n"

    def __str__(self) -> str:
        return self.value

    def __repr__(self) -> str:
        return f"Macro({self.value!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Macro) and other.value == self.value

    __hash__ = None  # type: ignore[assignment]  # equal by value, and mutable like IPython's

    def __add__(self, other: "Macro | str") -> "Macro":
        if isinstance(other, Macro):
            return Macro(self.value + other.value)
        if isinstance(other, str):
            return Macro(self.value + other)
        return NotImplemented

    def __getstate__(self) -> dict:
        return {"value": self.value}

    def __setstate__(self, state: dict) -> None:
        self.value = state["value"]


def _is_coding_line(line: str) -> bool:
    """A PEP 263 ``# coding: ...`` line, which means nothing inside a macro."""
    import re

    return re.match(r"#\s*(-\*-\s*)?coding[:=]\s*[-\w.]+", line) is not None
