"""Checks across a whole record: the form's `checks` rules, people marked both present and
absent, and photos taken on another day than the record's."""

from __future__ import annotations

import datetime

from forms.engine.calculations import SKIP, compute, truthy
from forms.engine.outcome import Message
from forms.engine.summary import attendance_fields, record_date
from forms.expressions import ExpressionError, compile_expression
from forms.i18n import tr
from forms.model import CONTEXT_NAMES, Check, Form

# A photo taken this many days away from the record's date earns a warning (staged photos).
PHOTO_DAYS_TOLERANCE = 3


def run_check(form: Form, check: Check, variables: dict, messages: list[Message]) -> None:
    """Apply one of the form's `checks` rules; its message goes to the one field it reads, if one."""
    if check.when:
        applies, err = compute(check.when, variables)
        if applies is SKIP or err or not truthy(applies):
            return
    value, err = compute(check.rule, variables)
    if value is SKIP:
        return
    target = _check_target(form, check)
    if err:
        messages.append(
            Message(
                target,
                check.level,
                tr("{message}（规则无法计算：{err}）").format(message=check.message, err=err),
            )
        )
    elif not truthy(value):
        messages.append(Message(target, check.level, check.message))


def _check_target(form: Form, check: Check) -> str:
    """The one field a check is about, or "" when it reads several."""
    names: set[str] = set()
    for source in (check.rule, check.when):
        if source:
            try:
                names |= compile_expression(source).names
            except ExpressionError:
                return ""
    keys = {k for k in names - CONTEXT_NAMES if form.field(k) is not None}
    return keys.pop() if len(keys) == 1 else ""


def absence_overlap(form: Form, current: dict, messages: list[Message]) -> None:
    """Warn about people ticked as present and also listed as absent."""
    present, absent = attendance_fields(form)
    if present is None or absent is None:
        return
    came = set(current.get(present.key) or [])
    both = [a["name"] for a in current.get(absent.key) or [] if a["name"] in came]
    if both:
        messages.append(
            Message(
                absent.key,
                "warning",
                tr("{both} 同时在“{label}”和“{label2}”中，请核对").format(
                    both="、".join(both), label=present.label, label2=absent.label
                ),
            )
        )


def photo_dates(form: Form, current: dict, messages: list[Message]) -> None:
    """Warn about photos taken more than PHOTO_DAYS_TOLERANCE days from the record's day."""
    # Photos whose EXIF time ('taken_at') is far from the record's day are a known abuse:
    # pictures staged on another day to stand for a meeting that was never held.
    day = record_date(form, current)
    if day is None:
        return
    base = datetime.date.fromisoformat(day)
    for f in form.walk():
        if f.type != "photos":
            continue
        for item in current.get(f.key) or []:
            taken = item.get("taken_at")
            try:
                taken_day = datetime.date.fromisoformat(str(taken)[:10])
            except ValueError:
                continue
            gap = abs((taken_day - base).days)
            if gap > PHOTO_DAYS_TOLERANCE:
                messages.append(
                    Message(
                        f.key,
                        "warning",
                        tr("照片“{value}”拍摄于 {taken_day}，与记录日期 {day} 相差{gap}天，请核对").format(
                            value=item.get("name"), taken_day=taken_day, day=day, gap=gap
                        ),
                    )
                )
