"""Form expressions (`relevant`, `constraint`, `calculate`, `checks`, `cadence.when`).

They are Jinja2 expressions compiled in Jinja2's sandbox, never Python `eval`. Field keys are
variables. A few filters are made forgiving so that forms read naturally: `x | length` is 0
when x is empty (None), and `d | days` turns a 'YYYY-MM-DD...' text into a day number so that
two dates can be subtracted.
"""

from __future__ import annotations

import datetime
import functools
import math
import numbers
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from jinja2 import ChainableUndefined, meta, nodes
from jinja2.exceptions import TemplateError

from forms.i18n import tr
from forms.sandbox import DEFAULT, BoundedSandbox, Bounds, LimitExceeded
from forms.sandbox import evaluate as bounded_evaluate

# Real expressions are a line or two; compiling one of hundreds of kilobytes takes seconds.
_MAX_SOURCE = 10_000


class ExpressionError(Exception):
    """An expression that cannot be compiled or computed; the message is Chinese first."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ExpressionTooCostly(ExpressionError):
    """An expression that went past the sandbox's bounds (size, integers, time): wrong for
    every record, not just for the values at hand."""


class _Sandbox(BoundedSandbox):
    """The bounded sandbox (forms/sandbox.py); forms have no use for printf-style `%` on text."""

    def call_binop(self, context, operator, left, right):
        if operator == "%" and isinstance(left, str):
            raise ExpressionError(tr("表达式不支持 % 格式化 / % formatting is not supported"))
        return super().call_binop(context, operator, left, right)


def _length(value) -> int:
    if value is None or isinstance(value, ChainableUndefined):
        return 0
    try:
        return len(value)
    except TypeError:
        return 0 if value is None else 1


def _sum(value, attribute=None, start=0):
    if not value:
        return start
    total = start
    for item in value:
        if attribute is not None:
            item = item.get(attribute) if isinstance(item, dict) else getattr(item, attribute, None)
        if isinstance(item, numbers.Number) and not isinstance(item, bool):
            total += item
    return total


def _days(value):
    """'YYYY-MM-DD' (or a datetime text, or a date) -> day number; empty -> None."""
    if value is None or value == "" or isinstance(value, ChainableUndefined):
        return None
    if isinstance(value, datetime.datetime):
        return value.date().toordinal()
    if isinstance(value, datetime.date):
        return value.toordinal()
    try:
        return datetime.date.fromisoformat(str(value)[:10]).toordinal()
    except ValueError as exc:
        raise ExpressionError(tr("不是日期：{value!r} / not a date").format(value=value)) from exc


def _environment() -> _Sandbox:
    env = _Sandbox(undefined=ChainableUndefined)
    env.filters["length"] = env.filters["count"] = _length
    env.filters["sum"] = _sum
    env.filters["days"] = _days
    env.bound_filters_and_tests()
    return env


_ENV = _environment()


@dataclass(frozen=True)
class Expression:
    """A compiled expression: `names` are the variables it reads, `evaluate` computes it."""

    source: str
    names: frozenset[str]
    _compiled: Any = dc_field(repr=False, compare=False)

    def evaluate(self, variables: dict, bounds: Bounds = DEFAULT) -> Any:
        """The expression's value with these variables, within the sandbox's `bounds`; any
        failure -> ExpressionError (ExpressionTooCostly when it went past the bounds)."""
        try:
            return bounded_evaluate(self._compiled, variables, bounds)
        except ExpressionError:
            raise
        except LimitExceeded as exc:
            raise ExpressionTooCostly(exc.message) from None
        except RecursionError as exc:
            raise ExpressionError(tr("表达式嵌套太深 / expression too deeply nested")) from exc
        except Exception as exc:  # noqa: BLE001 - any runtime failure is the form's, not ours
            raise ExpressionError(
                tr("表达式无法计算：{exc} / expression failed").format(exc=_describe(exc))
            ) from exc


def _describe(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "..."


@functools.lru_cache(maxsize=2048)
def compile_expression(source: str) -> Expression:
    """Compile `source` in the sandbox; raises ExpressionError (Chinese) when it cannot."""
    if not isinstance(source, str) or not source.strip():
        raise ExpressionError(tr("表达式为空 / expression is empty"))
    if len(source) > _MAX_SOURCE:
        raise ExpressionError(
            tr("表达式太长（超过 {max_source:,} 个字符）/ expression too long").format(max_source=_MAX_SOURCE)
        )
    try:
        # Parse once as a template to learn the variable names, then compile the expression.
        ast = _ENV.parse("{{ (" + source + "\n) }}")
        names = frozenset(meta.find_undeclared_variables(ast))
        _reject_statements(ast)
        compiled = _ENV.compile_expression(source, undefined_to_none=True)
    except ExpressionError:
        raise
    except LimitExceeded as exc:
        raise ExpressionTooCostly(exc.message) from None
    except TemplateError as exc:
        raise ExpressionError(
            tr("表达式写法有误：{exc} / expression does not compile").format(exc=_describe(exc))
        ) from exc
    except (RecursionError, MemoryError) as exc:
        raise ExpressionError(tr("表达式太复杂 / expression too complex")) from exc
    except Exception as exc:  # noqa: BLE001 - Jinja can raise odd errors on odd text
        raise ExpressionError(
            tr("表达式写法有误：{exc} / expression does not compile").format(exc=_describe(exc))
        ) from exc
    return Expression(source=source, names=names, _compiled=compiled)


def _reject_statements(ast: nodes.Template) -> None:
    # Wrapping in "{{ ( ... ) }}" could let "x) }}{% ... %}{{ (y" smuggle template statements in.
    if len(ast.body) != 1 or not isinstance(ast.body[0], nodes.Output) or len(ast.body[0].nodes) != 1:
        raise ExpressionError(tr("表达式写法有误 / expression does not compile"))


def is_number(value) -> bool:
    """A real, finite number (bool excluded): what integer/decimal fields hold."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return not (isinstance(value, float) and not math.isfinite(value))


def equalities(source: str | None) -> dict[str, Any]:
    """The `name == constant` parts that must all hold for `source` to be true (joined by `and`),
    e.g. {"meeting_type": "支部委员会"} for "meeting_type == '支部委员会' and x > 1". A new record
    meant to count for a cadence rule starts with them. Empty when there are none or it is broken."""
    if not source:
        return {}
    try:
        compile_expression(source)  # the same checks as everywhere else
        node = _ENV.parse("{{ (" + source + "\n) }}").body[0].nodes[0]  # type: ignore[attr-defined]
    except ExpressionError:
        return {}
    found: dict[str, Any] = {}
    parts = [node]
    while parts:
        part = parts.pop()
        if isinstance(part, nodes.And):
            parts += [part.left, part.right]
        elif isinstance(part, nodes.Compare) and len(part.ops) == 1 and part.ops[0].op == "eq":
            left, right = part.expr, part.ops[0].expr
            if isinstance(right, nodes.Name):
                left, right = right, left
            if isinstance(left, nodes.Name) and isinstance(right, nodes.Const):
                found[left.name] = right.value
    return found
