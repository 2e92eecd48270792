"""Kind `xlsx`: rows appended to a real import template, once per delivery, crash-safe."""

from __future__ import annotations

import json
import os
import re

import openpyxl
import pytest

from sync import xlsx
from sync.kind import ATTENTION, PERMANENT, TRANSIENT, Outgoing, TargetConfig
from sync.xlsx import KIND, WRITTEN, batch_keys, close_batch, open_batch

COLUMNS = (
    "会议类型=meeting_type\n召开日期=held_at[:10]\n实到人数=attend_count\n支部名称=branch\n实到人员=attendees"
)


@pytest.fixture
def template(tmp_path):
    """A platform template: a title row, headers on row 2 (some marked required), an unmapped column."""
    path = tmp_path / "三会一课录入模板.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "三会一课"
    ws["A1"] = "三会一课录入模板（请勿修改表头）"
    for col, header in enumerate(
        ["序号", "*支部名称", "会议类型", "召开日期", "实到人数", "备注", "实到人员"], 1
    ):
        ws.cell(row=2, column=col, value=header)
    wb.create_sheet("填写说明")["A1"] = "会议类型请从下拉中选择"
    wb.save(path)
    return path


def target(tmp_path, template=None, target_id=5, **options) -> TargetConfig:
    options = {"folder": str(tmp_path / "导出"), "columns": COLUMNS, **options}
    if template is not None:
        options.update(template_file=str(template), header_row="2")
    return TargetConfig(id=target_id, name="县党建/导入", kind="xlsx", options=options)


def item(tgt, uuid="rec-1", revision=1, **data) -> Outgoing:
    values = {
        "meeting_type": "支部委员会",
        "held_at": "2026-03-05T14:30",
        "attend_count": 5,
        "attendees": ["王建国", "李秀英"],
        **data,
    }
    return Outgoing(
        target=tgt,
        secrets={},
        record_uuid=uuid,
        revision=revision,
        form_id="sanhui-yike",
        form_title="三会一课",
        branch="红星村党支部",
        operator="李秀英",
        status="final",
        data=values,
        labels={},
        is_correction=revision > 1,
    )


def rows(path, sheet=None, first=3):
    ws = openpyxl.load_workbook(path)[sheet] if sheet else openpyxl.load_workbook(path).active
    return [list(r) for r in ws.iter_rows(min_row=first, values_only=True)]


def test_rows_go_under_the_right_headers_of_the_template(tmp_path, template):
    tgt = target(tmp_path, template)
    first = KIND.send(item(tgt), None)
    second = KIND.send(item(tgt, uuid="rec-2", meeting_type="党小组会", attend_count=7), None)
    assert first.outcome == second.outcome == WRITTEN
    assert re.fullmatch(r"县党建_导入-\d{8}-\d{6}\.xlsx", first.remote_id)
    assert second.remote_id == first.remote_id
    assert "第 3 行" in first.message and "第 4 行" in second.message
    path = tmp_path / "导出" / first.remote_id
    assert rows(path, "三会一课") == [
        [None, "红星村党支部", "支部委员会", "2026-03-05", 5, None, "王建国、李秀英", "rec-1:1:5"],
        [None, "红星村党支部", "党小组会", "2026-03-05", 7, None, "王建国、李秀英", "rec-2:1:5"],
    ]  # the last column says which record each row is (confirming reads it back)
    wb = openpyxl.load_workbook(path)
    assert wb["三会一课"]["A1"].value == "三会一课录入模板（请勿修改表头）"
    assert wb["填写说明"]["A1"].value == "会议类型请从下拉中选择"  # the rest of the template is kept
    assert openpyxl.load_workbook(template)["三会一课"].max_row == 2  # the template itself untouched
    assert batch_keys(path) == ["rec-1:1:5", "rec-2:1:5"]
    assert json.loads(first.payload)["会议类型"] == "支部委员会"


def test_the_same_delivery_twice_is_one_row(tmp_path, template):
    tgt = target(tmp_path, template)
    KIND.send(item(tgt), None)
    again = KIND.send(item(tgt), None)
    assert again.outcome == WRITTEN and "已在导入文件" in again.message
    assert len(rows(tmp_path / "导出" / again.remote_id)) == 1
    # A correction is a new delivery: a new row.
    KIND.send(item(tgt, revision=2, attend_count=6), None)
    assert batch_keys(tmp_path / "导出" / again.remote_id) == ["rec-1:1:5", "rec-1:2:5"]


def test_close_batch_starts_a_new_file(tmp_path, template, monkeypatch):
    tgt = target(tmp_path, template)
    first = KIND.send(item(tgt), None)
    folder = tmp_path / "导出"
    assert open_batch(tgt) == folder / first.remote_id
    closed = close_batch(tgt, folder)
    assert closed == folder / first.remote_id
    assert open_batch(tgt) is None
    assert close_batch(tgt, folder) is None
    second = KIND.send(item(tgt, uuid="rec-2"), None)
    assert second.remote_id != first.remote_id
    assert batch_keys(closed) == ["rec-1:1:5"]
    assert batch_keys(folder / second.remote_id) == ["rec-2:1:5"]
    assert len(rows(folder / second.remote_id)) == 1
    # A closed batch is done: the same delivery again adds no row anywhere.
    again = KIND.send(item(tgt), None)
    assert again.outcome == WRITTEN and again.remote_id == closed.name
    assert len(rows(closed)) == 1 and len(rows(folder / second.remote_id)) == 1
    assert xlsx.batches(tgt) == [(closed, True), (folder / second.remote_id, False)]


def test_an_interrupted_write_leaves_a_valid_file_and_a_retry_adds_one_row(tmp_path, template, monkeypatch):
    tgt = target(tmp_path, template)
    first = KIND.send(item(tgt), None)
    folder = tmp_path / "导出"
    path = folder / first.remote_id
    (folder / ".yici-tmp-stale.xlsx.tmp").write_bytes(b"PK\x03\x04 half a zip from a power cut")

    real_replace = os.replace

    def power_cut(src, dst):
        if str(dst).endswith(".xlsx"):
            raise OSError(5, "Input/output error")
        return real_replace(src, dst)

    monkeypatch.setattr(xlsx.os, "replace", power_cut)
    failed = KIND.send(item(tgt, uuid="rec-2"), None)
    assert failed.outcome == TRANSIENT
    assert len(rows(path)) == 1  # the old file is whole and unchanged
    monkeypatch.setattr(xlsx.os, "replace", real_replace)

    retried = KIND.send(item(tgt, uuid="rec-2"), None)
    assert retried.outcome == WRITTEN and retried.remote_id == first.remote_id
    assert len(rows(path)) == 2
    assert batch_keys(path) == ["rec-1:1:5", "rec-2:1:5"]
    leftovers = sorted(p.name for p in folder.iterdir())
    assert leftovers == sorted([first.remote_id, ".yici-batch-5.json", ".yici-tmp-stale.xlsx.tmp"])


def test_a_crash_after_the_file_but_before_the_sidecar_does_not_duplicate(tmp_path, template, monkeypatch):
    tgt = target(tmp_path, template)
    KIND.send(item(tgt), None)
    real_write_json = xlsx._write_json
    calls = []

    def crash_on_second(path, obj):
        calls.append(obj)
        if len(calls) == 2:  # after the row is in the file
            raise SystemExit("killed")
        real_write_json(path, obj)

    monkeypatch.setattr(xlsx, "_write_json", crash_on_second)
    with pytest.raises(SystemExit):
        KIND.send(item(tgt, uuid="rec-2"), None)
    monkeypatch.setattr(xlsx, "_write_json", real_write_json)

    path = open_batch(tgt)
    assert batch_keys(path) == ["rec-1:1:5", "rec-2:1:5"]  # the pending row counts
    again = KIND.send(item(tgt, uuid="rec-2"), None)
    assert again.outcome == WRITTEN and "已在导入文件" in again.message
    assert len(rows(path)) == 2


def test_without_a_template_the_header_row_is_the_column_names(tmp_path):
    tgt = target(tmp_path)
    attempt = KIND.send(item(tgt), None)
    assert attempt.outcome == WRITTEN
    path = tmp_path / "导出" / attempt.remote_id
    assert rows(path, first=1) == [
        ["会议类型", "召开日期", "实到人数", "支部名称", "实到人员", "一次记录编号（请勿修改）"],
        ["支部委员会", "2026-03-05", 5, "红星村党支部", "王建国、李秀英", "rec-1:1:5"],
    ]


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    tgt = target(tmp_path, columns="会议类型=meeting_type；备注=note")
    attempt = KIND.send(item(tgt, note='=HYPERLINK("http://evil","点我")'), None)
    cell = openpyxl.load_workbook(tmp_path / "导出" / attempt.remote_id).active["B2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_config_problems_name_what_is_wrong(tmp_path, template):
    assert KIND.config_problems(target(tmp_path, template), {}) == []
    bad = target(tmp_path, template, columns="会议类型=meeting_type\n主持人=host")
    assert KIND.config_problems(bad, {}) == ["导入模板第 2 行没有这些表头：主持人"]
    assert KIND.send(item(bad), None).outcome == ATTENTION
    assert "表达式有误" in KIND.config_problems(target(tmp_path, columns="日期=held_at[:"), {})[0]
    assert "表头=表达式" in KIND.config_problems(target(tmp_path, columns="只有表头"), {})[0]
    no_folder = TargetConfig(id=1, name="x", kind="xlsx", options={"columns": COLUMNS})
    assert KIND.config_problems(no_folder, {}) == ["请填写导出文件夹（folder）"]


def test_an_expression_that_fails_for_one_record_is_permanent(tmp_path):
    tgt = target(tmp_path, columns="人数=attend_count + 1")
    attempt = KIND.send(item(tgt, attend_count="五"), None)
    assert attempt.outcome == PERMANENT and "人数" in attempt.message


def test_send_test_checks_folder_and_template(tmp_path, template):
    ok = KIND.send_test(target(tmp_path, template), {}, None)
    assert ok.outcome == "delivered", ok.message
    assert os.listdir(tmp_path / "导出") == []
