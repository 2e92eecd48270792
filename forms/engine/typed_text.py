"""A value typed as text (the command line's `--set key=value`) turned into a field's value."""

from __future__ import annotations

import json
import re
from typing import Any

from forms.i18n import tr
from forms.model import LIST_TYPES, Field
from forms.values import NAME_SEPARATORS, coerce_value, empty_value


def parse_value(field: Field, text: str) -> Any:
    """Command-line text -> a value of the field's type; ValueError (Chinese) when it cannot be."""
    if field.type == "group":
        raise ValueError(tr("“{label}”是分组，不能直接填写；请填写其中的各项").format(label=field.label))
    text = "" if text is None else str(text)
    stripped = text.strip()
    if not stripped:
        return empty_value(field)
    value: Any = text
    if field.type in LIST_TYPES or field.type == "location":
        if stripped[:1] in "[{":
            try:
                value = json.loads(stripped)
            except ValueError as exc:
                raise ValueError(
                    tr("“{label}”的 JSON 写法有误：{exc}").format(label=field.label, exc=exc)
                ) from exc
        elif field.type in ("select_multiple", "members"):
            value = [v for v in NAME_SEPARATORS.split(stripped) if v]
        elif field.type == "absences":
            value = [_absence_from_text(part) for part in re.split(r"[,，;；]+", stripped) if part.strip()]
        elif field.type != "location":
            raise ValueError(tr("“{label}”请用 JSON 列表填写，例如 [{{...}}]").format(label=field.label))
    elif field.type not in ("text", "longtext"):
        value = stripped
    coerced, problem = coerce_value(field, value)
    if problem:
        raise ValueError(problem)
    if field.type == "select_one" and coerced not in field.choices:
        raise ValueError(
            tr("“{coerced}”不是“{label}”的可选项，可选：{choices}").format(
                coerced=coerced, label=field.label, choices="、".join(field.choices)
            )
        )
    if field.type == "select_multiple":
        wrong = [c for c in coerced if c not in field.choices]
        if wrong:
            raise ValueError(
                tr("{wrong} 不是“{label}”的可选项，可选：{choices}").format(
                    wrong="、".join(wrong), label=field.label, choices="、".join(field.choices)
                )
            )
    return coerced


def _absence_from_text(part: str) -> dict:
    """ "张三:请假" (or 张三：请假) -> {'name': '张三', 'reason': '请假'}."""
    name, _, reason = part.strip().replace("：", ":").partition(":")
    return {"name": name.strip(), "reason": reason.strip()}
