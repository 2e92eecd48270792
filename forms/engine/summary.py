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
    """One line for lists, e.g. "支部委员会 · 十一月支委会 · 2026-11-05 · 7人".

    It starts with the first two required choices, texts or members that tell records apart (a
    member defaulting to the secretary does not), else the form's title; then the day; then
    head count. Two names, not one: two 支部委员会 on one day with as many present are different
    meetings, and their 会议名称 is what tells them apart in the list.
    """
    if not isinstance(values, dict):
        return form.title
    names: list[str] = []
    for f in form.walk():
        value = values.get(f.key)
        if (
            f.required
            and f.type in ("select_one", "text", "member")
            and f.default != "secretary"
            and isinstance(value, str)
            and value.strip()
            and value.strip()[:30] not in names
        ):
            names.append(value.strip()[:30])
            if len(names) == 2:
                break
    parts = names or [form.title]
    day = record_date(form, values)
    if day:
        parts.append(day)
    present, _ = attendance_fields(form)
    if present is not None and isinstance(values.get(present.key), list):
        parts.append(f"{len(values[present.key])}人")
    return " · ".join(parts)
