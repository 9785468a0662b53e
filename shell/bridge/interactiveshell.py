"""IPython's ``InteractiveShell``, presented by a hocus shell.

Imported only once IPython is (see :mod:`shell.bridge.hook`). The classes
here subclass IPython's ``InteractiveShell`` so that ``isinstance`` checks
and IPython's own singleton accessor (``InteractiveShell.instance()``) accept
them, but they never run IPython's constructor: there is no second
namespace, history database or execution machinery. Every method a library
calls is answered by the hocus engine:

- the namespace (``user_ns``, ``push``, ``ex``, ``ev``), running code
  (``run_cell``, ``run_line_magic``, ``run_cell_magic``, ``system``,
  ``getoutput``), events (the engine's own, which use IPython's names);
- magics: IPython ``Magics`` classes and functions are registered in the
  engine's registry (:mod:`shell.bridge.magics`);
- display: ``display_formatter`` keeps IPython's registry of formatters
  (``formatters['text/latex'].for_type(...)``) and the engine honours it;
  ``display_pub`` forwards to the front end's publisher.

The class name tells libraries where they run, as IPython's does:
``ZMQInteractiveShell`` in the kernel (with ``.kernel``), and
``TerminalInteractiveShell`` in the terminal and ``embed()``.
Anything else is looked up on the hocus shell, so hocus's own API
(``get_ipython().displayer``, ``.history``) keeps working through the view.
"""

from __future__ import annotations

import sys
from typing import Any

from IPython.core.interactiveshell import InteractiveShell
from IPython.terminal.interactiveshell import TerminalInteractiveShell as IPythonTerminalShell
from traitlets.config import Config, Configurable

from shell.bridge.formatting import BridgedDisplayFormatter, BridgedDisplayPublisher
from shell.bridge.magics import BridgedExtensionManager, BridgedMagicsManager


class _Hooks:
    """IPython's ``shell.hooks``: the few hooks libraries still call (``show_in_pager``)."""

    def __init__(self, shell: Any):
        self._shell = shell

    def show_in_pager(self, data: Any, start: int = 0, screen_lines: int = 0, **kwargs: Any) -> None:
        text = data.get("text/plain", "") if isinstance(data, dict) else str(data)
        self._shell.page(text)


class _TracebackText:
    """IPython's ``shell.InteractiveTB``: traceback text in hocus's format (``IPython.lib.backgroundjobs``)."""

    def __init__(self, shell: Any):
        self._shell = shell

    def text(self, etype: Any, value: BaseException | None, tb: Any, tb_offset: int | None = None,
             context: int = 5) -> str:
        if value is None:  # called from an except block with no arguments: the exception being handled
            value = sys.exc_info()[1]
            if value is None:
                return ""
        elif tb is not None and value.__traceback__ is not tb:
            value = value.with_traceback(tb)
        return self._shell.tracebacks.format(value)

    def __call__(self, etype: Any = None, value: BaseException | None = None, tb: Any = None, **kwargs: Any) -> None:
        self._shell.showtraceback(value)


class _Forwarded:
    """A setting of the view that is the hocus shell's setting (by its own name, or ``name``).

    Stands in place of IPython's trait of the same name, so reading and
    setting it on ``get_ipython()`` reads and sets the session's setting.
    """

    def __init__(self, name: str = ""):
        self.name = name

    def __set_name__(self, owner: type, attr: str) -> None:
        self.name = self.name or attr

    def __get__(self, view: Any, owner: type | None = None) -> Any:
        return self if view is None else getattr(view._hocus, self.name)

    def __set__(self, view: Any, value: Any) -> None:
        setattr(view._hocus, self.name, value)


class HocusInteractiveShell(InteractiveShell):
    """IPython's shell API over one hocus :class:`~shell.engine.shell.Shell`."""

    # Plain class attributes in place of IPython's traits: these are set per view, not validated.
    # The view hands out hocus's stand-ins, not IPython's classes: each place one replaces a
    # member IPython annotates carries an ignore for exactly that mismatch.
    display_formatter = None
    magics_manager: BridgedMagicsManager = None  # type: ignore[assignment]  # set in __init__
    extension_manager = None
    history_manager = None
    ast_transformers = None  # type: ignore[assignment]  # the engine's list, set in __init__
    input_transformers_post = None  # type: ignore[assignment]  # the engine's list, set in __init__

    def __init__(self, shell: Any, config: Config | None = None):
        # Deliberately not InteractiveShell.__init__: the engine is hocus's.
        Configurable.__init__(self, config=config or Config())
        object.__setattr__(self, "_hocus", shell)
        self.configurables: list[Any] = []  # IPython's Magics.__init__ appends to it
        self.events = shell.events  # the same event names and call signatures as IPython's
        self.display_formatter = BridgedDisplayFormatter(shell.display_formatter, parent=self)
        self.display_pub = BridgedDisplayPublisher(shell)  # type: ignore[assignment]  # publishes to hocus
        self.magics_manager = BridgedMagicsManager(self, shell)
        self.extension_manager = BridgedExtensionManager(shell)
        self.ast_transformers = shell.ast_transformers
        self.input_transformers_post = shell.input_transformers_post
        self.hooks = _Hooks(shell)  # type: ignore[assignment]  # only the hooks libraries still call
        self.InteractiveTB = self.SyntaxTB = _TracebackText(shell)  # type: ignore[assignment]  # hocus's format
        self.user_ns_hidden = {}
        self.compile = shell.compiler
        shell.events.register("pre_execute", self._follow_class_settings)

    # IPython declares these as writable traits of its own; here they are read from the engine,
    # which runs the cells (IPython's own run_cell, the writer, is replaced below)
    @property
    def last_execution_result(self) -> Any:  # type: ignore[override]
        return self._hocus.last_execution_result

    @property
    def last_execution_succeeded(self) -> bool:  # type: ignore[override]
        return self._hocus.last_execution_succeeded

    # -- what is not IPython's is hocus's ------------------------------------------------
    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name == "_hocus":
            raise AttributeError(name)
        return getattr(object.__getattribute__(self, "_hocus"), name)

    @property
    def hocus_shell(self) -> Any:
        """The hocus shell this view presents."""
        return self._hocus

    # -- the namespace --------------------------------------------------------------------
    @property
    def user_ns(self) -> dict[str, Any]:
        return self._hocus.user_ns

    @user_ns.setter
    def user_ns(self, value: dict[str, Any]) -> None:
        """Point the session at another namespace, as IPython allows.

        Code written for IPython does it for a while and puts the old one back
        (the notebook importer of Jupyter's examples runs a notebook's magics in
        its module's namespace); cells run in whatever namespace is set.
        """
        if not isinstance(value, dict):
            raise TypeError(f"user_ns must be a dict, not {type(value).__name__}")
        self._hocus.user_ns = value

    @property
    def user_global_ns(self) -> dict[str, Any]:
        return self._hocus.user_ns

    @property
    def user_module(self) -> Any:
        return self._hocus.user_module

    @property
    def execution_count(self) -> int:
        """In a cell, its number (as in IPython); between cells, the next one's. Not the shared counter
        alone: while a subshell's cell runs beside a busy one, that counter is the busy cell's number."""
        return self._hocus.running_execution_count or self._hocus.execution_count

    @execution_count.setter
    def execution_count(self, value: int) -> None:
        self._hocus.execution_count = value

    @property
    def input_transformers_cleanup(self) -> list:
        return self._hocus.input_transformers_cleanup

    def push(self, variables: Any, interactive: bool = True) -> None:
        if isinstance(variables, str):
            frame = sys._getframe(1)
            variables = {name: eval(name, frame.f_globals, frame.f_locals)
                         for name in variables.replace(",", " ").split()}
        self._hocus.push(variables)

    def del_var(self, varname: str, by_name: bool = False) -> None:
        self._hocus.user_ns.pop(varname, None)

    def ex(self, cmd: str) -> None:
        self._hocus.ex(cmd)

    def ev(self, expr: str) -> Any:
        return self._hocus.ev(expr)

    def get_ipython(self) -> "HocusInteractiveShell":
        return self

    # -- settings that are the engine's ---------------------------------------------------
    colors = _Forwarded()
    xmode = _Forwarded()
    pdb = _Forwarded()
    call_pdb = _Forwarded("pdb")
    automagic = _Forwarded()
    autocall = _Forwarded()
    ast_node_interactivity = _Forwarded()

    def _follow_class_settings(self) -> None:
        """Honour ``InteractiveShell.ast_node_interactivity = "all"`` set on IPython's class.

        Notebooks use that idiom in a first cell; in IPython it changes the
        attribute every shell reads from then on, so here it applies from
        the next cell on, as there.
        """
        value = InteractiveShell.__dict__.get("ast_node_interactivity")
        if isinstance(value, str) and value != self._class_interactivity:
            self._class_interactivity = value
            self._hocus.ast_node_interactivity = value

    _class_interactivity: str | None = None

    # -- running code ---------------------------------------------------------------------
    def run_cell(self, raw_cell: str, store_history: bool = False, silent: bool = False,
                 shell_futures: bool = True, cell_id: str | None = None, cell_meta: Any = None) -> Any:
        """Run a cell in the session (``cell_meta``, a notebook cell's metadata, is accepted as IPython 9's)."""
        return self._hocus.run_cell(raw_cell, store_history=store_history, silent=silent, cell_id=cell_id)

    async def run_cell_async(self, raw_cell: str, store_history: bool = False, silent: bool = False,
                             shell_futures: bool = True, *, transformed_cell: str | None = None,
                             preprocessing_exc_tuple: Any = None, cell_id: str | None = None,
                             cell_meta: Any = None) -> Any:
        return self._hocus.run_cell(raw_cell, store_history=store_history, silent=silent, cell_id=cell_id)

    def transform_cell(self, raw_cell: str) -> str:
        return self._hocus.transform_cell(raw_cell)

    def run_line_magic(self, magic_name: str, line: str, _stack_depth: int = 1) -> Any:
        return self._hocus.run_line_magic(magic_name, line, _stack_depth + 1)

    def run_cell_magic(self, magic_name: str, line: str, cell: str) -> Any:
        return self._hocus.run_cell_magic(magic_name, line, cell, _stack_depth=2)

    # IPython's is MagicsManager.register_function under functools.wraps, which mypy cannot match
    def register_magic_function(  # type: ignore[override]
            self, func: Any, magic_kind: str = "line", magic_name: str | None = None) -> None:
        self.magics_manager.register_function(func, magic_kind=magic_kind, magic_name=magic_name)

    def register_magics(self, *magic_objects: Any) -> None:
        self.magics_manager.register(*magic_objects)

    def find_magic(self, magic_name: str, magic_kind: str = "line") -> Any:
        return self._hocus.find_magic(magic_name, magic_kind)

    def find_line_magic(self, magic_name: str) -> Any:
        return self._hocus.find_magic(magic_name, "line")

    def find_cell_magic(self, magic_name: str) -> Any:
        return self._hocus.find_magic(magic_name, "cell")

    def system(self, cmd: str) -> int:
        return self._hocus.system(cmd)

    system_piped = system_raw = system

    def getoutput(self, cmd: str, split: bool = True, depth: int = 0) -> Any:
        lines = self._hocus.getoutput(cmd)
        return lines if split else "\n".join(lines)

    def complete(self, text: str, line: str | None = None, cursor_pos: int | None = None) -> Any:
        """hocus's completion: ``complete(code)`` gives a ``CompletionResult`` (``.matches``, ``.texts``).

        Called IPython's way, with the ``line`` (and ``cursor_pos``), it
        answers IPython's way: ``(text, [completions])``, each completion
        replacing ``text`` before the cursor.
        """
        if line is None:
            return self._hocus.complete(text, cursor_pos)
        cursor = len(line) if cursor_pos is None else cursor_pos
        result = self._hocus.complete(line, cursor)
        return line[result.start:cursor], list(result.texts)  # the text each completion replaces

    def set_next_input(self, s: str, replace: bool = False) -> None:
        self._hocus.set_next_input(s, replace=replace)

    def showtraceback(self, exc_tuple: Any = None, filename: str | None = None, tb_offset: int | None = None,
                      exception_only: bool = False, running_compiled_code: bool = False) -> None:
        error = exc_tuple[1] if exc_tuple else None
        self._hocus.showtraceback(error)

    def showsyntaxerror(self, filename: str | None = None, running_compiled_code: bool = False) -> None:
        self._hocus.showtraceback()

    def ask_exit(self) -> None:
        self._hocus.ask_exit()

    def enable_matplotlib(self, gui: str | None = None) -> tuple[str | None, str]:
        self._hocus.run_line_magic("matplotlib", gui or "", 2)
        import matplotlib

        return gui, matplotlib.get_backend()

    def enable_gui(self, gui: str | None = None) -> None:
        """GUI event loops are not integrated in hocus: only ``%matplotlib inline`` and its kin apply."""

    def object_inspect(self, oname: str, detail_level: int = 0) -> dict[str, Any]:
        try:
            text = self._hocus.inspect_object(oname, detail_level)
        except NameError:
            return {"found": False, "name": oname}
        return {"found": True, "name": oname, "text/plain": text}

    def set_hook(self, name: str, hook: Any, priority: int = 50, str_key: Any = None, re_key: Any = None) -> None:
        if name == "show_in_pager":
            self.hooks.show_in_pager = hook
        else:
            self._hocus.write_err(f"hocus: IPython hook {name!r} is not supported; ignored\n")

    def __repr__(self) -> str:
        return f"<{type(self).__name__} presenting {self._hocus!r}>"


class TerminalInteractiveShell(HocusInteractiveShell, IPythonTerminalShell):
    """What libraries see in hocus's terminal and ``embed()``: IPython's terminal shell.

    A subclass of IPython's own, since libraries test ``isinstance`` (SymPy's
    ``init_printing`` picks text output for a terminal this way); hocus's
    methods come first in the MRO, and IPython's constructor never runs.
    """


class ZMQInteractiveShell(HocusInteractiveShell):
    """What libraries see in the hocus kernel: ipykernel's shell, by name, with ``.kernel``."""

    @property
    def kernel(self) -> Any:
        return self._hocus.kernel

    def get_parent(self) -> dict[str, Any] | None:
        """The request being answered (ipywidgets' ``Output`` routes output by its msg_id)."""
        kernel = self._hocus.kernel
        return kernel.get_parent() if kernel is not None else None

    def set_parent(self, parent: dict[str, Any]) -> None:
        """Output already follows the request being answered; nothing to change."""

    @property
    def parent_header(self) -> dict[str, Any]:
        parent = self.get_parent() or {}
        return parent.get("header", {})


_SECTIONS_HOCUS_ANSWERS = frozenset({
    "PlainTextFormatter", "DisplayFormatter", "InteractiveShell", "TerminalInteractiveShell",
    "ZMQInteractiveShell", "InteractiveShellApp", "TerminalIPythonApp", "IPKernelApp", "IPCompleter",
    "Completer", "HistoryManager", "MagicsManager", "Shell", "ShellApp", "TerminalShell",
})

_CLASS_FOR_FRONT_END = {"kernel": ZMQInteractiveShell, "terminal": TerminalInteractiveShell}


def view_for(shell: Any) -> HocusInteractiveShell:
    """The shell's view, made on first use (one per shell)."""
    view = shell.__dict__.get("_ipython_view")
    if view is None:
        cls = _CLASS_FOR_FRONT_END.get(shell.front_end, HocusInteractiveShell)
        # config.py's sections reach IPython Magics made with this view as parent; not the sections
        # that name hocus's own settings or IPython's shell classes (mapped onto hocus's already):
        # IPython's classes of the same name would read them, and warn about hocus's names.
        config = Config({section: values for section, values in shell.config.items()
                         if section not in _SECTIONS_HOCUS_ANSWERS})
        if shell.front_end == "kernel":
            config.IPKernelApp = Config()  # tqdm.autonotebook and others look for it to detect a kernel
        view = cls(shell, config=config)
        shell.__dict__["_ipython_view"] = view
    return view


def make_current(view: HocusInteractiveShell) -> None:
    """Point IPython's singleton at ``view``, unless a real IPython shell runs this process."""
    current = InteractiveShell._instance
    if current is not None and not isinstance(current, HocusInteractiveShell):
        return  # hocus embedded in a real IPython: that shell stays IPython's
    # (traitlets' SingletonConfigurable annotates _instance as None: it holds the instance once made)
    for cls in InteractiveShell._walk_mro():
        cls._instance = view  # type: ignore[assignment]
    for cls in type(view).__mro__:
        if isinstance(cls, type) and issubclass(cls, InteractiveShell):
            cls._instance = view  # type: ignore[assignment]
