"""Which top-level names a cell binds and which it reads, from its AST: :func:`scan_cell`.

Usage::

    names = scan_cell(ast.parse("df2 = df.dropna()\\nimport numpy as np"))
    names.binds    # {'df2', 'np'}
    names.reads    # {'df'}

The tree is the cell *after* the input transforms, so ``x = %sql ...`` and
``files = !ls`` are already plain assignments. A cell's statements are walked
in order, so a name the cell binds before it reads it (``df = load(); df.head()``)
is not a read: the cell uses its own value. What counts:

- **binds**: assignment, augmented assignment, annotated assignment with a
  value, ``import``, ``def``, ``class``, ``for``/``with`` targets, the walrus
  operator (also inside a comprehension), ``match`` captures, at top level or
  inside top-level ``if``/``try``/``while``/``for``/``with`` blocks; not inside
  function or class bodies. ``del NAME`` un-binds (``deleted``).
- **reads**: names the cell evaluates while it runs (statements, comprehensions,
  class bodies, decorators, default values).
- **late_reads**: global names read by the bodies of the functions and lambdas
  the cell defines. They are read when the function is called, so they do not
  make the function's own name depend on them; a warning still names them.

Three magics bind names the code does not show: ``%%capture NAME`` binds NAME,
and ``%time CODE`` / ``%%time`` run CODE in the namespace. Names bound any other
way (``exec``, ``globals()[...]``, ``%run``, a function's ``global`` statement)
are not seen: docs/hidden-state.md lists the limits.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)


@dataclass
class CellNames:
    """What one cell binds, un-binds and reads at top level (see the module docstring)."""

    binds: set[str] = field(default_factory=set)
    deleted: set[str] = field(default_factory=set)
    reads: set[str] = field(default_factory=set)
    late_reads: set[str] = field(default_factory=set)
    computed_from: dict[str, set[str]] = field(default_factory=dict)
    """For each name bound: the reads of the top-level statement that bound it, through the names the
    cell bound before (``a = load(p); b = a.mean()``: ``b`` is computed from ``load`` and ``p``)."""

    def merge(self, other: CellNames) -> None:
        """Add what a cell run from inside this one (``%%capture``, ``%run x.ipynb``) did."""
        self.reads |= other.reads - self.binds
        self.late_reads |= other.late_reads
        self.computed_from.update(other.computed_from)
        self.binds = (self.binds - other.deleted) | other.binds
        self.deleted = (self.deleted - other.binds) | other.deleted


def scan_cell(tree: ast.Module, hook: str = "__hocus__") -> CellNames:
    """The names ``tree`` (a transformed cell) binds and reads; ``hook`` is the transforms' hook name."""
    scan = _TopLevel(hook)
    for statement in tree.body:
        scan.top_level_statement(statement)
    return scan.names


class _TopLevel:
    """Walks a cell's statements in order, keeping what is bound so far."""

    def __init__(self, hook: str):
        self.names = CellNames()
        self.hook = hook
        self.bound: set[str] = set()  # bound earlier in this cell (or a loop-local handler name)
        # the top-level statement being walked: what it reads from outside, reads of this cell's own, binds
        self._statement_reads: set[str] = set()
        self._statement_locals: set[str] = set()
        self._statement_binds: set[str] = set()

    def top_level_statement(self, node: ast.stmt) -> None:
        """One statement of the cell, and what each name it binds was computed from."""
        self._statement_reads, self._statement_locals, self._statement_binds = set(), set(), set()
        self.statement(node)
        sources = set(self._statement_reads)
        computed_from = self.names.computed_from
        for name in self._statement_locals:
            sources |= computed_from.get(name, set())
        for name in self._statement_binds:
            computed_from[name] = sources

    # -- names ------------------------------------------------------------------------------
    def load(self, name: str) -> None:
        if name not in self.bound:
            self.names.reads.add(name)
            self._statement_reads.add(name)
        else:
            self._statement_locals.add(name)

    def store(self, name: str) -> None:
        self._statement_binds.add(name)
        self.bound.add(name)
        self.names.binds.add(name)
        self.names.deleted.discard(name)

    def delete(self, name: str) -> None:
        self.bound.add(name)  # `del a` is how a warning is fixed: never a read
        self.names.binds.discard(name)
        self.names.deleted.add(name)

    # -- statements -------------------------------------------------------------------------
    def statements(self, body: list[ast.stmt]) -> None:
        for statement in body:
            self.statement(statement)

    def statement(self, node: ast.stmt) -> None:
        if isinstance(node, ast.Assign):
            self.expr(node.value)
            for target in node.targets:
                self.target(target)
        elif isinstance(node, ast.AugAssign):
            self.expr(node.value)
            if isinstance(node.target, ast.Name):
                self.load(node.target.id)
            self.target(node.target)
        elif isinstance(node, ast.AnnAssign):
            self.expr(node.annotation)
            if node.value is not None:
                self.expr(node.value)
                self.target(node.target)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                if alias.name != "*":
                    self.store(alias.asname or alias.name.partition(".")[0])
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.function(node)
            self.store(node.name)
        elif isinstance(node, ast.ClassDef):
            self.class_def(node)
            self.store(node.name)
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            self.expr(node.iter)
            self.target(node.target)
            self.statements(node.body)
            self.statements(node.orelse)
        elif isinstance(node, (ast.While, ast.If)):
            self.expr(node.test)
            self.statements(node.body)
            self.statements(node.orelse)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                self.expr(item.context_expr)
                if item.optional_vars is not None:
                    self.target(item.optional_vars)
            self.statements(node.body)
        elif isinstance(node, (ast.Try, getattr(ast, "TryStar", ast.Try))):
            self.try_statement(node)  # type: ignore[arg-type]
        elif isinstance(node, ast.Delete):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    self.delete(target.id)
                else:
                    self.expr(target)
        elif isinstance(node, ast.Match):
            self.expr(node.subject)
            for case in node.cases:
                self.pattern(case.pattern)
                if case.guard is not None:
                    self.expr(case.guard)
                self.statements(case.body)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            pass
        else:  # Expr, Return, Raise, Assert, Pass, ...: only expressions inside
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.expr):
                    self.expr(child)

    def try_statement(self, node: ast.Try) -> None:
        self.statements(node.body)
        for handler in node.handlers:
            if handler.type is not None:
                self.expr(handler.type)
            if handler.name:
                self.bound.add(handler.name)  # Python un-binds it when the handler ends
            self.statements(handler.body)
        self.statements(node.orelse)
        self.statements(node.finalbody)

    def target(self, node: ast.expr) -> None:
        """An assignment target: names are bound; ``a[i] = ...`` / ``a.x = ...`` read ``a`` (mutation)."""
        if isinstance(node, ast.Name):
            self.store(node.id)
        elif isinstance(node, (ast.Tuple, ast.List)):
            for element in node.elts:
                self.target(element)
        elif isinstance(node, ast.Starred):
            self.target(node.value)
        else:
            self.expr(node)

    def pattern(self, node: ast.pattern) -> None:
        for child in ast.walk(node):
            if isinstance(child, (ast.MatchAs, ast.MatchStar)) and child.name:
                self.store(child.name)
            elif isinstance(child, ast.MatchMapping) and child.rest:
                self.store(child.rest)
            elif isinstance(child, ast.MatchValue):
                self.expr(child.value)
            elif isinstance(child, ast.MatchClass):
                self.expr(child.cls)

    def function(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
        """What runs when the function is made (decorators, defaults) is read now; the body later."""
        if not isinstance(node, ast.Lambda):
            for decorator in node.decorator_list:
                self.expr(decorator)
            if node.returns is not None:
                self.expr(node.returns)
        arguments = node.args
        for default in [*arguments.defaults, *(d for d in arguments.kw_defaults if d is not None)]:
            self.expr(default)
        if not isinstance(node, ast.Lambda):
            for arg in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs,
                        arguments.vararg, arguments.kwarg]:
                if arg is not None and arg.annotation is not None:
                    self.expr(arg.annotation)
        self.names.late_reads |= _function_globals(node, ())

    def class_def(self, node: ast.ClassDef) -> None:
        for expression in [*node.decorator_list, *node.bases, *(k.value for k in node.keywords)]:
            self.expr(expression)
        # The body runs now, in a namespace of its own that still sees the cell's names.
        body = _TopLevel(self.hook)
        body.bound = set(self.bound)
        body.statements(node.body)
        self.names.reads |= body.names.reads
        self.names.late_reads |= body.names.late_reads
        self._statement_reads |= body._statement_reads
        self._statement_locals |= body._statement_locals

    # -- expressions ------------------------------------------------------------------------
    def expr(self, node: ast.expr) -> None:
        if isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Load):
                self.load(node.id)
            elif isinstance(node.ctx, ast.Store):
                self.store(node.id)
            return
        if isinstance(node, ast.NamedExpr):
            self.expr(node.value)
            self.store(node.target.id)
            return
        if isinstance(node, ast.Lambda):
            self.function(node)
            return
        if isinstance(node, _COMPREHENSIONS):
            self.comprehension(node)
            return
        if isinstance(node, ast.Call):
            self.magic_call(node)
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                self.expr(child)
            elif isinstance(child, ast.keyword):
                self.expr(child.value)

    def comprehension(self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp) -> None:
        """Runs now, with its own loop variables; a walrus inside binds in the cell."""
        generators = node.generators
        self.expr(generators[0].iter)  # evaluated in the cell's scope
        local: set[str] = set()
        for number, generator in enumerate(generators):
            if number:
                self._in_comprehension(generator.iter, local)
            local |= _target_names(generator.target)
            for condition in generator.ifs:
                self._in_comprehension(condition, local)
        elements = [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
        for element in elements:
            self._in_comprehension(element, local)

    def _in_comprehension(self, node: ast.expr, local: set[str]) -> None:
        saved = self.bound
        self.bound = saved | local
        try:
            self.expr(node)
        finally:
            # names bound inside (walrus) stay bound; the loop variables do not
            self.bound = saved | (self.bound - local - saved)

    def magic_call(self, node: ast.Call) -> None:
        """``%%capture NAME`` binds NAME; ``%time CODE`` and ``%%time`` run CODE in the namespace."""
        func = node.func
        if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == self.hook
                and func.attr in ("line_magic", "cell_magic") and len(node.args) >= 2):
            return
        strings = [arg.value for arg in node.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]
        if len(strings) != len(node.args):
            return
        magic, line = strings[0], strings[1]
        if magic == "capture" and func.attr == "cell_magic":
            words = [word for word in line.split() if not word.startswith("-")]
            if words and words[0].isidentifier():
                self.store(words[0])
        elif magic == "time":
            code = strings[2] if func.attr == "cell_magic" and len(strings) > 2 else line
            try:
                inner = ast.parse(code)
            except (SyntaxError, ValueError):
                return
            self.statements(inner.body)


def _target_names(node: ast.expr) -> set[str]:
    return {child.id for child in ast.walk(node) if isinstance(child, ast.Name)}


def _function_globals(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef,
                      enclosing: tuple[set[str], ...]) -> set[str]:
    """Global names a function's body reads when called (its own and nested scopes' locals excluded)."""
    local, declared_global = _scope_locals(node)
    scopes = (*enclosing, local) if not isinstance(node, ast.ClassDef) else enclosing
    found: set[str] = set()
    body: list[ast.AST] = [node.body] if isinstance(node, ast.Lambda) else list(node.body)
    stack: list[ast.AST] = list(body)
    while stack:
        child = stack.pop()
        if isinstance(child, (*_FUNCTIONS, ast.ClassDef)):
            if not isinstance(child, ast.Lambda):
                stack.extend(child.decorator_list)
            if not isinstance(child, ast.ClassDef):
                stack.extend(d for d in [*child.args.defaults, *child.args.kw_defaults] if d is not None)
            else:
                stack.extend(child.bases)
            found |= _function_globals(child, scopes)
            continue
        if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Load):
            name = child.id
            if name in declared_global or not any(name in scope for scope in scopes):
                found.add(name)
        stack.extend(ast.iter_child_nodes(child))
    return found


def _scope_locals(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef) -> tuple[set[str], set[str]]:
    """The names a function makes local (arguments and what its body binds), and those it declares global."""
    local: set[str] = set()
    declared: set[str] = set()
    outer: set[str] = set()  # nonlocal: an enclosing function's
    if not isinstance(node, ast.ClassDef):
        arguments = node.args
        for arg in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs, arguments.vararg, arguments.kwarg]:
            if arg is not None:
                local.add(arg.arg)
    stack: list[ast.AST] = [node.body] if isinstance(node, ast.Lambda) else list(node.body)
    while stack:
        child = stack.pop()
        if isinstance(child, (*_FUNCTIONS, ast.ClassDef)):
            if not isinstance(child, ast.Lambda):
                local.add(child.name)
            continue  # a nested scope's own names are its own
        if isinstance(child, ast.Name) and not isinstance(child.ctx, ast.Load):
            local.add(child.id)
        elif isinstance(child, (ast.Import, ast.ImportFrom)):
            local.update(alias.asname or alias.name.partition(".")[0] for alias in child.names)
        elif isinstance(child, ast.ExceptHandler) and child.name:
            local.add(child.name)
        elif isinstance(child, ast.Global):
            declared.update(child.names)
        elif isinstance(child, ast.Nonlocal):
            outer.update(child.names)
        elif isinstance(child, (ast.MatchAs, ast.MatchStar)) and child.name:
            local.add(child.name)
        stack.extend(ast.iter_child_nodes(child))
    return local - declared - outer, declared
