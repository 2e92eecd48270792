"""Pushing record revisions: stored exactly once, never on a stale base, only for the device's own
branches, only with their attachments; and read back for a handover. Rows counted in PostgreSQL."""

from __future__ import annotations

import hashlib
import json
import threading
from concurrent.futures import ThreadPoolExecutor

from tests.hub.conftest import joined, sql
from tests.hub.revisions import revision


def _count(db: str, table: str) -> int:
    return sql(db, f"SELECT count(*) FROM {table}")[0][0]


def test_the_same_revision_pushed_twice_is_stored_once(hub):
    device = joined(hub)
    token, red = device["token"], device["branches"][0]["uid"]
    body = revision(red)
    first = hub.post("/api/v1/records", token, json=body)
    assert first.status_code == 201, first.text
    assert first.json()["status"] == "stored"
    again = hub.post("/api/v1/records", token, json=body)
    assert again.status_code == 200 and again.json()["status"] == "already"
    assert _count(hub.database, "record_revisions") == 1
    assert _count(hub.database, "records") == 1
    assert _count(hub.database, "record_audit") == 2
    stored = sql(hub.database, "SELECT data, occurred_on::text, status FROM record_revisions")[0]
    assert stored == (body["data"], "2026-11-05", "final")


def test_a_correction_on_the_latest_revision_is_stored_and_one_on_a_stale_base_gets_409(hub):
    device = joined(hub)
    token, red = device["token"], device["branches"][0]["uid"]
    first = revision(red)
    assert hub.post("/api/v1/records", token, json=first).status_code == 201
    # Laptop A corrects revision 1.
    a = revision(red, first["uuid"], 2, 1, summary="A 改", data={**first["data"], "title": "A 改过的"})
    assert hub.post("/api/v1/records", token, json=a).status_code == 201
    # Laptop B also corrected revision 1, without knowing of A's correction.
    b = revision(red, first["uuid"], 2, 1, summary="B 改", data={**first["data"], "title": "B 改过的"})
    conflict = hub.post("/api/v1/records", token, json=b)
    assert conflict.status_code == 409
    answer = conflict.json()
    assert "另一台电脑修改过" in answer["error"]
    current = answer["current"]
    assert current["revision"] == 2 and current["data"]["title"] == "A 改过的"
    assert {k: current[k] for k in a if k != "audit"} == {k: a[k] for k in a if k != "audit"}
    assert current["audit"] == a["audit"]
    # Nothing of B's was kept.
    assert sql(hub.database, "SELECT revision, summary FROM record_revisions ORDER BY revision") == [
        (1, "十一月支部委员会"),
        (2, "A 改"),
    ]
    assert sql(hub.database, "SELECT revision, summary FROM records") == [(2, "A 改")]
    # B, having seen A's version, corrects on top of it.
    b3 = revision(red, first["uuid"], 3, 2, summary="B 合并")
    assert hub.post("/api/v1/records", token, json=b3).status_code == 201


def test_a_void_is_the_last_revision(hub):
    device = joined(hub)
    token, red = device["token"], device["branches"][0]["uid"]
    first = revision(red)
    assert hub.post("/api/v1/records", token, json=first).status_code == 201
    void = revision(red, first["uuid"], 2, 1, status="void", void_reason="重复录入")
    assert hub.post("/api/v1/records", token, json=void).status_code == 201
    late = hub.post("/api/v1/records", token, json=revision(red, first["uuid"], 3, 2))
    assert late.status_code == 409 and late.json()["current"]["status"] == "void"
    no_reason = hub.post("/api/v1/records", token, json=revision(red, status="void"))
    assert no_reason.status_code == 422 and no_reason.json()["field"] == "void_reason"


def test_a_first_revision_of_a_record_the_hub_has_gets_409(hub):
    device = joined(hub)
    token, red = device["token"], device["branches"][0]["uid"]
    first = revision(red)
    assert hub.post("/api/v1/records", token, json=first).status_code == 201
    other = revision(red, first["uuid"], 2, 0)
    answer = hub.post("/api/v1/records", token, json=other)
    assert answer.status_code == 409 and answer.json()["current"]["revision"] == 1


def test_a_device_writes_and_reads_only_its_branches(hub):
    zhang = joined(hub, "张三的电脑", ("红星村党支部",))
    li = joined(hub, "李四的电脑", ("东风村党支部",))
    red, east = zhang["branches"][0]["uid"], li["branches"][0]["uid"]
    refused = hub.post("/api/v1/records", li["token"], json=revision(red))
    assert refused.status_code == 403 and "没有这个支部的权限" in refused.json()["error"]
    assert _count(hub.database, "record_revisions") == 0
    body = revision(red)
    assert hub.post("/api/v1/records", zhang["token"], json=body).status_code == 201
    # Another device may not take over the record by naming its own branch.
    moved = hub.post("/api/v1/records", li["token"], json={**revision(east, body["uuid"], 2, 1)})
    assert moved.status_code == 403
    assert hub.get("/api/v1/records", li["token"], params={"branch": red}).status_code == 403
    assert hub.get("/api/v1/records", zhang["token"], params={"branch": red}).status_code == 200


def test_missing_attachments_are_listed_and_nothing_is_stored(hub):
    device = joined(hub)
    token, red = device["token"], device["branches"][0]["uid"]
    photo = "会议照片".encode() * 100
    held = hashlib.sha256(photo).hexdigest()
    absent = hashlib.sha256(b"not uploaded").hexdigest()
    assert hub.put(f"/api/v1/attachments/{held}", token, data=photo).status_code == 201
    files = [{"sha256": held, "name": "会场.jpg"}, {"sha256": absent, "name": "签到表.jpg"}]
    answer = hub.post("/api/v1/records", token, json=revision(red, attachments=files))
    assert answer.status_code == 422 and answer.json()["missing"] == [absent]
    assert _count(hub.database, "record_revisions") == 0
    assert hub.put(f"/api/v1/attachments/{absent}", token, data=b"not uploaded").status_code == 201
    body = revision(red, attachments=files)
    assert hub.post("/api/v1/records", token, json=body).status_code == 201
    assert sql(hub.database, "SELECT name FROM record_attachments ORDER BY position") == [
        ("会场.jpg",),
        ("签到表.jpg",),
    ]
    # A handover reads the file back; a device of another branch cannot.
    assert hub.get(f"/api/v1/attachments/{held}", token).content == photo
    other = joined(hub, "李四的电脑", ("东风村党支部",))["token"]
    assert hub.get(f"/api/v1/attachments/{held}", other).status_code == 404


def test_wrong_fields_are_named(hub):
    device = joined(hub)
    token, red = device["token"], device["branches"][0]["uid"]
    for changes, name in [
        ({"uuid": "x"}, "uuid"),
        ({"revision": 0}, "revision"),
        ({"revision": 2, "base_revision": 2}, "base_revision"),
        ({"status": "draft"}, "status"),
        ({"data": []}, "data"),
        ({"occurred_on": "2026-13-01"}, "occurred_on"),
        ({"attachments": [{"sha256": "abc", "name": "x"}]}, "attachments[0].sha256"),
    ]:
        answer = hub.post("/api/v1/records", token, json=revision(red, **changes))
        assert answer.status_code == 422 and answer.json()["field"] == name, (changes, answer.text)
    assert hub.post("/api/v1/records", token, data=b"{not json").status_code == 400


def test_what_postgresql_cannot_hold_is_refused_by_name_not_with_a_server_error(hub):
    # A NUL character, a number past the columns' range, NaN or a nesting too deep: a laptop whose
    # revision carries one must hear which field is wrong (422/400), not 500 and retry for ever.
    device = joined(hub)
    token, red = device["token"], device["branches"][0]["uid"]
    for changes, name in [
        ({"summary": "a\u0000b"}, "summary"),
        ({"operator": "\u0000"}, "operator"),
        ({"data": {"title": "a\u0000b"}}, "data"),
        ({"data": {"a\u0000": "x"}}, "data"),
        ({"data": {"list": [{"deep": "\u0000"}]}}, "data"),
        ({"audit": [{"at": "2026-11-05T19:00:00", "action": "finalized", "note": "\u0000"}]}, "note"),
        ({"form_version": 2**40}, "form_version"),
        ({"revision": 2**40, "base_revision": 0}, "revision"),
    ]:
        answer = hub.post("/api/v1/records", token, json=revision(red, **changes))
        assert answer.status_code == 422 and answer.json()["field"] == name, (changes, answer.text)
    body = json.dumps(revision(red)).replace('"data": {', '"data": {"n": NaN, ')
    assert hub.post("/api/v1/records", token, data=body.encode()).status_code == 400
    deep = json.dumps(revision(red)).replace(
        '"data": {', '"data": {"d": ' + "[" * 100_000 + "]" * 100_000 + ", "
    )
    assert hub.post("/api/v1/records", token, data=deep.encode()).status_code == 400
    for field in ("summary", "data"):  # a lone surrogate, \ud800 in the JSON: no UTF-8 text
        body = json.dumps(revision(red, **{field: "SURROGATE" if field == "summary" else {"t": "SURROGATE"}}))
        answer = hub.post("/api/v1/records", token, data=body.replace("SURROGATE", "\\ud800").encode())
        assert answer.status_code == 422 and answer.json()["field"] == field, answer.text
    assert _count(hub.database, "record_revisions") == 0


def test_a_branch_s_revisions_are_listed_for_a_handover_page_by_page(hub):
    device = joined(hub)
    token, red = device["token"], device["branches"][0]["uid"]
    bodies = [revision(red, summary=f"第{n}次") for n in range(5)]
    for body in bodies:
        assert hub.post("/api/v1/records", token, json=body).status_code == 201
    fix = revision(red, bodies[0]["uuid"], 2, 1, summary="第0次（更正）")
    assert hub.post("/api/v1/records", token, json=fix).status_code == 201

    seen, since, pages = [], 0, 0
    while True:
        page = hub.get("/api/v1/records", token, params={"branch": red, "since": since, "limit": 2}).json()
        seen += page["revisions"]
        since, pages = page["cursor"], pages + 1
        if not page["more"]:
            break
    assert pages == 3
    assert [(r["summary"], r["revision"]) for r in seen] == [(b["summary"], 1) for b in bodies] + [
        ("第0次（更正）", 2)
    ]
    assert seen[0]["audit"] == bodies[0]["audit"] and seen[0]["data"] == bodies[0]["data"]
    # Nothing new since the last cursor; a later push shows up after it.
    assert hub.get("/api/v1/records", token, params={"branch": red, "since": since}).json()["revisions"] == []
    late = revision(red, summary="新的")
    assert hub.post("/api/v1/records", token, json=late).status_code == 201
    after = hub.get("/api/v1/records", token, params={"branch": red, "since": since}).json()
    assert [r["uuid"] for r in after["revisions"]] == [late["uuid"]] and after["cursor"] > since


def test_two_corrections_of_one_base_pushed_at_the_same_moment_one_wins_one_gets_409(hub):
    zhang = joined(hub, "张三的电脑", ("红星村党支部",))
    li = joined(hub, "李四的电脑", ("红星村党支部",))
    red = zhang["branches"][0]["uid"]
    firsts = [revision(red) for _ in range(8)]
    for body in firsts:
        assert hub.post("/api/v1/records", zhang["token"], json=body).status_code == 201
    gate = threading.Barrier(2)

    def push(token: str, body: dict) -> int:
        gate.wait()
        return hub.post("/api/v1/records", token, json=body).status_code

    with ThreadPoolExecutor(2) as pool:
        for body in firsts:
            mine = revision(red, body["uuid"], 2, 1, data={"title": "张三改"})
            theirs = revision(red, body["uuid"], 2, 1, data={"title": "李四改"})
            codes = sorted(pool.map(push, [zhang["token"], li["token"]], [mine, theirs]))
            assert codes == [201, 409]
    assert sql(hub.database, "SELECT count(*) FROM record_revisions WHERE revision = 2") == [(8,)]
    assert sql(hub.database, "SELECT count(*) FROM records WHERE revision = 2") == [(8,)]
