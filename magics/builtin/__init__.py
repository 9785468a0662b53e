"""hocus's built-in magics, registered lazily from one table.

Each row is ``(kind, name, "module:Class")``. Registering the table imports
none of the modules; a magic's module is imported the first time the magic
is used. ``tests/magics/test_builtin_table.py`` keeps this table and the
modules in step.
"""

from __future__ import annotations

from magics.registry import MagicRegistry

_P = "magics.builtin."

BUILTIN_MAGICS: tuple[tuple[str, str, str], ...] = (
    # magics about magics
    ("line", "lsmagic", _P + "meta:MetaMagics"),
    ("line", "magic", _P + "meta:MetaMagics"),
    ("line", "automagic", _P + "meta:MetaMagics"),
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
    ("cell", "capture", _P + "capture:CaptureMagics"),
    # debugging
    ("line", "xmode", _P + "debugging:DebuggingMagics"),
    ("line", "pdb", _P + "debugging:DebuggingMagics"),
    ("line", "debug", _P + "debugging:DebuggingMagics"),
    ("cell", "debug", _P + "debugging:DebuggingMagics"),
    ("line", "tb", _P + "debugging:DebuggingMagics"),
    # configuration
    ("line", "config", _P + "config:ConfigMagics"),
    ("line", "precision", _P + "config:ConfigMagics"),
    # packages and extensions
    ("line", "pip", _P + "packages:PackageMagics"),
    ("line", "load_ext", _P + "extensions:ExtensionMagics"),
    ("line", "unload_ext", _P + "extensions:ExtensionMagics"),
    ("line", "reload_ext", _P + "extensions:ExtensionMagics"),
)


def register_builtin_magics(registry: MagicRegistry) -> None:
    """Add every built-in magic to ``registry`` as a lazy entry."""
    for kind, name, target in BUILTIN_MAGICS:
        registry.register_lazy(kind, name, target)
