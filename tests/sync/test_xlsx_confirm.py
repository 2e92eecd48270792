"""Excel batches are confirmed against the file: what the operator uploaded is read back, and only
the records whose rows are in it as written become delivered (found by the record-identity
column, wherever Excel moved them); rows deleted or edited are named and stay awaiting upload.
A value longer than a cell can hold is refused when the record is made final, never cut."""

from __future__ import annotations

import openpyxl
import pytest

from forms.store import NotAllowed
from sync.engine import Deliverer
from tests.sync.engine_setup import village  # noqa: F401 - fixture

COLUMNS = "会议名称=title;会议类型=meeting_type;内容=content"


def _xlsx_target(village, tmp_path):
    return village.store.add_target(
        "县里导入", "xlsx", options={"folder": str(tmp_path / "导出"), "columns": COLUMNS}
    )


def _written(village, tmp_path, count: int):
    target = _xlsx_target(village, tmp_path)
    records = [village.final(n) for n in range(1, count + 1)]
    Deliverer(village.store).run()
    (path,) = (tmp_path / "导出").glob("*.xlsx")
    keys = {d.record_uuid: f"{d.record_uuid}:{d.revision}:{target.id}" for d in village.store.deliveries()}
    return target, records, path, keys


def test_confirm_marks_delivered_only_rows_in_the_file_and_names_the_others(village, tmp_path):
    target, records, path, keys = _written(village, tmp_path, 4)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    assert [ws.cell(row=r, column=4).value for r in range(2, 6)] == [keys[r.uuid] for r in records]
    ws.cell(row=4, column=3).value = "内容在 Excel 里被改了"  # record 3 edited before upload
    ws.delete_rows(3)  # record 2 deleted before upload; records 3 and 4 move up a row
    wb.save(path)

    confirmed = Deliverer(village.store).confirm_upload(target.id, "张干事")

    assert confirmed.path == path and confirmed.rows == confirmed.delivered == 2
    assert confirmed.missing == [(3, keys[records[1].uuid])]
    assert confirmed.changed == [(4, keys[records[2].uuid])]
    states = {d.record_uuid: d.state for d in village.store.deliveries(target_id=target.id)}
    assert states == {
        records[0].uuid: "delivered",
        records[1].uuid: "awaiting_upload",
        records[2].uuid: "awaiting_upload",
        records[3].uuid: "delivered",  # found by its identity although it moved up a row
    }


def test_rows_sorted_in_excel_are_still_confirmed(village, tmp_path):
    target, records, path, keys = _written(village, tmp_path, 3)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    rows = [[c.value for c in ws[r]] for r in range(2, 5)]
    for r, values in zip(range(2, 5), reversed(rows), strict=True):
        for c, value in enumerate(values, start=1):
            ws.cell(row=r, column=c).value = value
    wb.save(path)
    confirmed = Deliverer(village.store).confirm_upload(target.id, "张干事")
    assert confirmed.delivered == 3 and confirmed.missing == [] and confirmed.changed == []


def test_a_file_replaced_by_another_confirms_nothing(village, tmp_path):
    target, records, path, _ = _written(village, tmp_path, 2)
    wb = openpyxl.Workbook()
    wb.active.append(["会议名称", "会议类型", "内容"])
    wb.active.append(["别的表", "党课", "不是这批"])
    wb.save(path)
    confirmed = Deliverer(village.store).confirm_upload(target.id, "张干事")
    assert confirmed.delivered == 0 and len(confirmed.missing) == 2
    assert {d.state for d in village.store.deliveries(target_id=target.id)} == {"awaiting_upload"}


def test_a_value_too_long_for_a_cell_is_refused_at_finalize(village, tmp_path):
    _xlsx_target(village, tmp_path)
    with pytest.raises(NotAllowed) as info:
        village.final(1, content="长" * 40_000)
    assert "32,767" in str(info.value) and "县里导入" in str(info.value) and "内容" in str(info.value)
    assert village.store.deliveries() == []
    assert {r.status for r in village.store.records()} <= {"draft"}  # nothing became final
    village.final(2, content="长" * 32_767)  # exactly what a cell holds is fine


def test_a_long_value_for_a_record_not_going_to_excel_is_fine(village, tmp_path):
    village.store.add_target(
        "县里导入",
        "xlsx",
        options={"folder": str(tmp_path / "导出"), "columns": COLUMNS},
        branches=["青山村党支部"],
    )
    record = village.final(1, content="长" * 40_000)
    assert record.status == "final"
