"""Which forms the township page knows: the built-in library (forms/library), the forms the
township publishes (table `forms`, with their print layouts) and the versions laptops sent with
their records (record_revisions.form_source). The latest version of each is the one whose cadence
the overview counts, as the desktop counts the latest version of each form in its catalog.

Read again only when the hub's change number moved: a page view in between costs one query.
A form text that cannot be read is left out (and named in `problems`), never a failed page. A
version a laptop sent under a built-in or published form's id is not counted by (see hub_forms).
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import shutil
import tempfile
from pathlib import Path

import psycopg

from forms.catalog import Catalog, UnknownForm
from forms.loader import FormProblem, load_form, parse_form
from forms.model import Form


class HubForms:
    """Forms by id and version, with the few lookups forms/paper asks of a catalog."""

    def __init__(self, forms: dict[tuple[str, int], Form], problems: list[str] | None = None):
        self._forms = forms
        self.problems = list(problems or [])

    def versions(self, form_id: str) -> list[int]:
        """Known versions of a form, oldest first."""
        return sorted(v for (i, v) in self._forms if i == form_id)

    def get(self, form_id: str, version: int | None = None) -> Form:
        """A form by id (the latest version unless one is named); UnknownForm when unknown."""
        versions = self.versions(form_id)
        if version is None and versions:
            version = versions[-1]
        found = self._forms.get((form_id, version)) if version is not None else None
        if found is None:
            raise UnknownForm(f"乡镇平台不认识表单“{form_id}”第{version}版")
        return found

    def all(self) -> list[Form]:
        """The latest version of each form, in the order the library lists them (by id)."""
        return [self.get(form_id) for form_id in sorted({i for i, _ in self._forms})]

    def title(self, form_id: str) -> str:
        """A form's title for lists (its id when the hub does not know it)."""
        try:
            return self.get(form_id).title
        except UnknownForm:
            return form_id

    def version_of(self, form_id: str, version: int, source: str | None) -> Form:
        """The form a record was entered with: the text it came with, else the known version,
        else the latest version (an old record still reads, with the fields it shares)."""
        if source:
            try:
                return _parsed(source, f"<{form_id} v{version}>")
            except FormProblem:
                pass
        try:
            return self.get(form_id, version)
        except UnknownForm:
            return self.get(form_id)


@functools.cache
def _library() -> dict[tuple[str, int], Form]:
    catalog = Catalog()
    return {
        (form.id, version): catalog.get(form.id, version)
        for form in catalog.all()
        for version in catalog.versions(form.id)
    }


@functools.cache
def _layouts() -> Path:
    """Where published print layouts are written beside their form, as forms/paper finds them
    (removed when the server stops)."""
    folder = Path(tempfile.mkdtemp(prefix="yici-hub-layouts-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


@functools.lru_cache(maxsize=256)
def _parsed(source: str, name: str) -> Form:
    return parse_form(source, name)


def _published(form_id: str, version: int, source: str, layout: str | None) -> Form:
    """A published form; with its layout written beside it, where find_layout looks."""
    if not layout:
        return _parsed(source, f"<{form_id} v{version}>")
    mark = hashlib.sha256(f"{source}\0{layout}".encode()).hexdigest()[:16]
    path = _layouts() / f"{mark}.yaml"
    if not path.exists():
        path.with_suffix(".print.html").write_text(layout, encoding="utf-8")
        path.write_text(source, encoding="utf-8")
    return load_form(path)


_cache: dict[str, tuple[int, HubForms]] = {}


async def hub_forms(conn: psycopg.AsyncConnection) -> HubForms:
    """The forms the hub knows now."""
    row = await (await conn.execute("SELECT last_value FROM hub_changes")).fetchone()
    change = int(row[0]) if row else 0
    known = _cache.get("forms")
    if known is not None and known[0] == change:
        return known[1]
    forms = dict(_library())
    problems = []
    sent = await (
        await conn.execute(
            "SELECT DISTINCT ON (form_id, form_version) form_id, form_version, form_source "
            "FROM record_revisions WHERE form_source IS NOT NULL ORDER BY form_id, form_version, change DESC"
        )
    ).fetchall()
    published = await (await conn.execute("SELECT id, version, source, print_layout FROM forms")).fetchall()
    # The township's own forms (built in, published) are the township's to change: a version a
    # laptop sent under one of their ids reads that laptop's records (version_of) but never
    # becomes the version every branch is counted by.
    township = {form_id for form_id, _ in forms} | {row[0] for row in published}
    for form_id, version, source in sent:
        if (form_id, version) not in forms and form_id not in township:
            try:
                forms[(form_id, version)] = _parsed(source, f"<{form_id} v{version}>")
            except FormProblem as exc:
                problems.append(f"{form_id} 第{version}版：{exc}")
    for form_id, version, source, layout in published:
        try:
            forms[(form_id, version)] = _published(form_id, version, source, layout)
        except (FormProblem, OSError) as exc:
            problems.append(f"{form_id} 第{version}版：{exc}")
    result = HubForms(forms, problems)
    _cache["forms"] = (change, result)
    return result
