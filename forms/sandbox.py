"""Jinja2's sandbox with bounds on size, integers and time: where every expression and template
of Yici runs (form expressions, message and body templates, Excel column expressions).

Jinja's own sandbox keeps a template away from Python's internals; this one also keeps it from
eating the laptop. Every place a template can make something new is watched and charged to the
evaluation's account (forms/sandbox_costs.py): calls and methods, every filter and test, the
arithmetic operators, `~`, list/tuple/dict literals, each step of a `for` loop and every piece of
output. An operation whose result can be far larger than what it is given (`*`, `**`, `%`,
`str.format`, `replace`, `join`, `center`, `indent`, `wordwrap`, `slice`, `batch`, `ljust`…) is
sized before it runs, so `'*' * 10**9` or `'%999999999d' | format(1)` is refused, never built,
also when Jinja folds constants while it compiles. `random` and `lipsum` are left out: a body
sent again under the same Idempotency-Key must be the same bytes.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from jinja2 import nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedFormatter
from jinja2.visitor import NodeTransformer
from markupsafe import Markup

from forms import sandbox_costs as costs
from forms.i18n import tr
from forms.sandbox_costs import DEFAULT, Bounds, LimitExceeded, evaluation

MAX_TEMPLATE_CHARS = 100_000  # a template is a page of text; a longer one takes seconds to compile
_LEFT_OUT = ("random",)


def _sized_filter(name: str, arguments: dict[str, Any], account: costs.Account) -> None:
    """Refuse a filter call whose result would be larger than the bounds."""
    get = arguments.get
    if name == "center":
        account.refuse_size(get("width", 80) if isinstance(get("width", 80), int) else 0)
    elif name == "indent":
        width = get("width", 4)
        each = width if isinstance(width, int) else len(str(width))
        account.refuse_size(costs.lines_of(get("s")) * max(each, 0) + account.weigh(get("s")))
    elif name == "format":
        value, args, kwargs = get("value"), get("args", ()), get("kwargs", {})
        if isinstance(value, str):
            costs.printf_size(account, value, kwargs or tuple(args))
    elif name == "replace":
        costs.replaced_size(account, get("s"), get("old"), get("new"), get("count"))
    elif name in ("slice", "batch"):
        count = get("slices", get("linecount"))
        if isinstance(count, int):
            account.refuse_size(count)
    elif name == "wordwrap":
        text, width, wrap = get("s"), get("width", 79), get("wrapstring") or "\n"
        if isinstance(text, str) and isinstance(width, int) and width > 0:
            breaks = len(text) // width + costs.lines_of(text)
            account.refuse_size(len(text) + breaks * len(str(wrap)))
    elif name == "urlize":
        extra = len(str(get("target") or "")) + len(str(get("rel") or "")) + 40
        account.refuse_size(account.weigh(get("value")) * (1 + extra // 8))


def _sized_method(method: Any, args: tuple, account: costs.Account) -> tuple:
    """Refuse a str/bytes/int method call whose result would be larger than the bounds; the
    arguments to call it with (an iterable to `join` is read once, here)."""
    owner = getattr(method, "__self__", None)
    name = getattr(method, "__name__", "")
    if isinstance(owner, (str, bytes)):
        if name in ("ljust", "rjust", "center", "zfill") and args and isinstance(args[0], int):
            account.refuse_size(args[0])
        elif name == "expandtabs":
            tab = args[0] if args and isinstance(args[0], int) else 8
            tabs = owner.count("\t") if isinstance(owner, str) else owner.count(b"\t")
            account.refuse_size(len(owner) + tabs * tab)
        elif name == "replace" and len(args) >= 2:
            costs.replaced_size(account, owner, args[0], args[1], args[2] if len(args) > 2 else None)
        elif name == "join" and args:
            items = list(args[0])
            costs.joined_size(account, items, owner)
            return (items, *args[1:])
        elif name in ("translate", "maketrans"):
            raise LimitExceeded(tr("不能用 translate"), "translate is not supported")
    elif isinstance(owner, int) and name == "to_bytes" and args and isinstance(args[0], int):
        account.refuse_size(args[0])
    return args


class _BoundedFormatter(SandboxedFormatter):
    """`str.format` in the sandbox, each field's width and the whole result within the bounds."""

    def __init__(self, env: Any, account: costs.Account) -> None:
        super().__init__(env)
        self._account = account
        self._written = 0

    def format_field(self, value: Any, format_spec: str) -> Any:
        costs.format_spec_size(self._account, format_spec)
        self._account.refuse_size(self._account.weigh(value))
        text = super().format_field(value, format_spec)
        self._written += len(text)
        self._account.refuse_size(self._written)
        return text


class _Watched(NodeTransformer):
    """Rewrites a parsed template so that loops, `~` and literals built from variables go
    through the environment's bounded helpers (EnvironmentAttribute: a template cannot shadow
    them with a variable of the same name)."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)  # changes the node in place
        node.iter = _helper("bounded_loop", [node.iter], node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)  # changes the node in place
        return _helper("bounded_concat", node.nodes, node.lineno)

    def visit_List(self, node: nodes.List) -> nodes.Node:
        self.generic_visit(node)  # changes the node in place
        return node if _constant(node.items) else _helper("bounded_list", node.items, node.lineno)

    def visit_Tuple(self, node: nodes.Tuple) -> nodes.Node:
        self.generic_visit(node)  # changes the node in place
        if node.ctx != "load" or _constant(node.items):
            return node
        return _helper("bounded_tuple", node.items, node.lineno)

    def visit_Dict(self, node: nodes.Dict) -> nodes.Node:
        self.generic_visit(node)  # changes the node in place
        if _constant([part for pair in node.items for part in (pair.key, pair.value)]):
            return node
        flat = [part for pair in node.items for part in (pair.key, pair.value)]
        return _helper("bounded_dict", flat, node.lineno)


def _constant(items: Iterable[nodes.Node]) -> bool:
    return all(isinstance(item, nodes.Const) for item in items)


def _helper(name: str, args: list, lineno: int) -> nodes.Call:
    return nodes.Call(
        nodes.EnvironmentAttribute(name, lineno=lineno), list(args), [], None, None, lineno=lineno
    )


def _bounded(name: str, function: Callable, is_filter: bool) -> Callable:
    """A filter or test that checks the time, sizes its call first when it must, and charges its result."""
    sized = is_filter and name in _SIZED_FILTERS
    try:
        signature: inspect.Signature | None = inspect.signature(function)
    except (TypeError, ValueError):
        signature = None
    # Jinja hands a filter its context or environment first; a filter made async-capable shows
    # the signature of its plain version, which may not name that first argument.
    skip = 0
    if signature is not None and hasattr(function, "jinja_pass_arg"):
        first = next(iter(signature.parameters), "")
        skip = 0 if first in ("eval_ctx", "environment", "context", "env") else 1

    @functools.wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        account = costs.current()
        account.tick()
        if sized and signature is not None:
            try:
                bound = signature.bind(*args[skip:], **kwargs)
            except TypeError:
                bound = None  # the call fails in the filter itself, with Jinja's own message
            if bound is not None:
                if name == "join":
                    # Read once, sized, then joined (an iterator can be read once only).
                    items = list(bound.arguments.get("value") or ())
                    costs.joined_size(account, items, bound.arguments.get("d", ""))
                    bound.arguments["value"] = items
                    args, kwargs = (*args[:skip], *bound.args), bound.kwargs
                else:
                    _sized_filter(name, bound.arguments, account)
        result = function(*args, **kwargs)
        return account.built(result) if is_filter else result

    return bounded


_SIZED_FILTERS = frozenset(
    {"center", "indent", "format", "join", "replace", "slice", "batch", "wordwrap", "urlize"}
)


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, bounded: see the module docstring."""

    intercepted_binops = frozenset({"+", "*", "%", "**"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("finalize", self._output)
        super().__init__(*args, **kwargs)
        self.globals.pop("lipsum", None)
        for name in _LEFT_OUT:
            self.filters.pop(name, None)
        self.filters["sum"] = self._sum
        self.bound_filters_and_tests()

    def bound_filters_and_tests(self) -> None:
        """Wrap every filter and test (call again after adding filters of one's own)."""
        for table, is_filter in ((self.filters, True), (self.tests, False)):
            for name, function in list(table.items()):
                if not getattr(function, "_yici_bounded", False):
                    wrapped = _bounded(name, function, is_filter)
                    wrapped._yici_bounded = True  # type: ignore[attr-defined]
                    table[name] = wrapped

    # -- hooks Jinja's sandbox offers ---------------------------------------------------------

    def _generate(self, source: Any, name: Any, filename: Any, defer_init: bool = False) -> Any:
        return super()._generate(_Watched().visit(source), name, filename, defer_init=defer_init)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        account = costs.current()
        account.tick()
        args = _sized_method(__obj, args, account)
        return account.built(super().call(__context, __obj, *args, **kwargs))

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        account = costs.current()
        account.tick()
        if operator == "*":
            costs.repeat_size(account, left, right)
        elif operator == "**":
            costs.power_size(account, left, right)
        elif operator == "%" and isinstance(left, str):
            costs.printf_size(account, left, right)
        return account.built(super().call_binop(context, operator, left, right))

    def getattr(self, obj: Any, attribute: str) -> Any:
        costs.current().tick()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        account = costs.current()
        account.tick()
        value = super().getitem(obj, argument)
        return account.built(value) if isinstance(argument, slice) else value

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        if not (callable(value) and getattr(value, "__name__", "") in ("format", "format_map")):
            return None
        owner = getattr(value, "__self__", None)
        if not isinstance(owner, str):
            return None
        is_map = value.__name__ == "format_map"

        def bounded_format(*args: Any, **kwargs: Any) -> str:
            if is_map:
                if kwargs or len(args) != 1:
                    raise TypeError("format_map() takes exactly one argument")
                mapping = args[0]
                args, kwargs = (), mapping
            formatter = _BoundedFormatter(self, costs.current())
            return costs.current().built(str(formatter.vformat(owner, args, kwargs)))

        return bounded_format

    # -- helpers the rewritten templates call -------------------------------------------------

    def _output(self, value: Any) -> Any:
        account = costs.current()
        account.refuse_size(account.weigh(value))
        account.tick()
        return value

    def bounded_loop(self, iterable: Any) -> Iterator[Any]:
        """A `for` loop's items, one step charged each."""
        account = costs.current()
        for item in iterable:
            account.spend(1)
            yield item

    def bounded_concat(self, *parts: Any) -> str:
        """`a ~ b ~ c`, refused as soon as the text grows past the bounds. With autoescape on,
        as Jinja joins them: markup stays markup and the rest is escaped once, not twice."""
        account = costs.current()
        texts, size = [], 0
        for part in parts:
            account.refuse_size(account.weigh(part))
            text = part if isinstance(part, Markup) else str(part)
            size += len(text)
            account.refuse_size(size)
            texts.append(text)
        if self.autoescape and any(isinstance(text, Markup) for text in texts):
            return account.built(Markup("").join(texts))
        return account.built("".join(texts))

    def bounded_list(self, *items: Any) -> list:
        return costs.current().built(list(items))

    def bounded_tuple(self, *items: Any) -> tuple:
        return costs.current().built(tuple(items))

    def bounded_dict(self, *flat: Any) -> dict:
        return costs.current().built(dict(zip(flat[::2], flat[1::2], strict=True)))

    def _sum(self, iterable: Any, attribute: Any = None, start: Any = 0) -> Any:
        # Jinja's `sum` is Python's: adding lists that way takes quadratic time in C, unwatched.
        total = start
        for item in self.bounded_loop(iterable):
            if attribute is not None:
                item = self.getitem(item, attribute)
            total = self.call_binop(None, "+", total, item)
        return total


def render(template: Any, context: dict[str, Any], bounds: Bounds = DEFAULT) -> str:
    """Render a template compiled by a BoundedSandbox within `bounds`; raises LimitExceeded
    (or whatever the template raises)."""
    with evaluation(bounds) as account:
        pieces: list[str] = []
        size = 0
        for piece in template.generate(context):
            size += len(piece)
            account.refuse_size(size)
            account.spend(len(piece))
            pieces.append(piece)
        return "".join(pieces)


def evaluate(compiled: Callable[[dict], Any], variables: dict, bounds: Bounds = DEFAULT) -> Any:
    """Evaluate a compiled expression (`Environment.compile_expression`) within `bounds`."""
    with evaluation(bounds):
        return compiled(variables)


__all__ = [
    "BoundedSandbox",
    "Bounds",
    "DEFAULT",
    "LimitExceeded",
    "MAX_TEMPLATE_CHARS",
    "evaluate",
    "evaluation",
    "render",
]
