"""Configuration magics: ``%config`` and ``%precision``.

Usage::

    %config                                   # the configurable objects
    %config Shell                             # its settings, with help and current values
    %config Shell.xmode                       # one setting's current value
    %config Shell.xmode = 'Plain'             # change it now (the right side is Python)
    %config PlainTextFormatter.float_precision = 3
    %precision 3                              # floats shown with 3 digits; '%.3f' comes back

``%config`` works on the live objects the shell lists in
``shell.configurables()`` -- the same traitlets classes and names as in
``$HOCUS_DIR/config.py`` -- so a change is checked by the setting's own
validation, and a bad value costs one line, never the session.

IPython's names that notebooks set in their first cells work too
(:mod:`magics.builtin.ipython_names`)::

    %config InteractiveShell.ast_node_interactivity = 'all'   # Shell.ast_node_interactivity
    %config InlineBackend.figure_format = 'retina'
    %config IPCompleter.greedy = True                         # Completer.evaluation = 'unsafe'
    %config InteractiveShell.sphinxify_docstring = True       # a one-line note: hocus has no such setting

and one hocus cannot honour is accepted with a one-line note, never an error.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from magics.base import Magics
from magics.builtin import SETTINGS_OF_MAGICS
from magics.builtin.ipython_names import INLINE_BACKEND_SETTINGS, Note, Setting, hocus_class_of, translate
from magics.completion import BodyCompletion, completer_for
from magics.decorators import line_magic
from magics.errors import UsageError

_ASSIGNMENT = re.compile(r"\s*([A-Za-z_]\w*)(?:\.([A-Za-z_]\w*))?\s*(?:=(?!=)(.*))?\Z", re.DOTALL)
# Base classes every configurable has; naming one of them selects nothing in particular.
_GENERIC = {"object", "HasDescriptors", "HasTraits", "Configurable", "LoggingConfigurable", "SingletonConfigurable"}


class ConfigMagics(Magics):
    """Look at and change settings of the running shell."""

    @line_magic
    def config(self, line: str = "") -> None:
        """Show or change the settings of the running shell.

        ``%config`` lists the configurable classes; ``%config Class`` shows
        its settings with their help and current values;
        ``%config Class.name = value`` evaluates ``value`` in the user
        namespace and sets it on the live object::

            %config Shell.xmode = 'Verbose'
            %config PlainTextFormatter.pprint = False
        """
        configurables = self.shell.configurables()
        if not line.strip():
            names = "".join(f"    {name}\n" for name in sorted({*configurables, *SETTINGS_OF_MAGICS}))
            self.shell.write(f"Available objects for config:\n{names}")
            return
        match = _ASSIGNMENT.match(line)
        if match is None:
            raise UsageError(f"%config: expected Class, Class.setting or Class.setting = value, not {line.strip()!r}")
        class_name, setting, value_source = match.groups()
        if setting is None:
            if value_source is not None:
                raise UsageError(f"%config: say which setting of {class_name} to change: {class_name}.name = value")
            objects = (self._objects(class_name, missing_ok=True)
                       or self._objects(hocus_class_of(class_name) or class_name))
            self.shell.page("\n".join(type(obj).class_get_help(obj) for obj in objects))
            return
        value = self._evaluate(value_source) if value_source is not None else None
        # IPython's names (InteractiveShell.*, IPCompleter.*, ...) land on hocus's settings, or are noted
        translated = translate(class_name, setting, value, convert=value_source is not None)
        if isinstance(translated, Note):
            self.shell.write_err(f"Note: {translated.text}\n")
            return
        if isinstance(translated, Setting):
            objects = self._objects(translated.class_name, missing_ok=True)
            if not objects:
                self.shell.write_err(f"Note: {class_name}.{setting}: {_unused(translated.class_name)}; ignored\n")
                return
            class_name, setting, value = translated.class_name, translated.name, translated.value
        elif (class_name == "InlineBackend" and setting in INLINE_BACKEND_SETTINGS
              and not self._objects(class_name, missing_ok=True)):
            self.shell.write_err(f"Note: {class_name}.{setting}: {_unused(class_name)}; ignored\n")
            return
        else:
            objects = self._objects(class_name)
        for obj in objects:
            if not obj.has_trait(setting) or not obj.trait_metadata(setting, "config"):
                choices = ", ".join(sorted(obj.class_trait_names(config=True)))
                raise UsageError(f"%config: {class_name} has no setting {setting!r}; its settings: {choices}")
        if value_source is None:
            self.shell.write("".join(f"{class_name}.{setting} = {getattr(obj, setting)!r}\n" for obj in objects))
            return
        for obj in objects:
            try:
                setattr(obj, setting, value)
            except Exception as err:  # traitlets' TraitError, or an observer's complaint
                message = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
                raise UsageError(f"%config: {class_name}.{setting}: {message}") from None

    @completer_for(config)
    def complete_config(self, request: BodyCompletion) -> list[tuple[str, str]]:
        """``%config `` → the configurable classes; ``%config Shell.`` → ``Shell.xmode``..., as IPython offers."""
        if "=" in request.text_before_cursor:
            return []  # the right side is Python
        configurables = self.shell.configurables()
        if "." not in request.text_before_cursor:
            return [(name, "class") for name in sorted({*configurables, *SETTINGS_OF_MAGICS})]
        words = []
        for name, obj in sorted(configurables.items()):
            words += [(f"{name}.{setting}", "setting") for setting in sorted(obj.class_trait_names(config=True))]
        return words

    def _objects(self, class_name: str, *, missing_ok: bool = False) -> list[Any]:
        """The live objects of ``class_name``, creating the settings of a lazily loaded magic if need be."""
        configurables = self.shell.configurables()
        if class_name not in configurables and class_name in SETTINGS_OF_MAGICS:
            self.shell.magics.get(*SETTINGS_OF_MAGICS[class_name])  # loading that magic creates them
            configurables = self.shell.configurables()
        try:
            return _find(configurables, class_name)
        except UsageError:
            if missing_ok:
                return []
            raise

    def _evaluate(self, source: str) -> Any:
        """The right-hand side, as Python in the user namespace (as in IPython)."""
        if not source.strip():
            raise UsageError("%config: nothing after '='")
        try:
            return eval(source.strip(), self.shell.user_ns)
        except Exception as err:
            raise UsageError(f"%config: cannot evaluate {source.strip()!r}: {type(err).__name__}: {err}") from None

    @line_magic
    def precision(self, line: str = "") -> str:
        """Set how floats are shown: ``%precision [N|FORMAT]``.

        ``%precision 3`` shows three digits after the point, ``%precision %e``
        uses a %-format, and ``%precision`` alone goes back to ``repr``. The
        format in use is returned. When numpy is loaded, its print precision
        follows (8 when reset), as in IPython.
        """
        spec = line.strip()
        try:
            fmt = self.shell.set_float_precision(spec)
        except (ValueError, TypeError) as err:
            raise UsageError(f"%precision: {err}") from None
        numpy = sys.modules.get("numpy")
        if numpy is not None and "%" not in spec:
            numpy.set_printoptions(precision=int(spec) if spec else 8)
        return fmt


def _unused(class_name: str) -> str:
    """Why a setting of ``class_name`` does nothing in this session."""
    if class_name == "InlineBackend":
        return "no inline figures in this session yet (%matplotlib inline starts them)"
    if class_name == "TerminalShell":
        return "a setting of the terminal, and this session has none"
    return f"this session has no {class_name}"


def _find(configurables: dict[str, Any], class_name: str) -> list[Any]:
    """The objects of class ``class_name`` (or a subclass of a class so named)."""
    if class_name in configurables:
        return [configurables[class_name]]
    found = [obj for obj in configurables.values()
             if class_name not in _GENERIC and any(cls.__name__ == class_name for cls in type(obj).__mro__)]
    if not found:
        raise UsageError(f"%config: no configurable object {class_name!r}; "
                         f"choose from {', '.join(sorted(configurables))}")
    return found
