"""A field's options whose meaning depends on its type: which options fit, choices, min/max, default.

Each reader takes the form's NodeReader, notes what is wrong with the field's key in the message
and returns the value to keep (None when it cannot be used).
"""

from __future__ import annotations

import datetime
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from forms.expressions import is_number
from forms.i18n import tr, tr_noop
from forms.model import CONTAINER_TYPES, LIST_TYPES, SYMBOLIC_DEFAULTS, Field
from forms.values import coerce_value
from forms.yaml_lines import BAD, NodeReader, is_null

# Which options make sense for which types (everything else in FIELD_OPTIONS is for all types).
RANGE_TYPES = frozenset({"integer", "decimal", "date", "datetime", "time"}) | LIST_TYPES
_OPTION_TYPES = {
    "choices": frozenset({"select_one", "select_multiple"}),
    "max_length": frozenset({"text", "longtext"}),
    "min": RANGE_TYPES,
    "max": RANGE_TYPES,
    "fields": CONTAINER_TYPES,
}
_NOT_FOR_GROUP = ("required", "constraint", "constraint_message", "default", "calculate")
_SYMBOLIC_TYPES = {
    "now": frozenset({"datetime", "date", "time"}),
    "today": frozenset({"date"}),
    "secretary": frozenset({"member"}),
    "all_members": frozenset({"members"}),
    "roster_count": frozenset({"integer", "decimal"}),
}
_TYPE_EXAMPLE = {
    "date": tr_noop("日期，例如 2026-01-01"),
    "datetime": tr_noop("日期时间，例如 2026-01-01T09:00"),
    "time": tr_noop('时间，例如 "09:00"'),
}
_TEXT_TYPES = frozenset(
    {"text", "longtext", "select_one", "member", "idcard", "phone", "date", "datetime", "time"}
)
_TEXT_LIST_TYPES = frozenset({"select_multiple", "members"})


def options_fit(reader: NodeReader, options: dict[str, tuple[Node, Node]], ftype: str, key: str) -> None:
    """Report options written on a field whose type has no use for them."""
    for name, (key_node, _) in options.items():
        allowed = _OPTION_TYPES.get(name)
        if allowed is not None and ftype not in allowed:
            reader.problem(
                key_node,
                tr("{ftype} 类型不能使用 {name}").format(ftype=ftype, name=name),
                f"{name} does not apply to {ftype}",
                key,
            )
        elif ftype == "group" and name in _NOT_FOR_GROUP:
            reader.problem(
                key_node,
                tr("分组（group）不能使用 {name}").format(name=name),
                f"{name} does not apply to a group",
                key,
            )
        elif ftype == "repeat" and name == "calculate":
            reader.problem(
                key_node, tr("repeat 不能使用 calculate"), "calculate does not apply to repeat", key
            )


def choices(reader: NodeReader, node: Node, key: str) -> tuple[str, ...]:
    """The choices of a select field: a non-empty list of distinct texts."""
    if not isinstance(node, SequenceNode) or not node.value:
        reader.problem(
            node, tr("choices 应为至少一项的列表，例如 [是, 否]"), "choices must be a non-empty list", key
        )
        return ()
    out: list[str] = []
    for item in node.value:
        if not isinstance(item, ScalarNode) or is_null(item) or not item.value.strip():
            reader.problem(item, tr("每个选项应为一段文字"), "each choice must be text", key)
        elif item.value.strip() in out:
            reader.problem(
                item,
                tr('选项 "{value}" 重复').format(value=item.value),
                f'choice "{item.value}" appears twice',
                key,
            )
        else:
            out.append(item.value.strip())
    return tuple(out)


def bound(reader: NodeReader, node: Node, name: str, f: Field) -> Any:
    """`min` or `max` in the field's own terms: a number, a date or time, or a count of items."""
    v = _time_text(node) if f.type == "time" else reader.value(node, name, f.key)
    if v is BAD:
        return None
    if f.type in LIST_TYPES:
        ok = isinstance(v, int) and not isinstance(v, bool) and v >= 0
        if not ok:
            reader.problem(
                node, tr("{name} 应为非负整数（项数）").format(name=name), f"{name} must be a count", f.key
            )
        return v if ok else None
    if f.type in ("integer", "decimal"):
        ok = is_number(v) and (f.type == "decimal" or isinstance(v, int))
        if not ok:
            reader.problem(
                node,
                tr("{name} 应为{value}").format(
                    name=name, value=tr("整数") if f.type == "integer" else tr("数字")
                ),
                f"{name} must be a number",
                f.key,
            )
        return v if ok else None
    coerced, problem = coerce_value(f, v) if v is not None else (None, "empty")
    if problem or not isinstance(v, (str, datetime.date, datetime.time)):
        reader.problem(
            node,
            tr("{name} 应为{type_example}").format(name=name, type_example=tr(_TYPE_EXAMPLE[f.type])),
            f"{name} must be a {f.type}",
            f.key,
        )
        return None
    return coerced


def default(reader: NodeReader, node: Node, f: Field, in_repeat: bool) -> Any:
    """The default: a symbolic one that fits the type (DESIGN §5), or a literal of the type."""
    v = _as_written(node, f)
    if v is BAD:
        v = reader.value(node, "default", f.key)
    if v is BAD:
        return None
    if isinstance(v, str) and v in SYMBOLIC_DEFAULTS:
        if v == "last":
            if in_repeat:
                reader.problem(
                    node,
                    tr("repeat 里的字段不能用 last 作默认值"),
                    "last does not apply inside repeat",
                    f.key,
                )
                return None
        else:
            fits = _SYMBOLIC_TYPES[v]  # every symbolic default but last fits only some types
            if f.type not in fits:
                reader.problem(
                    node,
                    tr("默认值 {v} 只适用于 {fits} 类型").format(v=v, fits=", ".join(sorted(fits))),
                    f"default {v} only fits {', '.join(sorted(fits))}",
                    f.key,
                )
                return None
        return v
    if v is None:
        return None
    coerced, problem = coerce_value(f, v)
    if problem:
        reader.problem(
            node,
            tr("默认值与类型 {type} 不符：{problem}").format(type=f.type, problem=problem),
            f"default does not fit type {f.type}",
            f.key,
        )
        return None
    wrong = []
    if f.type == "select_one":
        wrong = [coerced] if coerced not in f.choices else []
    elif f.type == "select_multiple":
        wrong = [c for c in coerced if c not in f.choices]
    if wrong and f.choices:
        reader.problem(
            node,
            tr("默认值 {wrong} 不在 choices 中").format(wrong="、".join(wrong)),
            "default is not one of the choices",
            f.key,
        )
        return None
    return coerced


def peek_key(node: Node) -> str | None:
    """The field's key as written, so that problems found before it is read can name it."""
    if isinstance(node, MappingNode):
        for k, v in node.value:
            if isinstance(k, ScalarNode) and k.value == "key" and isinstance(v, ScalarNode) and v.value:
                return v.value
    return None


def _time_text(node: Node) -> Any:
    # YAML 1.1 reads 8:30 as the sexagesimal number 510; for time fields we want the text.
    if isinstance(node, ScalarNode) and not is_null(node):
        return node.value
    return BAD if not isinstance(node, ScalarNode) else None


def _as_written(node: Node, f: Field) -> Any:
    """Text-like defaults as written: `default: 否`, `yes` or `2026` on a text field stay text."""

    def plain(n):
        return isinstance(n, ScalarNode) and not is_null(n) and n.tag.startswith("tag:yaml.org,2002:")

    if f.type in _TEXT_TYPES and plain(node):
        return node.value
    if f.type in _TEXT_LIST_TYPES and isinstance(node, SequenceNode) and all(plain(n) for n in node.value):
        return [n.value for n in node.value]
    return BAD
