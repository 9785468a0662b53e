"""hocus's built-in magics, registered lazily from one table.

Each row is ``(kind, name, "module:Class")``. Registering the table imports
none of the modules; a magic's module is imported the first time the magic
is used. ``tests/magics/test_builtin_table.py`` keeps this table and the
modules in step.
"""

from __future__ import annotations

import os

from magics.registry import MagicRegistry

_P = "magics.builtin."

BUILTIN_MAGICS: tuple[tuple[str, str, str], ...] = (
    # magics about magics
    ("line", "lsmagic", _P + "meta:MetaMagics"),
    ("line", "magic", _P + "meta:MetaMagics"),
    ("line", "automagic", _P + "meta:MetaMagics"),
    ("line", "autocall", _P + "meta:MetaMagics"),
    ("line", "alias_magic", _P + "meta:MetaMagics"),
    # help and inspection
    ("line", "quickref", _P + "help:HelpMagics"),
    ("line", "pinfo", _P + "help:HelpMagics"),
    ("line", "pinfo2", _P + "help:HelpMagics"),
    ("line", "psearch", _P + "help:HelpMagics"),
    ("line", "page", _P + "help:HelpMagics"),
    # timing and profiling
    ("line", "time", _P + "timing:TimingMagics"),
    ("cell", "time", _P + "timing:TimingMagics"),
    ("line", "timeit", _P + "timing:TimingMagics"),
    ("cell", "timeit", _P + "timing:TimingMagics"),
    ("line", "prun", _P + "timing:TimingMagics"),
    ("cell", "prun", _P + "timing:TimingMagics"),
    # the namespace
    ("line", "who", _P + "namespace:NamespaceMagics"),
    ("line", "who_ls", _P + "namespace:NamespaceMagics"),
    ("line", "whos", _P + "namespace:NamespaceMagics"),
    ("line", "reset", _P + "namespace:NamespaceMagics"),
    ("line", "reset_selective", _P + "namespace:NamespaceMagics"),
    ("line", "xdel", _P + "namespace:NamespaceMagics"),
    # running and loading code
    ("line", "run", _P + "run:RunMagics"),
    ("line", "load", _P + "code:CodeMagics"),
    ("line", "pycat", _P + "code:CodeMagics"),
    ("cell", "writefile", _P + "code:CodeMagics"),
    ("cell", "file", _P + "code:CodeMagics"),
    ("cell", "capture", _P + "capture:CaptureMagics"),
    # hidden state: where each name came from (%rerun --stale is with %rerun)
    ("line", "stale", _P + "hidden_state:HiddenStateMagics"),
    ("line", "deps", _P + "hidden_state:HiddenStateMagics"),
    # debugging
    ("line", "xmode", _P + "debugging:DebuggingMagics"),
    ("line", "pdb", _P + "debugging:DebuggingMagics"),
    ("line", "debug", _P + "debugging:DebuggingMagics"),
    ("cell", "debug", _P + "debugging:DebuggingMagics"),
    ("line", "tb", _P + "debugging:DebuggingMagics"),
    # configuration
    ("line", "config", _P + "config:ConfigMagics"),
    ("line", "precision", _P + "config:ConfigMagics"),
    # modes of the session
    ("line", "autoawait", _P + "modes:ModeMagics"),
    ("line", "colors", _P + "modes:ModeMagics"),
    ("line", "doctest_mode", _P + "modes:ModeMagics"),
    # variables kept across sessions
    ("line", "store", _P + "store:StoreMagics"),
    # packages and extensions
    ("line", "pip", _P + "packages:PackageMagics"),
    ("line", "load_ext", _P + "extensions:ExtensionMagics"),
    ("line", "unload_ext", _P + "extensions:ExtensionMagics"),
    ("line", "reload_ext", _P + "extensions:ExtensionMagics"),
    # history
    ("line", "history", _P + "history:HistoryMagics"),
    ("line", "hist", _P + "history:HistoryMagics"),
    ("line", "rerun", _P + "history:HistoryMagics"),
    ("line", "recall", _P + "history:HistoryMagics"),
    ("line", "rep", _P + "history:HistoryMagics"),
    ("line", "save", _P + "history:HistoryMagics"),
    ("line", "macro", _P + "history:HistoryMagics"),
    # shell escapes, scripts, folders, environment, aliases
    ("cell", "script", _P + "script:ScriptMagics"),
    ("cell", "bash", _P + "script:ScriptMagics"),
    ("cell", "sh", _P + "script:ScriptMagics"),
    ("cell", "python", _P + "script:ScriptMagics"),
    ("cell", "python3", _P + "script:ScriptMagics"),
    ("cell", "perl", _P + "script:ScriptMagics"),
    ("cell", "ruby", _P + "script:ScriptMagics"),
    ("line", "killbgscripts", _P + "script:ScriptMagics"),
    ("line", "cd", _P + "dirs:DirectoryMagics"),
    ("line", "pwd", _P + "dirs:DirectoryMagics"),
    ("line", "dhist", _P + "dirs:DirectoryMagics"),
    ("line", "pushd", _P + "dirs:DirectoryMagics"),
    ("line", "popd", _P + "dirs:DirectoryMagics"),
    ("line", "dirs", _P + "dirs:DirectoryMagics"),
    ("line", "bookmark", _P + "dirs:DirectoryMagics"),
    ("line", "env", _P + "environment:EnvironmentMagics"),
    ("line", "set_env", _P + "environment:EnvironmentMagics"),
    ("line", "sx", _P + "commands:CommandMagics"),
    ("line", "system", _P + "commands:CommandMagics"),
    ("line", "alias", _P + "commands:CommandMagics"),
    ("line", "unalias", _P + "commands:CommandMagics"),
    ("line", "rehashx", _P + "commands:CommandMagics"),
    # IPython's default aliases (ls, ll, cat, ...: commands.DEFAULT_ALIASES)
    ("line", "ls", _P + "commands:CommandMagics"),
    ("line", "ll", _P + "commands:CommandMagics"),
    ("line", "lf", _P + "commands:CommandMagics"),
    ("line", "lk", _P + "commands:CommandMagics"),
    ("line", "ldir", _P + "commands:CommandMagics"),
    ("line", "lx", _P + "commands:CommandMagics"),
    ("line", "mkdir", _P + "commands:CommandMagics"),
    ("line", "rmdir", _P + "commands:CommandMagics"),
    ("line", "mv", _P + "commands:CommandMagics"),
    ("line", "rm", _P + "commands:CommandMagics"),
    ("line", "cp", _P + "commands:CommandMagics"),
    ("line", "cat", _P + "commands:CommandMagics"),
    ("line", "clear", _P + "commands:CommandMagics"),
    ("line", "more", _P + "commands:CommandMagics"),
    ("line", "less", _P + "commands:CommandMagics"),
    ("line", "man", _P + "commands:CommandMagics"),
    # databases: %sql and %%sql
    ("line", "sql", _P + "sql.magic:SqlMagics"),
    ("cell", "sql", _P + "sql.magic:SqlMagics"),
    # rich display and plotting
    ("cell", "html", _P + "display:DisplayMagics"),
    ("cell", "markdown", _P + "display:DisplayMagics"),
    ("cell", "latex", _P + "display:DisplayMagics"),
    ("cell", "javascript", _P + "display:DisplayMagics"),
    ("cell", "js", _P + "display:DisplayMagics"),
    ("cell", "svg", _P + "display:DisplayMagics"),
    ("line", "pprint", _P + "display:DisplayMagics"),
    ("line", "matplotlib", _P + "plotting:PlottingMagics"),
    # reloading edited modules
    ("line", "autoreload", _P + "autoreload.magic:AutoreloadMagics"),
    ("line", "aimport", _P + "autoreload.magic:AutoreloadMagics"),
)


# Settings objects that a lazily loaded magic creates, and the magic that creates them:
# ``%config SqlMagic.displaylimit = 20`` must work before the first ``%sql``, as in JupySQL.
SETTINGS_OF_MAGICS: dict[str, tuple[str, str]] = {
    "SqlMagic": ("line", "sql"),
}

# Extensions of IPython's world that hocus has built in: ``%load_ext sql`` (JupySQL's habit)
# succeeds and leaves the built-in ``%sql`` in place. The value is the magic that loading the
# extension wakes up, if any: ``%load_ext autoreload`` starts noting module mtimes, as IPython's does.
BUILT_IN_EXTENSIONS: dict[str, tuple[str, str] | None] = {
    "sql": None,
    "autoreload": ("line", "autoreload"),
    "storemagic": None,
}


def register_builtin_magics(registry: MagicRegistry) -> None:
    """Add every built-in magic to ``registry`` as a lazy entry."""
    for kind, name, target in BUILTIN_MAGICS:
        registry.register_lazy(kind, name, target)
    registry.add_finder(_saved_aliases)


def _saved_aliases(registry: MagicRegistry) -> None:
    """Aliases saved with ``%alias --persist``: read when a name is first missing, not at start-up.

    Without a saved file (``commands.ALIASES_FILE``) nothing is imported.
    """
    if registry.shell is None or not os.path.exists(os.path.join(registry.shell.hocus_dir, "aliases.json")):
        return
    from magics.builtin.commands import register_saved_aliases

    register_saved_aliases(registry)
