"""Photos and files given on the command line for a record (`--attach FIELD=FILE`, `yici records
attach UUID FIELD FILE`): checked before anything is saved (the field is a photos or files field
of the form; a photo is a photo Yici reads), attached (forms/photo_items.py: facts read once),
and shown: each photo's time taken, place, distance from the branch and warnings.

forms/ is imported inside the functions: building the parser must stay quick.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from desktop.cli.exits import CliError

FILE_TYPES = ("photos", "files")


def attach_specs(form, items: list[str]) -> list[tuple[str, Path]]:
    """(field key, file) for each `FIELD=FILE`, checked: a photos or files field at the form's top
    level, and a file that can be read."""
    found = []
    for item in items:
        key, sep, name = item.partition("=")
        if not sep or not key.strip() or not name.strip():
            raise CliError(f"--attach {item!r} 应写成 字段=文件，例如 --attach photos=IMG_0001.jpg")
        found.append((key.strip(), check_file(form, key.strip(), Path(name.strip()))))
    return found


def check_file(form, key: str, path: Path) -> Path:
    """`path` for `form`'s photos or files field `key`; CliError saying what is wrong otherwise."""
    field = form.field(key)
    if field is None or field.type not in FILE_TYPES:
        keys = "、".join(f"{f.key}（{f.label}）" for f in form.walk() if f.type in FILE_TYPES)
        raise CliError(
            f"表单 {form.id} 没有照片或附件字段“{key}”。"
            + (f"可用：{keys}" if keys else "这个表单不收附件。")
        )
    if not path.is_file():
        raise CliError(f"找不到文件 {path}。")
    if field.type == "photos":
        from forms.photos import PhotoError, read_facts

        try:
            read_facts(path)
        except PhotoError as exc:
            raise CliError(
                f"“{path.name}”不能作为照片：{exc}", "照片应是手机拍的 JPEG、HEIC 或 PNG。"
            ) from None
    return path


def attach_all(store, form, record, specs: list[tuple[str, Path]]) -> dict:
    """The record's values with every file attached to its field (after what it holds)."""
    from forms.photo_items import attach_file, attach_photo

    values = dict(record.data)
    for key, path in specs:
        field = form.field(key)
        item = (
            attach_photo(store, record.uuid, path)
            if field.type == "photos"
            else attach_file(store, record.uuid, path)
        )
        values[key] = [*(values.get(key) or []), item]
    return values


def photo_rows(store, form, record) -> list[dict]:
    """Each photo of the record with its facts and warnings, for `records show`."""
    from forms.photo_checks import distance_km, photo_items

    branch = store.branch(record.branch_id)
    rows = []
    for key, item in photo_items(form, record.data):
        row: dict[str, Any] = {
            "field": key,
            "name": item.get("name"),
            "sha256": item.get("sha256"),
            "taken_at": item.get("taken_at"),
            "taken_offset": item.get("taken_offset"),
            "latitude": item.get("latitude"),
            "longitude": item.get("longitude"),
            "warnings": [w.get("text") for w in item.get("warnings") or [] if isinstance(w, dict)],
        }
        lat, lon = item.get("latitude"), item.get("longitude")
        if (
            lat is not None
            and lon is not None
            and branch.latitude is not None
            and branch.longitude is not None
        ):
            row["distance_km"] = round(
                distance_km(float(lat), float(lon), branch.latitude, branch.longitude), 2
            )
        rows.append(row)
    return rows


def photo_lines(rows: list[dict], branch_name: str) -> list[str]:
    """The photos as lines a person reads under `records show`."""
    lines = []
    for row in rows:
        when = f"拍摄于 {row['taken_at'].replace('T', ' ')}" if row["taken_at"] else "没有拍摄时间"
        place = ""
        if row["latitude"] is not None:
            place = f"，位置 {row['latitude']:.5f}, {row['longitude']:.5f}"
            if "distance_km" in row:
                place += f"（距{branch_name} {row['distance_km']:g} 公里）"
        lines.append(f"  {row['name']}：{when}{place}")
        lines += [f"    ⚠ {text}" for text in row["warnings"]]
    return lines
