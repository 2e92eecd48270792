"""`yici copy` and `yici targets add --kind copy --fields FILE` in the real `yici`: a fields file
checked with FILE:LINE, what waits for entry, a record's values in the platform's order, photos
exported with the originals untouched, entered and problems kept in the audit."""

from __future__ import annotations

import hashlib

from forms.catalog import Catalog
from forms.lifecycle import Records
from forms.store import Store
from tests.desktop.cli.conftest import MEETING_ARGS

FIELDS = """\
# 县党建系统 · 三会一课
会议类型 = meeting_type
会议类型代码 = {'支部党员大会': '01', '支部委员会': '02'}[meeting_type]
召开日期 = held_at[:4] ~ '年' ~ held_at[5:7] ~ '月' ~ held_at[8:10] ~ '日'
会议名称 = title
会议内容 = content
"""


def test_a_fields_file_with_mistakes_names_file_and_line(cli, tmp_path):
    bad = tmp_path / "字段.txt"
    bad.write_text("会议类型 = meeting_type\n召开日期 = held_at[:10] +\n没有等号\n", encoding="utf-8")
    refused = cli("targets", "add", "县党建系统", "--kind", "copy", "--fields", bad, code=1)
    assert f"{bad}:2: 字段“召开日期”的表达式有误" in refused.stderr
    assert f"{bad}:3: “没有等号”应写成 标签 = 表达式" in refused.stderr
    assert cli.json("targets", "list") == []
    refused = cli("targets", "add", "县党建系统", "--kind", "copy", "--option", "fields=甲 = a +", code=1)
    assert "第 1 行" in refused.stderr and "甲" in refused.stderr


def test_values_in_order_photos_and_the_persons_word(cli, tmp_path, data_dir):
    fields = tmp_path / "字段.txt"
    fields.write_text(FIELDS, encoding="utf-8")
    cli("targets", "add", "县党建系统", "--kind", "copy", "--fields", fields)
    assert cli("copy", "list").stdout.strip() == "没有待录入的记录。"
    first = cli.record()
    second = cli.record()
    waiting = cli.json("copy", "list")
    assert [w["record_uuid"] for w in waiting] == [first, second]
    assert cli.json("status", code=3)["awaiting_entry"] == 2
    cli("sync", code=3)  # nothing is sent; both still wait for a person
    assert [d["state"] for d in cli.json("deliveries", "list")] == ["awaiting_entry"] * 2

    shown = cli("copy", "show", waiting[0]["id"]).stdout.splitlines()
    assert shown[1:] == [
        "1. 会议类型：支部委员会",
        "2. 会议类型代码：02",
        "3. 召开日期：2026年11月05日",
        "4. 会议名称：十一月支部委员会",
        "5. 会议内容：传达上级精神，部署冬季防火。",
    ]

    # A third record with a photo, attached as the window attaches one, then made final.
    draft = cli("records", "new", "sanhui-yike", "--branch", "HX01", *MEETING_ARGS).stdout.strip()
    with Store.open(data_dir) as store:
        photo = store.add_attachment(draft, b"\xff\xd8photo" * 100, name="IMG_0001.JPG")
        records = Records(store, Catalog())
        values = {**store.record(draft).data, "photos": [{"sha256": photo.sha256, "name": photo.name}]}
        records.save_draft(draft, values, "测试员")
        original = store.attachment_path(photo.sha256)
    cli("records", "finalize", draft)
    before = b"\xff\xd8photo" * 100
    sealed = original.read_bytes()
    [third] = [w for w in cli.json("copy", "list") if w["record_uuid"] == draft]
    assert "有 1 个照片或文件" in cli("copy", "show", third["id"]).stderr
    out = cli("copy", "photos", third["id"], "--to", tmp_path / "导出")
    assert "已导出 1 个文件到" in out.stdout and "会议照片-1.jpg" in out.stdout
    [copied] = (tmp_path / "导出").rglob("*.jpg")
    assert copied.read_bytes() == before and copied.parent.name.startswith("红星村党支部-三会一课")
    assert original.read_bytes() == sealed and hashlib.sha256(before).hexdigest() == photo.sha256
    cli("copy", "photos", third["id"], code=1)  # no --to and no folder option: says so

    cli("copy", "entered", waiting[0]["id"])
    cli("copy", "problem", waiting[1]["id"], "--reason", "平台要求先录入党员名单")
    states = {d["record_uuid"]: (d["state"], d["message"]) for d in cli.json("deliveries", "list")}
    assert states[first][0] == "delivered"
    assert states[second] == ("failed", "平台要求先录入党员名单")
    [entered] = [a for a in cli.json("records", "show", first)["audit"] if a["action"] == "entered"]
    assert entered["operator"] == "测试员" and entered["at"]
    [problem] = [a for a in cli.json("records", "show", second)["audit"] if a["action"] == "entry_problem"]
    assert problem["detail"]["reason"] == "平台要求先录入党员名单"
    assert [w["record_uuid"] for w in cli.json("copy", "list")] == [draft]


def test_copy_commands_refuse_other_kinds(cli):
    cli("targets", "add", "钉钉群", "--kind", "dingtalk")
    cli.record()
    [d] = cli.json("deliveries", "list")
    refused = cli("copy", "entered", d["id"], code=1)
    assert "不是手工录入的平台" in refused.stderr
