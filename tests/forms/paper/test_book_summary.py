"""The 台账's summary pages: meetings held against the branch's cadence (book_cadence.py) and each
member's attendance (book_attendance.py), for a known year of records in a real store."""

from __future__ import annotations

import datetime as dt
import html
import re
from types import SimpleNamespace

import pytest

from forms.lifecycle import Records
from forms.paper.book import branch_book
from forms.paper.book_attendance import attendance_lines
from forms.paper.book_cadence import DONE, MISSED, OPEN, OUTSIDE, rule_lines
from forms.paper.book_markup import ZERO_WIDTH_SPACE
from forms.paper.periods import parse_period
from tests.forms.paper.book_data import (
    COMMITTEE,
    KAZAKH,
    LISI,
    MARKUP,
    NOW,
    SECRETARY,
    UYGHUR,
    WANGWU,
    ZHAOLIU,
    make_year,
    meeting,
    stand_in_page,
)

MADE_ON = NOW.date()


@pytest.fixture
def year(tmp_path, monkeypatch):
    year = make_year(tmp_path, monkeypatch)
    yield year
    year.store.close()


def finals(year, period):
    """The branch's final records of the period with their forms, in date order."""
    versions = Records(year.store, year.catalog)
    found = year.store.records(
        branch_id=year.branch_id,
        status="final",
        since=period.first.isoformat(),
        until=period.last.isoformat(),
    )
    return [(r, versions.form(r.form_id, r.form_version)) for r in reversed(found)]


def rules(year, *args, made_on=MADE_ON):
    period = parse_period(2026, *args)
    branch = year.store.branch(year.branch_id)
    forms = year.catalog.all()
    lines = rule_lines(forms, branch.cadence, [r for r, _ in finals(year, period)], period, made_on)
    return {line.label: line for line in lines}


def states(line) -> list[str]:
    return [p.state for p in line.periods]


def rows(fragment: str) -> list[list[str]]:
    """A table's rows as lists of cell texts (tags dropped, entities read)."""
    found = []
    for row in re.findall(r"<tr>(.*?)</tr>", fragment, re.S):
        cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
        found.append([html.unescape(re.sub(r"<br/>", "\n", re.sub(r"<(?!br/)[^>]+>", "", c))) for c in cells])
    return found


# --- cadence ---------------------------------------------------------------------------------


def test_a_year_against_the_cadence_done_and_missed_per_month_and_quarter(year):
    lines = rules(year)
    committee = lines["支部委员会"]
    # Held in Jan–Apr; the May draft and the voided June meeting do not count.
    assert states(committee) == [DONE] * 4 + [MISSED] * 8
    assert [p.days for p in committee.periods[:4]] == [
        ["2026-01-08"],
        ["2026-02-10"],
        ["2026-03-31"],
        ["2026-04-01"],
    ]
    assert [p.label for p in committee.periods][:2] == ["2026年1月", "2026年2月"]
    assert (committee.count(DONE), committee.count(MISSED)) == (4, 8)
    assert states(lines["支部党员大会"]) == [DONE, MISSED, MISSED, MISSED]
    assert lines["支部党员大会"].periods[0].days == ["2026-03-31"]
    assert states(lines["党课"]) == [MISSED, DONE, MISSED, MISSED]
    assert [p.days for p in lines["党小组会"].periods if p.days] == [["2026-06-15"]]
    assert [p.days for p in lines["主题党日"].periods if p.days] == [["2026-07-01"]]
    assert states(lines["组织生活会"]) == [DONE] and lines["组织生活会"].periods[0].days == ["2026-12-20"]
    assert states(lines["民主评议党员"]) == [MISSED]
    assert "入户走访" not in lines and "党费收缴" not in lines  # no cadence: not listed


def test_a_quarter_splits_the_meetings_of_march_31_and_april_1(year):
    q1, q2 = rules(year, 1), rules(year, 2)
    assert [p.days for p in q1["支部委员会"].periods] == [["2026-01-08"], ["2026-02-10"], ["2026-03-31"]]
    assert [p.days for p in q2["支部委员会"].periods] == [["2026-04-01"], [], []]
    assert states(q2["支部委员会"]) == [DONE, MISSED, MISSED]
    assert states(q1["支部党员大会"]) == [DONE] and states(q2["支部党员大会"]) == [MISSED]
    # A yearly meeting is not "missed" in a quarter's book: its year runs beyond the book.
    assert states(q1["组织生活会"]) == [OUTSIDE]


def test_periods_still_running_when_the_book_is_made_are_not_missed(year):
    lines = rules(year, made_on=dt.date(2026, 5, 15))
    assert states(lines["支部委员会"]) == [DONE] * 4 + [OPEN] * 8
    assert states(lines["党课"]) == [MISSED, DONE, OPEN, OPEN]
    assert states(lines["组织生活会"]) == [DONE]  # already held, though the year is not over


def test_the_branchs_own_cadence_settings_apply(year):
    year.store.update_branch(
        year.branch_id,
        cadence={"sanhui-yike:党小组会": "off", "ruhu-zoufang": "quarter", "zhuti-dangri": "quarter"},
    )
    lines = rules(year)
    assert "党小组会" not in lines
    assert states(lines["入户走访"]) == [MISSED, MISSED, DONE, MISSED]
    assert lines["入户走访"].periods[2].days == ["2026-09-09"]
    assert states(lines["主题党日"]) == [MISSED, MISSED, DONE, MISSED]


def test_the_cadence_page_shows_the_counts_and_the_days(year, tmp_path):
    paper = branch_book(
        year.store,
        year.catalog,
        year.branch_id,
        parse_period(2026),
        record_page=stand_in_page(tmp_path),
        made_on=MADE_ON,
    )
    page = paper.html[
        paper.html.index('<a name="book-cadence">') : paper.html.index('<a name="book-attendance">')
    ]
    table = rows(page)
    assert table[0] == ["会议", "周期", "应开", "已开", "未开", "未计"]
    # In the book's order: 三会一课's rules as the form lists them, then the other meetings.
    assert [row[0] for row in table[1:8]] == [
        "支部委员会（三会一课）",
        "党小组会（三会一课）",
        "支部党员大会（三会一课）",
        "党课（三会一课）",
        "主题党日",
        "组织生活会",
        "民主评议党员",
    ]
    assert ["支部委员会（三会一课）", "每月", "12", "4", "8", "0"] in table
    assert ["支部党员大会（三会一课）", "每季度", "4", "1", "3", "0"] in table
    assert ["组织生活会", "每年", "1", "1", "0", "0"] in table
    assert ["2026年3月", "已开", "2026-03-31"] in table
    assert ["2026年5月", "未开", ""] in table
    assert "<b>未开</b>" in page


# --- attendance ------------------------------------------------------------------------------


def test_each_members_attendance_over_the_year(year):
    members = year.store.members(year.branch_id)
    lines, meetings = attendance_lines(members, finals(year, parse_period(2026)))
    assert meetings == 9  # the household visit names people but takes no attendance
    got = {line.name: line for line in lines}
    assert [line.name for line in lines] == [SECRETARY, COMMITTEE, UYGHUR, KAZAKH, LISI, ZHAOLIU, WANGWU]
    figures = {name: (line.present, line.expected, line.rate) for name, line in got.items()}
    assert figures == {
        SECRETARY: (8, 8, 100),
        COMMITTEE: (7, 8, 88),  # 87.5 rounds up
        UYGHUR: (4, 4, 100),
        KAZAKH: (4, 5, 80),
        LISI: (4, 5, 80),
        ZHAOLIU: (0, 0, None),
        WANGWU: (1, 2, 50),
    }
    assert [(a.day, a.meeting, a.reason) for a in got[COMMITTEE].absences] == [
        ("2026-02-10", "支部委员会", "病假")
    ]
    assert [(a.day, a.meeting, a.reason) for a in got[KAZAKH].absences] == [
        ("2026-03-31", "支部党员大会", "请假（外出务工）")
    ]
    assert [(a.day, a.meeting) for a in got[LISI].absences] == [("2026-07-01", "主题党日")]
    assert [(a.day, a.meeting, a.reason) for a in got[WANGWU].absences] == [("2026-05-20", "党课", "")]
    assert not got[WANGWU].on_roster and got[ZHAOLIU].on_roster and got[ZHAOLIU].role == "预备党员"


def test_a_quarters_attendance_counts_only_its_meetings(year):
    lines, meetings = attendance_lines(
        year.store.members(year.branch_id), finals(year, parse_period(2026, 1))
    )
    got = {line.name: (line.present, line.expected) for line in lines}
    assert meetings == 4
    assert got[SECRETARY] == (4, 4) and got[COMMITTEE] == (3, 4) and got[KAZAKH] == (0, 1)
    assert got[WANGWU] == (1, 1)


def test_the_attendance_page_shows_figures_reasons_and_how_it_was_counted(year, tmp_path):
    paper = branch_book(
        year.store,
        year.catalog,
        year.branch_id,
        parse_period(2026),
        record_page=stand_in_page(tmp_path),
        made_on=MADE_ON,
    )
    page = paper.html[paper.html.index('<a name="book-attendance">') :].replace(ZERO_WIDTH_SPACE, "")
    table = rows(page)
    assert table[0] == ["姓名", "身份", "实到/应到", "出勤率", "缺席原因、日期及会议"]
    assert [COMMITTEE, "委员", "7 / 8", "88%", "病假：02-10 支部委员会"] in table
    assert [KAZAKH, "党员", "4 / 5", "80%", "请假（外出务工）：03-31 支部党员大会"] in table
    assert [LISI, "党员", "4 / 5", "80%", f"病假{MARKUP}：07-01 主题党日"] in table
    assert [f"{WANGWU}\n（不在现名册）", "—", "1 / 2", "50%", "未写原因：05-20 党课"] in table
    assert [ZHAOLIU, "预备党员", "—", "—", "本期无出勤记录"] in table
    note = page[: page.index("<table")]
    assert "共 9 次" in note and "不在现名册" in note and "应到" in note and "名册" in note


def test_a_person_listed_both_present_and_absent_counts_once_as_present(year):
    form = year.catalog.get("sanhui-yike")
    typed = SimpleNamespace(
        occurred_on="2026-03-01",
        data={
            "meeting_type": "支部委员会",
            "attendees": [SECRETARY, " 欧阳晓明 ", SECRETARY],
            "absences": [{"name": COMMITTEE, "reason": "病假"}, "李四", {"name": "", "reason": "空"}],
        },
    )
    lines, meetings = attendance_lines([], [(typed, form)])
    assert meetings == 1
    got = {line.name: (line.present, line.expected, [a.reason for a in line.absences]) for line in lines}
    assert got == {SECRETARY: (1, 1, []), COMMITTEE: (1, 1, []), LISI: (0, 1, [""])}
    empty = SimpleNamespace(
        occurred_on="2026-03-02", data={"meeting_type": "党课", "attendees": [], "absences": []}
    )
    assert attendance_lines([], [(empty, form)]) == ([], 0)  # no attendance taken: not a meeting counted


def test_many_absences_read_as_one_line_per_reason(year, tmp_path):
    records = Records(year.store, year.catalog)
    came = [SECRETARY, COMMITTEE, UYGHUR, KAZAKH]
    for day, reason in (("2026-08-10", "外出务工"), ("2026-09-10", "病假"), ("2026-10-10", "外出务工")):
        records.new(
            "sanhui-yike",
            year.branch_id,
            meeting("支部委员会", f"{day}T09:00", came, [(LISI, reason)]),
            "录入员",
            final=True,
        )
    paper = branch_book(
        year.store,
        year.catalog,
        year.branch_id,
        parse_period(2026),
        record_page=stand_in_page(tmp_path),
        made_on=MADE_ON,
    )
    table = rows(paper.html[paper.html.index('<a name="book-attendance">') :].replace(ZERO_WIDTH_SPACE, ""))
    lisi = next(row for row in table if row[0] == LISI)
    assert lisi[2:] == [
        "4 / 8",
        "50%",
        "\n".join(
            [
                f"病假{MARKUP}：07-01 主题党日",
                "外出务工（2 次）：08-10 支部委员会、10-10 支部委员会",
                "病假：09-10 支部委员会",
            ]
        ),
    ]
