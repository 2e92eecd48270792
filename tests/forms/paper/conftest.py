"""A real store with a branch of long names, the built-in catalog and the record steps, for the
paper tests; and full records of every built-in form."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest

from forms.catalog import Catalog
from forms.lifecycle import Records
from forms.store import Store
from forms.store import times as store_times

NOW = dt.datetime(2026, 11, 5, 21, 30, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
ROSTER = [
    ("王建国", "书记"),
    ("李秀英", "副书记"),
    ("欧阳晓明", "委员"),
    ("司马春花", "党员"),
    ("上官婉儿", "党员"),
    ("诸葛明亮", "预备党员"),
    ("阿卜杜热合曼·艾买提江", "党员"),
    ("买买提依明·阿不都热西提", "党员"),
    ("古丽米拉·阿不都克力木", "党员"),
    ("热依汗古丽·买买提明", "委员"),
]
LONG_TEXT = "与会同志结合本村实际，围绕冬季防火和发展党员工作逐一发表意见，" * 30


@dataclass
class Setup:
    store: Store
    catalog: Catalog
    records: Records
    branch: object
    tmp: Path

    def attach(self, uuid: str, name: str, content: bytes) -> dict:
        """Attach a file to a record; the item a photos/files value holds for it."""
        attachment = self.store.add_attachment(uuid, content, name)
        return {"sha256": attachment.sha256, "name": attachment.name}


@pytest.fixture
def clock(monkeypatch):
    """The store's clock, settable: `clock.now = ...`."""

    class Clock:
        now = NOW

    monkeypatch.setattr(store_times, "clock", lambda: Clock.now)
    return Clock


@pytest.fixture
def setup(tmp_path, clock):
    store = Store.open(tmp_path / "data")
    branch = store.add_branch("红星村党支部", secretary="王建国")
    for name, role in ROSTER:
        store.add_member(branch.id, name, role=role)
    catalog = Catalog(tmp_path / "data")
    yield Setup(store, catalog, Records(store, catalog), branch, tmp_path)
    store.close()


def full_meeting(**changes) -> dict:
    """A 三会一课 支部委员会 record with every field filled, long names and long text."""
    data = {
        "meeting_type": "支部委员会",
        "title": "2026年11月支部委员会（研究冬季防火和发展党员工作）",
        "held_at": "2026-11-05T19:00",
        "ended_at": "21:10",
        "planned_date": "2026-11-03",
        "place": "红星村党群服务中心二楼会议室",
        "host": "王建国",
        "recorder": "热依汗古丽·买买提明",
        "topics": "1. 传达学习上级会议精神\n2、研究冬季防火检查安排\n（3）讨论发展党员工作",
        "expected_count": 4,
        "attendees": ["王建国", "欧阳晓明", "热依汗古丽·买买提明"],
        "absences": [{"name": "李秀英", "reason": "外出务工（在浙江宁波）"}],
        "invited": "张某某（镇党委组织委员）、阿卜杜热合曼·艾买提江（村民代表）",
        "content": "王建国同志主持会议并传达上级会议精神。\n" + LONG_TEXT + "\n会议一致同意上述安排。",
        "dissent": "欧阳晓明同志认为防火检查应提前到十月底，并说明了理由。",
        "vote": "举手表决：同意 3 票，反对 0 票，弃权 0 票。",
        "decisions": "一、成立冬季防火检查小组，王建国任组长。\n二、11月30日前完成全村检查。",
    }
    data.update(changes)
    return data
