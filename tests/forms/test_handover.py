"""Handover: export everything from one laptop, import on another; merge without duplicates and
without sending anything twice."""

from __future__ import annotations

import hashlib
import zipfile

import pytest

from forms.catalog import Catalog
from forms.handover import HandoverProblem, export_all, import_all
from forms.migrations import MIGRATION_SET
from forms.store import NewerSchema, Store
from forms.store.cipher import sqlite3
from sync.secrets import get_secret, set_secret
from tests.helpers import HANDOVER_PASSPHRASE as PASS
from tests.helpers import add_red_star, open_export_database

PHOTO = b"\x89PNG fake photo bytes " * 50
WEBHOOK = "https://oapi.dingtalk.com/robot/send?access_token=HANDOVER-SECRET-4411"
TOKEN = "HANDOVER-TOKEN-9af0"
MEETING = {
    "meeting_type": "支部委员会",
    "title": "十一月支委会",
    "held_at": "2026-11-05T19:00",
    "host": "张三",
    "topics": "冬季防火",
    "expected_count": 2,
    "attendees": ["张三", "李四"],
    "attend_count": 2,
    "absences": [],
    "absent_count": 0,
    "content": "研究冬季防火工作",
}


class Laptop:
    """One data folder with its store and catalog."""

    def __init__(self, path):
        self.path = path
        self.store = Store.open(path)
        self.catalog = Catalog(path)

    def close(self):
        self.store.close()

    def counts(self) -> dict:
        s = self.store
        return {
            "records": s.count_records(),
            "branches": len(s.branches()),
            "members": sum(len(s.members(b.id)) for b in s.branches()),
            "targets": len(s.targets()),
            "audit": len(s.audit()),
            "deliveries": sorted((d.record_uuid, d.revision, d.target_name, d.state) for d in s.deliveries()),
            "history": sorted((r.uuid, [h.revision for h in s.history(r.uuid)]) for r in s.records()),
            "attachments": sorted(
                (a.record_uuid, a.sha256) for r in s.records() for a in s.attachments(r.uuid)
            ),
        }


@pytest.fixture
def old(tmp_path, memory_keyring):
    """The old laptop: a branch with a roster, two targets with secrets, a corrected final
    record (delivered to one target, pending to the other) with a photo, and a draft."""
    laptop = Laptop(tmp_path / "old")
    s = laptop.store
    red = add_red_star(s)
    robot = s.add_target("镇党委钉钉群", "dingtalk")
    rest = s.add_target("县平台", "rest", url="https://county.example/api", options={"auth": "bearer"})
    set_secret(s, robot, "webhook", WEBHOOK)
    set_secret(s, rest, "token", TOKEN)
    form = laptop.catalog.get("sanhui-yike")
    meeting = s.create_record(
        form,
        red.id,
        MEETING,
        "老王",
        occurred_on="2026-11-05",
        status="final",
    )
    s.add_attachment(meeting.uuid, PHOTO, name="会议照片.png")
    for d in s.deliveries(record_uuid=meeting.uuid):
        if d.target_name == "镇党委钉钉群":
            s.mark_delivered(d.id, "老王", reason="群里已看到")  # never sent from here
    s.correct(meeting.uuid, {**MEETING, "topics": "冬季防火、防汛"}, "老王", note="补充议题")
    s.create_record(form, red.id, {"meeting_type": "党课"}, "老王", occurred_on="2026-11-20")
    laptop.meeting = meeting.uuid
    yield laptop
    laptop.close()


@pytest.fixture
def new(tmp_path, memory_keyring):
    """The new laptop: set up from the county profile already (县平台 exists, another id)."""
    laptop = Laptop(tmp_path / "new")
    laptop.store.add_target("乡镇内网", "rest", url="https://town.example/api")
    laptop.store.add_target("县平台", "rest", url="https://county.example/api", options={"auth": "bearer"})
    yield laptop
    laptop.close()


def test_export_is_one_zip_without_secrets(old, tmp_path):
    summary = export_all(old.store, tmp_path / "handover.zip", PASS)
    with zipfile.ZipFile(summary.path) as zf:
        names = zf.namelist()
        blob = b"".join(zf.read(n) for n in names)
    assert {"manifest.json", "yici.db"} <= set(names)
    assert f"attachments/{hashlib.sha256(PHOTO).hexdigest()}" in names
    assert summary.counts["records"] == 2 and summary.counts["attachments"] == 1
    for secret in (WEBHOOK, TOKEN, "HANDOVER-SECRET", "HANDOVER-TOKEN"):
        assert secret.encode() not in blob


def test_import_brings_everything_and_sends_nothing_twice(old, new, tmp_path, memory_keyring):
    path = export_all(old.store, tmp_path / "handover.zip", PASS).path
    memory_keyring.entries.clear()  # the new laptop has its own keyring

    summary = import_all(new.store, new.catalog, path, "小李", PASS)

    s = new.store
    assert summary.changed
    assert {r.uuid for r in s.records()} == {r.uuid for r in old.store.records()}
    meeting = s.record(old.meeting)
    assert meeting.revision == 2 and meeting.data["topics"] == "冬季防火、防汛"
    assert [h.revision for h in s.history(old.meeting)] == [1, 2]
    assert [(m.name, m.role) for m in s.members(s.find_branch("红星村党支部").id)] == [
        ("张三", "书记"),
        ("李四", "党员"),
    ]
    # The photo, by content.
    (attachment,) = s.attachments(old.meeting)
    assert s.attachment_bytes(attachment.sha256) == PHOTO
    # Deliveries: the robot already had revision 1 (a fact taken over); revision 2 is queued by
    # this laptop's own targets, as if finalized here (乡镇内网 too: it wants every record). The
    # missing target came over without its secret and is held until a person has checked it.
    states = {(d.revision, d.target_name): d.state for d in s.deliveries(record_uuid=old.meeting)}
    assert states == {
        (1, "镇党委钉钉群"): "delivered",
        (2, "镇党委钉钉群"): "pending",
        (2, "县平台"): "pending",
        (2, "乡镇内网"): "pending",
    }
    assert summary.new_targets == ["镇党委钉钉群"]
    assert get_secret(s, s.target("镇党委钉钉群"), "webhook") is None
    assert "交接文件" in (s.target("镇党委钉钉群").attention or "")
    # The audit: the old lines as they were, then one saying who imported what.
    actions = [e.action for e in s.audit(old.meeting)]
    assert actions == [e.action for e in old.store.audit(old.meeting)]
    assert s.audit()[-1].action == "imported" and s.audit()[-1].operator == "小李"
    # Form versions and the search index work for imported records.
    assert s.stored_form_source("sanhui-yike", s.record(old.meeting).form_version)
    assert s.count_records(text="冬季防火") == 1


def test_importing_the_same_file_twice_changes_nothing(old, new, tmp_path):
    path = export_all(old.store, tmp_path / "handover.zip", PASS).path
    import_all(new.store, new.catalog, path, "小李", PASS)
    before = new.counts()

    again = import_all(new.store, new.catalog, path, "小李", PASS)

    assert not again.changed
    assert new.counts() == before


def test_a_later_export_updates_records_and_deliveries(old, new, tmp_path):
    import_all(new.store, new.catalog, export_all(old.store, tmp_path / "1.zip", PASS).path, "小李", PASS)
    # Meanwhile on the old laptop: the county platform took revision 2, and a third correction.
    county = next(
        d
        for d in old.store.deliveries(record_uuid=old.meeting)
        if d.target_name == "县平台" and d.revision == 2
    )
    old.store.mark_delivered(county.id, "老王", reason="已在县平台录入")
    old.store.correct(old.meeting, {**MEETING, "topics": "第三稿"}, "老王")

    import_all(new.store, new.catalog, export_all(old.store, tmp_path / "2.zip", PASS).path, "小李", PASS)

    s = new.store
    assert s.record(old.meeting).revision == 3
    assert [h.revision for h in s.history(old.meeting)] == [1, 2, 3]
    states = {(d.revision, d.target_name): d.state for d in s.deliveries(record_uuid=old.meeting)}
    assert states[(2, "县平台")] == "delivered"
    assert states[(3, "县平台")] == "pending"
    assert s.count_records() == 2


def test_a_higher_revision_here_is_kept(old, new, tmp_path):
    path = export_all(old.store, tmp_path / "1.zip", PASS).path
    import_all(new.store, new.catalog, path, "小李", PASS)
    new.store.correct(old.meeting, {**MEETING, "topics": "新电脑上改的"}, "小李")

    import_all(new.store, new.catalog, path, "小李", PASS)

    record = new.store.record(old.meeting)
    assert record.revision == 3 and record.data["topics"] == "新电脑上改的"
    assert [h.revision for h in new.store.history(old.meeting)] == [1, 2, 3]


def test_a_delivery_in_flight_becomes_uncertain(old, new, tmp_path):
    pending = next(
        d
        for d in old.store.deliveries(record_uuid=old.meeting)
        if d.target_name == "镇党委钉钉群" and d.state == "pending"
    )
    old.store.mark_sending([pending.id])
    import_all(new.store, new.catalog, export_all(old.store, tmp_path / "h.zip", PASS).path, "小李", PASS)
    states = {(d.revision, d.target_name): d.state for d in new.store.deliveries(record_uuid=old.meeting)}
    assert states[(2, "镇党委钉钉群")] == "uncertain"


def test_not_an_export(new, tmp_path):
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip")
    with pytest.raises(HandoverProblem, match="不是一次的导出文件"):
        import_all(new.store, new.catalog, junk, "小李", PASS)
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(HandoverProblem, match="不是一次的导出文件"):
        import_all(new.store, new.catalog, other, "小李", PASS)
    assert new.store.count_records() == 0


def test_an_export_from_a_newer_yici_is_refused(old, new, tmp_path):
    path = export_all(old.store, tmp_path / "h.zip", PASS).path
    work = tmp_path / "w"
    with zipfile.ZipFile(path) as zf:
        zf.extractall(work)
    conn = open_export_database(work)
    conn.execute(
        "INSERT INTO _sqlite_migrations(migration_set, name, applied_at) "
        "VALUES (?, 'm999_future', '2030-01-01')",
        [MIGRATION_SET],
    )
    conn.commit()
    conn.close()
    newer = tmp_path / "newer.zip"
    with zipfile.ZipFile(newer, "w") as zf:
        for file in work.rglob("*"):
            if file.is_file():
                zf.write(file, file.relative_to(work).as_posix())
    with pytest.raises(NewerSchema):
        import_all(new.store, new.catalog, newer, "小李", PASS)
    assert new.store.count_records() == 0


def test_reimport_keeps_the_draft_typed_on_this_laptop(old, new, tmp_path, monkeypatch):
    """The old laptop's clock ran an hour fast: its older draft must still not replace what was
    typed here since, and a backup is taken before every import."""
    from forms.store import times as store_times

    real_clock = store_times.clock
    monkeypatch.setattr(
        store_times, "clock", lambda: real_clock() + __import__("datetime").timedelta(hours=1)
    )
    draft = old.store.create_record(
        old.catalog.get("sanhui-yike"),
        old.store.branches()[0].id,
        {"meeting_type": "党课", "topics": "旧电脑上的草稿"},
        "老王",
    )
    monkeypatch.setattr(store_times, "clock", real_clock)
    path = export_all(old.store, tmp_path / "handover.zip", PASS).path

    import_all(new.store, new.catalog, path, "小李", PASS)
    new.store.save_draft(draft.uuid, {"meeting_type": "党课", "topics": "新电脑上接着写的内容"}, "小李")
    import_all(new.store, new.catalog, path, "小李", PASS)

    assert new.store.record(draft.uuid).data["topics"] == "新电脑上接着写的内容"
    assert list((new.path / "backups").glob("*before-import*"))


def test_a_handover_never_moves_a_platform_or_hands_over_its_secrets(old, new, tmp_path, memory_keyring):
    """Both laptops on one account: the file names 县平台 at another host; this laptop's 县平台
    keeps its own address and its own secret, and the old laptop's secrets reach nothing here."""
    here = new.store.target("县平台")
    set_secret(new.store, here, "token", "this-laptops-own-token")
    old.store.update_target(old.store.target("县平台").id, url="https://attacker.example/api")
    import_all(new.store, new.catalog, export_all(old.store, tmp_path / "h.zip", PASS).path, "小李", PASS)
    after = new.store.target("县平台")
    assert after.url == "https://county.example/api" and after.uid == here.uid
    assert get_secret(new.store, after, "token") == "this-laptops-own-token"
    robot = new.store.target("镇党委钉钉群")  # new here: added without secrets
    assert get_secret(new.store, robot, "webhook") is None


def test_an_export_passphrase_costs_scrypt_2_17_and_older_exports_still_open(old, tmp_path):
    import json

    from forms.handover_file import export_key
    from forms.store.keys import derive

    summary = export_all(old.store, tmp_path / "handover.zip", PASS)
    with zipfile.ZipFile(summary.path) as zf:
        cipher = json.loads(zf.read("manifest.json"))["cipher"]
    assert cipher["n"] == 2**17  # named in the manifest, so a later cost can still read this one
    salt = bytes.fromhex(cipher["salt"])
    assert export_key({"yici_export": 2, "cipher": cipher}, PASS) == derive(PASS, salt, 2**17)
    older = {"yici_export": 2, "cipher": {"kdf": "scrypt", "salt": cipher["salt"]}}  # before N was kept
    assert export_key(older, PASS) == derive(PASS, salt, 2**15)
    with pytest.raises(HandoverProblem):  # a manifest asking for absurd memory is damaged
        export_key({"yici_export": 2, "cipher": {**cipher, "n": 2**30}}, PASS)
