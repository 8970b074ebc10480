"""The Jinja2 sandbox for templates that may come from someone else.

Templates get plain data only (:mod:`explainer.render.plain`). On top of Jinja's immutable sandbox:

* **Loader**: templates are read through :mod:`explainer.inputs.guarded_files`, so a symlink or
  ``..`` leaving the template folder, a FIFO, a device or an oversized file is refused.
* **Calls**: macros, ``caller()``, ``loop`` helpers, ``range``, ``dict`` and ``namespace``
  may be called; on data only ``items``, ``keys``, ``values``, ``get`` and the string
  methods in ``DATA_METHODS``, none of which can grow a value.
* **Filters and globals**: only those in ``FILTERS`` and ``GLOBALS`` (listed in the README).
* **Limits** per render: ``MAX_SECONDS`` of time, ``MAX_LOOP_STEPS`` loop iterations and calls
  in all, and ``MAX_OUTPUT_CHARS`` of text produced in all (every piece of output, captured
  blocks and macro bodies included, and every joined or concatenated string). Going over
  one is a template error: one line with the template's file and line, exit 2.
"""

from __future__ import annotations

import contextvars
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.runtime import Namespace
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from ..inputs.guarded_files import FileRefused, check_file, read_bytes
from .plain import Record

MAX_SECONDS = 10.0
MAX_LOOP_STEPS = 200_000
MAX_OUTPUT_CHARS = 10_000_000

# Methods a template may call on data: none can grow a value or reach another object.
DATA_METHODS = {
    "items", "keys", "values", "get",
    "lower", "upper", "title", "capitalize", "strip", "lstrip", "rstrip", "startswith",
    "endswith", "isdigit", "isalpha", "count", "index", "find", "split", "splitlines",
}
# Jinja built-in filters a template may use, besides the project's own (see FILTER_DOCS).
JINJA_FILTERS = (
    "abs", "attr", "capitalize", "count", "d", "default", "dictsort", "e", "escape", "first",
    "float", "groupby", "int", "items", "join", "last", "length", "list", "lower", "map", "max",
    "min", "reject", "rejectattr", "replace", "reverse", "round", "select", "selectattr",
    "sort", "string", "striptags", "sum", "title", "trim", "truncate", "unique", "upper",
    "wordcount",
)
GLOBALS = ("range", "dict", "namespace")


class TemplateLimit(SecurityError):
    """A render went over one of the limits."""


class _Budget:
    # CPU time of the rendering thread, not wall time: a busy machine must not fail a render
    # that does little work, and a template cannot wait without spending CPU.
    def __init__(self) -> None:
        self.deadline = time.thread_time() + MAX_SECONDS
        self.steps = 0
        self.chars = 0
        self.ticks = 0

    def tick(self) -> None:
        # The clock is read at every 16th tick: a tick is a few microseconds of template work,
        # and reading the clock at each one cost a tenth of a render.
        self.ticks += 1
        if not self.ticks & 15 and time.thread_time() > self.deadline:
            raise TemplateLimit(f"rendering took over {MAX_SECONDS:g} s (the limit)")

    def step(self) -> None:
        self.steps += 1
        if self.steps > MAX_LOOP_STEPS:
            raise TemplateLimit(f"loops and calls ran over {MAX_LOOP_STEPS:,} steps (the limit)")
        self.tick()

    def produce(self, n: int) -> None:
        self.chars += n
        if self.chars > MAX_OUTPUT_CHARS:
            raise TemplateLimit(f"the template produced over {MAX_OUTPUT_CHARS:,} characters "
                                "(the limit)")
        self.tick()


_budget: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("budget", default=None)


def _current() -> _Budget:
    budget = _budget.get()
    # Every render of a sandboxed template starts a budget (_BudgetedTemplate, render()); a
    # lone generate() call gets one of its own rather than one left over for the process.
    return budget if budget is not None else _Budget()


MAX_INT_BITS = 4096


def _sized(value: Any) -> Any:
    """Count a produced value against the budget; refuse a giant number."""
    if isinstance(value, (str, tuple, list)):
        _current().produce(len(value))
    elif isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        raise TemplateLimit(f"a number in the template grew past {MAX_INT_BITS} bits")
    return value


# pass_context: Jinja must never fold these at compile time; they count at render time.
@jinja2.pass_context
def _loop_guard(_context: Any, iterable: Iterable[Any]) -> Iterator[Any]:
    budget = _current()
    for item in iterable:
        budget.step()
        yield item


@jinja2.pass_context
def _emit(_context: Any, value: Any) -> Any:
    _current().produce(len(value) if isinstance(value, str) else len(str(value)))
    return value


class _LimitedNamespace(Namespace):
    """``namespace()`` whose attributes cannot hold a value over the output limit."""

    def __setitem__(self, name: str, value: Any) -> None:
        _sized(value)
        super().__setitem__(name, value)


def _namespace(*args: Any, **kwargs: Any) -> Namespace:
    return _LimitedNamespace(*args, **kwargs)


def _guarded_filter(fn: Callable[..., Any]) -> Callable[..., Any]:
    def run(*args: Any, **kwargs: Any) -> Any:
        _current().tick()
        return _sized(fn(*args, **kwargs))

    for attr in ("jinja_pass_arg",):  # keep Jinja's context/environment passing
        if hasattr(fn, attr):
            setattr(run, attr, getattr(fn, attr))
    return run


@jinja2.pass_eval_context
def _replace(eval_ctx: Any, value: Any, old: str, new: str, count: int | None = None) -> Any:
    """Jinja's replace, refused before it runs when the result would pass the limit."""
    text, old, new = str(value), str(old), str(new)
    hits = (len(text) + 1 if not old else text.count(old))
    if count is not None and count >= 0:
        hits = min(hits, count)
    if len(text) + hits * (len(new) - len(old)) > MAX_OUTPUT_CHARS:
        raise TemplateLimit(f"replace would make over {MAX_OUTPUT_CHARS:,} characters")
    return jinja2.filters.do_replace(eval_ctx, value, old, new, count)


@jinja2.pass_eval_context
def _join(eval_ctx: Any, value: Iterable[Any], d: str = "", attribute: str | None = None) -> Any:
    """Jinja's join, refused before it runs when the result would pass the limit. Attributes
    are looked up through the sandbox, as Jinja's own join does."""
    items = list(value)
    if attribute is not None:
        items = list(map(jinja2.filters.make_attrgetter(eval_ctx.environment, attribute), items))
    size = sum(len(str(i)) for i in items) + len(str(d)) * max(0, len(items) - 1)
    if size > MAX_OUTPUT_CHARS:
        raise TemplateLimit(f"join would make over {MAX_OUTPUT_CHARS:,} characters")
    return jinja2.filters.do_join(eval_ctx, items, d)


class _LimitedCodeGenerator(jinja2.compiler.CodeGenerator):
    def visit_Concat(self, node: nodes.Concat, frame: Any) -> None:
        # ``a ~ b``: the joined string counts against the output limit, so doubling a
        # value line after line stops at the limit instead of filling memory.
        self.write("environment.sized_concat(")
        super().visit_Concat(node, frame)
        self.write(")")


class LimitedSandbox(ImmutableSandboxedEnvironment):
    code_generator_class = _LimitedCodeGenerator
    intercepted_binops = frozenset(["*", "**", "+", "//", "%"])

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Filter(loop.iter, "_loop_guard", [], [], None, None,
                                     lineno=loop.lineno)
        # Every piece of output, literal text too, is counted where it is produced, so a
        # loop inside a captured block cannot build a giant string unseen.
        for output in tree.find_all(nodes.Output):
            output.nodes = [
                nodes.Filter(nodes.MarkSafe(nodes.Const(n.data), lineno=n.lineno)
                             if isinstance(n, nodes.TemplateData) else n,
                             "_emit", [], [], None, None, lineno=n.lineno)
                for n in output.nodes]
        return tree

    @staticmethod
    def sized_concat(value: Any) -> Any:
        return _sized(value)

    def getattr(self, obj: Any, attribute: str) -> Any:
        _current().tick()
        _no_format(obj, attribute)
        if isinstance(obj, Record):  # plain data: fields win over mapping methods
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        _current().tick()
        _no_format(obj, argument)
        return super().getitem(obj, argument)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _current().tick()
        if operator == "**" and (abs(_num(right)) > 64 or abs(_num(left)) > 10**6):
            raise TemplateLimit("powers are limited to small numbers in templates")
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if (isinstance(seq, (str, tuple, list)) and isinstance(times, int)
                        and len(seq) * max(times, 0) > MAX_OUTPUT_CHARS):
                    raise TemplateLimit(f"repetition would make over {MAX_OUTPUT_CHARS:,} items")
        if operator == "%" and isinstance(left, str):
            raise SecurityError("%-formatting is not available in templates")
        return _sized(super().call_binop(context, operator, left, right))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _current().step()  # a call is a step: branching macro recursion stops like a loop
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, (str, tuple, list, Mapping, int, float)) and not isinstance(
                owner, type):
            name = getattr(__obj, "__name__", "")
            if name not in DATA_METHODS:
                raise SecurityError(f"templates may not call {name}() on data")
        return _sized(super().call(__context, __obj, *args, **kwargs))


def _no_format(obj: Any, name: Any) -> None:
    # str.format can pad a value to any width in one call; templates have no need of it.
    if isinstance(obj, str) and name in ("format", "format_map"):
        raise SecurityError("str.format is not available in templates")


def _num(value: Any) -> float:
    return value if isinstance(value, (int, float)) else 0


class GuardedLoader(jinja2.BaseLoader):
    """Templates from one folder through the guarded reader: a template, or anything it
    includes, must really be inside the folder (symlinks and '..' are refused)."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def get_source(self, environment: jinja2.Environment,
                   template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = jinja2.loaders.split_template_path(template)  # refuses '..' in the name
        path = self.folder.joinpath(*pieces)
        if not os.path.lexists(path):
            raise jinja2.TemplateNotFound(template)
        try:
            data = read_bytes(path, "template", root=self.folder)
        except FileRefused as exc:
            if exc.missing:
                raise jinja2.TemplateNotFound(template) from None
            raise SecurityError(str(exc)) from None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise SecurityError(f"{path}:{line}: template is not UTF-8 text") from None
        mtime = os.stat(path).st_mtime_ns

        def uptodate() -> bool:
            try:
                check_file(path, "template", root=self.folder)
                return os.stat(path).st_mtime_ns == mtime
            except (OSError, FileRefused):
                return False

        return text, str(path), uptodate


def make_environment(folders: list[Path], filters: dict[str, Callable[..., Any]]
                     ) -> LimitedSandbox:
    """A limited sandbox over ``folders`` (searched in order) with the project's filters."""
    env = LimitedSandbox(
        loader=jinja2.ChoiceLoader([GuardedLoader(f) for f in folders]),
        autoescape=True,  # findings files are data from other people: never trust a field
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    builtin = {name: env.filters[name] for name in JINJA_FILTERS}
    builtin.update(replace=_replace, join=_join)
    env.filters.clear()
    env.filters.update({name: _guarded_filter(fn) for name, fn in {**builtin, **filters}.items()})
    env.filters["_loop_guard"] = _loop_guard
    env.filters["_emit"] = _emit
    kept = {name: env.globals[name] for name in GLOBALS if name in env.globals}
    env.globals.clear()
    env.globals.update(kept, namespace=_namespace)
    env.template_class = _BudgetedTemplate
    return env


class _BudgetedTemplate(jinja2.Template):
    """``template.render()`` gets a fresh budget too, so each render is limited on its own."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        token = _budget.set(_Budget())
        try:
            return super().render(*args, **kwargs)
        finally:
            _budget.reset(token)


def render(template: jinja2.Template, context: dict[str, Any]) -> str:
    """Render with a fresh budget; the output is collected piece by piece, so an endless
    template is stopped by the time limit."""
    token = _budget.set(_Budget())
    try:
        return "".join(template.generate(**context))
    finally:
        _budget.reset(token)
