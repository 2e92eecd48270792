"""Import a deployment profile into this laptop: all or nothing, and a second import changes nothing.

A profile (`yici_profile: 1`) is what IT staff set up once for a county, handed to every laptop
as YAML: setting defaults (font size, language, optionally a default operator), branches with
their cadence overrides and, if wanted, rosters; targets WITHOUT secrets (each says which
secrets the cadre must enter); and the YAML text of installed extra forms. Importing merges
branches by name, members by branch and name, targets by name, forms by id and version; a bad
profile is reported with the file and line. `find_beside_executable` offers one on first run.

Every name the rest of Yici uses for profiles is imported from here; the other jobs have their
own modules: profile_reading.py (read and check the file), profile_export.py (write this
laptop's profile), profile_secrets.py (which keyring secrets a target needs, which are missing).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from forms.catalog import Catalog
from forms.i18n import tr
from forms.model import Form
from forms.profile_changes import ProfileChanges, TargetChange, target_changes
from forms.profile_export import HEADER, export_profile, installed_forms, write_profile
from forms.profile_reading import (
    BRANCH_KEYS,
    FONT_SIZES,
    FORM_KEYS,
    MEMBER_KEYS,
    PROFILE_KEY,
    PROFILE_LIMITS,
    PROFILE_VERSION,
    SETTING_KEYS,
    TARGET_KEYS,
    TOP_KEYS,
    Profile,
    ProfileBranch,
    ProfileProblem,
    ProfileTarget,
    parse_profile,
    read_profile,
)
from forms.profile_secrets import missing_secrets, secrets_needed
from forms.store import Store
from forms.yaml_lines import Problem

__all__ = [
    "BRANCH_KEYS",
    "FONT_SIZES",
    "FORM_KEYS",
    "HEADER",
    "MEMBER_KEYS",
    "PROFILE_ENV",
    "PROFILE_FILE_NAME",
    "PROFILE_KEY",
    "PROFILE_LIMITS",
    "PROFILE_VERSION",
    "SETTING_KEYS",
    "TARGET_KEYS",
    "TOP_KEYS",
    "Profile",
    "ProfileBranch",
    "ProfileChanges",
    "ProfileProblem",
    "ProfileReport",
    "ProfileTarget",
    "TargetChange",
    "export_profile",
    "find_beside_executable",
    "import_profile",
    "installed_forms",
    "missing_secrets",
    "parse_profile",
    "read_profile",
    "secrets_needed",
    "target_changes",
    "write_profile",
]

PROFILE_FILE_NAME = "yici-profile.yaml"
PROFILE_ENV = "YICI_PROFILE"


@dataclass
class ProfileReport:
    """What an import did, item by item, and which secrets still have to be entered."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    secrets: list[tuple[str, list[str]]] = field(default_factory=list)  # (target, names)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated)


# ------------------------------------------------------------------------------------ import


def _check_against(profile: Profile, store: Store, catalog: Catalog) -> list[Problem]:
    """Problems only this laptop can reveal: form versions that clash, a target of another
    kind under the same name, filters naming forms or branches that do not exist."""
    problems = []
    for form, line in profile.forms:
        versions = catalog.versions(form.id)
        if form.version in versions:
            known = catalog.get(form.id, form.version)
            if known.source.replace("\r\n", "\n").strip() != form.source.replace("\r\n", "\n").strip():
                problems.append(
                    Problem(
                        profile.file,
                        line,
                        tr(
                            "表单 {id} 第 {version} 版在本机已有且内容不同；"
                            "请在配置文件里把它的 version 改为 {number}"
                        ).format(id=form.id, version=form.version, number=versions[-1] + 1),
                    )
                )
        elif versions and form.version < versions[-1]:
            problems.append(
                Problem(
                    profile.file,
                    line,
                    tr("表单 {id} 本机已有更新的第 {versions} 版；请删除这一项或改为更高的版本").format(
                        id=form.id, versions=versions[-1]
                    ),
                )
            )
    form_ids = {f.id for f in catalog.all()} | {f.id for f, _ in profile.forms}
    branch_names = {b.name for b in store.branches()} | {b.name for b in profile.branches}
    existing = {t.name: t for t in store.targets()}
    for target in profile.targets:
        here = existing.get(target.name)
        if here is not None and here.kind != target.kind:
            problems.append(
                Problem(
                    profile.file,
                    target.lines.get("kind", target.line),
                    tr(
                        "本机已有名为“{name}”的平台，类型是 {kind}，不是 {kind2}；请在配置文件里给它换个名称"
                    ).format(name=target.name, kind=here.kind, kind2=target.kind),
                )
            )
        for form_id in target.values.get("forms", []):
            if form_id not in form_ids:
                problems.append(
                    Problem(
                        profile.file,
                        target.lines.get("forms", target.line),
                        tr("平台“{name}”的 forms 中的表单“{form_id}”不存在；现有：{form_ids}").format(
                            name=target.name, form_id=form_id, form_ids="、".join(sorted(form_ids))
                        ),
                    )
                )
        for name in target.values.get("branches", []):
            if name not in branch_names:
                problems.append(
                    Problem(
                        profile.file,
                        target.lines.get("branches", target.line),
                        tr(
                            "平台“{name}”的 branches 中的支部“{name2}”不存在；请先在 branches 中列出它"
                        ).format(name=target.name, name2=name),
                    )
                )
    return problems


def import_profile(
    store: Store,
    catalog: Catalog,
    path: str | Path | None = None,
    *,
    profile: Profile | None = None,
    accept_changes: bool = False,
) -> ProfileReport:
    """Import a profile file (or a parsed `profile`) in one transaction; ProfileProblem when
    anything is wrong, and then nothing is imported. Running it again changes nothing.

    Changes to targets this laptop already has are made only when `accept_changes`; otherwise
    ProfileChanges lists them (field by field) and nothing is imported."""
    if profile is None:
        if path is None:
            raise ValueError("import_profile needs a profile file or a parsed profile")
        profile = read_profile(path)
    problems = _check_against(profile, store, catalog)
    if problems:
        raise ProfileProblem(problems)
    changes = target_changes(store, profile)
    if changes and not accept_changes:
        raise ProfileChanges(changes)
    report = ProfileReport()
    with store.transaction():
        _apply_settings(store, profile, report)
        for branch in profile.branches:
            _apply_branch(store, branch, report)
        for form, _line_no in profile.forms:
            _apply_form(store, catalog, form, report)
        for target in profile.targets:
            _apply_target(store, target, report)
    for target in profile.targets:
        live = store.target(target.name)
        wanted = list(dict.fromkeys(target.secrets_needed + secrets_needed(store, live)))
        missing = missing_secrets(store, live, wanted)
        if missing:
            report.secrets.append((live.name, missing))
    return report


def _apply_settings(store: Store, profile: Profile, report: ProfileReport) -> None:
    # Defaults only: what a cadre chose on this laptop (their name, 大字) is kept.
    for key, value in profile.settings.items():
        label = tr("设置 {key}").format(key=key)
        if store.get_setting(key) in (None, ""):
            store.set_setting(key, value)
            report.added.append(label)
        else:
            report.unchanged.append(label)


def _apply_branch(store: Store, branch: ProfileBranch, report: ProfileReport) -> None:
    label = tr("支部 {name}").format(name=branch.name)
    here = store.find_branch(branch.name)
    if here is None or here.name != branch.name:
        here = store.add_branch(branch.name, code=branch.code, secretary=branch.secretary)
        if branch.cadence:
            store.update_branch(here.id, cadence=branch.cadence)
        report.added.append(label)
    else:
        changes = {
            key: getattr(branch, key)
            for key in ("code", "secretary", "cadence")
            if key in branch.given and (getattr(branch, key) or None) != (getattr(here, key) or None)
        }
        if changes:
            store.update_branch(here.id, **changes)
            report.updated.append(label)
        else:
            report.unchanged.append(label)
    if branch.members is None:
        return
    roster = {m.name: m for m in store.members(here.id)}
    added = updated = 0
    for row in branch.members:
        member = roster.get(row["name"])
        if member is None:
            store.add_member(here.id, row["name"], role=row.get("role") or "党员", phone=row.get("phone"))
            added += 1
            continue
        changes = {k: row[k] for k in ("role", "phone") if k in row and row[k] != getattr(member, k)}
        if changes:
            store.update_member(member.id, **changes)
            updated += 1
    if added:
        report.added.append(tr("{name} 名册 {added} 人").format(name=branch.name, added=added))
    if updated:
        report.updated.append(tr("{name} 名册 {updated} 人").format(name=branch.name, updated=updated))
    if not added and not updated:
        report.unchanged.append(tr("{name} 名册").format(name=branch.name))


def _apply_form(store: Store, catalog: Catalog, form: Form, report: ProfileReport) -> None:
    label = tr("表单 {id} 第 {version} 版").format(id=form.id, version=form.version)
    if form.version in catalog.versions(form.id):
        report.unchanged.append(label)
        return
    installed = catalog.install_text(form.source, f"{form.id}-v{form.version}.yaml")
    store.remember_form(installed)
    report.added.append(label)


def _apply_target(store: Store, target: ProfileTarget, report: ProfileReport) -> None:
    label = tr("平台 {name}").format(name=target.name)
    here = next((t for t in store.targets() if t.name == target.name), None)
    if here is None:
        store.add_target(target.name, target.kind, **target.values)
        report.added.append(label)
        return
    changes = {}
    for key, value in target.values.items():
        current = getattr(here, key)
        if key in ("url", "template"):
            value, current = value or None, current or None
        if value != current:
            changes[key] = value
    if changes:
        store.update_target(here.id, **changes)
        report.updated.append(label)
    else:
        report.unchanged.append(label)


# ------------------------------------------------------------------------------ first run


def find_beside_executable() -> Path | None:
    """A profile to offer on first run: $YICI_PROFILE (for tests and scripted installs), else
    `yici-profile.yaml` beside the packaged program (IT staff put it next to yici.exe)."""
    from_env = os.environ.get(PROFILE_ENV, "").strip()
    if from_env:
        path = Path(from_env).expanduser()
        return path if path.is_file() else None
    if getattr(sys, "frozen", False):
        path = Path(sys.executable).resolve().parent / PROFILE_FILE_NAME
        return path if path.is_file() else None
    return None
