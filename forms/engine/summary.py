"""How a record is named in lists: the day it happened and a one-line summary."""

from __future__ import annotations

from forms.model import Field, Form
from forms.values import coerce_value, is_empty


def attendance_fields(form: Form) -> tuple[Field | None, Field | None]:
    """The first members field (who came) and the first absences field of a form."""
    present = next((f for f in form.walk() if f.type == "members"), None)
    absent = next((f for f in form.walk() if f.type == "absences"), None)
    return present, absent


def record_date(form: Form, values) -> str | None:
    """'YYYY-MM-DD' of the first date/datetime field holding a value: the day it happened."""
    if not isinstance(values, dict):
        return None
    for f in form.walk():
        if f.type in ("date", "datetime") and not is_empty(values.get(f.key)):
            coerced, problem = coerce_value(f, values.get(f.key))
            if not problem:
                return coerced[:10]
    return None


def summary(form: Form, values) -> str:
    """One line for lists, e.g. "2026年11月支部委员会 · 2026-11-05 · 7人".

    It starts with what tells records apart: the first required text or member (a member
    defaulting to the secretary does not), then the first required choice unless that text
    already says it ("支部委员会" in "2026年11月支部委员会"); else the form's title. Then the day,
    then head count. The name comes first: two 党小组会 on one day read apart by their 会议名称,
    and a narrow list column keeps a line's beginning.
    """
    if not isinstance(values, dict):
        return form.title
    texts: list[str] = []
    choices: list[str] = []
    for f in form.walk():
        value = values.get(f.key)
        if not (f.required and f.default != "secretary" and isinstance(value, str) and value.strip()):
            continue
        if f.type in ("text", "member") and not texts:
            texts.append(value.strip()[:30])
        elif f.type == "select_one" and not choices:
            choices.append(value.strip()[:30])
    parts = texts + [c for c in choices if not any(c in t for t in texts)]
    parts = parts or [form.title]
    day = record_date(form, values)
    if day:
        parts.append(day)
    present, _ = attendance_fields(form)
    if present is not None and isinstance(values.get(present.key), list):
        parts.append(f"{len(values[present.key])}人")
    return " · ".join(parts)
