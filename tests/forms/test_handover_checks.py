"""A handover file is checked like typed input: hand-made or damaged files are refused with what is
wrong, and a refusal changes nothing on this laptop."""

from __future__ import annotations

import hashlib
import json
import zipfile

import pytest

from forms.catalog import Catalog
from forms.handover import HandoverProblem, export_all, import_all
from forms.store import Store
from forms.store.cipher import sqlite3
from tests.forms.test_handover import MEETING
from tests.helpers import HANDOVER_PASSPHRASE as PASS
from tests.helpers import add_red_star, open_export_database


def folder_state(folder) -> dict:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "logs" not in p.parts and not p.name.endswith("-shm")
    }


@pytest.fixture
def laptops(tmp_path, memory_keyring):
    """The old laptop with one final meeting record (handed over once already) and the new one,
    which has the county platform with its token."""
    old = Store.open(tmp_path / "old")
    old_catalog = Catalog(tmp_path / "old")
    red = add_red_star(old)
    form = old_catalog.get("sanhui-yike")
    meeting = old.create_record(form, red.id, MEETING, "老王", occurred_on="2026-11-05", status="final")
    draft = old.create_record(form, red.id, {"meeting_type": "党课"}, "老王")
    new = Store.open(tmp_path / "new")
    new.add_target("县平台", "rest", url="https://county.example/api", options={"auth": "bearer"})
    first = export_all(old, tmp_path / "first.zip", PASS).path
    import_all(new, Catalog(tmp_path / "new"), first, "小李", PASS)
    yield old, new, meeting.uuid, draft.uuid
    old.close()
    new.close()


def tampered(old: Store, tmp_path, sql: list[tuple[str, list]], name: str = "hand-made.zip"):
    """An export of `old` whose database was changed by hand with `sql`."""
    path = export_all(old, tmp_path / "clean.zip", PASS).path
    work = tmp_path / "unzipped"
    with zipfile.ZipFile(path) as zf:
        zf.extractall(work)
    conn = open_export_database(work)
    conn.execute("PRAGMA foreign_keys=OFF")
    for statement, params in sql:
        conn.execute(statement, params)
    conn.commit()
    conn.close()
    out = tmp_path / name
    with zipfile.ZipFile(out, "w") as zf:
        for file in sorted(work.rglob("*")):
            if file.is_file():
                zf.write(file, file.relative_to(work).as_posix())
    return out


def refused(new: Store, tmp_path, path, match: str) -> None:
    before = folder_state(new.data_dir)
    with pytest.raises(HandoverProblem, match=match) as caught:
        import_all(new, Catalog(new.data_dir), path, "小李", PASS)
    assert "Traceback" not in str(caught.value)
    assert folder_state(new.data_dir) == before  # not even a before-import backup


def test_a_jump_over_a_final_record_is_refused(laptops, tmp_path):
    """The issue's hand-made file: a revision 3 that replaces the final record, its history
    missing revision 2 (a gap), or holding only the new revision."""
    old, new, meeting, _ = laptops
    forged = json.dumps({**MEETING, "topics": "从未讨论过的议题"}, ensure_ascii=False)
    for sql in (
        [
            ("UPDATE records SET revision = 3, data = ? WHERE uuid = ?", [forged, meeting]),
            (
                "INSERT INTO record_revisions(uuid, revision, status, data, operator, saved_at) "
                "VALUES (?, 3, 'final', ?, '某人', '2026-11-06T10:00:00')",
                [meeting, forged],
            ),
        ],
        [
            ("UPDATE records SET revision = 2, data = ? WHERE uuid = ?", [forged, meeting]),
            ("UPDATE record_revisions SET revision = 2, data = ? WHERE uuid = ?", [forged, meeting]),
        ],
    ):
        refused(new, tmp_path, tampered(old, tmp_path, sql), "修订历史不连续")
    assert new.record(meeting).data["topics"] == "冬季防火"


def test_a_revision_that_differs_from_this_laptops_is_refused(laptops, tmp_path):
    old, new, meeting, _ = laptops
    forged = json.dumps({**MEETING, "topics": "改过的第一版"}, ensure_ascii=False)
    path = tampered(
        old,
        tmp_path,
        [
            ("UPDATE records SET data = ? WHERE uuid = ?", [forged, meeting]),
            ("UPDATE record_revisions SET data = ? WHERE uuid = ?", [forged, meeting]),
        ],
    )
    refused(new, tmp_path, path, "第 1 版在两台电脑上内容不同")


def test_records_that_could_not_have_been_typed_here_are_refused(laptops, tmp_path):
    old, new, meeting, draft = laptops
    invalid = json.dumps({"meeting_type": "支部委员会", "expected_count": "很多"}, ensure_ascii=False)
    uuid = "0b6a2c6e-1111-4aaa-8bbb-000000000001"
    new_record = [
        (
            "INSERT INTO records(uuid, form_id, form_version, branch_id, status, data, revision, "
            "operator, created_at, updated_at) SELECT ?, form_id, form_version, branch_id, 'final', ?, 1, "
            "'某人', created_at, updated_at FROM records WHERE uuid = ?",
            [uuid, invalid, meeting],
        ),
        (
            "INSERT INTO record_revisions(uuid, revision, status, data, operator, saved_at) "
            "VALUES (?, 1, 'final', ?, '某人', '2026-11-06T10:00:00')",
            [uuid, invalid],
        ),
    ]
    refused(new, tmp_path, tampered(old, tmp_path, new_record), "不符合表单")
    not_an_object = [("UPDATE records SET data = '[1, 2, 3]' WHERE uuid = ?", [draft])]
    refused(new, tmp_path, tampered(old, tmp_path, not_an_object, "array.zip"), "不是 JSON 对象")
    assert new.count_records() == 2


def test_pending_work_in_the_file_is_never_sent_from_here(laptops, tmp_path):
    """A pending delivery for a draft (never validated) to a platform this laptop also has, under
    the same name: it would go out with this laptop's token. Only this laptop queues."""
    old, new, _, draft = laptops
    old.add_target("县平台", "rest", url="https://county.example/api", options={"auth": "bearer"})
    path = tampered(
        old,
        tmp_path,
        [
            (
                "INSERT INTO deliveries(record_uuid, revision, target_id, state, queued_at, updated_at) "
                "VALUES (?, 0, (SELECT id FROM targets WHERE name = '县平台'), 'pending', 'x', 'x')",
                [draft],
            )
        ],
    )
    import_all(new, Catalog(new.data_dir), path, "小李", PASS)
    assert new.deliveries(record_uuid=draft) == []


def test_settings_of_this_laptop_are_not_taken_from_the_file(laptops, tmp_path):
    old, new, _, _ = laptops
    old.set_setting("operator", "老王")
    import_all(new, Catalog(new.data_dir), export_all(old, tmp_path / "again.zip", PASS).path, "小李", PASS)
    assert new.get_setting("operator") is None


@pytest.mark.parametrize(
    "change, said",
    [
        ("CREATE TABLE extra(x)", "多出 extra"),
        ("CREATE TRIGGER t AFTER INSERT ON records BEGIN DELETE FROM records; END", "多出 t"),
        ("ALTER TABLE records ADD COLUMN payload TEXT", "records 的结构不同"),
        ("PRAGMA user_version = 77", "user_version"),
    ],
)
def test_a_database_that_only_looks_like_yicis_is_refused(laptops, tmp_path, change, said):
    old, new, _, _ = laptops
    refused(new, tmp_path, tampered(old, tmp_path, [(change, [])]), said)


def test_a_damaged_database_in_the_file_is_refused(laptops, tmp_path):
    old, new, _, _ = laptops
    path = export_all(old, tmp_path / "clean.zip", PASS).path
    with zipfile.ZipFile(path) as zf:
        entries = {n: zf.read(n) for n in zf.namelist()}
    data = bytearray(entries["yici.db"])
    page = len(data) // 4096 - 2
    data[page * 4096 : page * 4096 + 40] = b"\xde\xad\xbe\xef" * 10
    entries["yici.db"] = bytes(data)
    out = tmp_path / "damaged.zip"
    with zipfile.ZipFile(out, "w") as zf:
        for n, b in entries.items():
            zf.writestr(n, b)
    refused(new, tmp_path, out, "损坏|不能导入")


def test_a_zip_bomb_is_refused_before_it_is_unpacked(laptops, tmp_path, monkeypatch):
    from forms import handover_file

    old, new, _, _ = laptops
    path = export_all(old, tmp_path / "clean.zip", PASS).path
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path) as zf, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for n in zf.namelist():
            out.writestr(n, zf.read(n))
        # 64 MB of zeros in about 64 KB: the cap below stands for the real one (8 GB).
        out.writestr("attachments/" + "0" * 64, b"\0" * (64 * 1024 * 1024))
    assert bomb.stat().st_size < 1024 * 1024
    monkeypatch.setattr(handover_file, "MAX_UNPACKED_BYTES", 16 * 1024 * 1024)
    refused(new, tmp_path, bomb, "解压后太大")
    many = tmp_path / "many.zip"
    with zipfile.ZipFile(path) as zf, zipfile.ZipFile(many, "w") as out:
        for n in zf.namelist():
            out.writestr(n, zf.read(n))
        for i in range(300):
            out.writestr(f"forms/f{i}.yaml", "")
    monkeypatch.setattr(handover_file, "MAX_ENTRIES", 200)
    refused(new, tmp_path, many, "条目太多")
