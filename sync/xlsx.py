"""Kind `xlsx`: rows appended to a platform's Excel import template, for the operator to upload.

Target options:
  folder         the export folder (required)
  template_file  the platform's .xlsx import template (e.g. 三会一课录入模板); without one, a
                 workbook with a header row made of the column names
  sheet          which sheet of the template (default: the active one)
  header_row     the row holding the column headers (default 1); rows go below the last filled row
  columns        one "表头=expression" per line (or separated by ';'), expressions in Jinja2's
                 sandbox over the record's values plus branch, operator, form_title, uuid,
                 revision, status (also as record.xxx), e.g.
                 "会议类型=meeting_type; 召开日期=held_at[:10]; 实到人数=attend_count; 支部名称=branch"

Rows go into the target's open batch file `<folder>/<target name>-<YYYYMMDD-HHMMSS>.xlsx`, one
open batch per target. A sidecar `<folder>/.yici-batch-<target id>.json` lists which idempotency
keys are in it and on which row, so a retry after a crash never adds a row twice: before a row is
written the sidecar notes it as pending; on the next try a pending row found in the file counts
as written. Files are replaced atomically (temp file in the folder, then os.replace).

A row in a file is not yet on the platform: `send` answers WRITTEN, which the engine keeps as
`awaiting_upload`. `close_batch` ends the open batch (the next row starts a new file);
`batch_keys(path)` tells which deliveries a file holds, once the operator confirms the upload.

This module is the kind the engine calls; the batch files and sidecars are kept by
sync/xlsx_batches.py, the worksheet and its cells by sync/xlsx_sheet.py.
"""

from __future__ import annotations

import datetime
import json
import os
from pathlib import Path
from typing import Any

import openpyxl

from forms.atomic import write_atomically
from forms.expressions import ExpressionError, compile_expression
from forms.i18n import tr
from sync import xlsx_batches as files
from sync import xlsx_sheet as sheet
from sync.kind import (
    ATTENTION,
    DELIVERED,
    PERMANENT,
    TRANSIENT,
    Attempt,
    Option,
    Outgoing,
    TargetConfig,
    whole_number,
)

# The batch helpers are this kind's public face too (the engine and the shells call them here);
# `_write_json` is looked up here as a row is appended, so a test can cut the power in between.
from sync.xlsx_batches import batch_keys, batches, check_file, close_batch, open_batch
from sync.xlsx_batches import write_json as _write_json
from sync.xlsx_sheet import cell_value, parse_columns

WRITTEN = "written"  # the row is in the import file; the engine's state is `awaiting_upload`


class _Refusal(Exception):
    """This record cannot become a row (a column expression fails): the Attempt says why."""

    def __init__(self, attempt: Attempt):
        super().__init__(attempt.message)
        self.attempt = attempt


def _row_values(item: Outgoing, columns: list[tuple[str, str]]) -> dict[str, Any]:
    values = sheet.variables(item)
    row = {}
    for header, source in columns:
        try:
            row[header] = cell_value(compile_expression(source).evaluate(values))
        except ExpressionError as exc:
            raise _Refusal(
                Attempt(
                    PERMANENT,
                    tr("列“{header}”的表达式 {source} 无法计算：{message}").format(
                        header=header, source=source, message=exc.message
                    ),
                )
            ) from None
    long = sheet.too_long(row)
    if long:
        raise _Refusal(Attempt(PERMANENT, _too_long_message(long)))
    return row


def _too_long_message(headers: list[str]) -> str:
    return tr(
        "列“{headers}”的内容超过 Excel 单元格能容纳的 {max_cell_chars:,} 个字符，"
        "写入会被截断：请精简这条记录的内容后更正"
    ).format(headers="、".join(headers), max_cell_chars=sheet.MAX_CELL_CHARS)


def record_problems(target: TargetConfig, facts: dict[str, Any], data: dict[str, Any]) -> list[str]:
    """Why this record cannot go to this Excel target whole (a cell would be cut), or []. Asked
    when a record is made final, so it is refused then rather than cut at export."""
    try:
        columns = parse_columns(sheet.option(target, "columns"))
    except ValueError:
        return []  # the target's own problem, shown on the target
    record = {k: facts.get(k) for k in ("uuid", "revision", "form_id", "form_title", "branch", "operator")}
    record.update(status="final", is_correction=(facts.get("revision") or 1) > 1)
    values = {**record, **data, "record": record, "data": data}
    row = {}
    for header, source in columns:
        try:
            row[header] = cell_value(compile_expression(source).evaluate(values))
        except ExpressionError:
            continue  # reported when the row is written, with the expression's own message
    long = sheet.too_long(row)
    return (
        [
            tr("发往“{name}”的{too_long_message}").format(
                name=target.name, too_long_message=_too_long_message(long)
            )
        ]
        if long
        else []
    )


def _template_problems(
    target: TargetConfig, template: str, first_row: int, columns: list[tuple[str, str]]
) -> list[str]:
    """What is wrong with the platform's template file: missing, not .xlsx, unreadable, or
    without the sheet or a header the columns name."""
    if not os.path.isfile(template):
        return [tr("导入模板文件不存在：{template}").format(template=template)]
    if not template.lower().endswith(".xlsx"):
        return [
            tr("导入模板须为 .xlsx 文件（旧的 .xls 请用 Excel/WPS 另存为 .xlsx）：{template}").format(
                template=template
            )
        ]
    try:
        wb = openpyxl.load_workbook(template, read_only=True)
        try:
            name = sheet.option(target, "sheet")
            if name and name not in wb.sheetnames:
                return [tr("导入模板里没有工作表“{name}”").format(name=name)]
            sheet.columns_of(sheet.sheet_of(wb, target), first_row, columns)
        finally:
            wb.close()
    except ValueError as exc:
        return [str(exc)]
    except Exception as exc:  # noqa: BLE001 - any unreadable file is the same problem
        return [
            tr("导入模板无法打开：{template} ({error_type})").format(
                template=template, error_type=type(exc).__name__
            )
        ]
    return []


def _columns(value: str) -> str | None:
    try:
        parse_columns(value)
    except ValueError as exc:
        return str(exc)
    return None


class XlsxKind:
    """Appends each record as a row of the platform's Excel import template."""

    name = "xlsx"
    idempotent = True  # the sidecar makes a repeated key a no-op
    secret_names: tuple[str, ...] = ()
    required_secrets: tuple[str, ...] = ()
    rate_limits: tuple[tuple[int, float], ...] = ()

    options = (
        Option("folder"),
        Option("columns", check=_columns),
        Option("template_file"),
        Option("sheet"),
        Option("header_row", check=whole_number(1, 10000)),
    )

    def addresses(self, target: TargetConfig) -> list[str]:
        """None: an import file goes to a folder, not over the network."""
        return []

    def settings_problems(self, target: TargetConfig) -> list[str]:
        """Everything: an Excel import file has no secrets."""
        return self.config_problems(target, {})

    def config_problems(self, target: TargetConfig, secrets: dict[str, str]) -> list[str]:
        """Chinese messages for what is missing or wrong before anything is written."""
        problems = []
        if not sheet.option(target, "folder"):
            problems.append(tr("请填写导出文件夹（folder）"))
        try:
            columns = parse_columns(sheet.option(target, "columns"))
        except ValueError as exc:
            return problems + [str(exc)]
        if not columns:
            problems.append(tr("请填写列设置（columns），例如：会议类型=meeting_type；召开日期=held_at[:10]"))
        for header, source in columns:
            try:
                compile_expression(source)
            except ExpressionError as exc:
                problems.append(
                    tr("列“{header}”的表达式有误：{message}").format(header=header, message=exc.message)
                )
        first_row = sheet.header_row(target)
        if first_row < 1:
            problems.append(tr("header_row 应为表头所在的行号，例如 1"))
        template = sheet.option(target, "template_file")
        if template and columns and first_row >= 1:
            problems += _template_problems(target, template, first_row, columns)
        return problems

    def record_problems(self, target: TargetConfig, facts: dict[str, Any], data: dict[str, Any]) -> list[str]:
        """See `record_problems` (forms/target_kinds.py asks it when a record is made final)."""
        return record_problems(target, facts, data)

    def send(self, item: Outgoing, http: Any = None) -> Attempt:
        """Append the record's row to the open batch file; WRITTEN, or why not."""
        target = item.target
        problems = self.config_problems(target, item.secrets)
        if problems:
            return Attempt(ATTENTION, "；".join(problems))
        folder = files.folder_of(target)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            sidecar = files.sidecar_of(folder, target)
            with files.lock_for(sidecar):
                return self._append(item, folder, sidecar)
        except _Refusal as refusal:
            return refusal.attempt
        except PermissionError as exc:
            return Attempt(
                TRANSIENT,
                tr(
                    "导入文件被占用或没有写入权限（可能正在 Excel/WPS 中打开），关闭后自动重试 ({filename})"
                ).format(filename=exc.filename or folder),
            )
        except OSError as exc:
            return Attempt(
                TRANSIENT,
                tr("写入导入文件失败，稍后重试（{error_type}: {exc}）").format(
                    error_type=type(exc).__name__, exc=exc
                ),
            )

    def _append(self, item: Outgoing, folder: Path, sidecar: Path) -> Attempt:
        target = item.target
        columns = parse_columns(sheet.option(target, "columns"))
        first_row = sheet.header_row(target) if sheet.option(target, "template_file") else 1
        key = item.idempotency_key
        state = files.read_json(sidecar)
        if state and not (folder / state["file"]).exists():
            state = None  # the operator moved the file away: start afresh
        if state:
            path = folder / state["file"]
            wb = openpyxl.load_workbook(path)
            ws = sheet.sheet_of(wb, target)
            files.settle(state, ws)
            if key in state["rows"]:
                return Attempt(
                    WRITTEN,
                    tr("已在导入文件 {file} 中（第 {rows} 行）").format(
                        file=state["file"], rows=state["rows"][key]
                    ),
                    remote_id=state["file"],
                )
        closed = files.closed_batch_holding(folder, target, key)
        if closed:
            return Attempt(
                WRITTEN,
                tr("已在导入文件 {closed} 中（该批次已结束）").format(closed=closed),
                remote_id=closed,
            )
        if not state:
            name = files.new_batch_name(folder, target)
            state = {
                "version": 1,
                "target_id": target.id,
                "file": name,
                "created": datetime.datetime.now().isoformat(timespec="seconds"),
                "rows": {},
                "pending": None,
            }
            path = folder / name
            wb = sheet.open_template(target, columns)
            ws = sheet.sheet_of(wb, target)
        state["sheet"] = ws.title
        positions = sheet.columns_of(ws, first_row, columns)
        values = _row_values(item, columns)
        identity = sheet.identity_column(ws, first_row)
        state.update(header_row=first_row, id_column=identity, columns=sorted(set(positions.values())))
        row = sheet.last_filled_row(ws, first_row) + 1
        cells = {positions[header]: value for header, value in values.items()}
        state["pending"] = {"key": key, "row": row}
        state.setdefault("digests", {})[key] = files.row_digest([cells.get(c) for c in state["columns"]])
        _write_json(sidecar, state)
        for column, value in cells.items():
            sheet.set_cell(ws, row, column, value)
        sheet.set_cell(ws, row, identity, key)
        write_atomically(path, wb.save, prefix=files.TEMP_PREFIX)
        state["rows"][key] = row
        state["pending"] = None
        _write_json(sidecar, state)
        payload = json.dumps(values, ensure_ascii=False, indent=2, default=str)
        return Attempt(
            WRITTEN,
            tr("已写入导入文件 {file}（第 {row} 行），请上传到平台后确认").format(
                file=state["file"], row=row
            ),
            remote_id=state["file"],
            payload=payload,
        )

    def send_test(self, target: TargetConfig, secrets: dict[str, str], http: Any = None) -> Attempt:
        """Check the folder can be written and the template has the configured headers."""
        problems = self.config_problems(target, secrets)
        if problems:
            return Attempt(ATTENTION, "；".join(problems))
        folder = files.folder_of(target)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            write_atomically(folder / ".yici-write-test", b"ok", prefix=files.TEMP_PREFIX)
            (folder / ".yici-write-test").unlink()
        except OSError as exc:
            return Attempt(
                ATTENTION,
                tr("导出文件夹无法写入：{folder} ({error_type}: {exc})").format(
                    folder=folder, error_type=type(exc).__name__, exc=exc
                ),
            )
        current = open_batch(target, folder)
        where = (
            tr("当前导入文件 {name}").format(name=current.name) if current else tr("下一条记录将新建导入文件")
        )
        return Attempt(DELIVERED, tr("导出文件夹可写，模板表头齐全；{where}").format(where=where))


KIND = XlsxKind()

__all__ = [
    "KIND",
    "WRITTEN",
    "XlsxKind",
    "batch_keys",
    "batches",
    "cell_value",
    "check_file",
    "record_problems",
    "close_batch",
    "open_batch",
    "parse_columns",
]
