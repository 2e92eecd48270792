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
"""
from __future__ import annotations

import datetime
import json
import os
import re
import threading
from pathlib import Path
from typing import Any

import jinja2
import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from forms.atomic import fsync_folder, write_atomically
from forms.expressions import ExpressionError, compile_expression
from sync.kind import ATTENTION, DELIVERED, PERMANENT, TRANSIENT, Attempt, Outgoing, TargetConfig

WRITTEN = "written"     # the row is in the import file; the engine's state is `awaiting_upload`

_SIDECAR_PREFIX = ".yici-batch-"
_TEMP_PREFIX = ".yici-tmp-"
_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


# ---------------------------------------------------------------------------------------------
# Options.

def _opt(target: TargetConfig, name: str, default: str = "") -> str:
    value = (target.options or {}).get(name)
    return default if value is None or str(value).strip() == "" else str(value).strip()


def parse_columns(text: str) -> list[tuple[str, str]]:
    """"表头=expression" entries separated by new lines or ';' (outside quotes) -> [(header, expr)]."""
    entries, current, quote = [], [], None
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
            raise ValueError(f"列设置“{entry.strip()}”应写成 表头=表达式")
        columns.append((header.strip(), expression.strip()))
    return columns


def _norm(header: Any) -> str:
    """Header text as compared: no spaces, no required-marks like * or （必填）."""
    text = re.sub(r"\s+", "", str(header or ""))
    text = re.sub(r"[（(]必填[)）]", "", text)
    return text.strip("*＊")


def _header_row(target: TargetConfig) -> int:
    try:
        row = int(_opt(target, "header_row", "1"))
    except ValueError:
        return 0
    return row


def _folder(target: TargetConfig, folder: str | os.PathLike | None = None) -> Path:
    return Path(folder or _opt(target, "folder")).expanduser()


# ---------------------------------------------------------------------------------------------
# Files written so that a power cut leaves the old file or the new one, never half of one
# (forms/atomic.py, the one atomic write).

def _write_json(path: Path, obj: dict) -> None:
    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(obj, f, ensure_ascii=False, indent=1)
    write_atomically(path, write, prefix=_TEMP_PREFIX)


def _read_json(path: Path) -> dict | None:
    try:
        with open(path, encoding="utf-8") as f:
            obj = json.load(f)
    except (OSError, ValueError):
        return None
    return obj if isinstance(obj, dict) and isinstance(obj.get("rows"), dict) else None


# ---------------------------------------------------------------------------------------------
# Batches.

def _sidecar(folder: Path, target: TargetConfig) -> Path:
    return folder / f"{_SIDECAR_PREFIX}{target.id}.json"


def _lock_for(path: Path) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(str(path.resolve()), threading.Lock())


def _safe_name(name: str) -> str:
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", name or "").strip(" .")
    return name[:60] or "导入"


def _new_batch_name(folder: Path, target: TargetConfig) -> str:
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    base = f"{_safe_name(target.name)}-{stamp}"
    name, n = f"{base}.xlsx", 2
    while (folder / name).exists():
        name, n = f"{base}-{n}.xlsx", n + 1
    return name


def _closed_batch_holding(folder: Path, target: TargetConfig, key: str) -> str | None:
    """The file name of a finished batch of this target that already holds `key`, if any."""
    for sidecar in folder.glob(f"{_SIDECAR_PREFIX}{target.id}-*.json"):
        state = _read_json(sidecar)
        if state and state.get("target_id") == target.id and key in state["rows"]:
            return state["file"]
    return None


def _row_filled(ws, row: int) -> bool:
    return any(c.value not in (None, "") for c in ws[row])


def _settle(state: dict, ws) -> None:
    """A row noted as pending before a crash counts as written if it is in the file."""
    pending = state.get("pending")
    if pending and ws is not None and pending["row"] <= ws.max_row and _row_filled(ws, pending["row"]):
        state["rows"][pending["key"]] = pending["row"]
    state["pending"] = None


def _sheet(wb, target: TargetConfig):
    name = _opt(target, "sheet")
    return wb[name] if name else wb.active


def _last_filled_row(ws, header_row: int) -> int:
    last = header_row
    for index, values in enumerate(ws.iter_rows(min_row=header_row + 1, values_only=True),
                                   start=header_row + 1):
        if any(v not in (None, "") for v in values):
            last = index
    return last


def _columns_of(ws, header_row: int, columns: list[tuple[str, str]]) -> dict[str, int]:
    """Header -> column number; raises ValueError naming the headers the template lacks."""
    found = {}
    for cells in ws.iter_rows(min_row=header_row, max_row=header_row):
        for number, cell in enumerate(cells, start=1):
            if cell.value not in (None, ""):
                found.setdefault(_norm(cell.value), number)
    missing = [h for h, _ in columns if _norm(h) not in found]
    if missing:
        raise ValueError(f"导入模板第 {header_row} 行没有这些表头：{'、'.join(missing)}")
    return {h: found[_norm(h)] for h, _ in columns}


def _blank_workbook(columns: list[tuple[str, str]]):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "导入数据"
    for i, (header, _) in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=i, value=header)
        cell.font = Font(bold=True)
    return wb


def _open_template(target: TargetConfig, columns):
    path = _opt(target, "template_file")
    if not path:
        return _blank_workbook(columns)
    return openpyxl.load_workbook(path)


# ---------------------------------------------------------------------------------------------
# Values.

def _variables(item: Outgoing) -> dict[str, Any]:
    record = {"uuid": item.record_uuid, "revision": item.revision, "form_id": item.form_id,
              "form_title": item.form_title, "branch": item.branch, "operator": item.operator,
              "status": item.status, "is_correction": item.is_correction}
    data = dict(item.data or {})
    # The record's own values win over the record's facts when a form uses the same key.
    return {**record, **data, "record": record, "data": data}


def cell_value(value: Any) -> Any:
    """A value as an Excel cell should hold it: numbers stay numbers, the rest readable text."""
    from sync.messages import show

    if value is None or isinstance(value, jinja2.Undefined):
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        return value
    text = show(value)
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    return text or None


def _row_values(item: Outgoing, columns: list[tuple[str, str]]) -> dict[str, Any]:
    variables = _variables(item)
    values = {}
    for header, source in columns:
        try:
            values[header] = cell_value(compile_expression(source).evaluate(variables))
        except ExpressionError as exc:
            raise _Refusal(Attempt(PERMANENT, f"列“{header}”的表达式 {source} 无法计算：{exc.message}"))
    return values


class _Refusal(Exception):
    def __init__(self, attempt: Attempt):
        super().__init__(attempt.message)
        self.attempt = attempt


def _set_cell(ws, row: int, column: int, value: Any) -> None:
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"     # text typed by a person, never a formula Excel would run


# ---------------------------------------------------------------------------------------------
# Public helpers for the engine and the shells.

def open_batch(target: TargetConfig, folder: str | os.PathLike | None = None) -> Path | None:
    """The target's open batch file, or None when the next row would start a new one."""
    folder = _folder(target, folder)
    state = _read_json(_sidecar(folder, target))
    if state and (folder / state["file"]).exists():
        return folder / state["file"]
    return None


def close_batch(target: TargetConfig, folder: str | os.PathLike | None = None) -> Path | None:
    """Finish the open batch so the next rows go to a new file; its path (None if none was open)."""
    folder = _folder(target, folder)
    sidecar = _sidecar(folder, target)
    with _lock_for(sidecar):
        state = _read_json(sidecar)
        if state is None:
            return None
        path = folder / state["file"]
        if state.get("pending"):
            ws = _sheet(openpyxl.load_workbook(path), target) if path.exists() else None
            _settle(state, ws)
        state["closed"] = datetime.datetime.now().isoformat(timespec="seconds")
        _write_json(folder / f"{_SIDECAR_PREFIX}{target.id}-{Path(state['file']).stem}.json", state)
        sidecar.unlink()
        fsync_folder(folder)
        return path


def batches(target: TargetConfig, folder: str | os.PathLike | None = None) -> list[tuple[Path, bool]]:
    """(file, closed) for every batch of this target Yici knows in the folder, oldest first."""
    folder = _folder(target, folder)
    found = []
    for sidecar in folder.glob(f"{_SIDECAR_PREFIX}{target.id}*.json"):
        state = _read_json(sidecar)
        if state and state.get("target_id") == target.id:
            closed = bool(state.get("closed"))
            # The open batch is always the newest, even when created in the same second.
            found.append((not closed, state.get("created", ""), folder / state["file"], closed))
    found.sort(key=lambda entry: (entry[0], entry[1], str(entry[2])))
    return [(path, closed) for _, _, path, closed in found]


def batch_keys(path: str | os.PathLike) -> list[str]:
    """Idempotency keys of the deliveries whose rows are in this batch file, in row order."""
    path = Path(path)
    for sidecar in sorted(path.parent.glob(f"{_SIDECAR_PREFIX}*.json")):
        state = _read_json(sidecar)
        if not state or state.get("file") != path.name:
            continue
        rows = dict(state["rows"])
        pending = state.get("pending")
        if pending and path.exists():
            wb = openpyxl.load_workbook(path, read_only=True)
            try:
                ws = wb[state["sheet"]] if state.get("sheet") in wb.sheetnames else wb.active
                row = next(ws.iter_rows(min_row=pending["row"], max_row=pending["row"], values_only=True), ())
                if any(v not in (None, "") for v in row):
                    rows[pending["key"]] = pending["row"]
            finally:
                wb.close()
        return [key for key, _ in sorted(rows.items(), key=lambda kv: kv[1])]
    return []


# ---------------------------------------------------------------------------------------------
# The kind.

class XlsxKind:
    """Appends each record as a row of the platform's Excel import template."""

    name = "xlsx"
    idempotent = True            # the sidecar makes a repeated key a no-op
    secret_names: tuple[str, ...] = ()
    required_secrets: tuple[str, ...] = ()
    rate_limits: tuple[tuple[int, float], ...] = ()

    def config_problems(self, target: TargetConfig, secrets: dict[str, str]) -> list[str]:
        """Chinese messages for what is missing or wrong before anything is written."""
        problems = []
        if not _opt(target, "folder"):
            problems.append("请填写导出文件夹（folder）")
        try:
            columns = parse_columns(_opt(target, "columns"))
        except ValueError as exc:
            return problems + [str(exc)]
        if not columns:
            problems.append("请填写列设置（columns），例如：会议类型=meeting_type；召开日期=held_at[:10]")
        for header, source in columns:
            try:
                compile_expression(source)
            except ExpressionError as exc:
                problems.append(f"列“{header}”的表达式有误：{exc.message}")
        header_row = _header_row(target)
        if header_row < 1:
            problems.append("header_row 应为表头所在的行号，例如 1")
        template = _opt(target, "template_file")
        if template and columns and header_row >= 1:
            if not os.path.isfile(template):
                problems.append(f"导入模板文件不存在：{template}")
            elif not template.lower().endswith(".xlsx"):
                problems.append(f"导入模板须为 .xlsx 文件（旧的 .xls 请用 Excel/WPS 另存为 .xlsx）：{template}")
            else:
                try:
                    wb = openpyxl.load_workbook(template, read_only=True)
                    try:
                        if _opt(target, "sheet") and _opt(target, "sheet") not in wb.sheetnames:
                            problems.append(f"导入模板里没有工作表“{_opt(target, 'sheet')}”")
                        else:
                            _columns_of(_sheet(wb, target), header_row, columns)
                    finally:
                        wb.close()
                except ValueError as exc:
                    problems.append(str(exc))
                except Exception as exc:  # noqa: BLE001 - any unreadable file is the same problem
                    problems.append(f"导入模板无法打开：{template} ({type(exc).__name__})")
        return problems

    def send(self, item: Outgoing, http: Any = None) -> Attempt:
        """Append the record's row to the open batch file; WRITTEN, or why not."""
        target = item.target
        problems = self.config_problems(target, item.secrets)
        if problems:
            return Attempt(ATTENTION, "；".join(problems))
        folder = _folder(target)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            sidecar = _sidecar(folder, target)
            with _lock_for(sidecar):
                return self._append(item, folder, sidecar)
        except _Refusal as refusal:
            return refusal.attempt
        except PermissionError as exc:
            return Attempt(TRANSIENT, f"导入文件被占用或没有写入权限（可能正在 Excel/WPS 中打开），"
                                      f"关闭后自动重试 ({exc.filename or folder})")
        except OSError as exc:
            return Attempt(TRANSIENT, f"写入导入文件失败，稍后重试（{type(exc).__name__}: {exc}）")

    def _append(self, item: Outgoing, folder: Path, sidecar: Path) -> Attempt:
        target = item.target
        columns = parse_columns(_opt(target, "columns"))
        header_row = _header_row(target) if _opt(target, "template_file") else 1
        key = item.idempotency_key
        state = _read_json(sidecar)
        if state and not (folder / state["file"]).exists():
            state = None     # the operator moved the file away: start afresh
        if state:
            path = folder / state["file"]
            wb = openpyxl.load_workbook(path)
            ws = _sheet(wb, target)
            _settle(state, ws)
            if key in state["rows"]:
                return Attempt(WRITTEN, f"已在导入文件 {state['file']} 中（第 {state['rows'][key]} 行）",
                               remote_id=state["file"])
        closed = _closed_batch_holding(folder, target, key)
        if closed:
            return Attempt(WRITTEN, f"已在导入文件 {closed} 中（该批次已结束）", remote_id=closed)
        if not state:
            name = _new_batch_name(folder, target)
            state = {"version": 1, "target_id": target.id, "file": name,
                     "created": datetime.datetime.now().isoformat(timespec="seconds"),
                     "rows": {}, "pending": None}
            path = folder / name
            wb = _open_template(target, columns)
            ws = _sheet(wb, target)
        state["sheet"] = ws.title
        positions = _columns_of(ws, header_row, columns)
        values = _row_values(item, columns)
        row = _last_filled_row(ws, header_row) + 1
        state["pending"] = {"key": key, "row": row}
        _write_json(sidecar, state)
        for header, value in values.items():
            _set_cell(ws, row, positions[header], value)
        write_atomically(path, wb.save, prefix=_TEMP_PREFIX)
        state["rows"][key] = row
        state["pending"] = None
        _write_json(sidecar, state)
        payload = json.dumps(values, ensure_ascii=False, indent=2, default=str)
        return Attempt(WRITTEN, f"已写入导入文件 {state['file']}（第 {row} 行），请上传到平台后确认",
                       remote_id=state["file"], payload=payload)

    def send_test(self, target: TargetConfig, secrets: dict[str, str], http: Any = None) -> Attempt:
        """Check the folder can be written and the template has the configured headers."""
        problems = self.config_problems(target, secrets)
        if problems:
            return Attempt(ATTENTION, "；".join(problems))
        folder = _folder(target)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            write_atomically(folder / ".yici-write-test", b"ok", prefix=_TEMP_PREFIX)
            (folder / ".yici-write-test").unlink()
        except OSError as exc:
            return Attempt(ATTENTION, f"导出文件夹无法写入：{folder} ({type(exc).__name__}: {exc})")
        current = open_batch(target, folder)
        where = f"当前导入文件 {current.name}" if current else "下一条记录将新建导入文件"
        return Attempt(DELIVERED, f"导出文件夹可写，模板表头齐全；{where}")


KIND = XlsxKind()
