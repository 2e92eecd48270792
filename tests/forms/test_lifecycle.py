"""Record steps with validation (forms/lifecycle.py) over a real store, engine and catalog."""

from __future__ import annotations

import datetime as dt

import pytest

from forms.catalog import Catalog
from forms.lifecycle import RecordInvalid, Records
from forms.store import NotAllowed, Store
from forms.store import times as store_times

MEETING_V1 = """\
id: meeting
version: 1
title: 会议
fields:
  - key: meeting_type
    label: 会议类型
    type: select_one
    choices: [支部委员会, 党课]
    required: true
  - key: held_at
    label: 召开时间
    type: datetime
    required: true
    default: now
  - key: place
    label: 地点
    type: text
    default: last
  - key: attendees
    label: 实到人员
    type: members
    default: all_members
  - key: attend_count
    label: 实到人数
    type: integer
    calculate: attendees | length
checks:
  - rule: attend_count * 2 > roster_count
    message: 实到人数未过半
    level: warning
"""
# v2 adds a required topic.
MEETING_V2 = MEETING_V1.replace("version: 1", "version: 2").replace(
    "fields:\n",
    """fields:
  - key: topic
    label: 议题
    type: text
    required: true
""",
    1,
)
NOW = dt.datetime(2026, 11, 5, 14, 30, 15, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def catalog_with(tmp_path, name, *sources) -> Catalog:
    folder = tmp_path / name
    folder.mkdir()
    for n, text in enumerate(sources):
        (folder / f"form{n}.yaml").write_text(text, encoding="utf-8")
    catalog = Catalog(library_dir=folder)
    assert not catalog.problems, catalog.problems
    return catalog


@pytest.fixture
def setup(tmp_path, monkeypatch):
    monkeypatch.setattr(store_times, "clock", lambda: NOW)
    store = Store.open(tmp_path / "data")
    branch = store.add_branch("第一党支部")
    for name, role in (("张三", "书记"), ("李四", "党员"), ("王五", "党员"), ("赵六", "预备党员")):
        store.add_member(branch.id, name, role=role)
    records = Records(store, catalog_with(tmp_path, "lib1", MEETING_V1))
    yield records, store, branch
    store.close()


def test_new_draft_starts_from_defaults(setup):
    records, store, branch = setup
    record, outcome = records.new("meeting", branch.id, {"meeting_type": "党课"}, "王会计")
    assert record.status == "draft" and record.form_version == 1
    assert record.data["held_at"] == "2026-11-05T14:30"
    assert record.data["attendees"] == ["张三", "李四", "王五", "赵六"]
    assert record.occurred_on == "2026-11-05"
    assert "党课" in record.summary
    assert outcome.ok
    assert store.stored_form_source("meeting", 1) == MEETING_V1


def test_final_with_errors_saves_nothing(setup):
    records, store, branch = setup
    with pytest.raises(RecordInvalid) as info:
        records.new("meeting", branch.id, {"meeting_type": "年会"}, "王会计", final=True)
    assert info.value.messages and all(m.level == "error" for m in info.value.messages)
    assert "meeting_type" in str(info.value) and "错误" in str(info.value)
    assert store.count_records() == 0 and store.audit() == []


def test_draft_with_errors_saves_and_finalize_is_blocked_until_fixed(setup):
    records, store, branch = setup
    record, outcome = records.new("meeting", branch.id, {"meeting_type": ""}, "王会计")
    assert not outcome.ok and store.record(record.uuid).status == "draft"
    with pytest.raises(RecordInvalid):
        records.finalize(record.uuid, "王会计")
    assert store.record(record.uuid).status == "draft"
    values = dict(store.record(record.uuid).data, meeting_type="支部委员会", attendees=["张三"])
    outcome = records.save_draft(record.uuid, values, "王会计")
    assert outcome.ok and [m.text for m in outcome.warnings] == ["实到人数未过半"]
    final, outcome = records.finalize(record.uuid, "王会计")  # a warning does not block
    assert final.status == "final" and final.revision == 1
    assert final.data["attend_count"] == 1  # engine's clean values kept
    assert outcome.warnings


def test_correct_and_void_and_delete(setup):
    records, store, branch = setup
    record, _ = records.new(
        "meeting", branch.id, {"meeting_type": "支部委员会", "place": "村委会"}, "王会计", final=True
    )
    assert record.status == "final"
    with pytest.raises(RecordInvalid):
        records.correct(record.uuid, dict(record.data, meeting_type="年会"), "李书记")
    corrected, _ = records.correct(
        record.uuid, dict(record.data, place="党群服务中心"), "李书记", note="地点写错"
    )
    assert corrected.revision == 2 and [h.note for h in store.history(record.uuid)] == ["", "地点写错"]
    # `last` default comes from this branch's newest final record
    again, _ = records.new("meeting", branch.id, {"meeting_type": "党课"}, "王会计")
    assert again.data["place"] == "党群服务中心"
    records.delete_draft(again.uuid, "王会计")
    with pytest.raises(NotAllowed):
        records.delete_draft(record.uuid, "王会计")
    voided = records.void(record.uuid, "重复录入", "李书记")
    assert voided.status == "void"
    assert [e.action for e in store.audit(record.uuid)] == ["created", "finalized", "corrected", "voided"]


def test_old_version_records_validate_against_their_own_definition(setup, tmp_path):
    records, store, branch = setup
    old, _ = records.new("meeting", branch.id, {"meeting_type": "党课"}, "王会计")
    # The app is upgraded: the catalog now only knows v2, which requires a topic.
    newer = Records(store, catalog_with(tmp_path, "lib2", MEETING_V2))
    final, _ = newer.finalize(old.uuid, "王会计")
    assert (final.status, final.form_version) == ("final", 1)
    with pytest.raises(RecordInvalid) as info:
        newer.new("meeting", branch.id, {"meeting_type": "党课"}, "王会计", final=True)
    assert any(m.field == "topic" for m in info.value.messages)
    made, _ = newer.new("meeting", branch.id, {"meeting_type": "党课", "topic": "党章"}, "王会计", final=True)
    assert made.form_version == 2


def test_context_has_roster_clock_and_last_values(setup):
    records, store, branch = setup
    form = records.form("meeting")
    context = records.context(branch.id, form)
    assert [m.name for m in context.roster] == ["张三", "李四", "王五", "赵六"]
    assert context.today == dt.date(2026, 11, 5) and context.now.tzinfo is None
    assert context.last == {}


def test_finalize_revalidates_whatever_changed_since_the_draft_was_checked(setup):
    records, store, branch = setup
    record, outcome = records.new("meeting", branch.id, {"meeting_type": "党课"}, "王会计")
    assert outcome.ok
    outcome.values["meeting_type"] = "changed by the caller"  # must not leak into finalize
    # the draft is changed behind this Records' back (e.g. another window): checked afresh
    store.save_draft(record.uuid, dict(record.data, meeting_type="年会"), "别人")
    with pytest.raises(RecordInvalid):
        records.finalize(record.uuid, "王会计")
    records.save_draft(record.uuid, dict(record.data, meeting_type="党课"), "王会计")
    # the roster changed since the draft was checked: the members check must see it
    store.remove_member(store.members(branch.id)[1].id)
    with pytest.raises(RecordInvalid) as info:
        records.finalize(record.uuid, "王会计")
    assert any(m.field.startswith("attendees") for m in info.value.messages)
    other, _ = records.new("meeting", branch.id, {"meeting_type": "党课"}, "王会计")
    final, outcome = records.finalize(other.uuid, "王会计")
    assert final.data["meeting_type"] == "党课" and outcome.ok
