"""What the township publishes for its laptops, kept in PostgreSQL: form versions (with their print
layouts), platform settings without secrets, and branches' cadence overrides. Each change takes a
new change number (hub/changes.py), so every laptop receives it on its next pull; publishing the
same thing again changes nothing and takes no number.

A published form version never changes: new fields need a new version (old records keep theirs),
exactly as on the laptop, where the built-in library wins over a different text under the same
id and version, so such a form is refused here too.
"""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
from psycopg.types.json import Jsonb

from forms.catalog import Catalog, UnknownForm
from forms.loader import FormProblem, parse_form
from forms.model import Form
from hub.changes import next_change


class PublishError(RuntimeError):
    """Something the township tried to publish that laptops could not use; says what to do."""


@dataclass(frozen=True)
class Published:
    """What a publish did: the change number laptops will see, or 0 when nothing changed."""

    change: int
    what: str


def _same(a: str | None, b: str | None) -> bool:
    return (a or "").replace("\r\n", "\n").strip() == (b or "").replace("\r\n", "\n").strip()


async def publish_form(conn: psycopg.AsyncConnection, form: Form, layout: str | None) -> Published:
    """Publish a checked form version (and its print layout, when given)."""
    builtin = _builtin(form.id, form.version)
    if builtin is not None and not _same(builtin.source, form.source):
        raise PublishError(
            f"表单 {form.id} 第 {form.version} 版是内置表单，内容与这个文件不同，电脑上会以内置的为准。"
            f"请把文件里的 version 改为 {form.version + 1} 再发布。"
        )
    async with conn.transaction():
        row = await (
            await conn.execute(
                "SELECT source, print_layout FROM forms WHERE id = %s AND version = %s FOR UPDATE",
                [form.id, form.version],
            )
        ).fetchone()
        if row is not None and not _same(row[0], form.source):
            raise PublishError(
                f"表单 {form.id} 第 {form.version} 版已经发布过，内容不同。改过的表单请把 version 改为 "
                f"{form.version + 1} 再发布（已有的记录仍按原来的版本显示）。"
            )
        if row is not None and (layout is None or _same(row[1], layout)):
            return Published(0, "unchanged")
        change = await next_change(conn)
        await conn.execute(
            "INSERT INTO forms(id, version, source, print_layout, change) VALUES (%s, %s, %s, %s, %s) "
            "ON CONFLICT (id, version) DO UPDATE SET print_layout = EXCLUDED.print_layout, "
            "change = EXCLUDED.change, published_at = now()",
            [form.id, form.version, form.source, layout, change],
        )
    return Published(change, "layout" if row is not None else "published")


async def published_forms(conn: psycopg.AsyncConnection) -> list[dict]:
    """Every published form version, newest change first: id, version, title, layout, when."""
    rows = await (
        await conn.execute(
            "SELECT id, version, source, print_layout IS NOT NULL, published_at, change FROM forms "
            "ORDER BY id, version"
        )
    ).fetchall()
    out = []
    for form_id, version, source, layout, at, change in rows:
        try:
            title = parse_form(source, f"{form_id}.yaml").title
        except FormProblem:
            title = "（无法读取）"
        out.append(
            {"id": form_id, "version": version, "title": title, "layout": layout,
             "published_at": at.isoformat(timespec="seconds"), "change": change}
        )  # fmt: skip
    return out


async def known_forms(conn: psycopg.AsyncConnection) -> dict[str, Form]:
    """The newest version of every form laptops can have: the built-in library, then published."""
    forms = {f.id: f for f in Catalog().all()}
    rows = await (await conn.execute("SELECT id, version, source FROM forms ORDER BY id, version")).fetchall()
    for form_id, version, source in rows:
        if form_id not in forms or forms[form_id].version <= version:
            try:
                forms[form_id] = parse_form(source, f"{form_id}.yaml")
            except FormProblem:
                continue
    return forms


def cadence_key_problem(forms: dict[str, Form], key: str) -> str | None:
    """Why `key` ("form-id" or "form-id:label") is not an override laptops understand, or None."""
    form_id, _, label = key.partition(":")
    form = forms.get(form_id)
    if form is None:
        return f"没有表单“{form_id}”。可用的表单：{'、'.join(sorted(forms))}"
    labels = [rule.label for rule in form.cadence] or [form.title]
    if label and label not in labels:
        return f"表单“{form_id}”没有名为“{label}”的周期规则，可用：{'、'.join(labels)}"
    return None


async def set_cadence(
    conn: psycopg.AsyncConnection, branch: str, overrides: dict[str, str], *, replace: bool
) -> Published:
    """Change one branch's cadence overrides: merged into what it has (a value of "default" removes
    a key), or `replace`d whole. The branch must exist."""
    async with conn.transaction():
        row = await (
            await conn.execute("SELECT id, cadence FROM branches WHERE name = %s FOR UPDATE", [branch])
        ).fetchone()
        if row is None:
            raise PublishError(f"没有名为“{branch}”的支部（可先运行 yici-hub branches add {branch}）。")
        now = {} if replace else dict(row[1] or {})
        for key, every in overrides.items():
            if every == "default":
                now.pop(key, None)
            else:
                now[key] = every
        if now == (row[1] or {}):
            return Published(0, "unchanged")
        change = await next_change(conn)
        await conn.execute(
            "UPDATE branches SET cadence = %s, change = %s WHERE id = %s", [Jsonb(now), change, row[0]]
        )
    return Published(change, "cadence")


async def publish_settings(conn: psycopg.AsyncConnection, name: str, kind: str, settings: dict) -> Published:
    """Publish (or replace) a platform's settings, already checked to hold no secret."""
    async with conn.transaction():
        row = await (
            await conn.execute(
                "SELECT kind, settings FROM platform_settings WHERE name = %s FOR UPDATE", [name]
            )
        ).fetchone()
        if row is not None and row[0] == kind and row[1] == settings:
            return Published(0, "unchanged")
        change = await next_change(conn)
        await conn.execute(
            "INSERT INTO platform_settings(name, kind, settings, change) VALUES (%s, %s, %s, %s) "
            "ON CONFLICT (name) DO UPDATE SET kind = EXCLUDED.kind, settings = EXCLUDED.settings, "
            "change = EXCLUDED.change",
            [name, kind, Jsonb(settings), change],
        )
    return Published(change, "settings" if row is None else "replaced")


async def published_settings(conn: psycopg.AsyncConnection) -> list[dict]:
    """Every published platform: name, kind, its settings, change."""
    rows = await (
        await conn.execute("SELECT name, kind, settings, change FROM platform_settings ORDER BY name")
    ).fetchall()
    return [{"name": n, "kind": k, "settings": s, "change": c} for n, k, s, c in rows]


def _builtin(form_id: str, version: int) -> Form | None:
    try:
        return Catalog().get(form_id, version)
    except UnknownForm:
        return None
