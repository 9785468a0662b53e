"""Settings for the ``hocus`` command: the config file, ``--Class.name=value`` flags, startup scripts.

Usage::

    argv, flags = split_config_flags(["--TerminalShell.editing_mode=vi", "-i", "x.py"])
    config = load_config_file(hocus_dir)     # $HOCUS_DIR/config.py, traitlets style
    config.merge(flags)                      # the command line wins over the file
    shell = Shell(config=config)
    run_startup_scripts(shell)               # $HOCUS_DIR/startup/*.py and *.ipy, in name order
    print(help_all(shell.configurables().values()))

The config file is plain Python run by traitlets, with ``c`` the config
object (``c.TerminalShell.editing_mode = "vi"``, ``c.Shell.xmode = "Plain"``,
``c.Completer.budget_ms = 50``). IPython's names work too
(``c.InteractiveShell.ast_node_interactivity = "all"`` is
``c.Shell.ast_node_interactivity``; see :mod:`magics.builtin.ipython_names`),
and one hocus does not have costs a one-line note. A file that fails to load
costs one warning line, never the session. Nothing here imports prompt_toolkit.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any, Iterable

__all__ = ["split_config_flags", "load_config_file", "apply_ipython_names", "run_startup_scripts", "help_all"]

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


def load_config_file(hocus_dir: Path, *, warn=None) -> Any:
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


def apply_ipython_names(config: Any, *, warn=None) -> Any:
    """Move IPython's settings in ``config`` onto hocus's (``InteractiveShell.xmode`` -> ``Shell.xmode``).

    A setting of IPython's that hocus does not have is dropped, with one
    line to ``warn``. Returns ``config``, changed in place.
    """
    from traitlets.config import Config

    from magics.builtin.ipython_names import IPYTHON_ONLY_CLASSES, Note, translate

    for class_name in list(config):
        section = config[class_name]
        if not isinstance(section, Config):
            continue
        for name in list(section):
            translated = translate(class_name, name, section[name])
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


def run_startup_scripts(shell: Any) -> None:
    """Run ``$HOCUS_DIR/startup/*.py`` and ``*.ipy`` in name order, in the user namespace.

    Each runs as a cell that is not stored in history and shows no result;
    an error in one is reported and the next one still runs.
    """
    folder = Path(shell.hocus_dir) / "startup"
    if not folder.is_dir():
        return
    for path in sorted(p for p in folder.iterdir() if p.suffix in (".py", ".ipy") and p.is_file()):
        try:
            source = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            shell.write_err(f"hocus: startup script {path} could not be read: {err}\n")
            continue
        previous = shell.user_ns.get("__file__")
        shell.user_ns["__file__"] = str(path)
        try:
            shell.run_cell(source, store_history=False, silent=True)
        finally:
            if previous is None:
                shell.user_ns.pop("__file__", None)
            else:
                shell.user_ns["__file__"] = previous


def help_all(configurables: Iterable[Any]) -> str:
    """Every configurable setting, with its type, default and help (``hocus --help-all``)."""
    classes: dict[str, type] = {}
    for obj in configurables:
        cls = obj if isinstance(obj, type) else type(obj)
        classes.setdefault(cls.__name__, cls)
    parts = ["Settings: in $HOCUS_DIR/config.py as c.Class.name = value, on the command line as\n"
             "--Class.name=value, at runtime as %config Class.name = value.\n"]
    for name in sorted(classes):
        parts.append(classes[name].class_get_help())
    return "\n".join(parts)


def _stderr(text: str) -> None:
    sys.stderr.write(text)
