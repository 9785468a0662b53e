"""Completion for every front end: :class:`Completer` and what it returns.

Usage::

    from shell import Shell
    sh = Shell()
    sh.run_cell("import os")
    result = sh.complete("os.pa")          # cursor defaults to the end of the text
    [m.text for m in result.matches]       # ['pardir', 'path', 'pathconf', 'pathconf_names', 'pathsep']

One module per source, and the pieces that join them:

- :mod:`.routing` decides what is being completed at the cursor, from the
  text before it as :mod:`.context` reads it;
- :mod:`.runtime` names, attributes and keyword arguments from live objects,
  resolved without side effects by :mod:`.evaluation`;
- :mod:`.magic_lines`, :mod:`.paths`, :mod:`.keys`, :mod:`.imports`,
  :mod:`.latex` — magics, file paths, mapping keys and DataFrame columns,
  modules, LaTeX and Unicode names (the table in :mod:`.latex_symbols`);
- :mod:`.jedi_source` jedi, under the time budget of :mod:`.budget`;
- :mod:`.ranking` merges and sorts; :mod:`.completer` is the configurable
  object the shell holds; :mod:`.model` the results it returns.
"""

from shell.engine.completion.completer import Completer
from shell.engine.completion.model import Completion, CompletionResult

__all__ = ["Completer", "Completion", "CompletionResult"]
