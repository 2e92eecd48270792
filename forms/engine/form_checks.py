"""Checks across a whole record: the form's `checks` rules, people marked both present and
absent, and photos taken far from the record's time, with none, or used before."""

from __future__ import annotations

from forms.engine.calculations import SKIP, compute, truthy
from forms.engine.outcome import Message
from forms.engine.summary import attendance_fields
from forms.expressions import ExpressionError, compile_expression
from forms.i18n import tr
from forms.model import CONTEXT_NAMES, Check, Form
from forms.photo_checks import USE_KINDS, kept_warnings, photo_items, record_time, time_warning


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


def photo_warnings(form: Form, current: dict, messages: list[Message]) -> None:
    """Warn about each photo taken far from the record's time or with no time (forms/photo_checks),
    and about one already in another record (found in the store when the record was saved)."""
    # Photos staged on another day, or used again, to stand for a meeting never held are a known
    # abuse; a warning never blocks, the person decides.
    when = record_time(form, current)
    hours = form.photo_hours
    for key, item in photo_items(form, current):
        found = time_warning(item, when, hours)
        texts = ([found.text] if found else []) + kept_warnings(item, USE_KINDS)
        for text in texts:
            messages.append(
                Message(
                    key.split(".")[0],
                    "warning",
                    tr("照片“{name}”：{text}").format(name=item.get("name") or "", text=text),
                )
            )
