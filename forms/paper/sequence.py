"""第 N 次: a meeting's number in its branch's calendar year, as the paper 记录本 counts it.

What is counted: the branch's final records of the same form in the same year and, when the form
has a required single choice (三会一课's 会议类型), with the same answer to the first one — a
支部委员会 is numbered among 支部委员会 only. They are ordered by when they happened (the form's
first date or time field, else the record's day), then by when they were entered. A draft gets
the number it would get if it were made final now; a voided record has none (it does not count).
"""

from __future__ import annotations

from typing import Any

from forms.engine import record_date
from forms.model import Field, Form


def counted_choice(form: Form) -> Field | None:
    """The choice that splits the count (the first required select_one), or None."""
    return next((f for f in form.walk() if f.type == "select_one" and f.required), None)


def record_year(form: Form, record: Any) -> str:
    """'YYYY' of the day the record happened, or '' when it has no day yet."""
    day = getattr(record, "occurred_on", None) or record_date(form, record.data) or ""
    return day[:4] if len(day) >= 4 and day[:4].isdigit() else ""


def sequence_of(form: Form, record: Any) -> str:
    """What the number counts, as printed: the counted choice's answer, else the form's title."""
    choice = counted_choice(form)
    answer = record.data.get(choice.key) if choice is not None and isinstance(record.data, dict) else None
    return answer if isinstance(answer, str) and answer.strip() else form.title


def sequence_number(store: Any, form: Form, record: Any, numbering: dict | None = None) -> int | None:
    """The record's 第 N 次 in its branch's year (see the module docstring); None when it has no
    day yet or is void. A final record's numbers are kept in `numbering` (when given) for the
    next record of the same form, branch and year."""
    if record.status == "void":
        return None
    year = record_year(form, record)
    if not year:
        return None
    if numbering is None or record.status != "final":
        return sequence_numbers(store, form, record.branch_id, year, extra=record).get(record.uuid)
    key = (form.id, record.branch_id, year)
    if key not in numbering:
        numbering[key] = sequence_numbers(store, form, record.branch_id, year)
    return numbering[key].get(record.uuid)


def sequence_numbers(store: Any, form: Form, branch_id: int, year: str, extra: Any = None) -> dict[str, int]:
    """uuid -> 第 N 次 of every final record of `form` for the branch in `year` (one query, for
    a whole 台账); `extra` (a draft) is numbered as if it were final now."""
    finals = store.records(
        branch_id=branch_id, form_id=form.id, status="final", since=f"{year}-01-01", until=f"{year}-12-31"
    )
    # The store lists the newest first, entry order breaking ties: reversed, oldest first.
    rows = [(record, position) for position, record in enumerate(reversed(finals))]
    if extra is not None and all(record.uuid != extra.uuid for record, _ in rows):
        rows.append((extra, len(rows)))
    choice = counted_choice(form)
    moment = _moment_key(form)
    groups: dict[Any, list[tuple[tuple, str]]] = {}
    for record, position in rows:
        data = record.data if isinstance(record.data, dict) else {}
        group = _hashable(data.get(choice.key)) if choice is not None else None
        when = data.get(moment) if moment else None
        key = (
            str(when) if isinstance(when, str) and when else record.occurred_on or "",
            record.created_at,
            position,
        )
        groups.setdefault(group, []).append((key, record.uuid))
    numbers: dict[str, int] = {}
    for members in groups.values():
        for number, (_, uuid) in enumerate(sorted(members), start=1):
            numbers[uuid] = number
    return numbers


def _moment_key(form: Form) -> str | None:
    """The first date or time field: when the record happened, to the minute when it says so."""
    return next((f.key for f in form.walk() if f.type in ("date", "datetime")), None)


def _hashable(value: Any) -> Any:
    return value if isinstance(value, (str, int, float, type(None))) else repr(value)
