"""`yici deliveries ...` end to end: the command line in subprocesses, real platform servers
on 127.0.0.1 in this process, a file keyring only these tests use. Every test ends by checking
that no secret value appears in anything the commands printed or in any file of the data folder
(fixture `cli`)."""

from __future__ import annotations

import pytest

from forms.store import Store
from tests.desktop.cli.helpers import SIGN


def test_deliveries_resend_and_mark_delivered(cli, dingtalk):
    cli("targets", "add", "钉钉群", "--kind", "dingtalk")
    cli("targets", "secret", "钉钉群", input=dingtalk.webhook)
    cli("targets", "secret", "钉钉群", "--name", "sign_secret", input=SIGN)
    first, second = cli.record(), cli.record()

    # The robot refuses one message outright (an unknown code): failed, exit 4; then resent.
    dingtalk.codes_next = [(40035, "缺少参数 json")]
    failed = cli("sync", code=4)
    assert "失败 1" in failed.stdout and len(dingtalk.accepted) == 1
    [bad] = cli.json("deliveries", "list", "--state", "failed")
    assert "40035" in bad["message"]
    cli("deliveries", "mark-delivered", 999, code=1)
    cli("deliveries", "list", "--state", "nonsense", code=1)
    assert "已重新排队" in cli("deliveries", "resend", bad["id"]).stdout
    cli("sync")
    assert len(dingtalk.accepted) == 2
    cli("deliveries", "resend", bad["id"], code=1)  # delivered: nothing to resend

    # A crash while sending: the robot cannot dedupe, so the next sync asks a person.
    third = cli.record()
    store = Store.open(cli.data_dir)
    try:
        [queued] = store.deliveries(record_uuid=third)
        store.mark_sending([queued.id])
    finally:
        store.close()
    recovered = cli("sync", code=4)
    assert "可能已发送" in recovered.stdout and len(dingtalk.accepted) == 2  # not resent silently
    [uncertain] = cli.json("deliveries", "list", "--state", "uncertain")
    assert uncertain["record_uuid"] == third
    assert cli.json("status", code=4)["uncertain"] == 1
    assert "已标记为已送达" in cli("deliveries", "mark-delivered", uncertain["id"]).stdout
    cli("status")
    assert {first, second, third} == {
        d["record_uuid"] for d in cli.json("deliveries", "list", "--state", "delivered")
    }
    assert "确认已送达" in cli("records", "show", third).stdout


def test_xlsx_target_then_confirm_upload(cli, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    exports = tmp_path / "exports"
    cli(
        "targets",
        "add",
        "导入表",
        "--kind",
        "xlsx",
        "--option",
        f"folder={exports}",
        "--option",
        "columns=会议名称=title;支部=branch;召开日期=held_at[:10]",
    )
    assert "导出文件夹可写" in cli("targets", "test", "导入表").stdout
    uuids = [cli.record(), cli.record()]
    written = cli("sync", code=3)  # in the file, not yet on the platform
    assert "待上传 2" in written.stdout and "confirm-upload 导入表" in written.stdout
    [batch] = [p for p in exports.glob("*.xlsx")]
    rows = list(openpyxl.load_workbook(batch).active.values)
    assert rows[0] == ("会议名称", "支部", "召开日期", "一次记录编号（请勿修改）")
    assert [row[:3] for row in rows[1:]] == [("十一月支部委员会", "红星村党支部", "2026-11-05")] * 2
    assert {row[3].split(":")[0] for row in rows[1:]} == set(uuids)
    waiting = cli.json("deliveries", "list", "--target", "导入表", "--state", "awaiting_upload")
    assert {d["record_uuid"] for d in waiting} == set(uuids)

    confirmed = cli("deliveries", "confirm-upload", "导入表")
    assert "2 条记录标记为已送达" in confirmed.stdout and batch.name in confirmed.stdout
    assert cli.json("status")["deliveries"] == {"导入表": {"delivered": 2}}
    cli.record()
    cli("sync", code=3)
    assert len(list(exports.glob("*.xlsx"))) == 2  # the next rows started a new file
    cli("targets", "add", "接口", "--kind", "rest", "--url", "http://127.0.0.1:9/api")
    assert "不是 Excel" in cli("deliveries", "confirm-upload", "接口", code=1).stderr


def test_confirm_upload_names_rows_missing_from_the_file(cli, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    exports = tmp_path / "exports"
    cli(
        "targets",
        "add",
        "导入表",
        "--kind",
        "xlsx",
        "--option",
        f"folder={exports}",
        "--option",
        "columns=会议名称=title",
    )
    cli.record(), cli.record()
    cli("sync", code=3)
    [batch] = list(exports.glob("*.xlsx"))
    wb = openpyxl.load_workbook(batch)
    wb.active.delete_rows(3)  # one row deleted in Excel before the upload
    wb.save(batch)
    confirmed = cli("deliveries", "confirm-upload", "导入表")
    assert "1 条记录标记为已送达" in confirmed.stdout
    assert "原第 3 行（十一月支部委员会" in confirmed.stderr and "不在文件中" in confirmed.stderr
    assert "推送编号" in confirmed.stderr and "Traceback" not in confirmed.stderr
    waiting = cli.json("deliveries", "list", "--target", "导入表", "--state", "awaiting_upload")
    assert len(waiting) == 1 and "其他导入文件" not in confirmed.stderr
