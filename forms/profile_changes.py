"""What importing a deployment profile would change in this laptop's existing targets, field by
field, in Chinese: a profile never changes a platform silently.

`target_changes` lists every difference before anything is written; `import_profile`
(forms/profile.py) refuses with `ProfileChanges` unless the changes were accepted (the command
line's `--accept-changes`, the window's question). A change of where a target sends is called
out: it deletes the secrets saved for the old address (forms/store/targets.py).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from forms.i18n import tr, tr_noop
from forms.profile_reading import Profile, ProfileTarget
from forms.secrecy import mask_url_secrets
from forms.store import Store, Target
from forms.store.target_guards import origins_of

_FIELD_TITLES = {
    "url": tr_noop("接口地址"),
    "forms": tr_noop("表单"),
    "branches": tr_noop("支部"),
    "template": tr_noop("模板"),
    "enabled": tr_noop("启用"),
}


@dataclass(frozen=True)
class TargetChange:
    """One field of one existing target that the profile would change."""

    target: str
    what: str
    before: str
    after: str
    moves: bool = False  # it changes where the target sends: its secrets will be deleted

    def __str__(self) -> str:
        text = tr("平台“{target}”的{what}：{before} → {after}").format(
            target=self.target, what=self.what, before=self.before, after=self.after
        )
        if self.moves:
            text += tr("（发送地址改变：为原地址保存的密钥将被删除，需要重新填写）")
        return text


class ProfileChanges(Exception):
    """The profile would change existing targets and nobody accepted that yet: nothing was imported."""

    def __init__(self, changes: list[TargetChange]):
        self.changes = list(changes)
        super().__init__(str(self))

    def __str__(self) -> str:
        lines = "\n".join(f"  · {change}" for change in self.changes)
        return tr("这个配置文件会修改本机已有的平台：\n{lines}\n为安全起见，什么都没有导入。").format(
            lines=lines
        )


def _shown(key: str, value: Any) -> str:
    if key == "url":
        return mask_url_secrets(value) if value else tr("（无）")
    if key in ("forms", "branches"):
        return "、".join(value) if value else tr("全部")
    if key == "enabled":
        return tr("是") if value else tr("否")
    if key == "template":
        return tr("自定义模板") if value else tr("默认模板")
    return str(value) if value not in (None, "") else tr("（未设置）")


def _same(key: str, here: Any, there: Any) -> bool:
    if key in ("url", "template"):
        return (here or None) == (there or None)
    if key in ("forms", "branches"):
        return list(here or []) == list(there or [])
    return here == there


def changes_of(here: Target, target: ProfileTarget) -> list[TargetChange]:
    """How the profile's `target` differs from this laptop's `here`, field by field."""
    found = []
    for key, value in target.values.items():
        if key == "options":
            continue
        current = getattr(here, key)
        if not _same(key, current, value):
            if key == "template" and current and value:
                found.append(TargetChange(here.name, tr("模板"), tr("原模板"), tr("新模板（内容不同）")))
            else:
                found.append(
                    TargetChange(here.name, tr(_FIELD_TITLES[key]), _shown(key, current), _shown(key, value))
                )
    if "options" in target.values:
        wanted = {str(k): str(v) for k, v in (target.values["options"] or {}).items()}
        for name in sorted(set(here.options) | set(wanted)):
            before, after = here.options.get(name), wanted.get(name)
            if before != after:
                found.append(
                    TargetChange(
                        here.name, tr("选项 {name}").format(name=name), _shown("", before), _shown("", after)
                    )
                )
    config = here.config()
    moved = replace(
        config,
        url=target.values.get("url", config.url),
        options={str(k): str(v) for k, v in (target.values.get("options", config.options) or {}).items()},
    )
    before, after = origins_of(config), origins_of(moved)
    if before != after:
        found.append(
            TargetChange(here.name, tr("发送地址"), before or tr("（无）"), after or tr("（无）"), moves=True)
        )
    return found


def target_changes(store: Store, profile: Profile) -> list[TargetChange]:
    """Every change the profile would make to targets this laptop already has (new ones are
    not changes: they are added, without secrets)."""
    existing = {t.name: t for t in store.targets()}
    found = []
    for target in profile.targets:
        here = existing.get(target.name)
        if here is not None and here.kind == target.kind:
            found.extend(changes_of(here, target))
    return found
