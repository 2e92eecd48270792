"""Excel batch files and their sidecars: which deliveries' rows are in which file.

One open batch per target, `<folder>/<target name>-<YYYYMMDD-HHMMSS>.xlsx`, with a sidecar
`<folder>/.yici-batch-<target id>.json` listing the idempotency key of each row. Before a row is
written the sidecar notes it as pending; a pending row later found in the file counts as
written (`settle`), so a retry after a crash never adds a row twice. Closing a batch renames its
sidecar to `.yici-batch-<target id>-<file stem>.json`. Every file is replaced atomically
(forms/atomic.py, the one atomic write): a power cut leaves the old file or the new one.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

from forms.atomic import fsync_folder, write_atomically
from sync.kind import TargetConfig
from sync.xlsx_sheet import find_identity_column, option, row_filled, sheet_of

SIDECAR_PREFIX = ".yici-batch-"
TEMP_PREFIX = ".yici-tmp-"
_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def folder_of(target: TargetConfig, folder: str | os.PathLike | None = None) -> Path:
    """The export folder: `folder` when given, else the target's `folder` option."""
    return Path(folder or option(target, "folder")).expanduser()


def write_json(path: Path, obj: dict) -> None:
    """Replace a sidecar atomically."""

    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(obj, f, ensure_ascii=False, indent=1)

    write_atomically(path, write, prefix=TEMP_PREFIX)


def read_json(path: Path) -> dict | None:
    """A sidecar's state, or None when it is missing or not one of ours."""
    try:
        with open(path, encoding="utf-8") as f:
            obj = json.load(f)
    except (OSError, ValueError):
        return None
    return obj if isinstance(obj, dict) and isinstance(obj.get("rows"), dict) else None


def sidecar_of(folder: Path, target: TargetConfig) -> Path:
    """The open batch's sidecar of this target."""
    return folder / f"{SIDECAR_PREFIX}{target.id}.json"


def lock_for(path: Path) -> threading.Lock:
    """One lock per sidecar in this process: a row is appended by one thread at a time."""
    with _locks_guard:
        return _locks.setdefault(str(path.resolve()), threading.Lock())


def _safe_name(name: str) -> str:
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", name or "").strip(" .")
    return name[:60] or "导入"


def new_batch_name(folder: Path, target: TargetConfig) -> str:
    """A file name for a new batch that no file in the folder has yet."""
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    base = f"{_safe_name(target.name)}-{stamp}"
    name, n = f"{base}.xlsx", 2
    while (folder / name).exists():
        name, n = f"{base}-{n}.xlsx", n + 1
    return name


def closed_batch_holding(folder: Path, target: TargetConfig, key: str) -> str | None:
    """The file name of a finished batch of this target that already holds `key`, if any."""
    for sidecar in folder.glob(f"{SIDECAR_PREFIX}{target.id}-*.json"):
        state = read_json(sidecar)
        if state and state.get("target_id") == target.id and key in state["rows"]:
            return state["file"]
    return None


def settle(state: dict, ws) -> None:
    """A row noted as pending before a crash counts as written if it is in the file."""
    pending = state.get("pending")
    if pending and ws is not None and pending["row"] <= ws.max_row and row_filled(ws, pending["row"]):
        state["rows"][pending["key"]] = pending["row"]
    state["pending"] = None


def open_batch(target: TargetConfig, folder: str | os.PathLike | None = None) -> Path | None:
    """The target's open batch file, or None when the next row would start a new one."""
    folder = folder_of(target, folder)
    state = read_json(sidecar_of(folder, target))
    if state and (folder / state["file"]).exists():
        return folder / state["file"]
    return None


def close_batch(target: TargetConfig, folder: str | os.PathLike | None = None) -> Path | None:
    """Finish the open batch so the next rows go to a new file; its path (None if none was open)."""
    folder = folder_of(target, folder)
    sidecar = sidecar_of(folder, target)
    with lock_for(sidecar):
        state = read_json(sidecar)
        if state is None:
            return None
        path = folder / state["file"]
        if state.get("pending"):
            ws = sheet_of(openpyxl.load_workbook(path), target) if path.exists() else None
            settle(state, ws)
        state["closed"] = datetime.datetime.now().isoformat(timespec="seconds")
        write_json(folder / f"{SIDECAR_PREFIX}{target.id}-{Path(state['file']).stem}.json", state)
        sidecar.unlink()
        fsync_folder(folder)
        return path


def batches(target: TargetConfig, folder: str | os.PathLike | None = None) -> list[tuple[Path, bool]]:
    """(file, closed) for every batch of this target Yici knows in the folder, oldest first."""
    folder = folder_of(target, folder)
    found = []
    for sidecar in folder.glob(f"{SIDECAR_PREFIX}{target.id}*.json"):
        state = read_json(sidecar)
        if state and state.get("target_id") == target.id:
            closed = bool(state.get("closed"))
            # The open batch is always the newest, even when created in the same second.
            found.append((not closed, state.get("created", ""), folder / state["file"], closed))
    found.sort(key=lambda entry: (entry[0], entry[1], str(entry[2])))
    return [(path, closed) for _, _, path, closed in found]


def batch_keys(path: str | os.PathLike) -> list[str]:
    """Idempotency keys of the deliveries whose rows are in this batch file, in row order."""
    path = Path(path)
    for sidecar in sorted(path.parent.glob(f"{SIDECAR_PREFIX}*.json")):
        state = read_json(sidecar)
        if state and state.get("file") == path.name:
            return [key for key, _ in sorted(batch_rows(path, state).items(), key=lambda kv: kv[1])]
    return []


def row_digest(values: list) -> str:
    """A fingerprint of a row's values as written, to tell a row changed in Excel afterwards."""
    text = json.dumps([None if v in (None, "") else v for v in values], ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class FileCheck:
    """A batch file read back: the keys whose rows are in it as written, and the rows missing or
    changed since, as (row number Yici wrote it on, key)."""

    present: list[str] = field(default_factory=list)
    missing: list[tuple[int, str]] = field(default_factory=list)
    changed: list[tuple[int, str]] = field(default_factory=list)


def check_file(path: str | os.PathLike) -> FileCheck:
    """Read a batch file back and match its rows to what Yici wrote, by the record-identity column
    (rows moved or sorted in Excel are still found). A batch written before the identity column
    existed is matched by row number. A file that cannot be read holds nothing."""
    path = Path(path)
    state = next(
        (
            s
            for s in map(read_json, sorted(path.parent.glob(f"{SIDECAR_PREFIX}*.json")))
            if s and s.get("file") == path.name
        ),
        None,
    )
    result = FileCheck()
    if state is None:
        return result
    written = {key: row for key, row in batch_rows(path, state).items()}
    try:
        wb = openpyxl.load_workbook(path, read_only=True)
    except Exception:  # noqa: BLE001 - moved, locked or not a workbook: nothing can be confirmed
        result.missing = sorted((row, key) for key, row in written.items())
        return result
    try:
        ws = wb[state["sheet"]] if state.get("sheet") in wb.sheetnames else wb.active
        first = int(state.get("header_row") or 1)
        identity = find_identity_column(ws, first) if state.get("id_column") else None
        rows: dict = {}
        for number, values in enumerate(ws.iter_rows(min_row=first + 1, values_only=True), start=first + 1):
            if identity is not None:
                key = values[identity - 1] if len(values) >= identity else None
                if isinstance(key, str) and key in written:
                    rows.setdefault(key, values)
            else:
                rows[number] = values
    finally:
        wb.close()
    if state.get("id_column") and identity is None:  # not the file Yici wrote (or its column gone)
        result.missing = sorted((row, key) for key, row in written.items())
        return result
    digests, columns = state.get("digests") or {}, state.get("columns") or []
    for key, row in sorted(written.items(), key=lambda kv: kv[1]):
        values = rows.get(key if identity is not None else row)
        if values is None or not any(v not in (None, "") for v in values):
            result.missing.append((row, key))
        elif key in digests and digests[key] != row_digest(
            [values[c - 1] if len(values) >= c else None for c in columns]
        ):
            result.changed.append((row, key))
        else:
            result.present.append(key)
    return result


def batch_rows(path: Path, state: dict) -> dict[str, int]:
    """Key -> row of what the sidecar says Yici wrote into this file (a pending row counted)."""
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
    return rows


__all__ = [
    "FileCheck",
    "SIDECAR_PREFIX",
    "check_file",
    "row_digest",
    "TEMP_PREFIX",
    "batch_keys",
    "batches",
    "close_batch",
    "closed_batch_holding",
    "folder_of",
    "lock_for",
    "new_batch_name",
    "open_batch",
    "read_json",
    "settle",
    "sidecar_of",
    "write_json",
]
