"""A branch's year of records, entered through the real lifecycle into a real SQLite store, for the
台账 tests; and a stand-in for the 记录本 page that shows which record it was given."""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from pathlib import Path

from forms.catalog import Catalog
from forms.lifecycle import Records
from forms.paper import Paper
from forms.store import Store
from forms.store import times as store_times

NOW = dt.datetime(2027, 1, 10, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
OPERATOR = "录入员"
SECRETARY, COMMITTEE = "张三", "欧阳晓明"
UYGHUR, KAZAKH = "阿卜杜热合曼·艾买提江", "古丽米拉·阿不都克力木"
LISI, WANGWU, ZHAOLIU = "李四", "王五", "赵六"
EVERYONE = [SECRETARY, COMMITTEE, UYGHUR, KAZAKH, LISI]
MARKUP = "<script>alert(1)</script>&<b>"


@dataclass
class Year:
    """The store, catalog and what was entered: `uuids` by name, in the order entered."""

    store: Store
    catalog: Catalog
    branch_id: int
    other_branch_id: int
    uuids: dict[str, str] = field(default_factory=dict)


def meeting(kind: str, when: str, came: list[str], absent=(), title: str = "", **more) -> dict:
    """A 三会一课 record's values."""
    values = {
        "meeting_type": kind,
        "title": title or f"{when[:10]} {kind}",
        "held_at": when,
        "place": "村党群服务中心",
        "host": SECRETARY,
        "expected_count": len(came) + len(absent),
        "attendees": list(came),
        "absences": [{"name": n, "reason": r} for n, r in absent],
        "content": f"{kind}的记录。",
    }
    if kind == "党课":
        values.update(lecturer=SECRETARY, course_title="学习党章")
    else:
        values["topics"] = "议题一"
    values.update(more)
    return values


def gathering(when: str, came: list[str], absent=(), **more) -> dict:
    """A 主题党日 or 组织生活会 record's values (both take these keys)."""
    values = {
        "held_at": when,
        "theme": f"{when[:10]} 活动",
        "host": SECRETARY,
        "expected_count": len(came) + len(absent),
        "attendees": list(came),
        "absences": [{"name": n, "reason": r} for n, r in absent],
        "content": "活动过程。",
        "activity_types": ["学习"],
        "branch_report": "对照检查。",
        "criticism": "批评和自我批评。",
    }
    values.update(more)
    return values


def make_year(tmp_path: Path, monkeypatch) -> Year:
    """第一党支部's 2026, with a draft, two voided records, another branch and the years around.
    Eleven final records in 2026; a household visit names people but takes no attendance.

    Attendance (9 meetings took it): 张三 8/8, 欧阳晓明 7/8 (病假 02-10), 阿卜杜热合曼 4/4,
    古丽米拉 4/5 (请假 03-31), 李四 4/5 (07-01, a reason with markup), 王五 1/2 (05-20, no reason;
    left the roster afterwards), 赵六 joined afterwards (no meetings).
    """
    monkeypatch.setattr(store_times, "clock", lambda: NOW)
    store = Store.open(tmp_path / "data")
    catalog = Catalog()
    records = Records(store, catalog)
    branch = store.add_branch("第一党支部")
    other = store.add_branch("第二党支部")
    wangwu = None
    for name, role in (
        (SECRETARY, "书记"),
        (COMMITTEE, "委员"),
        (UYGHUR, "党员"),
        (KAZAKH, "党员"),
        (LISI, "党员"),
        (WANGWU, "党员"),
    ):
        member = store.add_member(branch.id, name, role=role)
        if name == WANGWU:
            wangwu = member
    for name in (SECRETARY, "钱七"):
        store.add_member(other.id, name, role="书记" if name == SECRETARY else "党员")
    year = Year(store, catalog, branch.id, other.id)

    def final(name: str, form_id: str, values: dict, branch_id: int = branch.id) -> str:
        record, _ = records.new(form_id, branch_id, values, OPERATOR, final=True)
        year.uuids[name] = record.uuid
        return record.uuid

    both = [SECRETARY, COMMITTEE]
    final("last-year", "sanhui-yike", meeting("支部委员会", "2025-12-31T09:00", both, title="去年的会"))
    final("jan", "sanhui-yike", meeting("支部委员会", "2026-01-08T09:00", both, title=f"一月支委会{MARKUP}"))
    final("feb", "sanhui-yike", meeting("支部委员会", "2026-02-10T09:00", [SECRETARY], [(COMMITTEE, "病假")]))
    # Two meetings on 03-31: the afternoon one is entered first, the book still puts it second.
    final(
        "assembly",
        "sanhui-yike",
        meeting(
            "支部党员大会",
            "2026-03-31T15:00",
            [SECRETARY, COMMITTEE, UYGHUR, LISI, WANGWU],
            [(KAZAKH, "请假（外出务工）")],
        ),
    )
    final("mar", "sanhui-yike", meeting("支部委员会", "2026-03-31T09:00", both))
    final("apr", "sanhui-yike", meeting("支部委员会", "2026-04-01T09:00", both))
    final(
        "lecture",
        "sanhui-yike",
        meeting("党课", "2026-05-20T09:00", [SECRETARY, COMMITTEE, UYGHUR, KAZAKH, LISI], [(WANGWU, "")]),
    )
    final(
        "group",
        "sanhui-yike",
        meeting("党小组会", "2026-06-15T09:00", [LISI, KAZAKH], party_group="第一党小组"),
    )
    final(
        "voided", "sanhui-yike", meeting("支部委员会", "2026-06-10T09:00", [SECRETARY], [(COMMITTEE, "事假")])
    )
    records.void(year.uuids["voided"], f"日期录错，已重新录入{MARKUP}", OPERATOR)
    draft, _ = records.new(
        "sanhui-yike", branch.id, meeting("支部委员会", "2026-05-05T09:00", both, title="草稿会议"), OPERATOR
    )
    year.uuids["draft"] = draft.uuid
    thrown = records.new("sanhui-yike", branch.id, meeting("支部委员会", "2026-05-06T09:00", both), OPERATOR)[
        0
    ]
    records.void(thrown.uuid, "草稿不要了", OPERATOR)
    year.uuids["voided-draft"] = thrown.uuid
    final(
        "theme-day",
        "zhuti-dangri",
        gathering("2026-07-01T09:00", [SECRETARY, COMMITTEE, UYGHUR, KAZAKH], [(LISI, f"病假{MARKUP}")]),
    )
    final("life", "zuzhi-shenghuohui", gathering("2026-12-20T09:00", EVERYONE))
    final(
        "fee",
        "dangfei",
        {
            "paid_on": "2026-08-05",
            "member": LISI,
            "paid_month": "2026-08",
            "amount": 10,
            "method": "现金",
            "by_proxy": "否",
        },
    )
    final(
        "visit",
        "ruhu-zoufang",
        {
            "household_head": "孙大娘",
            "visited_at": "2026-09-09T10:00",
            "visitors": [SECRETARY, LISI],
            "visit_type": "日常走访",
        },
    )
    final(
        "other-branch",
        "sanhui-yike",
        meeting("支部委员会", "2026-02-02T09:00", [SECRETARY], title="第二支部的会"),
        other.id,
    )
    final("next-year", "sanhui-yike", meeting("支部委员会", "2027-01-05T09:00", both, title="明年的会"))
    store.remove_member(wangwu.id)
    store.add_member(branch.id, ZHAOLIU, role="预备党员")
    return year


def stand_in_page(folder: Path):
    """A record_page stand-in: a whole HTML page naming the record, with a style and a photo
    whose src is the same name for every record (as a real layout may well do)."""

    def record_page(store, catalog, record) -> Paper:
        photo = folder / f"{record.uuid}.jpg"
        return Paper(
            html=(
                "<!DOCTYPE html><html><head><style>p.rec { font-size: 12pt; }</style></head>"
                f'<body style="font-size: 11pt"><p class="rec">RECORD-PAGE {record.uuid} '
                f"{html.escape(str(record.data.get('title', '')))}</p>"
                '<img src="photo-1.jpg" width="120"/></body></html>'
            ),
            title="stand-in",
            running_head="stand-in",
            images={"photo-1.jpg": photo},
        )

    return record_page
