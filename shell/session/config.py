"""Settings for a session: the config file, ``--Class.name=value`` flags, and every setting's help.

Usage::

    argv, flags = split_config_flags(["--TerminalShell.editing_mode=vi", "-i", "x.py"])
    config = load_config(hocus_dir, overrides=flags, defaults=front_end_defaults)
    shell = Shell(config=config)
    print(help_all(shell.configurables().values()))

The layers, each winning over the one before: the front end's own defaults
(the terminal's colours for this terminal, the kernel's ``Neutral``), then
``$HOCUS_DIR/config.py``, then the command line. The config file is plain
Python run by traitlets, with ``c`` the config object
(``c.TerminalShell.editing_mode = "vi"``, ``c.Shell.xmode = "Plain"``,
``c.Completer.budget_ms = 50``). IPython's names work too, in the file and
on the command line (``c.InteractiveShell.ast_node_interactivity = "all"`` is
``c.Shell.ast_node_interactivity``; see :mod:`magics.builtin.ipython_names`),
and one hocus does not have costs a one-line note. A file that fails to load
costs one warning line, never the session. Nothing here imports a front end.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

if TYPE_CHECKING:
    from traitlets.config import Configurable

Warn = Callable[[str], object]
"""Where a one-line warning goes (stderr unless a front end says otherwise)."""

__all__ = ["split_config_flags", "load_config", "load_config_file", "apply_ipython_names", "drop_bad_values",
           "CONFIGURABLES", "configurable_classes", "help_all"]

_FLAG = re.compile(r"--([A-Za-z_]\w*)\.([A-Za-z_]\w*)(?:=(.*))?\Z", re.DOTALL)


def split_config_flags(argv: list[str], takes_value: Iterable[str] = ("-c", "-m")) -> tuple[list[str], Any]:
    """Take ``--Class.name=value`` (or ``--Class.name value``) out of ``argv``: (the rest, a Config).

    Only words before the script name, ``-m`` or ``--`` are looked at, so a
    script's own arguments are left alone; ``takes_value`` are the options
    whose next word is their value. Values are parsed by the setting's own type
    when it is applied (``--Completer.budget_ms=50`` is a float).
    """
    from traitlets.config import Config
    from traitlets.config.loader import DeferredConfigString

    config = Config()
    rest: list[str] = []
    i = 0
    while i < len(argv):
        word = argv[i]
        if word == "--" or not word.startswith("-") or word == "-m":
            rest.extend(argv[i:])
            break
        if word in takes_value:
            rest.extend(argv[i:i + 2])
            i += 2
            continue
        match = _FLAG.match(word)
        if match is None:
            rest.append(word)
            i += 1
            continue
        class_name, name, value = match.groups()
        if value is None:
            if i + 1 >= len(argv):
                raise ValueError(f"--{class_name}.{name} needs a value: --{class_name}.{name}=VALUE")
            value = argv[i + 1]
            i += 1
        config[class_name][name] = DeferredConfigString(value)
        i += 1
    return rest, config


def load_config(hocus_dir: Path, *, overrides: Any = None, defaults: Any = None, warn: Warn | None = None) -> Any:
    """The session's Config: ``defaults``, then ``hocus_dir/config.py``, then ``overrides``, each winning.

    ``defaults`` are what the front end would choose by itself (its colours);
    ``overrides`` are the command line's ``--Class.name=value`` settings.
    IPython's names are mapped onto hocus's in the file and the overrides.
    """
    from traitlets.config import Config

    config = Config()
    if defaults:
        config.merge(defaults)  # the front end's, in hocus's own names
    for layer in (load_config_file(hocus_dir, warn=warn), overrides):
        if layer:
            config.merge(apply_ipython_names(layer, warn=lambda text: (warn or _stderr)(f"hocus: {text}\n")))
    return drop_bad_values(config, warn=warn)


def load_config_file(hocus_dir: Path, *, warn: Warn | None = None) -> Any:
    """``hocus_dir/config.py`` as a traitlets Config (empty when there is none or it fails)."""
    from traitlets.config import Config

    path = Path(hocus_dir) / "config.py"
    if not path.is_file():
        return Config()
    from traitlets.config.loader import PyFileConfigLoader

    try:
        config = PyFileConfigLoader(path.name, str(path.parent)).load_config()
    except BaseException as err:  # noqa: BLE001 - a broken config file must not stop the shell
        cause = err.__cause__ or err
        message = f"hocus: {path} could not be loaded: {type(cause).__name__}: {cause}".strip()
        (warn or _stderr)(message.splitlines()[0] + "\n")
        return Config()
    return apply_ipython_names(config, warn=lambda text: (warn or _stderr)(f"hocus: {path}: {text}\n"))


def apply_ipython_names(config: Any, *, warn: Warn | None = None) -> Any:
    """Move IPython's settings in ``config`` onto hocus's (``InteractiveShell.xmode`` -> ``Shell.xmode``).

    A setting of IPython's that hocus does not have is dropped, with one
    line to ``warn``. Returns ``config``, changed in place.
    """
    from traitlets.config import Config
    from traitlets.config.loader import DeferredConfigString

    from magics.builtin.ipython_names import IPYTHON_ONLY_CLASSES, Note, translate

    for class_name in list(config):
        section = config[class_name]
        if not isinstance(section, Config):
            continue
        for name in list(section):
            value = section[name]
            if isinstance(value, DeferredConfigString):  # from the command line: IPython's conversions want a value
                value = _literal(value)
            translated = translate(class_name, name, value)
            if translated is None:
                continue
            del section[name]
            if isinstance(translated, Note):
                (warn or _stderr)(f"Note: {translated.text}")
            else:
                config[translated.class_name][translated.name] = translated.value
        if not section and class_name in IPYTHON_ONLY_CLASSES:
            del config[class_name]
    return config


# Every configurable of the engine, the display, the magics and the bootstrap, imported only when
# needed. The terminal's ``TerminalShell`` is its front end's to add (this package imports no
# front end). ``hocus --help-all`` and the docs' configuration reference list these; a test keeps
# the table and the code in step.
CONFIGURABLES = {
    "ShellApp": "shell.session.bootstrap:ShellApp",
    "Shell": "shell.engine.shell:Shell",
    "PlainTextFormatter": "shell.engine.display.formatting:PlainTextFormatter",
    "Completer": "shell.engine.completion.completer:Completer",
    "HistoryStore": "shell.engine.history.store:HistoryStore",
    "TerminalImages": "shell.terminal.images:TerminalImages",
    "InlineBackend": "shell.display.figures:InlineBackend",
    "SqlMagic": "magics.builtin.sql.config:SqlMagic",
}


def configurable_classes() -> list[type[Configurable]]:
    """The classes of :data:`CONFIGURABLES`, in its order."""
    return [_class_of(name) for name in CONFIGURABLES]


def drop_bad_values(config: Any, *, warn: Warn | None = None, classes: Iterable[type[Configurable]] = ()) -> Any:
    """Take out of ``config`` each value its setting refuses, with one line to ``warn`` for each.

    A typo in config.py or on the command line (``--Shell.colors=Purple``)
    would otherwise stop the session when the object it configures is made,
    which for some (the completer) is the first Tab. A front end checks its
    own configurables by passing their ``classes``. Returns ``config``.
    """
    from traitlets import TraitError
    from traitlets.config import Config
    from traitlets.config.loader import DeferredConfigString

    extra = {cls.__name__: cls for cls in classes}
    for class_name in list(config):
        section = config[class_name]
        if (class_name not in CONFIGURABLES and class_name not in extra) or not isinstance(section, Config):
            continue
        cls = extra.get(class_name) or _class_of(class_name)
        traits = cls.class_traits(config=True)
        probe = cls.__new__(cls)  # traits set up, __init__ not run: validators work, nothing else happens
        for name in list(section):
            trait = traits.get(name)
            if trait is None:
                continue  # traitlets itself says "Config option ... not recognized"
            value = section[name]
            try:
                if isinstance(value, DeferredConfigString):
                    value = value.get_value(trait)
                trait._validate(probe, value)
            except (TraitError, ValueError, TypeError, SyntaxError) as err:
                del section[name]
                reason = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
                (warn or _stderr)(f"hocus: {class_name}.{name} = {value!r} ignored: {reason}\n")
    return config


def _class_of(name: str) -> type[Configurable]:
    import importlib

    module, attr = CONFIGURABLES[name].split(":")
    cls: type[Configurable] = getattr(importlib.import_module(module), attr)
    return cls


def help_all(configurables: Iterable[Configurable | type[Configurable]]) -> str:
    """Every configurable setting, with its type, default and help (``hocus --help-all``)."""
    classes: dict[str, type[Configurable]] = {}
    for obj in configurables:
        cls = obj if isinstance(obj, type) else type(obj)
        classes.setdefault(cls.__name__, cls)
    parts = ["Settings: in $HOCUS_DIR/config.py as c.Class.name = value, on the command line as\n"
             "--Class.name=value, at runtime as %config Class.name = value.\n"]
    for name in sorted(classes):
        parts.append(classes[name].class_get_help())
    return "\n".join(parts)


def _literal(text: str) -> Any:
    """``--IPCompleter.greedy=False`` means False: a Python literal where the text is one, else the text."""
    import ast

    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return str(text)


def _stderr(text: str) -> None:
    sys.stderr.write(text)
