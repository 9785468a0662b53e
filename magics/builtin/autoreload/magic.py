"""``%autoreload`` and ``%aimport``: reload edited modules before each cell.

Usage::

    %load_ext autoreload        # accepted: autoreload is built in
    %autoreload 2               # before every cell, reload every module whose file changed
    %aimport geometry           # import it and mark it for %autoreload 1
    %aimport -big_module        # never reload this one

The modes are IPython's: ``0``/``off``, ``1``/``explicit`` (only ``%aimport``
modules), ``2``/``all`` (every module except the skipped ones),
``3``/``complete`` (as ``2``, and names a module gains reach the user's
namespace); ``now`` (or no mode) reloads once, at once. The work is done in
:mod:`.reloader` and :mod:`.patching`; this module holds the settings and
hooks them to the shell's ``pre_run_cell``/``post_execute``/``post_run_cell``
events. An edit that does not import (a syntax error while typing) is
reported in one line and the cell runs with the module as it was.
"""

from __future__ import annotations

import importlib
import logging
import traceback
from typing import Any

from magics.arguments import argument, magic_arguments, parse_argstring
from magics.base import Magics
from magics.builtin.autoreload.from_imports import FromImports
from magics.builtin.autoreload.reloader import ModuleReloader, Outcome
from magics.decorators import line_magic
from magics.errors import ModuleNotImportable, UsageError
from magics.surface import ShellSurface

#: What ``%autoreload`` accepts for each mode (case does not matter).
MODES = {"0": 0, "off": 0, "1": 1, "explicit": 1, "2": 2, "all": 2, "3": 3, "complete": 3}

OFF, EXPLICIT, ALL, COMPLETE = 0, 1, 2, 3


class AutoreloadMagics(Magics):
    """The reload settings of one shell, and the hooks that apply them before each cell."""

    def __init__(self, shell: ShellSurface):
        super().__init__(shell)
        self.reloader = ModuleReloader()
        self.mode = OFF
        self.print_activity = False
        self.log_activity = False
        self.hide_errors = False
        self.from_imports = FromImports()
        if shell is not None:
            shell.events.register("pre_run_cell", self.pre_run_cell)
            shell.events.register("post_execute", self.post_execute)
            shell.events.register("post_run_cell", self.post_run_cell)

    # -- the magics ----------------------------------------------------------------------
    @magic_arguments()
    @argument("mode", nargs="?", default="now",
              help="now (the default): reload changed modules once, at once; "
                   "0/off: stop reloading; 1/explicit: before each cell, reload the %%aimport modules; "
                   "2/all: before each cell, reload every changed module except the skipped ones; "
                   "3/complete: as 2, and names a module gains reach your namespace")
    @argument("-p", "--print", dest="print_activity", action="store_true",
              help="print the name of each module as it is reloaded")
    @argument("-l", "--log", dest="log_activity", action="store_true",
              help="log each reload to the 'autoreload' logger at INFO level")
    @argument("--hide-errors", action="store_true", help="say nothing when a module fails to reload")
    @argument("--full", action="store_true",
              help="accepted for IPython's sake: hocus always reloads the whole module")
    @line_magic
    def autoreload(self, line: str = "") -> None:
        """Reload modules whose source files changed, before each cell or now.

        ``%autoreload 2`` then ``from geometry import area``: edit
        geometry.py, and the next cell runs the new ``area``. Functions get
        their new code in place, and classes their new methods, so objects
        made before the edit use the new methods, and ``isinstance`` with
        the class you imported still holds.

        IPython's trailing ``-`` (``%autoreload 2-``) and ``--full`` are
        accepted; hocus has one way of reloading. hocus's own modules are
        never reloaded.
        """
        args = parse_argstring(self.autoreload, line)
        mode = args.mode.lower().removesuffix("-")
        if mode not in MODES and mode != "now":
            raise UsageError(f"%autoreload: unknown mode {args.mode!r}; use 0/off, 1/explicit, "
                             "2/all, 3/complete, or now")
        self.print_activity, self.log_activity = args.print_activity, args.log_activity
        self.hide_errors = args.hide_errors
        if mode == "now":
            self.reload(check_all=True)
        else:
            self.mode = MODES[mode]

    @line_magic
    def aimport(self, line: str = "") -> None:
        """Mark modules for ``%autoreload 1``, or against reloading; list the marks.

        ``%aimport geometry`` imports it (into your namespace, as ``import``
        would) and reloads it in explicit mode; ``%aimport geometry as g``
        names it; ``%aimport a, b`` takes several; ``%aimport -geometry``
        never reloads it, whatever the mode. Bare ``%aimport`` lists what is
        marked.
        """
        if not line.strip():
            self.shell.write(self._marks())
            return
        for item in (part.strip() for part in line.split(",")):
            if item.startswith("-"):
                self.reloader.mark_skipped(item[1:].strip())
            elif item:
                self._aimport(item)

    # -- the events ------------------------------------------------------------------------
    def pre_run_cell(self, info: Any = None) -> None:
        """Before a cell: reload the changed modules the mode watches."""
        if self.mode != OFF:
            self.reload(check_all=self.mode >= ALL)

    def post_execute(self) -> None:
        """After any cell: note the source mtimes of the modules it imported."""
        self.reloader.remember_new_modules()

    def post_run_cell(self, result: Any) -> None:
        """After a cell that ran: remember its ``from ... import`` lines, for ``complete`` mode."""
        if self.mode == COMPLETE and result.success and "import" in result.info.raw_cell:
            try:
                self.from_imports.note(self.shell.transform_cell(result.info.raw_cell))
            except Exception:  # noqa: BLE001 - a cell that ran transforms; this is belt and braces
                pass

    # -- reloading --------------------------------------------------------------------------
    def reload(self, check_all: bool) -> None:
        """Reload what changed and update the user's namespace; report, never raise."""
        outcomes = self.reloader.reload_changed(check_all)
        replaced: dict[int, Any] = {}
        for outcome in outcomes:
            self._report(f"Reloading '{outcome.name}'.")
            if outcome.error is not None:
                if not self.hide_errors:
                    self.shell.write_err(f"[autoreload of {outcome.name} failed: {_describe(outcome.error, outcome.path)}]\n")
                continue
            replaced.update((id(old), new) for old, new in outcome.replaced)
            if self.mode == COMPLETE:
                self._bring_names(outcome)
        if replaced:
            self._rebind(replaced)

    def _bring_names(self, outcome: Outcome) -> None:
        """``complete``: names the module gained, and from-imported names it rebound, reach the user."""
        user_ns, module_ns = self.shell.user_ns, outcome.module.__dict__
        imported = self.from_imports.of(outcome.name)
        everything = imported is None or "*" in imported
        for name, value in outcome.added.items():
            targets = (imported or {}).get(name)
            if targets:
                for target in targets:
                    user_ns[target] = value
            elif everything and not name.startswith("_"):
                user_ns[name] = value
        for original, targets in (imported or {}).items():
            pairs = ([(name, name) for name in module_ns if not name.startswith("_")] if original == "*"
                     else [(original, target) for target in targets])
            for name, target in pairs:
                if name in module_ns and name in outcome.previous and user_ns.get(target) is outcome.previous[name]:
                    user_ns[target] = module_ns[name]

    def _rebind(self, replaced: dict[int, Any]) -> None:
        """Objects that could not take their new code in place: the user's names get the new ones."""
        user_ns = self.shell.user_ns
        for name, value in list(user_ns.items()):
            new = replaced.get(id(value))
            if new is not None:
                user_ns[name] = new

    def _report(self, message: str) -> None:
        if self.print_activity:
            self.shell.write(message + "\n")
        if self.log_activity:
            logging.getLogger("autoreload").info(message)

    # -- %aimport ----------------------------------------------------------------------------
    def _aimport(self, item: str) -> None:
        name, _, alias = (part.strip() for part in item.partition(" as "))
        try:
            importlib.import_module(name)
        except ImportError as err:
            raise ModuleNotImportable(err) from None
        self.reloader.mark_explicit(name)
        self.reloader.remember_new_modules()
        if alias:
            self.shell.push({alias: importlib.import_module(name)})
        else:
            top = name.partition(".")[0]
            self.shell.push({top: importlib.import_module(top)})

    def _marks(self) -> str:
        to_reload = "all-except-skipped" if self.mode >= ALL else " ".join(sorted(self.reloader.explicit))
        skipped = " ".join(sorted(self.reloader.skipped))
        return f"Modules to reload:\n{to_reload}\n\nModules to skip:\n{skipped}\n"


def _describe(err: BaseException, path: str) -> str:
    """The error in one line, with the place in the module's file (``path``) where it happened."""
    text = f"{type(err).__name__}: {err}"
    if not isinstance(err, SyntaxError):  # a SyntaxError's text already names the file and line
        lines = [frame.lineno for frame in traceback.extract_tb(err.__traceback__) if frame.filename == path]
        if lines:
            text += f" ({path}, line {lines[-1]})"
    return text
