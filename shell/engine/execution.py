"""Compiling and running one cell: the part of ``run_cell`` that touches ``exec``.

:class:`CellCompiler` gives every cell a unique filename, registers its
source with :mod:`linecache` (so tracebacks show the cell's lines and
``inspect.getsource`` works on functions defined in cells), and carries
``from __future__`` imports from one cell to the next, as ``codeop`` does.

:func:`prepare_module` rewrites the expression statements whose values a
cell shows (the last one, or more under IPython's ``ast_node_interactivity``)
into calls of the engine's display hook, so the whole cell compiles and
runs as one code object and top-level ``await`` works across it;
:func:`ends_with_semicolon` is IPython's trailing-``;`` rule, asked of the
transformed cell.
"""

from __future__ import annotations

import __future__
import ast
import inspect
import itertools
import linecache
import types
from typing import TYPE_CHECKING, Any, Callable, Coroutine

if TYPE_CHECKING:  # typeshed has no stub for _sha1, whose sha1 is hashlib's
    import asyncio
    from hashlib import sha1 as _sha1
else:
    try:  # CPython's own SHA-1: hashlib would load OpenSSL at start-up (milliseconds and megabytes)
        from _sha1 import sha1 as _sha1
    except ImportError:  # pragma: no cover - other Pythons
        from hashlib import sha1 as _sha1

_TOP_LEVEL_AWAIT = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
_FUTURE_FLAGS = {name: getattr(__future__, name).compiler_flag for name in __future__.all_feature_names}


class CellCompiler:
    """Compiles cells under the filenames IPython gives them.

    The code of ``In [35]`` is compiled as ``<ipython-input-35-1f0e3dad9990>``
    (the cell's number and the start of its text's SHA-1), exactly as
    IPython names it: the name pdb, ``%prun``, ``obj?`` and warnings show,
    and the one tools written for IPython recognise as a cell (line_profiler
    shows its source). Tracebacks label it ``Cell In[35]``. A cell run
    without being stored (a ``%%capture`` body, a silent cell) is named and
    labelled with the number it runs under, as in IPython; its different text
    gives it a different name. Code given no number (``%debug`` of a
    statement) gets ``<hocus-cell-N>``, labelled ``Cell <N>``.

    A front end's debugger may name numbered cells instead (``cell_namer``,
    source text to filename): a breakpoint is set on a file, and JupyterLab
    names a cell's file from its text before the cell ever runs.
    """

    def __init__(self, prefix: str = "hocus-cell", *, top_level_await: bool = True):
        self.prefix = prefix
        self.cell_namer: Callable[[str], str] | None = None
        self.flags = 0  # future features turned on by earlier cells
        self.top_level_await = top_level_await  # %autoawait: off makes a top-level await a SyntaxError
        self._serial = itertools.count(1)
        self.labels: dict[str, str] = {}
        self._machinery: set[str] = set()

    def new_filename(self, source: str, execution_count: int | None, *, machinery: bool = False) -> str:
        """A filename for ``source``, registered in linecache.

        ``machinery``: the cell is only the call of a cell magic, which runs
        the cell's text itself: its name is left to that text, and
        tracebacks leave the call out (see :meth:`is_machinery`).
        """
        serial = next(self._serial)
        lines = source.splitlines(keepends=True)
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        if execution_count and not machinery:
            label = f"Cell In[{execution_count}]"
            if self.cell_namer is not None:
                filename = self.cell_namer(source)
            else:
                digest = _sha1(source.encode("utf-8", "surrogatepass")).hexdigest()[:12]
                filename = f"<ipython-input-{execution_count}-{digest}>"
        else:
            label = f"Cell <{serial}>"
            filename = f"<{self.prefix}-{serial}>"
        if machinery:
            self._machinery.add(filename)
        self.labels.pop(filename, None)  # re-inserted: the newest cell last
        self.labels[filename] = label
        # mtime None marks the entry as not backed by a file: checkcache keeps it.
        linecache.cache[filename] = (len(source), None, lines, filename)
        return filename

    def label(self, filename: str) -> str | None:
        """``Cell In[N]`` for a cell's filename, None for anything else."""
        return self.labels.get(filename)

    def is_machinery(self, filename: str) -> bool:
        """Whether ``filename`` is a cell that only calls a cell magic (tracebacks hide it)."""
        return filename in self._machinery

    def cells_newest_first(self) -> list[str]:
        """The filenames of the code compiled so far, the newest first."""
        return list(reversed(self.labels))

    def parse(self, source: str, filename: str) -> ast.Module:
        return compile(source, filename, "exec", ast.PyCF_ONLY_AST | self._flags(), dont_inherit=True)

    def compile(self, tree: ast.Module | ast.Expression | ast.Interactive, filename: str,
                mode: str = "exec") -> types.CodeType:
        code = compile(tree, filename, mode, self._flags(), dont_inherit=True)
        self._remember_futures(tree)
        return code

    def compile_cell(self, tree: ast.Module, filename: str) -> list[types.CodeType]:
        """A cell's code objects, run one after the other: one, unless a ``from __future__``
        import comes after other statements.

        Python accepts such an import only at the top of a module; IPython, which
        compiles each top-level statement on its own, accepts it anywhere, and it
        applies from there on (SymPy's example notebooks rely on that). So the cell
        is cut before each such import, and each part compiled with the features
        turned on so far.
        """
        parts: list[list[ast.stmt]] = [[]]
        for node in tree.body:
            if _is_future_import(node) and any(not _is_future_import(n) for n in parts[-1]):
                parts.append([])
            parts[-1].append(node)
        if len(parts) == 1:
            return [self.compile(tree, filename)]
        return [self.compile(ast.Module(body=part, type_ignores=[]), filename) for part in parts]

    def _flags(self) -> int:
        return self.flags | (_TOP_LEVEL_AWAIT if self.top_level_await else 0)

    def _remember_futures(self, tree: ast.AST) -> None:
        for node in getattr(tree, "body", []):
            if isinstance(node, ast.ImportFrom) and node.module == "__future__":
                for alias in node.names:
                    self.flags |= _FUTURE_FLAGS.get(alias.name, 0)


def _is_future_import(node: ast.stmt) -> bool:
    return isinstance(node, ast.ImportFrom) and node.module == "__future__"


INTERACTIVITY = ("last_expr", "all", "last", "last_expr_or_assign", "none")
"""IPython's ``ast_node_interactivity`` values: which statements of a cell show their value."""


def prepare_module(tree: ast.Module, hook_name: str, interactivity: str = "last_expr") -> ast.Module:
    """Route the values a cell shows to ``<hook>.displayhook``, as IPython's ``ast_node_interactivity``.

    - ``last_expr``: the last statement, if it is an expression (the default);
    - ``last_expr_or_assign``: that, or the name a last ``x = ...``,
      ``x += ...`` or ``x: T = ...`` assigns;
    - ``last``: every expression statement of the last statement, blocks
      included (``for i in r: i`` shows each ``i``), as IPython runs it in
      ``'single'`` mode;
    - ``all``: the same for every statement;
    - ``none``: nothing (a silent cell, a trailing ``;``).

    The cell stays one module, so it compiles and runs as one code object
    and top-level ``await`` works across it.
    """
    body = tree.body
    if not body or interactivity == "none":
        return tree
    if interactivity == "last_expr_or_assign":
        shown = _assigned_name(body[-1])
        if shown is not None:
            body.append(ast.copy_location(ast.Expr(value=shown), body[-1]))
        interactivity = "last_expr"
    if interactivity == "last_expr":
        if not isinstance(body[-1], ast.Expr):
            return tree  # nothing to show: the tree is the parser's, untouched
        first = len(body) - 1
    elif interactivity in ("last", "all"):
        first = len(body) - 1 if interactivity == "last" else 0
    else:
        raise ValueError(f"ast_node_interactivity must be one of {', '.join(INTERACTIVITY)}, not {interactivity!r}")
    show = _ShowExpressions(hook_name)
    # Only the statements rewritten here can hold a node without a location: the rest of
    # the cell is walked no further, which for a long cell would cost more than the rewrite.
    body[first:] = [ast.fix_missing_locations(show.visit(node)) for node in body[first:]]
    return tree


class _ShowExpressions(ast.NodeTransformer):
    """Expression statements -> ``<hook>.displayhook(value)``, in blocks but not in function or class bodies.

    That is where ``compile(..., "single")`` prints values, the mode IPython
    runs its interactive statements in.
    """

    def __init__(self, hook_name: str):
        self.hook_name = hook_name

    def visit_Expr(self, node: ast.Expr) -> ast.Expr:
        value = node.value
        func = ast.Attribute(value=ast.Name(id=self.hook_name, ctx=ast.Load()), attr="displayhook", ctx=ast.Load())
        call = ast.Call(func=func, args=[value], keywords=[])
        for made in (call, func, func.value):
            ast.copy_location(made, value)
        return ast.copy_location(ast.Expr(value=call), node)

    def _leave_alone(self, node: ast.AST) -> ast.AST:
        return node

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = visit_Lambda = _leave_alone


def _assigned_name(node: ast.stmt) -> ast.Name | None:
    """``x`` (to load) for ``x = ...``, ``x += ...``, ``x: T = ...``; None for anything else.

    As IPython: one target, a plain name. ``x: T`` without a value shows
    nothing (IPython raises NameError there).
    """
    if isinstance(node, ast.Assign) and len(node.targets) == 1:
        target = node.targets[0]
    elif isinstance(node, ast.AugAssign) or (isinstance(node, ast.AnnAssign) and node.value is not None):
        target = node.target
    else:
        return None
    if not isinstance(target, ast.Name):
        return None
    return ast.copy_location(ast.Name(id=target.id, ctx=ast.Load()), target)


def ends_with_semicolon(source: str, tree: ast.Module) -> bool:
    """Whether ``;`` follows the last statement of ``tree``, parsed from ``source`` (IPython's 'suppress output').

    Asked of the code a cell is transformed into, as IPython does: the rule
    is about a Python statement, so ``%sql SELECT 1;`` (a call of the magic
    with the text ``'SELECT 1;'``) shows its result. Only the text after the
    last statement is looked at, so a long cell costs no tokenizing.
    """
    if not tree.body or ";" not in source:
        return False
    last = tree.body[-1]
    # bytes: their lines break where Python's do (not at \f or \x85), and end_col_offset counts UTF-8 bytes
    lines = source.encode("utf-8").splitlines(keepends=True)
    if last.end_lineno is None or last.end_col_offset is None or last.end_lineno > len(lines):
        return False
    # after the last statement come only ;, comments, blanks and backslash continuations
    rest = b"".join([lines[last.end_lineno - 1][last.end_col_offset:], *lines[last.end_lineno:]])
    return rest.lstrip(b" \t\f\\\r\n").startswith(b";")


def is_coroutine_code(code: types.CodeType) -> bool:
    """Whether compiling produced a coroutine (the cell used top-level ``await``)."""
    return bool(code.co_flags & inspect.CO_COROUTINE)


class AsyncRunner:
    """Runs top-level-``await`` cells on one event loop kept for the session.

    The loop persists between cells so tasks started in one cell keep running
    while a later cell awaits. asyncio is imported only when first needed.
    """

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._foreign_loop: asyncio.AbstractEventLoop | None = None  # running in another thread (``embed_async``)

    def use_running_loop(self, loop: asyncio.AbstractEventLoop) -> None:
        """Run awaiting cells on ``loop``, which runs in another thread (the program's own loop)."""
        self._foreign_loop = loop

    def run(self, coroutine: Coroutine[Any, Any, Any]) -> Any:
        import asyncio

        if self._foreign_loop is not None:
            future = asyncio.run_coroutine_threadsafe(coroutine, self._foreign_loop)
            try:
                return future.result()
            except KeyboardInterrupt:
                future.cancel()
                raise
        if self._loop is None or self._loop.is_closed():
            # The policy's loop, so that ``asyncio.ensure_future()`` in a
            # cell without ``await`` schedules onto the loop later cells run.
            try:
                self._loop = asyncio.get_event_loop_policy().get_event_loop()
            except RuntimeError:  # not the main thread and no loop set here yet
                self._loop = asyncio.new_event_loop()
                asyncio.set_event_loop(self._loop)
            if self._loop.is_closed():
                self._loop = asyncio.new_event_loop()
                asyncio.set_event_loop(self._loop)
        task = self._loop.create_task(coroutine)
        try:
            return self._loop.run_until_complete(task)
        except KeyboardInterrupt as interrupt:
            # Ctrl-C lands in the event loop; the cell stopped at its await: report it there.
            stopped_at = _suspended_traceback(task)
            task.cancel()
            try:
                self._loop.run_until_complete(task)
            except BaseException:
                pass
            if stopped_at is None:
                raise
            raise interrupt.with_traceback(stopped_at) from None


def _suspended_traceback(task: asyncio.Task[Any]) -> types.TracebackType | None:
    """A traceback through the coroutines ``task`` waits in: the cell's, then each one it awaits."""
    frames: list[types.FrameType] = []
    awaited: object = task.get_coro()  # a coroutine, or a generator it awaits through
    while awaited is not None:
        frame = getattr(awaited, "cr_frame", None) or getattr(awaited, "gi_frame", None)
        if frame is None:
            break
        frames.append(frame)
        awaited = getattr(awaited, "cr_await", None) or getattr(awaited, "gi_yieldfrom", None)
    tb: types.TracebackType | None = None
    for frame in reversed(frames):
        tb = types.TracebackType(tb, frame, frame.f_lasti, frame.f_lineno)
    return tb
