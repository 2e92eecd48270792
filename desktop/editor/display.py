"""Values as people read them: one line of text per field, for summaries and history."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from forms.model import Field


def display_value(field: Field, value: Any) -> str:
    """Text for `value` of `field`, e.g. 'YYYY-MM-DD HH:MM' for datetimes, names joined by 、."""
    if value is None or value == "" or value == []:
        return ""
    t = field.type
    if t == "datetime" and isinstance(value, str):
        return value.replace("T", " ")
    if t == "absences" and isinstance(value, list):
        parts = []
        for item in value:
            if isinstance(item, dict):
                name, reason = item.get("name", ""), item.get("reason", "")
                parts.append(f"{name}（{reason}）" if reason else str(name))
        return "、".join(parts)
    if t in ("photos", "files") and isinstance(value, list):
        return "、".join(str(i.get("name", "")) for i in value if isinstance(i, dict))
    if t == "location" and isinstance(value, dict):
        text = str(value.get("place") or "")
        if value.get("lat") is not None and value.get("lon") is not None:
            text += f" ({value['lat']}, {value['lon']})"
        return text.strip()
    if t == "repeat" and isinstance(value, list):
        return QCoreApplication.translate("display", "{n} 行").format(n=len(value))
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def summary_lines(fields, values: dict, indent: str = "") -> list[tuple[str, str]]:
    """(label, text) pairs for every field with a value, groups opened, repeat rows listed."""
    lines: list[tuple[str, str]] = []
    for f in fields:
        if f.type == "group":
            sub = summary_lines(f.fields, values, indent)
            if sub:
                lines.append((indent + f.label, ""))
                lines.extend(sub)
            continue
        value = values.get(f.key)
        if f.type == "repeat" and isinstance(value, list):
            lines.append((indent + f.label, display_value(f, value)))
            for i, row in enumerate(value, 1):
                if isinstance(row, dict):
                    lines.append(
                        (indent + "  " + QCoreApplication.translate("display", "第 {i} 行").format(i=i), "")
                    )
                    lines.extend(summary_lines(f.fields, row, indent + "    "))
            continue
        text = display_value(f, value)
        if text:
            lines.append((indent + f.label, text))
    return lines
