"""A branch's records handed over through the real hub onto a new laptop: every revision, the audit
and the files (downloaded and checked), nothing sent back to the hub, the new laptop's other
platforms queued as after a handover file; taking it in again changes nothing."""

from __future__ import annotations

import hashlib
import os

import pytest

from sync.hub_handover import handover
from tests.hub.laptop import BRANCH, OPERATOR, hub_count, laptop_at


@pytest.fixture
def old_and_new(hub, tmp_path, memory_keyring):
    old, new = laptop_at(tmp_path / "old"), laptop_at(tmp_path / "new", branches=())
    yield old, new
    old.close()
    new.close()


def test_a_new_laptop_takes_a_branch_over_with_history_audit_and_files(hub, old_and_new):
    old, new = old_and_new
    old.join(hub, "旧电脑")
    photo = os.urandom(200_000)
    first = old.final(1)
    old.store.add_attachment(first.uuid, photo, "会场.jpg")
    old.correct(first.uuid, title="更正后的标题")
    second = old.final(2)
    old.sync()
    assert hub_count(hub, "record_revisions") == 3

    new.join(hub, "新电脑")  # the branch comes with the join (made here, by its hub uid)
    county = new.store.add_target("县平台", "rest", url="http://127.0.0.1:9/api")
    report = handover(new.store, new.http, BRANCH, OPERATOR)
    assert (report.added, report.updated, report.files, report.conflicts) == (2, 0, 1, [])
    record = new.store.record(first.uuid)
    assert record.revision == 2 and record.data["title"] == "更正后的标题"
    assert [r.data["title"] for r in new.store.history(first.uuid)] == ["第1次支部委员会", "更正后的标题"]
    [attachment] = new.store.attachments(first.uuid)
    sha = hashlib.sha256(photo).hexdigest()
    assert attachment.sha256 == sha and new.store.attachment_bytes(sha) == photo
    actions = [a.action for a in new.store.audit(first.uuid)]
    assert {"created", "finalized", "corrected"} <= set(actions)
    hub_target = new.store.hub_target()
    assert {(d.record_uuid, str(d.state)) for d in new.store.deliveries(target_id=hub_target.id)} == {
        (first.uuid, "delivered"),
        (second.uuid, "delivered"),
    }
    assert sorted(d.record_uuid for d in new.store.deliveries(target_id=county.id)) == sorted(
        [first.uuid, second.uuid]
    )  # queued by this laptop's own platform, as after a handover file
    posts = hub.log_text().count("POST /api/v1/records")
    new.sync()
    assert hub.log_text().count("POST /api/v1/records") == posts  # nothing goes back to the hub
    again = handover(new.store, new.http, BRANCH, OPERATOR)
    assert (again.added, again.updated, again.unchanged, again.files) == (0, 0, 2, 0)
    assert len(new.store.audit(first.uuid)) == len(actions) + 0  # no line twice
    # Work goes on from the new laptop: its correction lands on the hub's chain.
    new.correct(first.uuid, topics="新电脑上的更正")
    new.sync()
    assert hub_count(hub, "record_revisions", "uuid = %s", (first.uuid,)) == 3


def test_a_record_voided_here_is_never_brought_back_by_a_handover(hub, old_and_new):
    # This laptop voided a record (offline) while another laptop corrected it on the hub: taking
    # the branch in from the hub must not turn the void back into a final record.
    old, new = old_and_new
    old.join(hub, "旧电脑")
    record = old.final(1)
    old.sync()
    new.join(hub, "新电脑")
    handover(new.store, new.http, BRANCH, OPERATOR)
    new.correct(record.uuid, title="新电脑的更正")
    new.sync()
    assert hub_count(hub, "record_revisions", "uuid = %s", (record.uuid,)) == 2
    old.records.void(record.uuid, "重复录入", OPERATOR)
    report = handover(old.store, old.http, BRANCH, OPERATOR)
    here = old.store.record(record.uuid)
    assert here.status == "void" and here.void_reason == "重复录入"
    assert report.updated == 0
