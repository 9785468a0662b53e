"""The terminal front end.

:mod:`shell.terminal.simple` is the plain line-based loop (no prompt_toolkit),
used with ``--simple-prompt``, when stdin is not a terminal, or when
``TERM=dumb``.
"""
