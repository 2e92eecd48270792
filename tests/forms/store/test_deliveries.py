"""The store's targets and deliveries: queued with the record, superseded, cancelled, decided."""

from __future__ import annotations

import pytest

from forms.store import AWAITING_UPLOAD, DELIVERED, FAILED, PENDING, DeliveryOutcome, NotAllowed, Store
from tests.sync.engine_setup import OPERATOR, village  # noqa: F401 - fixture


def test_finalize_queues_one_delivery_per_matching_enabled_target(village):
    store = village.store
    everything = store.add_target("全部", "rest", url="https://p.example/api")
    meetings = store.add_target("只要三会一课", "dingtalk", forms=["sanhui-yike"])
    visits = store.add_target("只要走访", "wecom", forms=["ruhu-zoufang"])
    other_branch = store.add_target("只要青山村", "feishu", branches=["青山村党支部"])
    store.add_target("停用的", "rest", url="https://q.example/api", enabled=False)

    record = village.final(1)
    assert sorted(d.target_name for d in store.deliveries(record_uuid=record.uuid)) == sorted(
        [everything.name, meetings.name]
    )
    elsewhere = village.final(2, branch_id=village.other_branch_id)
    assert sorted(d.target_name for d in store.deliveries(record_uuid=elsewhere.uuid)) == sorted(
        [everything.name, meetings.name, other_branch.name]
    )
    assert all(d.state == "pending" and d.revision == 1 for d in store.deliveries())
    assert store.deliveries(target_id=visits.id) == []
    draft, _ = village.records.new("sanhui-yike", village.branch_id, {"title": "草稿"}, OPERATOR)
    assert store.deliveries(record_uuid=draft.uuid) == []  # drafts go nowhere


def test_a_failing_hook_rolls_back_the_finalize_and_its_deliveries(village):
    store = village.store
    store.add_target("平台", "rest", url="https://p.example/api")

    def broken(db, record):
        raise RuntimeError("disk trouble")

    store.on_final_hooks.append(broken)
    with pytest.raises(RuntimeError):
        village.final(1)
    store.on_final_hooks.remove(broken)
    assert store.count_records() == 0
    assert store.deliveries() == []

    draft, _ = village.records.new("sanhui-yike", village.branch_id, {"title": "草稿"}, OPERATOR)
    store.on_final_hooks.append(broken)
    with pytest.raises(RuntimeError):
        store.finalize(draft.uuid, OPERATOR)
    assert store.record(draft.uuid).status == "draft" and store.deliveries() == []


def test_correction_supersedes_a_pending_older_revision_but_not_a_delivered_one(village):
    store = village.store
    target = store.add_target("平台", "rest", url="https://p.example/api")
    record = village.final(1)
    village.correct(record.uuid, title="第一次更正")
    assert [(d.revision, d.state) for d in store.deliveries(target_id=target.id)] == [
        (2, "pending"),
        (1, "superseded"),
    ]

    (rev2,) = [d for d in store.deliveries() if d.revision == 2]
    store.mark_sending([rev2.id])
    store.record_attempts([DeliveryOutcome(rev2.id, DELIVERED, "ok", "R1", "{}")])
    village.correct(record.uuid, title="第二次更正")
    assert [(d.revision, d.state) for d in store.deliveries(target_id=target.id)] == [
        (3, "pending"),
        (2, "delivered"),
        (1, "superseded"),
    ]


def test_an_older_revision_that_failed_transiently_after_a_correction_is_superseded(village):
    store = village.store
    store.add_target("平台", "rest", url="https://p.example/api")
    record = village.final(1)
    (rev1,) = store.deliveries()
    store.mark_sending([rev1.id])  # on its way when the correction came
    village.correct(record.uuid, title="更正")
    store.record_attempts([DeliveryOutcome(rev1.id, PENDING, "timeout", None, "", next_attempt_at=9e9)])
    assert {d.revision: d.state for d in store.deliveries()} == {1: "superseded", 2: "pending"}


def test_remove_target_cancels_what_has_not_gone_out(village):
    store = village.store
    target = store.add_target("平台", "dingtalk")
    a, b, c = (village.final(n) for n in range(3))
    rows = {d.record_uuid: d for d in store.deliveries()}
    store.mark_sending([rows[a.uuid].id])
    store.record_attempts([DeliveryOutcome(rows[a.uuid].id, DELIVERED, "ok", None, "")])
    store.mark_sending([rows[b.uuid].id])
    store.recover_interrupted(set())  # b becomes uncertain
    store.remove_target(target.id, OPERATOR)
    states = {d.record_uuid: d.state for d in store.deliveries()}
    assert states == {a.uuid: "delivered", b.uuid: "cancelled", c.uuid: "cancelled"}
    assert store.targets() == []
    assert village.final(4) and store.deliveries(state="pending") == []  # nothing new queued
    assert store.delivery_counts() == {}


def test_resend_and_mark_delivered_are_audited_and_guarded(village):
    store = village.store
    store.add_target("平台", "wecom")
    record = village.final(1)
    (d,) = store.deliveries()
    store.mark_sending([d.id])
    store.record_attempts([DeliveryOutcome(d.id, FAILED, "格式错误", None, "")])
    again = store.resend(d.id, OPERATOR)
    assert again.state == "pending" and again.next_attempt_at is None and again.not_before is None
    store.mark_sending([d.id])
    store.recover_interrupted(set())
    assert store.delivery(d.id).state == "uncertain"
    done = store.mark_delivered(d.id, OPERATOR)
    assert done.state == "delivered" and done.delivered_at
    with pytest.raises(NotAllowed):
        store.resend(d.id, OPERATOR)
    with pytest.raises(NotAllowed):
        store.mark_delivered(d.id, "  ")  # an operator is required
    actions = [(e.action, e.detail.get("was")) for e in store.audit(record.uuid)]
    assert ("resend", "failed") in actions and ("marked_delivered", "uncertain") in actions
    assert ("delivery_failed", None) in actions and ("delivery_uncertain", None) in actions


def test_delivery_counts_per_target_and_state(village):
    store = village.store
    rest = store.add_target("平台", "rest", url="https://p.example/api")
    store.add_target("空的", "xlsx", forms=["dangfei"])
    for n in range(3):
        village.final(n)
    first = store.deliveries(target_id=rest.id)[-1]
    store.mark_sending([first.id])
    store.record_attempts([DeliveryOutcome(first.id, DELIVERED, "ok", None, "")])
    assert store.delivery_counts() == {"平台": {"pending": 2, "delivered": 1}, "空的": {}}
    assert store.pending_count() == 2


def test_queue_existing_and_confirm_upload_marks_only_the_given_keys(village):
    store = village.store
    records = [village.final(n) for n in range(3)]
    target = store.add_target("县里导入", "xlsx")
    assert store.queue_existing(target.id, OPERATOR) == 3
    assert store.queue_existing(target.id, OPERATOR) == 0
    rows = sorted(store.deliveries(target_id=target.id), key=lambda d: d.id)
    store.mark_sending([d.id for d in rows])
    store.record_attempts([DeliveryOutcome(d.id, AWAITING_UPLOAD, "写入", "f.xlsx", "") for d in rows])
    keys = [
        f"{records[0].uuid}:1:{target.id}",
        f"{records[1].uuid}:1:{target.id}",
        f"{records[2].uuid}:1:{target.id + 1}",
        "garbage",
    ]
    assert store.confirm_upload(target.id, keys, OPERATOR, batch="f.xlsx") == 2
    assert {d.record_uuid: d.state for d in store.deliveries()} == {
        records[0].uuid: "delivered",
        records[1].uuid: "delivered",
        records[2].uuid: "awaiting_upload",
    }
    assert store.confirm_upload(target.id, keys, OPERATOR) == 0  # already delivered


def test_sending_survives_a_reopen_and_recover_counts(village, data_dir):
    store = village.store
    store.add_target("平台", "rest", url="https://p.example/api")
    store.add_target("群", "dingtalk")
    village.final(1)
    store.mark_sending([d.id for d in store.deliveries()])
    store.close()
    reopened = Store.open(data_dir)
    try:
        assert sorted(d.state for d in reopened.deliveries()) == ["sending", "sending"]
        assert reopened.recover_interrupted({"rest"}) == (1, 1)
        assert sorted(d.state for d in reopened.deliveries()) == ["pending", "uncertain"]
    finally:
        reopened.close()
        village.store = Store.open(data_dir)


def test_the_store_refuses_credentials_in_a_targets_url_or_options(tmp_path):
    """Secrets only in the keyring: however a target arrives (page, profile, import), a token in
    its plain-text settings is refused."""
    from forms.store import NotAllowed, Store

    with Store.open(tmp_path) as store:
        with pytest.raises(NotAllowed, match="access_token"):
            store.add_target("平台", "rest", url="https://x.gov.cn/api?access_token=T0KEN9")
        with pytest.raises(NotAllowed, match="app_secret"):
            store.add_target("平台", "rest", url="https://x.gov.cn/api", options={"app_secret": "S3CRET9"})
        target = store.add_target("平台", "rest", url="https://x.gov.cn/api", options={"auth": "bearer"})
        with pytest.raises(NotAllowed):
            store.update_target(
                target.id, options={"hook": "https://oapi.dingtalk.com/robot/send?access_token=T0KEN9"}
            )
        assert store.target("平台").options == {"auth": "bearer"}
    assert b"T0KEN9" not in (tmp_path / "yici.db").read_bytes()
