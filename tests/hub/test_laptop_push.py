"""A joined laptop's `yici sync` pushes every final revision with its audit and files to the real
hub, exactly once: rows counted in PostgreSQL, a photo the hub holds never sent again (the hub's
request log), an upload cut off resumed from where the hub's stands, corrections that never went
sent in order, a laptop that never joined working as before."""

from __future__ import annotations

import hashlib
import os
import time

import pytest

from sync.hub_upload import PART_SIZE
from tests.hub.conftest import sql
from tests.hub.laptop import BRANCH, hub_count, laptop_at


@pytest.fixture
def laptop(tmp_path, memory_keyring):
    made = laptop_at(tmp_path / "laptop")
    yield made
    made.close()


def _count(hub, method: str, path_start: str) -> int:
    return sum(
        1
        for line in hub.log_text().splitlines()
        if f" {method} {path_start}" in f" {line}" or line.startswith(f"{method} {path_start}")
    )


def _requests(hub, method: str, path_start: str) -> int:
    """How many requests of this method on paths starting so the hub's log shows, once the log
    has caught up: the hub writes a request's line after its answer has gone, so a line may still
    be on its way when the laptop already has the answer. A marker request (GET /api/v1, no
    token) asked now is logged after every request answered before it."""
    markers = _count(hub, "GET", "/api/v1 ")
    hub.get("/api/v1")
    deadline = time.monotonic() + 10
    while _count(hub, "GET", "/api/v1 ") <= markers and time.monotonic() < deadline:
        time.sleep(0.02)
    return _count(hub, method, path_start)


def test_revisions_with_audit_and_files_arrive_once(hub, laptop, tmp_path):
    laptop.join(hub, "张三的电脑")
    photo = os.urandom(3 * PART_SIZE + 123)  # four parts
    record = laptop.final(1)
    laptop.store.add_attachment(record.uuid, photo, "会场.jpg")
    corrected = laptop.correct(record.uuid, title="第1次支部委员会（更正）")
    summary = laptop.sync()
    assert summary.targets["乡镇平台"].delivered >= 1
    assert laptop.hub_delivery_states() == [(1, "superseded"), (2, "delivered")]
    # Revision 1 was superseded here before it went: the hub got it first all the same.
    rows = sql(
        hub.database,
        "SELECT revision, base_revision, data->>'title' FROM record_revisions "
        "WHERE uuid = %s ORDER BY revision",
        (record.uuid,),
    )
    assert rows == [(1, 0, "第1次支部委员会"), (2, 1, "第1次支部委员会（更正）")]
    sha = hashlib.sha256(photo).hexdigest()
    assert sql(hub.database, "SELECT size FROM attachments WHERE sha256 = %s", (sha,)) == [(len(photo),)]
    assert hub_count(hub, "record_attachments", "uuid = %s AND revision = 2", (record.uuid,)) == 1
    actions = [
        r[0]
        for r in sql(
            hub.database,
            "SELECT action FROM record_audit WHERE uuid = %s ORDER BY revision, position",
            (record.uuid,),
        )
    ]
    assert actions[:2] == ["created", "finalized"] and "corrected" in actions
    assert "delivered" not in actions  # the ledger's lines stay on the laptop
    assert _requests(hub, "PUT", "/api/v1/attachments/") == 4  # one per part
    assert _requests(hub, "POST", "/api/v1/records") == 3  # 2 (refused: the hub lacks 1), 1, 2
    # Once more: nothing to send, nothing stored twice.
    laptop.sync()
    assert hub_count(hub, "record_revisions", "uuid = %s", (corrected.uuid,)) == 2
    assert _requests(hub, "POST", "/api/v1/records") == 3


def test_a_photo_the_hub_holds_is_never_sent_again(hub, laptop):
    laptop.join(hub, "张三的电脑")
    photo = os.urandom(50_000)
    first = laptop.final(1)
    laptop.store.add_attachment(first.uuid, photo, "合影.jpg")
    laptop.correct(first.uuid, title="带照片")
    laptop.sync()
    puts = _requests(hub, "PUT", "/api/v1/attachments/")
    second = laptop.final(2)
    laptop.store.add_attachment(second.uuid, photo, "合影-同一张.jpg")
    laptop.correct(second.uuid, title="也带这张照片")
    laptop.sync()
    assert _requests(hub, "PUT", "/api/v1/attachments/") == puts  # asked (HEAD), never sent
    assert hub_count(hub, "attachments") == 1
    assert hub_count(hub, "record_attachments", "uuid = %s AND revision = 2", (second.uuid,)) == 1


def test_an_upload_cut_off_resumes_where_the_hub_stands(hub, laptop):
    joined = laptop.join(hub, "张三的电脑")
    photo = os.urandom(3 * PART_SIZE)
    sha = hashlib.sha256(photo).hexdigest()
    record = laptop.final(1)
    laptop.store.add_attachment(record.uuid, photo, "大照片.jpg")
    laptop.correct(record.uuid, title="带大照片")
    # An earlier run got the first part and a half of the second to the hub before it died: the
    # hub kept the whole first part (parts commit on their own), nothing of the half.
    from sync.hub_client import TOKEN
    from sync.secrets import get_secret

    token = get_secret(laptop.store, joined.target, TOKEN)
    answer = hub.put(
        f"/api/v1/attachments/{sha}",
        token,
        data=photo[:PART_SIZE],
        headers={"Content-Range": f"bytes 0-{PART_SIZE - 1}/{len(photo)}"},
    )
    assert answer.status_code == 202
    before = _requests(hub, "PUT", "/api/v1/attachments/")
    laptop.sync()
    assert _requests(hub, "PUT", "/api/v1/attachments/") - before == 2  # parts 2 and 3 only
    assert sql(hub.database, "SELECT size FROM attachments WHERE sha256 = %s", (sha,)) == [(len(photo),)]
    assert laptop.hub_delivery_states()[-1] == (2, "delivered")


def test_a_record_of_a_branch_the_hub_no_longer_gives_fails_naming_the_branch(hub, laptop):
    laptop.join(hub, "张三的电脑")
    record = laptop.final(1)
    sql(hub.database, "DELETE FROM device_branches")
    laptop.store.update_target(laptop.store.hub_target().id, branches=[BRANCH])  # as before the pull
    target = laptop.store.hub_target()
    from sync.engine import Deliverer

    # Only the hub target, so the pull (which would narrow the filter) runs and then the push.
    Deliverer(laptop.store, http=laptop.http).run(target=target.name)
    [delivery] = laptop.store.deliveries(record_uuid=record.uuid, target_id=target.id)
    assert delivery.state == "failed" and BRANCH in delivery.message
    # An empty filter would mean every branch: a hub that names none leaves the filter as it was.
    assert laptop.store.hub_target().branches == [BRANCH]


def test_a_laptop_that_never_joins_syncs_as_before(laptop):
    laptop.store.add_target("平台", "rest", url="http://127.0.0.1:9/api")
    laptop.final(1)
    summary = laptop.sync()
    assert summary.hub is None and laptop.store.hub_target() is None
    assert laptop.store.get_setting("hub_state") is None
    assert [b.hub_uid for b in laptop.store.branches()] == [None]


def test_a_void_reaches_the_hub_as_the_records_last_revision(hub, laptop):
    laptop.join(hub, "张三的电脑")
    record = laptop.final(1)
    laptop.sync()
    laptop.records.void(record.uuid, "重复录入", "张干事")
    draft, _ = laptop.records.new("sanhui-yike", laptop.branch_id(), {"title": "草稿"}, "张干事")
    laptop.records.void(draft.uuid, "不要了", "张干事")  # a draft never went: nothing to say
    laptop.sync()
    rows = sql(
        hub.database,
        "SELECT revision, base_revision, status, void_reason FROM record_revisions "
        "WHERE uuid = %s ORDER BY revision",
        (record.uuid,),
    )
    assert rows == [(1, 0, "final", None), (2, 1, "void", "重复录入")]
    assert sql(hub.database, "SELECT status FROM records WHERE uuid = %s", (record.uuid,)) == [("void",)]
    assert laptop.hub_delivery_states() == [(1, "delivered"), (2, "delivered")]
    assert laptop.store.record(record.uuid).revision == 1  # here a void is no revision of its own
