"""The 台账's attendance page: each member's present / expected over the period, absences with reasons.

A meeting took attendance when its form has both a members field (who came) and an absences
field (who did not, with the reason) — forms/engine/summary.py's `attendance_fields` — and the
record names someone in either. A member was expected at such a meeting when the record lists
them as present or as absent (so a 支部委员会 counts for the committee only), and was present
when listed as present. The rows follow the roster as it is now; names found in the records but
no longer on the roster (moved away, renamed) follow, marked; roster members that no meeting of
the period listed (joined later) are marked too. The page says so in a note.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from forms.engine.summary import attendance_fields
from forms.model import Form
from forms.paper.book_markup import grid, note, section, text

ANCHOR = "book-attendance"


@dataclass
class Absence:
    """One meeting a member missed: its day, what it was, the reason written down."""

    day: str
    meeting: str
    reason: str


@dataclass
class MemberLine:
    """One person's attendance over the period."""

    name: str
    role: str | None  # the roster role; None when not on the roster now
    expected: int = 0
    present: int = 0
    absences: list[Absence] = field(default_factory=list)

    @property
    def on_roster(self) -> bool:
        """Whether the person is on the branch roster now."""
        return self.role is not None

    @property
    def rate(self) -> int | None:
        """Present / expected as a whole percentage (halves round up); None when never expected."""
        if not self.expected:
            return None
        return (200 * self.present + self.expected) // (2 * self.expected)


def attendance_lines(members: Iterable, meetings: Iterable[tuple]) -> tuple[list[MemberLine], int]:
    """(one line per person, how many meetings took attendance).

    `members` is the roster now (store Members, in roster order); `meetings` are the period's
    final records with the form each was entered with, as (Record, Form), in date order.
    """
    lines: dict[str, MemberLine] = {}
    for member in members:
        name = str(member.name).strip()
        if name and name not in lines:
            lines[name] = MemberLine(name, member.role)
    counted = 0
    for record, form in meetings:
        came, missed = _lists(form, record.data)
        if not came and not missed:
            continue
        counted += 1
        meeting = _meeting_name(record, form)
        for name in came:
            line = lines.setdefault(name, MemberLine(name, None))
            line.expected += 1
            line.present += 1
        for name, reason in missed:
            if name in came:
                continue  # listed both ways by mistake: present wins, counted once
            line = lines.setdefault(name, MemberLine(name, None))
            line.expected += 1
            line.absences.append(Absence((record.occurred_on or "")[:10], meeting, reason))
    return list(lines.values()), counted


def _lists(form: Form, data) -> tuple[list[str], list[tuple[str, str]]]:
    """(names present, (name, reason) absent) of one record; empty unless it took attendance."""
    present, absent = attendance_fields(form)
    if present is None or absent is None or not isinstance(data, dict):
        return [], []
    came = []
    for name in data.get(present.key) or []:
        if isinstance(name, str) and name.strip() and name.strip() not in came:
            came.append(name.strip())
    missed = []
    for item in data.get(absent.key) or []:
        name, reason = (item.get("name"), item.get("reason")) if isinstance(item, dict) else (item, "")
        if isinstance(name, str) and name.strip():
            missed.append((name.strip(), str(reason or "").strip()))
    return came, missed


def _meeting_name(record, form: Form) -> str:
    """What the meeting was: its first required choice (三会一课's 会议类型, e.g. 支部委员会),
    else the form's title (主题党日)."""
    for f in form.walk():
        value = record.data.get(f.key) if isinstance(record.data, dict) else None
        if f.type == "select_one" and f.required and isinstance(value, str) and value.strip():
            return value.strip()
    return form.title


def attendance_section(lines: list[MemberLine], meetings: int, period_label: str) -> str:
    """The attendance page: a note on how it was counted, then one row per person."""
    out = [section(ANCHOR, "党员参会情况")]
    out.append(
        note(
            text(
                f"{period_label}内记录了出勤情况的会议共 {meetings} 次（填写了实到人员和缺席人员的会议记录，"
                "只计已定稿的）。“应到”是某人在这些记录中被列为实到或缺席的次数（例如支委会只计支委），"
                "“实到”是被列为实到的次数，出勤率为实到÷应到。名单按现在的支部名册排列；"
                "不在现名册、但本期记录中出现的姓名列在后面，注明“不在现名册”（可能已转出或改名）；"
                "名册中本期没有出现在任何出勤记录里的同志（例如新转入的）注明“本期无出勤记录”。"
            )
        )
    )
    rows = []
    for line in lines:
        name = text(line.name) if line.on_roster else f"{text(line.name)}<br/>{text('（不在现名册）')}"
        if line.expected:
            counts, rate = f"{line.present} / {line.expected}", f"{line.rate}%"
            absences = _by_reason(line.absences)
        else:
            counts, rate, absences = "—", "—", text("本期无出勤记录")
        rows.append([name, text(line.role or "—"), counts, rate, absences])
    out.append(
        grid(
            ["姓名", "身份", "实到/应到", "出勤率", "缺席原因、日期及会议"],
            rows,
            widths=[21, 15, 13, 11, 40],
            align=["left", "center", "center", "center", "left"],
        )
    )
    return "".join(out)


def _by_reason(absences: list[Absence]) -> str:
    """A member's absences grouped by reason, one line each: "病假（2 次）：02-10 支部委员会、…".
    A book's period lies within one year, so a day reads as month-day."""
    reasons: dict[str, list[str]] = {}
    for a in absences:
        reasons.setdefault(a.reason or "未写原因", []).append(f"{a.day[5:]} {a.meeting}")
    return "<br/>".join(
        text(f"{reason}{f'（{len(days)} 次）' if len(days) > 1 else ''}：{'、'.join(days)}")
        for reason, days in reasons.items()
    )
