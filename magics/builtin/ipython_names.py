"""IPython's configuration names, and what each one is in hocus.

Notebooks often begin with ``%config InlineBackend.figure_format = 'retina'``
or ``%config InteractiveShell.ast_node_interactivity = 'all'``, and IPython
users bring ``c.TerminalInteractiveShell.editing_mode = 'vi'`` along in their
config files. :func:`translate` says where such a setting lands::

    translate("InteractiveShell", "ast_node_interactivity", "all")
    # Setting(class_name='Shell', name='ast_node_interactivity', value='all')
    translate("IPCompleter", "greedy", True)
    # Setting(class_name='Completer', name='evaluation', value='unsafe')
    translate("InteractiveShell", "autocall", 2)
    # Note(text="InteractiveShell.autocall: an IPython setting hocus does not have; ignored")
    translate("Shell", "xmode", "Plain")
    # None: not an IPython name, use it as it is

A setting hocus cannot honour is accepted with a one-line :class:`Note`,
never an error, so a notebook's "Run All" does not stop at its first cell.
``%config`` (:mod:`magics.builtin.config`) and the config file loader
(:mod:`shell.session.config`) both use this table. Nothing here imports
IPython.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable


@dataclass(frozen=True)
class Setting:
    """Where an IPython setting lands in hocus: ``class_name.name = value``."""

    class_name: str
    name: str
    value: Any


@dataclass(frozen=True)
class Note:
    """An IPython setting hocus accepts but does not honour; ``text`` is the one line that says so."""

    text: str


def _ignored(class_name: str, name: str, why: str = "an IPython setting hocus does not have") -> Note:
    return Note(f"{class_name}.{name}: {why}; ignored")


def _greedy(value: Any) -> Any:
    return "unsafe" if value else "safe"


def _evaluation(value: Any) -> Any:
    """IPython's five evaluation policies onto hocus's two: only 'unsafe' and 'dangerous' run code."""
    policy = str(value).lower()
    if policy in ("forbidden", "minimal", "limited"):
        return "safe"
    if policy in ("unsafe", "dangerous"):
        return "unsafe"
    return value  # hocus's own check names the choices


def _xmode(value: Any) -> Any:
    if isinstance(value, str) and value.lower() in ("docs", "doctest"):
        return Note(f"InteractiveShell.xmode: hocus has no {value!r} traceback mode "
                    "(Plain, Context, Verbose, Minimal); ignored")
    return value


def _names(value: Any) -> Any:
    """``--InteractiveShellApp.extensions=autoreload`` names one extension, not ten letters."""
    return [value] if isinstance(value, str) else list(value)


def _auto_suggest(value: Any) -> Any:
    return bool(value)


# (IPython class, setting) -> (hocus class, setting, value conversion). A conversion may return a Note.
_MAPPED: dict[tuple[str, str], tuple[str, str, Callable[[Any], Any] | None]] = {
    ("InteractiveShell", "ast_node_interactivity"): ("Shell", "ast_node_interactivity", None),
    ("InteractiveShell", "colors"): ("Shell", "colors", None),
    ("InteractiveShell", "xmode"): ("Shell", "xmode", _xmode),
    ("InteractiveShell", "automagic"): ("Shell", "automagic", None),
    ("InteractiveShell", "autocall"): ("Shell", "autocall", None),
    ("InteractiveShell", "pdb"): ("Shell", "pdb", None),
    ("InteractiveShell", "history_load_length"): ("TerminalShell", "history_load_limit", None),
    ("MagicsManager", "auto_magic"): ("Shell", "automagic", None),
    ("TerminalInteractiveShell", "editing_mode"): ("TerminalShell", "editing_mode", None),
    ("TerminalInteractiveShell", "highlighting_style"): ("TerminalShell", "highlighting_style", None),
    ("TerminalInteractiveShell", "confirm_exit"): ("TerminalShell", "confirm_exit", None),
    ("TerminalInteractiveShell", "autosuggestions_provider"): ("TerminalShell", "auto_suggest", _auto_suggest),
    ("Completer", "greedy"): ("Completer", "evaluation", _greedy),
    ("Completer", "evaluation"): ("Completer", "evaluation", _evaluation),
    ("Completer", "use_jedi"): ("Completer", "use_jedi", None),
    ("HistoryAccessor", "enabled"): ("HistoryStore", "enabled", None),
    ("HistoryAccessor", "hist_file"): ("HistoryStore", "path", str),
    ("HistoryManager", "db_log_output"): ("HistoryStore", "store_outputs", None),
    ("PlainTextFormatter", "max_width"): ("PlainTextFormatter", "width", None),
    ("InteractiveShellApp", "extensions"): ("ShellApp", "extensions", _names),
}

# IPython's classes whose settings inherit their parent's (TerminalInteractiveShell.xmode is InteractiveShell.xmode)
_PARENT = {"TerminalInteractiveShell": "InteractiveShell", "ZMQInteractiveShell": "InteractiveShell",
           "IPCompleter": "Completer", "HistoryManager": "HistoryAccessor",
           "TerminalIPythonApp": "InteractiveShellApp", "IPKernelApp": "InteractiveShellApp"}

# Classes only IPython has (every setting not mapped above is noted), and IPython's settings of the
# classes hocus shares a name with (hocus's own settings of those keep hocus's checks).
IPYTHON_ONLY_CLASSES = frozenset({
    "InteractiveShell", "TerminalInteractiveShell", "ZMQInteractiveShell", "IPCompleter", "HistoryAccessor",
    "HistoryManager", "DisplayFormatter", "MagicsManager", "ScriptMagics", "StoreMagics", "LoggingMagics",
    "OSMagics", "PrefilterManager", "AliasManager", "TerminalIPythonApp", "BaseIPythonApplication",
    "IPKernelApp", "IPythonKernel", "ProfileDir", "InteractiveShellApp",
})
_SHARED_CLASS_SETTINGS = {
    "Completer": frozenset({"auto_close_dict_keys", "auto_import_method", "backslash_combining_completions",
                            "debug", "jedi_compute_type_timeout", "policy_overrides"}),
    "PlainTextFormatter": frozenset({"deferred_printers", "max_seq_length", "newline", "singleton_printers",
                                     "type_printers", "verbose"}),
}
# IPython's settings of figures inline; hocus's InlineBackend has each of them.
INLINE_BACKEND_SETTINGS = frozenset({"figure_format", "figure_formats", "print_figure_kwargs", "close_figures", "rc"})


def is_ipython_class(class_name: str) -> bool:
    """Whether ``class_name`` names one of IPython's configurable classes that notebooks set."""
    return class_name in IPYTHON_ONLY_CLASSES or class_name in _SHARED_CLASS_SETTINGS or class_name == "InlineBackend"


def hocus_class_of(class_name: str) -> str | None:
    """The hocus class that plays the part of IPython's ``class_name`` (for ``%config InteractiveShell``)."""
    for each in _lineage(class_name):
        for (ipython_class, _), (target, _, _) in _MAPPED.items():
            if ipython_class == each:
                return target
    return None


def translate(class_name: str, name: str, value: Any = None, *, convert: bool = True) -> Setting | Note | None:
    """Where IPython's ``class_name.name = value`` lands in hocus; None when it is not IPython's name.

    A mapped setting comes back as a :class:`Setting` (its value converted,
    ``greedy=True`` becoming ``evaluation='unsafe'``, unless ``convert`` is
    false: a question about the setting, not a change); a setting of an
    IPython class that hocus does not have comes back as a :class:`Note`.
    """
    for each in _lineage(class_name):
        entry = _MAPPED.get((each, name))
        if entry is not None:
            target_class, target_name, conversion = entry
            converted = conversion(value) if conversion is not None and convert else value
            return converted if isinstance(converted, Note) else Setting(target_class, target_name, converted)
    if class_name in IPYTHON_ONLY_CLASSES:
        return _ignored(class_name, name)
    if any(name in _SHARED_CLASS_SETTINGS.get(each, ()) for each in _lineage(class_name)):
        return _ignored(class_name, name)
    return None


def _lineage(class_name: str) -> list[str]:
    names = [class_name]
    while names[-1] in _PARENT:
        names.append(_PARENT[names[-1]])
    return names
