"""The optional syntax check before a cell runs (``c.TerminalShell.syntax_check = True``).

Usage::

    PromptSession(validator=CellValidator(shell), validate_while_typing=False)

As in ptpython: when Enter would run a cell the compiler rejects, the cell
is not run; the error is shown under it and the cursor moves to the place
the compiler points at. The cell is checked as the engine will run it,
after its input transforms, so ``%magic`` and ``!cmd`` lines pass.
"""

from __future__ import annotations

import warnings
from typing import Any

from prompt_toolkit.document import Document
from prompt_toolkit.validation import ValidationError, Validator

__all__ = ["CellValidator"]


class CellValidator(Validator):
    """Rejects a cell whose transformed source does not compile."""

    def __init__(self, shell: Any):
        self.shell = shell

    def validate(self, document: Document) -> None:
        text = document.text
        if not text.strip() or text.lstrip().startswith("%%"):
            return
        try:
            source = self.shell.transform_cell(text)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                compile(source, "<cell>", "exec", flags=0x2000, dont_inherit=True)  # PyCF_ALLOW_TOP_LEVEL_AWAIT
        except SyntaxError as err:
            if source != text:
                position = len(text)  # the transformed text's offsets are not the typed ones
            else:
                position = document.translate_row_col_to_index(max((err.lineno or 1) - 1, 0),
                                                                max((err.offset or 1) - 1, 0))
            raise ValidationError(cursor_position=position, message=f"SyntaxError: {err.msg}") from None
        except Exception:  # noqa: BLE001 - anything else is the engine's to report when it runs
            return
