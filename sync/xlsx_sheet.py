"""The worksheet side of an Excel import file: the columns a target asks for, where the
platform's template has them, and each value as an Excel cell should hold it.
"""

from __future__ import annotations

import re
from typing import Any

import jinja2
import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from forms.i18n import tr
from sync.kind import Outgoing, TargetConfig
from sync.template_filters import show


def option(target: TargetConfig, name: str, default: str = "") -> str:
    """The option as trimmed text; `default` when it is missing or blank."""
    value = (target.options or {}).get(name)
    return default if value is None or str(value).strip() == "" else str(value).strip()


def parse_columns(text: str) -> list[tuple[str, str]]:
    """ "表头=expression" entries separated by new lines or ';' (outside quotes) -> [(header, expr)]."""
    entries: list[str] = []
    current: list[str] = []
    quote: str | None = None
    for ch in text or "":
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "\n;；":
            entries.append("".join(current))
            current = []
            continue
        current.append(ch)
    entries.append("".join(current))
    columns = []
    for entry in entries:
        if not entry.strip():
            continue
        header, sep, expression = entry.partition("=")
        if not sep or not header.strip() or not expression.strip():
            raise ValueError(tr("列设置“{entry}”应写成 表头=表达式").format(entry=entry.strip()))
        columns.append((header.strip(), expression.strip()))
    return columns


def _norm(header: Any) -> str:
    """Header text as compared: no spaces, no required-marks like * or （必填）."""
    text = re.sub(r"\s+", "", str(header or ""))
    text = re.sub(r"[（(]必填[)）]", "", text)
    return text.strip("*＊")


def header_row(target: TargetConfig) -> int:
    """The row holding the template's headers (0 when the option is not a number)."""
    try:
        return int(option(target, "header_row", "1"))
    except ValueError:
        return 0


def row_filled(ws, row: int) -> bool:
    """Does this row of the sheet hold any value?"""
    return any(c.value not in (None, "") for c in ws[row])


def sheet_of(wb, target: TargetConfig):
    """The sheet the target's `sheet` option names, else the active one."""
    name = option(target, "sheet")
    return wb[name] if name else wb.active


def last_filled_row(ws, first_row: int) -> int:
    """The last row below `first_row` (the headers) that holds a value; `first_row` if none."""
    last = first_row
    for index, values in enumerate(
        ws.iter_rows(min_row=first_row + 1, values_only=True), start=first_row + 1
    ):
        if any(v not in (None, "") for v in values):
            last = index
    return last


def columns_of(ws, first_row: int, columns: list[tuple[str, str]]) -> dict[str, int]:
    """Header -> column number; raises ValueError naming the headers the template lacks."""
    found: dict[str, int] = {}
    for cells in ws.iter_rows(min_row=first_row, max_row=first_row):
        for number, cell in enumerate(cells, start=1):
            if cell.value not in (None, ""):
                found.setdefault(_norm(cell.value), number)
    missing = [h for h, _ in columns if _norm(h) not in found]
    if missing:
        raise ValueError(
            tr("导入模板第 {first_row} 行没有这些表头：{missing}").format(
                first_row=first_row, missing="、".join(missing)
            )
        )
    return {h: found[_norm(h)] for h, _ in columns}


ID_HEADER = "一次记录编号（请勿修改）"  # the record-identity column: which delivery a row is
MAX_CELL_CHARS = 32_767  # the most characters an Excel cell holds


def identity_column(ws, first_row: int) -> int:
    """The column of the record-identity header; added after the last header when missing."""
    last = 0
    for cells in ws.iter_rows(min_row=first_row, max_row=first_row):
        for number, cell in enumerate(cells, start=1):
            if _norm(cell.value) == _norm(ID_HEADER):
                return number
            if cell.value not in (None, ""):
                last = number
    ws.cell(row=first_row, column=last + 1, value=ID_HEADER).font = Font(bold=True)
    return last + 1


def find_identity_column(ws, first_row: int) -> int | None:
    """The record-identity column of a sheet read back, or None (a batch written before it)."""
    for cells in ws.iter_rows(min_row=first_row, max_row=first_row):
        for number, cell in enumerate(cells, start=1):
            if _norm(cell.value) == _norm(ID_HEADER):
                return number
    return None


def too_long(values: dict[str, Any]) -> list[str]:
    """Headers whose value is longer than an Excel cell holds (it would be cut, never sent whole)."""
    return [h for h, v in values.items() if isinstance(v, str) and len(v) > MAX_CELL_CHARS]


def _blank_workbook(columns: list[tuple[str, str]]):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "导入数据"
    for i, (header, _) in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=i, value=header)
        cell.font = Font(bold=True)
    return wb


def open_template(target: TargetConfig, columns: list[tuple[str, str]]):
    """A new batch's workbook: the platform's template, or one with just the column names."""
    path = option(target, "template_file")
    if not path:
        return _blank_workbook(columns)
    return openpyxl.load_workbook(path)


def variables(item: Outgoing) -> dict[str, Any]:
    """What a column expression sees: the record's values and facts (also as record.xxx)."""
    record = item.facts()
    data = dict(item.data or {})
    # The record's own values win over the record's facts when a form uses the same key.
    return {**record, **data, "record": record, "data": data}


def cell_value(value: Any) -> Any:
    """A value as an Excel cell should hold it: numbers stay numbers, the rest readable text."""
    if value is None or isinstance(value, jinja2.Undefined):
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        return value
    text = show(value)
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    return text or None


def set_cell(ws, row: int, column: int, value: Any) -> None:
    """Write one cell; text starting with "=" stays text, never a formula Excel would run."""
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text typed by a person, never a formula Excel would run


__all__ = [
    "ID_HEADER",
    "MAX_CELL_CHARS",
    "cell_value",
    "find_identity_column",
    "identity_column",
    "too_long",
    "columns_of",
    "header_row",
    "last_filled_row",
    "open_template",
    "option",
    "parse_columns",
    "row_filled",
    "set_cell",
    "sheet_of",
    "variables",
]
