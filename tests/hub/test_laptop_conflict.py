"""Two laptops (two data folders), one record, the real hub: a correction made on a base another
laptop already corrected is refused (409) and kept as a conflict with both versions; each way of
resolving it (keep mine, take theirs, merge) ends with one chain of revisions on the hub, nothing
overwritten, and the other targets get the resolution like any correction."""

from __future__ import annotations

import pytest

from sync.hub_handover import handover
from tests.hub.conftest import sql
from tests.hub.laptop import BRANCH, OPERATOR, laptop_at


@pytest.fixture
def two(hub, tmp_path, memory_keyring):
    """Laptop A made a record and pushed it; laptop B took it over through the hub; A then
    corrected it and pushed that; B corrected its copy too, without knowing."""
    a, b = laptop_at(tmp_path / "a"), laptop_at(tmp_path / "b")
    a.join(hub, "甲的电脑")
    b.join(hub, "乙的电脑")
    record = a.final(1)
    a.sync()
    handover(b.store, b.http, BRANCH, OPERATOR)
    a.correct(record.uuid, title="甲的更正")
    a.sync()
    b.correct(record.uuid, host="乙改的主持人")
    yield a, b, record.uuid
    a.close()
    b.close()


def _chain(hub, uuid: str) -> list[tuple]:
    return sql(
        hub.database,
        "SELECT revision, base_revision, data->>'title', data->>'host' "
        "FROM record_revisions WHERE uuid = %s ORDER BY revision",
        (uuid,),
    )


def test_the_second_correction_becomes_a_conflict_with_both_versions(hub, two):
    a, b, uuid = two
    b.sync()
    [conflict] = b.store.hub_conflicts()
    assert conflict.record_uuid == uuid and conflict.revision == 2
    assert conflict.local["host"] == "乙改的主持人" and conflict.theirs["data"]["title"] == "甲的更正"
    assert conflict.theirs["revision"] == 2
    [delivery] = [d for d in b.store.deliveries(record_uuid=uuid) if d.revision == 2]
    assert delivery.state == "failed" and "yici hub conflicts" in delivery.message
    assert _chain(hub, uuid) == [(1, 0, "第1次支部委员会", "王建国"), (2, 1, "甲的更正", "王建国")]
    b.sync()  # nothing is sent again, nothing doubled
    assert len(b.store.hub_conflicts()) == 1 and len(_chain(hub, uuid)) == 2


def test_keeping_mine_goes_on_top_of_the_other_laptops_revision(hub, two):
    a, b, uuid = two
    robot = b.store.add_target("镇平台", "rest", url="http://127.0.0.1:9/api")
    b.sync()
    record, _ = b.records.resolve_hub_conflict(uuid, "mine", OPERATOR)
    assert record.revision == 3
    b.sync()
    assert _chain(hub, uuid)[-1] == (3, 2, "第1次支部委员会", "乙改的主持人")
    assert b.store.hub_conflicts() == []
    assert [d.revision for d in b.store.deliveries(target_id=robot.id)] == [3]  # like any correction
    # A learns of it through a handover, as a newer revision on top of its own.
    handover(a.store, a.http, BRANCH, OPERATOR)
    assert a.store.record(uuid).data["host"] == "乙改的主持人" and a.store.hub_conflicts() == []


def test_taking_theirs_is_not_sent_back_and_the_next_correction_follows_it(hub, two):
    a, b, uuid = two
    b.sync()
    record, _ = b.records.resolve_hub_conflict(uuid, "theirs", OPERATOR)
    assert record.data["title"] == "甲的更正" and record.data["host"] == "王建国"
    b.sync()
    assert len(_chain(hub, uuid)) == 2  # nothing new on the hub
    assert b.hub_delivery_states()[-1] == (3, "delivered")
    b.correct(uuid, topics="乙后来的修改")
    b.sync()
    assert _chain(hub, uuid)[-1][:2] == (3, 2)  # local 4 is the hub's 3, on the hub's 2


def test_a_merge_is_checked_against_the_form_and_sent_on_the_hubs_latest(hub, two):
    a, b, uuid = two
    b.sync()
    conflict = b.store.hub_conflict(uuid)
    merged = {**conflict.theirs["data"], "host": conflict.local["host"]}
    from forms.lifecycle import RecordInvalid

    with pytest.raises(RecordInvalid):
        b.records.resolve_hub_conflict(uuid, "merged", OPERATOR, {**merged, "meeting_type": "不存在的会"})
    assert len(b.store.hub_conflicts()) == 1  # a refused merge changes nothing
    b.records.resolve_hub_conflict(uuid, "merged", OPERATOR, merged)
    b.sync()
    assert _chain(hub, uuid)[-1] == (3, 2, "甲的更正", "乙改的主持人")


def test_the_command_line_lists_and_resolves_conflicts(hub, two, tmp_path):
    import argparse
    import contextlib
    import io

    from desktop.cli import hub as hub_commands

    a, b, uuid = two
    b.sync()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = hub_commands.conflicts(argparse.Namespace(json=False), b.data_dir)
    assert code == 4 and uuid[:8] in out.getvalue() and "乙改的主持人" in out.getvalue()
    assert "甲的更正" in out.getvalue() and "议题1" not in out.getvalue()  # only fields that differ
    with contextlib.redirect_stdout(io.StringIO()):
        code = hub_commands.resolve(
            argparse.Namespace(uuid=uuid[:8], keep="theirs", operator=OPERATOR), b.data_dir
        )
    assert code == 0
