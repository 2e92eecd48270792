"""Write this laptop's set-up as a deployment profile: settings, branches (and rosters, if
wanted), targets without secrets, and the installed forms' YAML.

Never contains a secret: secrets are not in the store, and the keyring is only asked whether an
optional secret is set, so the profile can say which ones the next laptop must enter.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from forms.atomic import write_atomically
from forms.catalog import Catalog
from forms.model import Form
from forms.profile_reading import PROFILE_KEY, PROFILE_VERSION
from forms.profile_secrets import secrets_needed
from forms.store import Branch, Store, Target, timestamp

HEADER = """\
# 一次 Yici 部署配置（yici_profile）。由 `yici profile export` 生成，用 `yici profile import` 导入。
# 这个文件里没有任何密钥：导入后，请按提示用 `yici targets secret 平台名 --name 密钥名` 录入。
# settings 只在本机还没有设置时生效；branches 按名称、名册按姓名、targets 按名称、forms 按 id 和版本合并。
"""


class _Dumper(yaml.SafeDumper):
    """Multi-line text (form sources, templates) as readable `|` blocks."""


def _str(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def installed_forms(catalog: Catalog) -> list[Form]:
    """Every version of every form installed into the data folder (not the built-in ones)."""
    folder = catalog.installed_dir
    if folder is None:
        return []
    out = []
    for latest in catalog.all():
        for version in catalog.versions(latest.id):
            form = catalog.get(latest.id, version)
            if form.path and Path(form.path).resolve().parent == folder.resolve():
                out.append(form)
    return out


def export_profile(store: Store, catalog: Catalog, *, with_rosters: bool = False) -> str:
    """The profile of this laptop as YAML text. Never contains a secret: secrets are not in the
    store, and the keyring is only asked whether an optional secret is set."""
    data: dict[str, Any] = {PROFILE_KEY: PROFILE_VERSION, "exported_at": timestamp()}
    settings = {k: store.get_setting(k) for k in ("font_size", "language", "backup_keep_days", "township")}
    settings = {k: v for k, v in settings.items() if v not in (None, "")}
    if settings:
        data["settings"] = settings
    data["branches"] = [_branch(store, b, with_rosters) for b in store.branches()]
    data["targets"] = [_target(store, t) for t in store.targets()]
    data["forms"] = [
        {"id": f.id, "version": f.version, "title": f.title, "source": f.source}
        for f in installed_forms(catalog)
    ]
    body = yaml.dump(
        data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100
    )
    return HEADER + body


def _branch(store: Store, b: Branch, with_rosters: bool) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": b.name}
    if b.code:
        entry["code"] = b.code
    if b.secretary:
        entry["secretary"] = b.secretary
    if b.cadence:
        entry["cadence"] = dict(b.cadence)
    if with_rosters:
        entry["members"] = [
            {k: v for k, v in (("name", m.name), ("role", m.role), ("phone", m.phone)) if v}
            for m in store.members(b.id)
        ]
    return entry


def _target(store: Store, t: Target) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": t.name, "kind": t.kind}
    if t.url:
        entry["url"] = t.url
    entry["forms"], entry["branches"] = list(t.forms), list(t.branches)
    if t.template:
        entry["template"] = t.template
    entry["options"] = dict(t.options)
    entry["enabled"] = t.enabled
    entry["secrets_needed"] = secrets_needed(store, t)
    return entry


def write_profile(path: str | Path, text: str) -> Path:
    """Write the profile atomically (UTF-8)."""
    path = Path(path).expanduser()
    write_atomically(path, text, prefix=".profile-")
    return path
