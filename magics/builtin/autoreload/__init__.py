"""``%autoreload`` and ``%aimport``: edited modules reloaded before each cell (see ``magic.py``; docs/magics/autoreload.md).

- ``magic``: the magics, their settings, and the shell events they hook;
- ``reloader``: which modules changed on disk, and reloading them;
- ``patching``: moving a reloaded module's new code into its old functions and classes;
- ``from_imports``: which names the user took from which module (``complete`` mode).

Nothing here is imported at start-up: the magic is loaded by its first use
or by ``%load_ext autoreload``.
"""
