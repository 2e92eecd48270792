"""What the township publishes reaches a joined laptop at the start of its sync, from the real hub:
a renamed branch (by its uid), the township's roster (people no longer on it taken off, never
deleted), cadence overrides, a form with its print layout, platform settings without secrets
(a secret entered here is never overwritten); a hub restored from a backup gets everything again."""

from __future__ import annotations

import json

import pytest

from forms.catalog import Catalog
from sync.hub_pull import STATE, pull
from sync.secrets import get_secret, set_secret
from tests.forms.paper.test_custom_layout import LAYOUT
from tests.forms.paper.test_layouts import CUSTOM
from tests.hub.conftest import enrolled, sql
from tests.hub.laptop import BRANCH, hub_count, laptop_at

NEXT = "nextval('hub_changes')"


@pytest.fixture
def laptop(tmp_path, memory_keyring):
    made = laptop_at(tmp_path / "laptop")
    made.store.add_member(made.branch_id(), "老党员")
    made.store.add_member(made.branch_id(), "王建国", role="书记")  # the meetings' host
    yield made
    made.close()


def _publish(hub) -> None:
    """The township renames the branch, sets its roster and cadence, publishes a form and a platform."""
    db = hub.database
    [(bid,)] = sql(db, "SELECT id FROM branches WHERE name = %s", (BRANCH,))
    sql(
        db,
        "INSERT INTO members(branch_id, name, role, phone, position) VALUES "
        "(%s, '欧阳晓明', '书记', NULL, 0), (%s, '新党员', '党员', '13800000000', 1)",
        (bid, bid),
    )
    cadence = json.dumps({"sanhui-yike": {"every": "quarter"}})
    sql(
        db,
        "UPDATE branches SET name = '红星村第一党支部', secretary = '欧阳晓明', cadence = %s, "
        f"change = {NEXT} WHERE id = %s",
        (cadence, bid),
    )
    sql(
        db,
        "INSERT INTO forms(id, version, source, print_layout, change) "
        f"VALUES ('cunmin-huiyi', 1, %s, %s, {NEXT})",
        (CUSTOM, LAYOUT),
    )
    settings = json.dumps(
        {"url": "https://county.example/api", "options": {"auth": "bearer"}, "forms": ["sanhui-yike"]}
    )
    sql(
        db,
        "INSERT INTO platform_settings(name, kind, settings, change) "
        f"VALUES ('县组织部', 'rest', %s, {NEXT})",
        (settings,),
    )


def test_a_sync_brings_branches_rosters_cadence_forms_and_settings(hub, laptop):
    laptop.join(hub, "张三的电脑")
    branch_id = laptop.branch_id()
    _publish(hub)
    summary = laptop.sync()
    assert summary.hub and "已从乡镇平台更新" in summary.hub
    branch = laptop.store.branch(branch_id)
    assert branch.name == "红星村第一党支部" and branch.secretary == "欧阳晓明"
    assert branch.cadence == {"sanhui-yike": {"every": "quarter"}}
    assert [(m.name, m.role) for m in laptop.store.members(branch_id)] == [
        ("欧阳晓明", "书记"),
        ("新党员", "党员"),
    ]
    assert "老党员" in laptop.store.roster_ever(branch_id)  # taken off, not deleted
    assert "王建国" in laptop.store.roster_ever(branch_id)
    assert laptop.store.hub_target().branches == ["红星村第一党支部"]  # the filter follows the rename
    catalog = Catalog(laptop.data_dir)
    assert catalog.get("cunmin-huiyi", 1).title
    assert (laptop.data_dir / "forms" / "cunmin-huiyi-v1.print.html").read_text(encoding="utf-8") == LAYOUT
    county = laptop.store.target("县组织部")
    assert county.url == "https://county.example/api" and county.options == {"auth": "bearer"}
    assert county.forms == ["sanhui-yike"]
    # The person enters the county's token here; the township changes a non-secret setting.
    set_secret(laptop.store, county, "token", "县里的令牌")
    settings = json.dumps(
        {"url": "https://county.example/api", "options": {"auth": "bearer", "timeout": "60"}}
    )
    sql(hub.database, f"UPDATE platform_settings SET settings = %s, change = {NEXT}", (settings,))
    laptop.sync()
    county = laptop.store.target("县组织部")
    assert county.options["timeout"] == "60" and get_secret(laptop.store, county, "token") == "县里的令牌"
    state = laptop.store.get_setting(STATE)
    assert state["cursor"] > 0 and state["target"] == laptop.store.hub_target().uid


def test_a_hub_restored_from_a_backup_is_sent_everything_again(hub, laptop):
    laptop.join(hub, "张三的电脑")
    record = laptop.final(1)
    laptop.sync()
    sql(hub.database, "DELETE FROM record_audit")
    sql(hub.database, "DELETE FROM record_attachments")
    sql(hub.database, "DELETE FROM record_revisions")
    sql(hub.database, "DELETE FROM records")
    state = laptop.store.get_setting(STATE)
    laptop.store.set_setting(STATE, {**state, "cursor": 10**9})  # past all the restored hub knows
    summary = laptop.sync()
    assert "恢复" in (summary.hub or "")
    assert hub_count(hub, "record_revisions", "uuid = %s", (record.uuid,)) == 1
    laptop.sync()
    assert hub_count(hub, "record_revisions", "uuid = %s", (record.uuid,)) == 1
    assert laptop.hub_delivery_states() == [(1, "delivered")]


class _Killed(BaseException):
    """The process ending at this point (as SIGKILL would: nothing after it runs)."""


def test_a_pull_cut_off_before_its_branch_s_records_were_queued_queues_them_at_the_next(
    hub, laptop, monkeypatch
):
    # The township gives the laptop a second branch; the laptop has records of it from before.
    # A pull that took the branch in but was cut off before queuing those records for the hub
    # must not have taken it in at all: the next pull does it again, records included.
    other = "东风村党支部"
    laptop.store.add_branch(other)
    laptop.store.add_member(laptop.branch_id(other), "王建国", role="书记")
    joined = laptop.join(hub, "张三的电脑")
    enrolled(hub.database, "李四的电脑", [BRANCH, other])  # the hub now has the second branch
    record = laptop.final(1, branch=other)
    sql(
        hub.database,
        f"INSERT INTO device_branches(device_id, branch_id, change) SELECT %s, id, {NEXT} "
        "FROM branches WHERE name = %s",
        (joined.device_id, other),
    )

    def killed(*args, **kwargs):
        raise _Killed

    with monkeypatch.context() as patched:
        patched.setattr(type(laptop.store), "queue_existing", killed)
        with pytest.raises(_Killed):
            pull(laptop.store, laptop.http)
    laptop.sync()
    assert hub_count(hub, "record_revisions", "uuid = %s", (record.uuid,)) == 1
