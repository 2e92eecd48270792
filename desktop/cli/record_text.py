"""How a record reads on the terminal: a field's label with its key (so the person knows both what
to fix and how to name it in --set), values as people read them, the tree of fields for
`yici records show`.
"""

from __future__ import annotations

from desktop.cli.output import cell, pairs


def field_label(form, path: str) -> str:
    """'problems[2].description' -> '发现问题 第3行 · 问题描述 (problems[2].description)'."""
    if not path:
        return "整张表"
    head, _, rest = path.partition(".")
    key, _, index = head.partition("[")
    field = form.field(key)
    label = field.label if field else key
    if index.rstrip("]").isdigit():
        label += f" 第{int(index.rstrip(']')) + 1}行"
    if rest and field is not None:
        child = next((c for c in field.fields if c.key == rest), None)
        label += f" · {child.label if child else rest}"
    return f"{label} ({path})"


def format_value(field, value) -> str:
    """A field's value as a person reads it."""
    if value in (None, "", [], {}):
        return "—"
    if field.type == "absences":
        return "、".join(
            f"{a.get('name')}（{a.get('reason')}）" if a.get("reason") else str(a.get("name"))
            for a in value
            if isinstance(a, dict)
        )
    if field.type in ("photos", "files"):
        return "、".join(str(f.get("name")) for f in value if isinstance(f, dict))
    if field.type == "location" and isinstance(value, dict):
        coords = f"（{value['lat']}, {value['lon']}）" if value.get("lat") is not None else ""
        return f"{value.get('place') or ''}{coords}"
    if field.type == "datetime" and isinstance(value, str):
        return value.replace("T", " ")
    return cell(value)


def field_lines(fields, data: dict, indent: str = "  ") -> list[str]:
    """The fields of a record (groups and repeated rows indented), `label (key)：value` each."""
    lines: list[str] = []
    items: list[tuple[str, str]] = []  # label and value pairs waiting to be lined up

    def flush():
        if items:
            lines.append(pairs(items, indent))
            items.clear()

    for f in fields:
        if f.type == "group":
            flush()
            lines.append(f"{indent}【{f.label}】")
            lines.extend(field_lines(f.fields, data, indent + "  "))
        elif f.type == "repeat":
            rows = data.get(f.key) or []
            items.append((f"{f.label} ({f.key})", f"{len(rows)} 行" if rows else "—"))
            flush()
            for i, row in enumerate(rows, 1):
                lines.append(f"{indent}  第{i}行")
                row = row if isinstance(row, dict) else {}
                lines.extend(field_lines(f.fields, row, indent + "    "))
        elif f.relevant and data.get(f.key) in (None, "", []):
            continue  # a conditional field left empty was most likely not asked: no noise
        else:
            items.append((f"{f.label} ({f.key})", format_value(f, data.get(f.key))))
    flush()
    return lines


def when(timestamp: str | None) -> str | None:
    """'2026-11-05T14:03:22+08:00' -> '2026-11-05 14:03:22' (the offset is the laptop's own)."""
    return timestamp[:19].replace("T", " ") if timestamp else timestamp
