"""The store's side of the township hub: how local revisions are numbered on the hub, a revision in
the hub's shape, conflicts kept and resolved, branches by their hub uid. No hub needed here: the
tests in tests/hub/test_laptop_*.py drive the same methods against a real one."""

from __future__ import annotations

import json

import pytest

from forms.conflict_fields import differing_fields
from forms.lifecycle import RecordInvalid
from forms.store import DELIVERED, FAILED, DeliveryOutcome, NotAllowed, NotFound, hub_numbers
from forms.store.verify import check_database_file
from tests.helpers import HANDOVER_PASSPHRASE as PASS
from tests.sync.engine_setup import OPERATOR, village  # noqa: F401 - fixture

HUB = "https://hub.example"


def test_without_conflicts_a_revision_corrects_the_one_before_it_and_keeps_its_number():
    assert hub_numbers([1, 2, 3], {}) == {1: (0, 1), 2: (1, 2), 3: (2, 3)}


def test_a_revision_put_on_the_hubs_latest_corrects_that_one_and_the_next_follows_it():
    # Local 2 was refused (the hub had another laptop's 2 and 3); local 3 keeps ours on hub 3.
    numbers = hub_numbers([1, 2, 3, 4], {3: {"hub_base": 3, "keep": "mine"}})
    assert numbers == {1: (0, 1), 2: (1, 2), 3: (3, 4), 4: (4, 5)}


def test_a_revision_that_took_the_hubs_version_is_that_revision_and_the_next_corrects_it():
    numbers = hub_numbers([1, 2, 3, 4], {3: {"hub_revision": 2, "hub_base": 1}})
    assert numbers[3] == (1, 2)
    assert numbers[4] == (2, 3)  # the next local revision is sent on the hub's 2


def _conflicted(village, theirs_data: dict, theirs_revision: int = 2):
    """A record whose correction (local 2) the hub refused for another laptop's revision."""
    store = village.store
    branch = store.branch(village.branch_id)
    store.apply_hub_branch({"uid": "a" * 32, "name": branch.name})
    target = store.add_target("乡镇平台", "hub", url=HUB, branches=[branch.name])
    record = village.final(1)
    corrected = village.correct(record.uuid, title="本机的更正")
    delivery = next(d for d in store.deliveries(target_id=target.id) if d.revision == 2)
    store.mark_sending([delivery.id])
    theirs = {
        "uuid": record.uuid,
        "revision": theirs_revision,
        "base_revision": theirs_revision - 1,
        "status": "final",
        "data": theirs_data,
        "summary": "平台的摘要",
        "operator": "李四",
        "finalized_at": "2026-11-06T09:00:00+08:00",
        "void_reason": None,
    }
    store.record_attempts([DeliveryOutcome(delivery.id, FAILED, "冲突", conflict=theirs)])
    return store, target, corrected


def test_a_refused_revision_is_kept_as_a_conflict_with_both_versions(village):
    store, target, corrected = _conflicted(village, {**village.store.record(village.final(9).uuid).data})
    [conflict] = store.hub_conflicts()
    assert conflict.record_uuid == corrected.uuid and conflict.revision == 2
    assert conflict.local == corrected.data and conflict.theirs["operator"] == "李四"
    assert store.hub_conflict(corrected.uuid[:8]).theirs["revision"] == 2
    assert [d.state for d in store.deliveries(target_id=target.id) if d.revision == 2] == [FAILED]


def test_keeping_mine_makes_a_revision_on_the_hubs_latest_for_every_target(village):
    store, target, corrected = _conflicted(village, {"title": "别人的更正"}, theirs_revision=3)
    robot = store.add_target("镇钉钉群", "dingtalk")
    record = store.resolve_hub_conflict(corrected.uuid, "mine", operator=OPERATOR)
    assert record.revision == 3 and record.data == corrected.data
    shape = store.hub_revision(record.uuid, 3)
    assert (shape["revision"], shape["base_revision"]) == (4, 3)  # on the hub's 3
    assert [d.revision for d in store.deliveries(target_id=robot.id)] == [3]
    assert store.hub_conflicts() == []
    with pytest.raises(NotFound):
        store.hub_conflict(record.uuid)
    check_database_file(store.path, key=store.key)  # histories stay whole: 1, 2, 3 here


def test_taking_theirs_is_the_hubs_revision_and_is_never_sent_back(village):
    theirs_data = {**village.store.record(village.final(9).uuid).data, "title": "别人的更正"}
    store, target, corrected = _conflicted(village, theirs_data)
    record = store.resolve_hub_conflict(corrected.uuid, "theirs", operator=OPERATOR)
    assert record.data == theirs_data and record.summary == "平台的摘要"
    [hub_delivery] = [d for d in store.deliveries(target_id=target.id) if d.revision == 3]
    assert hub_delivery.state == DELIVERED and hub_delivery.remote_id == f"{record.uuid}:2"
    next_one = village.correct(record.uuid, title="之后的更正")
    shape = store.hub_revision(next_one.uuid, next_one.revision)
    assert (shape["revision"], shape["base_revision"]) == (3, 2)
    actions = [a.action for a in store.audit(record.uuid)]
    assert "hub_resolved" in actions and "hub_resolved" not in [a["action"] for a in shape["audit"]]


def test_the_hubs_version_is_taken_only_when_it_is_a_valid_record_of_the_form(village):
    # The hub's version comes over the network: one that is not an object, misses the form's
    # required fields or carries a date that is no date is refused, and the record stays as it was.
    good = village.store.record(village.final(9).uuid).data
    store, _, corrected = _conflicted(village, good)
    for data, occurred_on in [("不是对象", None), ({"title": "只有标题"}, None), (good, "不是日期")]:
        store.db.execute(
            "UPDATE hub_conflicts SET theirs = json_set(theirs, '$.data', json(?), '$.occurred_on', ?) "
            "WHERE resolved_at IS NULL",
            [json.dumps(data, ensure_ascii=False), occurred_on],
        )
        with pytest.raises(RecordInvalid):
            village.records.resolve_hub_conflict(corrected.uuid, "theirs", OPERATOR)
        after = store.record(corrected.uuid)
        assert (after.revision, after.data, after.occurred_on) == (
            corrected.revision,
            corrected.data,
            corrected.occurred_on,
        )
        assert [c.record_uuid for c in store.hub_conflicts()] == [corrected.uuid]  # still open
    store.db.execute(
        "UPDATE hub_conflicts SET theirs = json_set(theirs, '$.data', json(?), '$.occurred_on', ?) "
        "WHERE resolved_at IS NULL",
        [json.dumps(good, ensure_ascii=False), corrected.occurred_on],
    )
    record, _ = village.records.resolve_hub_conflict(corrected.uuid, "theirs", OPERATOR)
    assert record.data == good and record.revision == corrected.revision + 1


def test_a_merge_needs_its_values_and_a_void_on_the_hub_can_only_be_taken(village):
    store, _, corrected = _conflicted(village, {"title": "x"})
    with pytest.raises(NotAllowed):
        store.resolve_hub_conflict(corrected.uuid, "merged", operator=OPERATOR)
    [conflict] = store.hub_conflicts()
    store.db.execute(
        "UPDATE hub_conflicts SET theirs = json_set(theirs, '$.status', 'void', '$.void_reason', '重复录入')"
    )
    with pytest.raises(NotAllowed, match="作废"):
        store.resolve_hub_conflict(conflict.record_uuid, "mine", operator=OPERATOR)
    record = store.resolve_hub_conflict(conflict.record_uuid, "theirs", operator=OPERATOR)
    assert record.status == "void" and record.void_reason == "重复录入"


def test_the_fields_that_differ_come_in_the_forms_order_with_labels(village):
    form = village.records.form("sanhui-yike")
    mine = {"title": "甲", "host": "王建国", "topics": "一"}
    theirs = {"title": "乙", "host": "王建国", "extra": 1}
    found = differing_fields(form, mine, theirs)
    assert [(d.key, d.mine, d.theirs) for d in found] == [
        ("title", "甲", "乙"),
        ("topics", "一", None),
        ("extra", None, 1),
    ]
    assert found[0].label != "title"


def test_a_branch_keeps_its_hub_uid_through_a_rename_and_its_roster_is_the_townships(village):
    store = village.store
    store.add_member(village.branch_id, "旧党员")
    name = store.branch(village.branch_id).name
    branch, _ = store.apply_hub_branch(
        {"uid": "b" * 32, "name": name, "members": [{"name": "新书记", "role": "书记"}, {"name": "新党员"}]}
    )
    assert branch.id == village.branch_id and branch.hub_uid == "b" * 32
    renamed, _ = store.apply_hub_branch({"uid": "b" * 32, "name": "红星村第一党支部", "cadence": {"x": {}}})
    assert renamed.id == village.branch_id and renamed.name == "红星村第一党支部"
    assert [m.name for m in store.members(village.branch_id)] == ["新书记", "新党员"]
    assert "旧党员" in store.roster_ever(village.branch_id)  # taken off, never deleted


def test_a_handover_file_and_a_backup_carry_a_laptops_hub_conflicts_safely(village, tmp_path):
    from forms.catalog import Catalog
    from forms.handover import export_all, import_all
    from forms.store import Store

    store, _, corrected = _conflicted(village, {"title": "别人的更正"})
    store.set_setting("hub_state", {"target": store.hub_target().uid, "cursor": 41})
    backup = store.backup("test")
    check_database_file(backup, key=store.key)  # the new table is part of a sound database
    path = export_all(store, tmp_path / "handover.zip", PASS).path
    with Store.open(tmp_path / "new") as new:
        import_all(new, Catalog(tmp_path / "new"), path, OPERATOR, PASS)
        assert new.record(corrected.uuid).revision == 2
        assert new.hub_conflicts() == []  # this laptop's conflicts stay with its own hub target
        assert new.get_setting("hub_state") is None  # nor does its place in the hub's changes
        assert all(b.hub_uid is None for b in new.branches())
