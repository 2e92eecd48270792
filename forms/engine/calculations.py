"""Calculated values and relevance: which fields a record shows and what their expressions compute.

Expressions read field values (and the context's names); a calculation may read another
calculation's result, so a level of fields is settled by computing until nothing changes.
"""

from __future__ import annotations

from collections.abc import Iterable

from forms.engine.outcome import Message
from forms.expressions import ExpressionError, compile_expression
from forms.i18n import tr
from forms.model import Field
from forms.values import coerce_value, empty_value, is_empty

# What `compute` answers for an expression that cannot be computed yet because a value it
# reads is still empty: not an error, the person simply has not got that far.
SKIP = object()


def compute(source: str, variables: dict):
    """(value, None), (SKIP, None) when inputs are empty, or (None, error text)."""
    try:
        expr = compile_expression(source)
        return expr.evaluate(variables), None
    except ExpressionError as exc:
        try:
            names = compile_expression(source).names
        except ExpressionError:
            names = frozenset()
        if any(is_empty(variables.get(n)) for n in names):
            return SKIP, None
        return None, exc.message


def truthy(value) -> bool:
    """An expression's result as yes or no."""
    try:
        return bool(value)
    except Exception:  # noqa: BLE001 - an odd object from an expression counts as false
        return False


def data_fields(fields: Iterable[Field]) -> list[Field]:
    """Fields holding values at this level (groups opened up, not themselves)."""
    out = []
    for f in fields:
        if f.type == "group":
            out.extend(data_fields(f.fields))
        else:
            out.append(f)
    return out


def _relevance(fields, variables: dict, notes: list | None, prefix: str = "", parent: bool = True) -> dict:
    """key -> shown? for fields at one level, groups included; a hidden group hides its children."""
    shown = {}
    for f in fields:
        ok = parent
        if ok and f.relevant:
            value, err = compute(f.relevant, variables)
            if value is SKIP:
                ok = False
            elif err:
                if notes is not None:
                    notes.append(
                        Message(
                            prefix + f.key,
                            "warning",
                            tr("“{label}”的显示条件无法计算：{err}").format(label=f.label, err=err),
                        )
                    )
            else:
                ok = truthy(value)
        shown[f.key] = ok
        if f.type == "group":
            shown.update(_relevance(f.fields, variables, notes, prefix, ok))
    return shown


def _calculated(f: Field, calculate: str, variables: dict, notes: list | None, path: str):
    value, err = compute(calculate, variables)
    if value is SKIP or err:
        if err and notes is not None:
            notes.append(
                Message(path, "warning", tr("“{label}”表达式无法计算：{err}").format(label=f.label, err=err))
            )
        return empty_value(f)
    coerced, problem = coerce_value(f, value)
    if problem:
        if notes is not None:
            notes.append(
                Message(
                    path,
                    "warning",
                    tr("“{label}”的计算结果不合要求：{problem}").format(label=f.label, problem=problem),
                )
            )
        return empty_value(f)
    return coerced


def settle(fields, clean: dict, outer: dict, notes: list | None, prefix: str = "") -> tuple[dict, dict]:
    """Compute calculations and relevance at one level until nothing changes.

    Returns (values as expressions see them, relevance). Calculations may read other calculated
    values, so we iterate to a fixed point; a cycle simply stops after a bounded number of rounds.
    """
    data = data_fields(fields)
    current = dict(clean)
    shown: dict = {}
    for _ in range(len(data) + 2):
        variables = {**outer, **current}
        shown = _relevance(fields, variables, None, prefix)
        new = {}
        for f in data:
            if not shown.get(f.key, True):
                new[f.key] = empty_value(f)
            elif f.calculate:
                new[f.key] = _calculated(f, f.calculate, variables, None, prefix + f.key)
            elif f.type == "repeat":
                new[f.key] = [
                    settle(f.fields, row, variables, None, f"{prefix}{f.key}[{i}].")[0]
                    for i, row in enumerate(clean[f.key])
                ]
            else:
                new[f.key] = clean[f.key]
        if new == current:
            break
        current = new
    if notes is not None:
        # One more round only to collect the messages of expressions that could not be computed.
        variables = {**outer, **current}
        _relevance(fields, variables, notes, prefix)
        for f in data:
            if shown.get(f.key, True) and f.calculate:
                _calculated(f, f.calculate, variables, notes, prefix + f.key)
    return current, shown


def with_calculated(fields, typed, computed) -> dict:
    """A draft's values: what was typed, with every calculated field (in repeat rows too) as the
    engine computed it in `computed` (an Outcome's values), so a saved draft never holds a stale
    or missing calculation. Whatever is malformed in `typed` is kept as typed."""
    if not isinstance(typed, dict) or not isinstance(computed, dict):
        return typed
    out = dict(typed)
    for f in data_fields(fields):
        if f.calculate:
            out[f.key] = computed.get(f.key, empty_value(f))
        elif f.type == "repeat":
            rows, done = typed.get(f.key), computed.get(f.key)
            if isinstance(rows, list) and isinstance(done, list) and len(rows) == len(done):
                pairs = zip(rows, done, strict=True)
                out[f.key] = [with_calculated(f.fields, row, row_done) for row, row_done in pairs]
    return out
