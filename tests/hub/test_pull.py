"""Pull: a laptop gets its branches with rosters and cadence overrides, the forms and platform
settings the township publishes, each only when changed since its cursor; never another's branch."""

from __future__ import annotations

import json
import threading

import psycopg

from hub import changes
from hub.cli import main
from tests.hub.conftest import enrolled, joined, sql


def _roster(db: str, branch: str, names: list[str]) -> None:
    """Give a branch a roster (and a cadence override) as the township would: a new change number."""
    sql(
        db,
        "UPDATE branches SET secretary = %s, cadence = %s::jsonb, change = nextval('hub_changes') "
        "WHERE name = %s",
        [names[0], json.dumps({"branch-meeting": {"every": "month"}}), branch],
    )
    sql(db, "DELETE FROM members WHERE branch_id = (SELECT id FROM branches WHERE name = %s)", [branch])
    for n, name in enumerate(names):
        sql(
            db,
            "INSERT INTO members(branch_id, name, role, position) "
            "SELECT id, %s, %s, %s FROM branches WHERE name = %s",
            [name, "书记" if n == 0 else "党员", n, branch],
        )


def test_a_first_pull_brings_everything_and_the_next_only_what_changed(hub):
    device = joined(hub, "张三的电脑", ("红星村党支部", "东风村党支部"))
    token = device["token"]
    enrolled(hub.database, "李四的电脑", ["向阳村党支部"])
    _roster(hub.database, "红星村党支部", ["欧阳晓明", "阿卜杜热合曼·艾买提江", "司马春花"])
    _roster(hub.database, "向阳村党支部", ["上官婉儿"])
    sql(
        hub.database,
        "INSERT INTO forms(id, version, source, change) "
        "VALUES ('visit-note', 1, 'id: visit-note', nextval('hub_changes'))",
    )
    sql(
        hub.database,
        "INSERT INTO platform_settings(name, kind, settings, change) "
        "VALUES ('县组织部', 'rest', '{\"url\": \"https://example.invalid/api\"}', nextval('hub_changes'))",
    )

    first = hub.get("/api/v1/pull", token)
    assert first.status_code == 200, first.text
    answer = first.json()
    by_name = {b["name"]: b for b in answer["branches"]}
    assert sorted(by_name) == ["东风村党支部", "红星村党支部"]  # never 向阳村党支部
    red = by_name["红星村党支部"]
    assert [m["name"] for m in red["members"]] == ["欧阳晓明", "阿卜杜热合曼·艾买提江", "司马春花"]
    assert red["members"][0]["role"] == "书记" and red["secretary"] == "欧阳晓明"
    assert red["cadence"] == {"branch-meeting": {"every": "month"}}
    assert sorted(answer["branch_uids"]) == sorted(b["uid"] for b in device["branches"])
    assert answer["forms"] == [
        {"id": "visit-note", "version": 1, "source": "id: visit-note", "print_layout": None}
    ]
    assert answer["settings"][0]["settings"] == {"url": "https://example.invalid/api"}

    cursor = answer["cursor"]
    quiet = hub.get("/api/v1/pull", token, params={"since": cursor}).json()
    assert (quiet["branches"], quiet["forms"], quiet["settings"], quiet["cursor"]) == ([], [], [], cursor)
    assert len(quiet["branch_uids"]) == 2

    _roster(hub.database, "红星村党支部", ["欧阳晓明", "诸葛明亮"])
    later = hub.get("/api/v1/pull", token, params={"since": cursor}).json()
    assert [b["name"] for b in later["branches"]] == ["红星村党支部"]
    assert [m["name"] for m in later["branches"][0]["members"]] == ["欧阳晓明", "诸葛明亮"]
    assert later["cursor"] > cursor


def test_a_bad_cursor_is_refused(hub):
    token = joined(hub)["token"]
    assert hub.get("/api/v1/pull", token, params={"since": "-1"}).status_code == 400
    assert hub.get("/api/v1/pull", token, params={"since": "abc"}).json()["field"] == "since"


def test_a_cursor_from_before_a_restore_starts_again_from_the_beginning(hub):
    device = joined(hub)
    token = device["token"]
    answer = hub.get("/api/v1/pull", token).json()
    assert answer["reset"] is False and len(answer["branches"]) == 1
    # The laptop holds a cursor the restored hub never handed out.
    future = answer["cursor"] + 1000
    again = hub.get("/api/v1/pull", token, params={"since": future}).json()
    assert again["reset"] is True and len(again["branches"]) == 1 and again["cursor"] == answer["cursor"]
    listing = hub.get(
        "/api/v1/records", token, params={"branch": device["branches"][0]["uid"], "since": future}
    )
    assert listing.json()["reset"] is True


def test_a_roster_file_imported_on_the_hub_reaches_the_laptop(hub, tmp_path, capsys):
    token = joined(hub)["token"]
    cursor = hub.get("/api/v1/pull", token).json()["cursor"]
    roster = tmp_path / "名册.csv"
    roster.write_text(
        "姓名,职务,电话\n欧阳晓明,支部书记,13800138000\n买买提依明·阿不都热西提,党员,\n", encoding="utf-8"
    )
    assert main(["roster", "--database", hub.database, "红星村党支部", str(roster)]) == 0
    assert "2 人" in capsys.readouterr().out
    (red,) = hub.get("/api/v1/pull", token, params={"since": cursor}).json()["branches"]
    assert red["secretary"] == "欧阳晓明"
    assert [(m["name"], m["role"], m["phone"]) for m in red["members"]] == [
        ("欧阳晓明", "书记", "13800138000"),
        ("买买提依明·阿不都热西提", "党员", None),
    ]
    # A file with a problem changes nothing.
    roster.write_text("姓名,职务\n诸葛明亮,队长\n", encoding="utf-8")
    assert main(["roster", "--database", hub.database, "红星村党支部", str(roster)]) == 1
    assert "未做任何更改" in capsys.readouterr().err
    assert len(sql(hub.database, "SELECT name FROM members")) == 2


def test_a_pull_never_moves_its_cursor_past_a_change_still_being_written(hub):
    token = joined(hub)["token"]
    cursor = hub.get("/api/v1/pull", token).json()["cursor"]
    # A township change in flight: its number taken the way hub/changes.py takes them, not committed.
    writer = psycopg.connect(hub.database)
    writer.execute("SELECT pg_advisory_xact_lock_shared(%s)", [changes._KEY])
    writer.execute(
        "UPDATE branches SET code = 'HX01', change = nextval('hub_changes') WHERE name = '红星村党支部'"
    )
    committer = threading.Timer(1.0, writer.commit)
    committer.start()
    try:
        during = hub.get("/api/v1/pull", token, params={"since": cursor}).json()
    finally:
        committer.join()
        writer.close()
    after = hub.get("/api/v1/pull", token, params={"since": during["cursor"]}).json()
    # Whenever the first pull answered, the change is in it or in the next one: never lost.
    seen = [b["code"] for b in during["branches"] + after["branches"]]
    assert seen == ["HX01"]
