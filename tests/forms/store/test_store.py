"""The store on real SQLite files: records lifecycle, audit, filters, attachments, errors."""

from __future__ import annotations

import datetime as dt
import random
import re

import pytest

from forms.model import Field, Form
from forms.store import (
    ROLES,
    DatabaseRefused,
    NotAllowed,
    NotFound,
    Store,
    StoreCorrupt,
    StoreError,
    StoreFull,
    StoreLocked,
)
from forms.store import search as store_search
from forms.store import times as store_times
from forms.store.cipher import sqlite3
from tests.helpers import open_database

FORM = Form(
    id="sanhui-yike",
    version=1,
    title="三会一课",
    fields=(Field("meeting_type", "select_one", "会议类型"), Field("held_on", "date", "日期")),
    source="id: sanhui-yike\nversion: 1\n",
)
VISIT = Form(id="ruhu-zoufang", version=1, title="入户走访", fields=(), source="id: ruhu-zoufang\n")


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "data") as s:
        yield s


@pytest.fixture
def branch(store):
    return store.add_branch("第一党支部", code="001", secretary="张书记")


def draft(store, branch, data=None, **kw):
    data = data if data is not None else {"meeting_type": "支部委员会", "held_on": "2026-11-05"}
    kw.setdefault("occurred_on", data.get("held_on"))
    kw.setdefault("summary", f"{data.get('meeting_type', '')} · {data.get('held_on', '')}")
    return store.create_record(FORM, branch.id, data, "王会计", **kw)


# ---------------------------------------------------------------------------- opening


def test_open_creates_folder_and_sets_pragmas(tmp_path):
    with Store.open(tmp_path / "new" / "folder") as s:
        assert (tmp_path / "new" / "folder" / "yici.db").is_file()

        def pragma(name):
            return s.db.execute(f"PRAGMA {name}").fetchone()[0]

        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 2  # FULL
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") == 5000
    assert not (tmp_path / "new" / "folder" / "backups").exists()  # nothing to back up


def test_timestamps_are_local_iso_with_offset_from_one_clock(store, branch, monkeypatch):
    fixed = dt.datetime(2026, 11, 5, 14, 3, 22, 123456, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    monkeypatch.setattr(store_times, "clock", lambda: fixed)
    record = draft(store, branch)
    assert record.created_at == "2026-11-05T14:03:22+08:00"
    assert store.audit(record.uuid)[0].at == "2026-11-05T14:03:22+08:00"


def test_real_timestamps_have_seconds_and_offset(store, branch):
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", draft(store, branch).created_at)


# ---------------------------------------------------------------------------- settings


def test_settings_hold_json_values(store):
    assert store.get_setting("operator", "默认") == "默认"
    store.set_setting("operator", "李四")
    store.set_setting("targets", {"省平台": [1, 2], "ok": True})
    store.set_setting("operator", "王五")
    assert store.get_setting("operator") == "王五"
    assert store.get_setting("targets") == {"省平台": [1, 2], "ok": True}


# ---------------------------------------------------------------------------- branches, members


def test_branches_unique_names_find_and_update(store, branch):
    with pytest.raises(NotAllowed, match="已经有名为"):
        store.add_branch("第一党支部")
    second = store.add_branch("第二党支部", code="002")
    assert [b.name for b in store.branches()] == ["第一党支部", "第二党支部"]
    assert store.find_branch("第二党支部").id == second.id
    assert store.find_branch("001").id == branch.id
    assert store.find_branch(str(second.id)).id == second.id
    assert store.find_branch("不存在") is None
    updated = store.update_branch(second.id, secretary="刘", cadence={"sanhui-yike": "quarter"})
    assert updated.cadence == {"sanhui-yike": "quarter"}
    assert store.branch(second.id).secretary == "刘"
    with pytest.raises(NotAllowed):
        store.update_branch(second.id, name="第一党支部")
    with pytest.raises(NotFound, match="找不到"):
        store.branch(999)


def test_roster_order_soft_removal_and_roles(store, branch):
    a = store.add_member(branch.id, "张三", role="书记", phone="13800138000")
    b = store.add_member(branch.id, "李四")
    c = store.add_member(branch.id, "王五", role="预备党员")
    assert [m.name for m in store.members(branch.id)] == ["张三", "李四", "王五"]
    assert b.role == "党员" and "预备党员" in ROLES
    store.update_member(c.id, position=0)
    assert [m.name for m in store.members(branch.id)] == ["王五", "张三", "李四"]
    store.remove_member(a.id)
    assert [m.name for m in store.members(branch.id)] == ["王五", "李四"]
    # soft removal: the row is still there for old records
    assert store.db.execute("SELECT removed_at FROM members WHERE id = ?", [a.id]).fetchone()[0]
    with pytest.raises(NotAllowed, match="身份"):
        store.add_member(branch.id, "赵六", role="群众")
    with pytest.raises(NotAllowed, match="已经有"):
        store.add_member(branch.id, "李四")
    with pytest.raises(NotFound):
        store.add_member(999, "赵六")


def test_import_members_is_all_or_nothing_and_updates_by_name(store, branch):
    store.add_member(branch.id, "张三")
    with pytest.raises(NotAllowed, match="第 2 行"):
        store.import_members(branch.id, [{"name": "李四"}, {"name": ""}])
    assert [m.name for m in store.members(branch.id)] == ["张三"]
    result = store.import_members(
        branch.id, [{"name": "李四", "phone": "13900139000"}, {"name": "张三", "role": "书记"}]
    )
    assert [(m.name, m.role) for m in result] == [("李四", "党员"), ("张三", "书记")]
    assert [(m.name, m.role) for m in store.members(branch.id)] == [("张三", "书记"), ("李四", "党员")]


# ---------------------------------------------------------------------------- record lifecycle


def test_draft_finalize_correct_void_keeps_history_and_audit(store, branch):
    record = draft(store, branch)
    assert (record.status, record.revision) == ("draft", 0)
    store.save_draft(
        record.uuid,
        {"meeting_type": "党课", "held_on": "2026-11-06"},
        "王会计",
        occurred_on="2026-11-06",
        summary="党课",
    )
    final = store.finalize(record.uuid, "王会计")
    assert (final.status, final.revision, final.data["meeting_type"]) == ("final", 1, "党课")
    assert final.finalized_at
    corrected = store.correct(
        record.uuid,
        {"meeting_type": "党课", "held_on": "2026-11-07"},
        "李书记",
        note="日期写错了",
        occurred_on="2026-11-07",
    )
    assert corrected.revision == 2 and corrected.occurred_on == "2026-11-07"
    history = store.history(record.uuid)
    assert [(h.revision, h.data["held_on"], h.note) for h in history] == [
        (1, "2026-11-06", ""),
        (2, "2026-11-07", "日期写错了"),
    ]
    with pytest.raises(NotAllowed, match="原因"):
        store.void(record.uuid, "  ", "李书记")
    voided = store.void(record.uuid, "重复录入", "李书记")
    assert (voided.status, voided.void_reason) == ("void", "重复录入")
    again = store.record(record.uuid)
    assert again.status == "void" and again.void_at and again.revision == 2
    entries = store.audit(record.uuid)
    assert [(e.action, e.revision) for e in entries] == [
        ("created", 0),
        ("edited", 0),
        ("finalized", 1),
        ("corrected", 2),
        ("voided", 2),
    ]
    assert entries[3].operator == "李书记" and entries[3].detail["note"] == "日期写错了"
    assert entries[4].detail["reason"] == "重复录入"


def test_steps_not_allowed_for_the_status(store, branch):
    record = draft(store, branch)
    with pytest.raises(NotAllowed, match="草稿不需要更正"):
        store.correct(record.uuid, {"x": 1}, "王")
    store.finalize(record.uuid, "王")
    with pytest.raises(NotAllowed, match="已经定稿"):
        store.finalize(record.uuid, "王")
    with pytest.raises(NotAllowed, match="更正"):
        store.save_draft(record.uuid, {}, "王")
    with pytest.raises(NotAllowed, match="没有需要保存的改动"):
        store.correct(record.uuid, dict(store.record(record.uuid).data), "王")
    with pytest.raises(NotAllowed, match="操作人"):
        store.void(record.uuid, "错了", "")
    store.void(record.uuid, "错了", "王")
    for step in (
        lambda: store.finalize(record.uuid, "王"),
        lambda: store.correct(record.uuid, {"a": 1}, "王"),
        lambda: store.void(record.uuid, "再作废", "王"),
    ):
        with pytest.raises(NotAllowed):
            step()


def test_final_records_are_never_deleted_drafts_are_with_audit_kept(store, branch):
    final = draft(store, branch, status="final")
    with pytest.raises(NotAllowed, match="不能删除"):
        store.delete_draft(final.uuid, "王")
    store.void(final.uuid, "作废", "王")
    with pytest.raises(NotAllowed):
        store.delete_draft(final.uuid, "王")
    assert store.record(final.uuid).status == "void"

    doomed = draft(store, branch, {"meeting_type": "党课", "held_on": "2026-11-01"})
    store.add_attachment(doomed.uuid, b"photo", "a.jpg")
    store.delete_draft(doomed.uuid, "王")
    with pytest.raises(NotFound):
        store.record(doomed.uuid)
    last = store.audit(doomed.uuid)[-1]
    assert last.action == "deleted" and last.detail["data"]["meeting_type"] == "党课"


def test_create_final_in_one_step(store, branch):
    record = draft(store, branch, status="final")
    assert (record.status, record.revision) == ("final", 1)
    assert [e.action for e in store.audit(record.uuid)] == ["created", "finalized"]
    assert [h.revision for h in store.history(record.uuid)] == [1]
    assert store.stored_form_source("sanhui-yike", 1) == FORM.source
    with pytest.raises(NotAllowed):
        draft(store, branch, status="void")


def test_audit_is_append_only(store, branch):
    draft(store, branch)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.db.execute("UPDATE audit SET operator = 'someone else'")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.db.execute("DELETE FROM audit")
    raw = open_database(store.path)
    with pytest.raises(sqlite3.DatabaseError):
        raw.execute("DELETE FROM audit")
    raw.close()
    assert len(store.audit()) == 1


def test_draft_edits_share_one_audit_line_while_typing(store, branch, monkeypatch):
    start = dt.datetime(2026, 11, 5, 9, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    now = [start]
    monkeypatch.setattr(store_times, "clock", lambda: now[0])
    record = draft(store, branch)
    for seconds in (5, 10, 20):
        now[0] = start + dt.timedelta(seconds=seconds)
        store.save_draft(record.uuid, {"n": seconds}, "王")
    now[0] = start + dt.timedelta(minutes=11)
    store.save_draft(record.uuid, {"n": 9}, "王")
    store.save_draft(record.uuid, {"n": 10}, "李")  # someone else
    actions = [(e.action, e.operator) for e in store.audit(record.uuid)]
    assert actions == [("created", "王会计"), ("edited", "王"), ("edited", "王"), ("edited", "李")]
    assert store.record(record.uuid).data == {"n": 10}


# ---------------------------------------------------------------------------- hooks


def test_final_hooks_run_inside_the_transaction(store, branch):
    seen = []

    def hook(db, record):
        status = db.execute("SELECT status FROM records WHERE uuid = ?", [record.uuid]).fetchone()[0]
        seen.append((record.uuid, record.revision, status))
        store.add_audit("queued", "系统", record_uuid=record.uuid, revision=record.revision)

    store.on_final_hooks.append(hook)
    record = draft(store, branch)
    store.finalize(record.uuid, "王")
    store.correct(record.uuid, {"x": 1}, "王")
    direct = draft(store, branch, status="final")
    assert seen == [(record.uuid, 1, "final"), (record.uuid, 2, "final"), (direct.uuid, 1, "final")]
    assert [e.action for e in store.audit(record.uuid)] == [
        "created",
        "finalized",
        "queued",
        "corrected",
        "queued",
    ]


def test_a_failing_hook_rolls_the_step_back(store, branch):
    record = draft(store, branch)

    def broken(db, record):
        raise RuntimeError("queue unavailable")

    store.on_final_hooks.append(broken)
    with pytest.raises(RuntimeError):
        store.finalize(record.uuid, "王")
    assert store.record(record.uuid).status == "draft"
    assert store.history(record.uuid) == []
    assert [e.action for e in store.audit(record.uuid)] == ["created"]
    with pytest.raises(RuntimeError):
        draft(store, branch, status="final")
    assert store.count_records() == 1


def test_void_hooks_run_inside_the_transaction(store, branch):
    seen = []
    store.on_void_hooks.append(lambda db, record: seen.append((record.uuid, record.status)))
    record = draft(store, branch, status="final")
    store.void(record.uuid, "重复", "王")
    assert seen == [(record.uuid, "void")]


# ---------------------------------------------------------------------------- reading


def test_record_by_unique_prefix(store, branch):
    record = draft(store, branch)
    assert store.record(record.uuid[:8].upper()).uuid == record.uuid
    with pytest.raises(NotFound):
        store.record(record.uuid[:7])
    with pytest.raises(NotFound, match="找不到"):
        store.record("00000000-dead")


def test_ambiguous_prefix_says_so(store, branch):
    a, b = draft(store, branch), draft(store, branch)
    store.db.execute("UPDATE records SET uuid = 'abcdef01-1' WHERE uuid = ?", [a.uuid])
    store.db.execute("UPDATE records SET uuid = 'abcdef01-2' WHERE uuid = ?", [b.uuid])
    with pytest.raises(NotFound, match="多输入几位"):
        store.record("abcdef01")


@pytest.fixture
def filled(store, branch):
    other = store.add_branch("第二党支部")
    rows = [
        (
            branch,
            FORM,
            {"meeting_type": "支部委员会", "held_on": "2026-10-08", "topic": "学习二十大精神"},
            "final",
        ),
        (branch, FORM, {"meeting_type": "党课", "held_on": "2026-11-03", "lecturer": "张三"}, "final"),
        (branch, VISIT, {"household": "李大爷", "held_on": "2026-11-04", "found": "屋顶漏水"}, "draft"),
        (
            other,
            FORM,
            {"meeting_type": "支部党员大会", "held_on": "2026-11-10", "topic": "Budget review"},
            "final",
        ),
        (other, VISIT, {"household": "王奶奶", "held_on": "2026-09-30"}, "draft"),
    ]
    made = []
    for b, form, data, status in rows:
        made.append(
            store.create_record(
                form,
                b.id,
                data,
                "王",
                occurred_on=data["held_on"],
                summary=data.get("meeting_type") or data["household"],
                status=status,
            )
        )
    return branch, other, made


def test_filters_newest_first_and_consistent_counts(store, filled, monkeypatch):
    branch, other, made = filled

    def days(records):
        return [r.occurred_on for r in records]

    assert days(store.records()) == ["2026-11-10", "2026-11-04", "2026-11-03", "2026-10-08", "2026-09-30"]
    cases = [
        (dict(branch_id=branch.id), ["2026-11-04", "2026-11-03", "2026-10-08"]),
        (dict(form_id="ruhu-zoufang"), ["2026-11-04", "2026-09-30"]),
        (dict(status="draft"), ["2026-11-04", "2026-09-30"]),
        (dict(month="2026-11"), ["2026-11-10", "2026-11-04", "2026-11-03"]),
        (dict(month="2026-11", form_id="sanhui-yike", branch_id=branch.id), ["2026-11-03"]),
        (dict(text="二十大"), ["2026-10-08"]),  # trigram FTS, Chinese
        (dict(text="漏水"), ["2026-11-04"]),  # 2 characters: LIKE fallback
        (dict(text="张"), ["2026-11-03"]),  # 1 character
        (dict(text="张", status="final"), ["2026-11-03"]),
        (dict(text="漏水 李大爷", branch_id=branch.id), ["2026-11-04"]),
        (dict(text="budget"), ["2026-11-10"]),  # case-insensitive
        (dict(text="支部 大会"), ["2026-11-10"]),  # every term must match
        (dict(text="100%"), []),  # LIKE wildcards are literal
        (dict(text='"引号"'), []),
    ]
    for filters, expected in cases:
        assert days(store.records(**filters)) == expected, filters
        assert store.count_records(**filters) == len(expected), filters
        assert store.record_uuids(**filters) == [r.uuid for r in store.records(**filters)], filters
    assert days(store.records(limit=2, offset=1)) == ["2026-11-04", "2026-11-03"]
    # pages (with a limit) take other query plans, by how many rows match: same answers
    for many in (2000, 0):
        monkeypatch.setattr(store_search, "_MANY_MATCHES", many)
        assert days(store.records(text="漏水", limit=10)) == ["2026-11-04"]
        assert days(store.records(text="二十大精神", limit=10)) == ["2026-10-08"]
        assert days(store.records(text="支部委员会", limit=10)) == ["2026-10-08"]
        assert days(store.records(text="会", limit=2)) == ["2026-11-10", "2026-10-08"]
    with pytest.raises(NotAllowed, match="YYYY-MM"):
        store.records(month="2026-13")
    with pytest.raises(NotAllowed):
        store.records(status="archived")


def test_search_follows_edits_and_deletes(store, filled):
    _branch, _other, made = filled
    visit = made[2]
    store.save_draft(
        visit.uuid,
        {"household": "李大爷", "found": "院墙倒塌"},
        "王",
        occurred_on="2026-11-04",
        summary="李大爷",
    )
    assert store.count_records(text="屋顶漏水") == 0
    assert [r.uuid for r in store.records(text="院墙倒塌")] == [visit.uuid]
    store.delete_draft(visit.uuid, "王")
    assert store.count_records(text="院墙") == 0
    assert store.check() == ["ok"]
    # check() also notices a search index out of step with its text
    store.db.execute("UPDATE record_text SET body = 'tampered' WHERE id = (SELECT min(id) FROM record_text)")
    assert store.check() != ["ok"]


def test_last_values_come_from_the_newest_final_record(store, filled):
    branch, _other, _made = filled
    assert store.last_values(branch.id, "sanhui-yike")["meeting_type"] == "党课"
    assert store.last_values(branch.id, "ruhu-zoufang") == {}  # only a draft


def test_audit_limit_gives_the_newest_lines_in_order(store, filled):
    entries = store.audit()
    assert [e.id for e in entries] == sorted(e.id for e in entries)
    assert [e.id for e in store.audit(limit=2)] == [e.id for e in entries[-2:]]


# ---------------------------------------------------------------------------- attachments


def test_attachments_are_stored_once_by_sha256(store, branch, tmp_path):
    record = draft(store, branch)
    photo = tmp_path / "会场.jpg"
    photo.write_bytes(b"\xff\xd8jpeg bytes" * 1000)
    a = store.add_attachment(record.uuid, photo)
    b = store.add_attachment(record.uuid, photo.read_bytes(), "copy.jpg")
    assert a.sha256 == b.sha256 and a.name == "会场.jpg" and a.size == 12000
    path = store.attachment_path(a.sha256)
    assert store.attachment_bytes(a.sha256) == photo.read_bytes()
    assert b"jpeg bytes" not in path.read_bytes()  # sealed with the data key
    assert path.parent.name == a.sha256[:2] and path.parent.parent.name == "attachments"
    assert [x.name for x in store.attachments(record.uuid)] == ["会场.jpg", "copy.jpg"]
    assert not list(path.parent.parent.glob(".incoming-*"))
    with pytest.raises(NotFound):
        store.attachment_path("0" * 64)
    with pytest.raises(NotFound):
        store.add_attachment(record.uuid, tmp_path / "missing.jpg")


# ---------------------------------------------------------------------------- sqlite errors


def test_not_a_database_is_refused_and_left_alone(tmp_path):
    junk = b"this is not sqlite at all" * 100
    (tmp_path / "yici.db").write_bytes(junk)
    with pytest.raises(DatabaseRefused, match="不是一次的数据库") as refused:
        Store.open(tmp_path)
    assert refused.value.kind == "foreign"
    assert (tmp_path / "yici.db").read_bytes() == junk


def test_locked_database_is_store_locked(store, branch):
    store.db.execute("PRAGMA busy_timeout=50")  # keep the test quick
    other = open_database(store.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreLocked, match="数据库被占用"):
            draft(store, branch)
    finally:
        other.execute("ROLLBACK")
        other.close()
    draft(store, branch)  # works again once released


def test_disk_full_is_store_full(store, branch):
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count={pages + 1}")
    with pytest.raises(StoreFull, match="磁盘空间已满"):
        draft(store, branch, {"big": "村" * 200_000})
    assert store.count_records() == 0


def test_store_errors_share_a_base_class():
    for cls in (StoreLocked, StoreCorrupt, StoreFull, NotFound, NotAllowed):
        assert issubclass(cls, StoreError)


# ---------------------------------------------------------------------------- day range, search


def test_since_until_bound_the_day_it_happened(store, filled):
    branch, other, made = filled

    def days(records):
        return [r.occurred_on for r in records]

    cases = [
        (dict(since="2026-11-01"), ["2026-11-10", "2026-11-04", "2026-11-03"]),
        (dict(until="2026-10-08"), ["2026-10-08", "2026-09-30"]),  # both ends included
        (dict(since="2026-10-08", until="2026-11-03"), ["2026-11-03", "2026-10-08"]),
        (dict(since="2026-11-04", branch_id=branch.id), ["2026-11-04"]),
        (dict(since="2026-10-01", status="final", text="支部"), ["2026-11-10", "2026-10-08"]),
        (dict(since="2026-11-01", month="2026-10"), []),
        (dict(since="2027-01-01"), []),
    ]
    for filters, expected in cases:
        assert days(store.records(**filters)) == expected, filters
        assert store.count_records(**filters) == len(expected), filters
        assert store.record_uuids(**filters) == [r.uuid for r in store.records(**filters)], filters
    for bad in ("2026-11", "2026-13-01", "2026-02-30", "yesterday"):
        with pytest.raises(NotAllowed, match="YYYY-MM-DD"):
            store.records(since=bad)
        with pytest.raises(NotAllowed, match="YYYY-MM-DD"):
            store.count_records(until=bad)


def test_records_for_cadence_gives_finals_newest_first(store, filled):
    branch, other, made = filled
    store.void(made[1].uuid, "录错了", "王")
    got = store.records_for_cadence(branch.id)
    assert got == [
        (
            "sanhui-yike",
            "final",
            "2026-10-08",
            {"meeting_type": "支部委员会", "held_on": "2026-10-08", "topic": "学习二十大精神"},
        )
    ]
    late = draft(store, branch, {"meeting_type": "党课", "held_on": "2026-12-01"}, status="final")
    visit = store.create_record(
        VISIT, branch.id, {"household": "赵"}, "王", occurred_on="2026-11-20", status="final"
    )
    assert [r[2] for r in store.records_for_cadence(branch.id)] == ["2026-12-01", "2026-11-20", "2026-10-08"]
    assert [r[2] for r in store.records_for_cadence(branch.id, "2026-11-01")] == ["2026-12-01", "2026-11-20"]
    per_form = store.records_for_cadence(branch.id, {"sanhui-yike": "2026-10-01"})
    assert [(r[0], r[2]) for r in per_form] == [("sanhui-yike", "2026-12-01"), ("sanhui-yike", "2026-10-08")]
    per_form = store.records_for_cadence(
        branch.id, {"sanhui-yike": "2026-11-01", "ruhu-zoufang": "2026-01-01"}
    )
    assert [(r[0], r[2]) for r in per_form] == [("sanhui-yike", "2026-12-01"), ("ruhu-zoufang", "2026-11-20")]
    assert store.records_for_cadence(branch.id, {}) == []
    assert store.records_for_cadence(other.id, "2026-11-01")[0][2] == "2026-11-10"
    assert late.uuid and visit.uuid
    with pytest.raises(NotAllowed):
        store.records_for_cadence(branch.id, "11/01")


TEXTS = [
    ("王建国", "屋顶漏雨，联系电话13800138000"),
    ("李秀英", "学习党章。建国七十周年"),
    ("张三", "Budget review 3.5万元"),
    ("王 五", "张，三不在家"),  # 张 and 三 apart: "张三" must not match
    ("赵四", "100% 到会"),
    ("周八", ""),
]


def _oracle(rows, term_text, **filters):
    """The records a plain substring search gives (ASCII case folded, like LIKE)."""
    terms = term_text.lower().split()
    found = []
    for rec, summary, body in rows:
        if filters.get("branch_id") not in (None, rec.branch_id):
            continue
        if filters.get("status") not in (None, rec.status):
            continue
        text = (summary.lower(), body.lower())
        if all(any(t in part for part in text) for t in terms):
            found.append(rec.uuid)
    return sorted(found)


@pytest.mark.parametrize("many", [0, 2000], ids=["many-matches-plans", "few-matches-plans"])
def test_text_search_finds_exact_substrings_of_any_length(store, branch, monkeypatch, many):
    monkeypatch.setattr(store_search, "_MANY_MATCHES", many)
    other = store.add_branch("第二党支部")
    rows = []
    for n, (summary, body) in enumerate(TEXTS):
        b = branch if n % 2 == 0 else other
        rec = store.create_record(
            VISIT,
            b.id,
            {"found": body, "n": n},
            "王",
            occurred_on=f"2026-11-{n + 1:02d}",
            summary=summary,
            status="final" if n % 3 else "draft",
        )
        rows.append((rec, summary, body))
    terms = [
        "王",
        "建国",
        "漏雨",
        "38",
        "35",
        "a5",
        "0013",
        "3.5",
        "5万",
        "budget",
        "BUD",
        "t r",
        "张三",
        "张",
        "，",
        "%",
        "100%",
        "0%",
        "学习党章",
        "雨，联",
        "三 张",
        "没有",
        "u44",
        "周",
    ]

    def check(rows):
        for term in terms:
            for filters in (
                {},
                {"branch_id": branch.id},
                {"status": "final"},
                {"branch_id": other.id, "status": "draft"},
            ):
                expected = _oracle(rows, term, **filters)
                assert sorted(r.uuid for r in store.records(text=term, **filters)) == expected, (
                    term,
                    filters,
                )
                assert sorted(r.uuid for r in store.records(text=term, limit=100, **filters)) == expected, (
                    term,
                    filters,
                )
                assert store.count_records(text=term, **filters) == len(expected), (term, filters)
                assert sorted(store.record_uuids(text=term, **filters)) == expected, (term, filters)

    check(rows)
    assert _oracle(rows, "张三") == [rows[2][0].uuid]  # the oracle agrees with the test's intent
    # after a draft is edited and another deleted, the old text is no longer found
    edited = rows[0][0]
    store.save_draft(
        edited.uuid, {"found": "院墙倒塌 13912"}, "王", occurred_on="2026-11-01", summary="王建军"
    )
    rows[0] = (edited, "王建军", "院墙倒塌 13912")
    deleted = rows[3][0]
    store.delete_draft(deleted.uuid, "王")
    del rows[3]
    terms += ["院墙", "墙", "建军", "91"]
    check(rows)
    assert store.count_records(text="漏雨") == 0 and store.count_records(text="院墙") == 1
    assert store.check() == ["ok"]


def _plan(store, sql: str, args: list) -> str:
    return " | ".join(r[3] for r in store.db.execute("EXPLAIN QUERY PLAN " + sql, args))


def test_list_queries_use_the_indices(store, filled):
    """The query plans of the records table's usual queries: no full scans, no sorts."""
    branch = filled[0]
    cols = "SELECT uuid FROM records"
    order = " ORDER BY occurred_on DESC, id DESC LIMIT 100"
    cases = {
        "branch page": (f"{cols} WHERE branch_id = ?{order}", [branch.id], "records_branch_day"),
        "branch + status count": (
            "SELECT count(*) FROM records WHERE branch_id = ? AND status = ?",
            [branch.id, "final"],
            "records_branch_status_day",
        ),
        "branch + status page": (
            f"{cols} WHERE branch_id = ? AND status = ?{order}",
            [branch.id, "final"],
            "records_branch_status_day",
        ),
        "branch + form + month": (
            f"{cols} WHERE branch_id = ? AND form_id = ? AND occurred_on BETWEEN ? AND ?{order}",
            [branch.id, "sanhui-yike", "2026-11-01", "2026-11-31"],
            "records_",
        ),
        "cadence window": (
            "SELECT data FROM records WHERE branch_id = ? AND status = 'final' AND "
            "occurred_on IS NOT NULL AND occurred_on >= ? ORDER BY occurred_on DESC, "
            "id DESC",
            [branch.id, "2026-10-01"],
            "records_branch_status_day",
        ),
        "text 2 chars": (
            "SELECT count(*) FROM records_chars WHERE records_chars MATCH ?",
            ['"漏 水"'],
            "VIRTUAL TABLE",
        ),
    }
    store.db.execute("ANALYZE")
    for name, (sql, args, index) in cases.items():
        plan = _plan(store, sql, args)
        assert index in plan, (name, plan)
        assert "SCAN records " not in plan + " " and "TEMP B-TREE" not in plan, (name, plan)


def test_a_form_and_status_filter_is_answered_from_an_index_with_real_statistics(store):
    """Statistics like a township's (six forms, nearly all records final), as PRAGMA optimize
    gathers them on closing: with them SQLite would take the form's index, which has no status
    (m010), and read every record of the form. The filter keeps to the status indices."""
    rng = random.Random(1)
    rows = [
        (
            f"u{n:05d}",
            f"form{n % 6}",
            1 + n % 15,
            "final" if rng.random() < 0.94 else "draft",
            f"2026-{1 + n % 12:02d}-01",
        )
        for n in range(600)
    ]
    store.db.execute("PRAGMA foreign_keys=OFF")  # rows only: no branches or form versions needed
    store.conn.executemany(
        "INSERT INTO records(uuid, form_id, form_version, branch_id, status, data, revision, operator, "
        "occurred_on, summary, created_at, updated_at) VALUES (?, ?, 1, ?, ?, '{}', 1, 'x', ?, '', 't', 't')",
        rows,
    )
    store.db.execute("ANALYZE")
    for status in ("final", "draft"):
        where, args = store._filters(None, "form1", status, None, None)
        for sql in (
            f"SELECT count(*) FROM records{where}",
            f"SELECT uuid FROM records{where} ORDER BY occurred_on DESC, id DESC LIMIT 100",
        ):
            assert "COVERING INDEX" in _plan(store, sql, args), (status, _plan(store, sql, args))
        expected = sum(1 for r in rows if r[1] == "form1" and r[3] == status)
        assert store.count_records(form_id="form1", status=status) == expected
