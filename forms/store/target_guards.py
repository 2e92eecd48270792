"""What may be stored for a target, and why a target is held: credentials never in its URL or
options (the one secrets policy, forms/secrecy.py), the addresses its secrets are bound to, and
the messages that stop it until a person has looked (an address changed, a handover import)."""

from __future__ import annotations

from forms import target_kinds
from forms.i18n import tr, tr_noop
from forms.secrecy import is_secret_name, origin_of, url_secret_keys

# How a target stopped because its address changed begins: it stays stopped (through other
# edits) until a person enters its secrets again.
ADDRESS_CHANGED = "平台地址已改变"
# Why a target a handover file added is held: only a person lifts it (editing the target,
# entering its secrets, a test message); a sync a person starts does not.
IMPORTED_TARGET_ATTENTION = tr_noop(
    "这个平台来自导入的交接文件，还没有人核对过：请核对地址和推送范围、录入密钥后再继续推送 "
    "(came from a handover file: check its address, enter its secrets, then resume)"
)


def origins_of(config) -> str | None:
    """Where a target's settings send to, as the sorted "scheme://host:port" list (space-separated)
    that `Target.secret_origin` is compared with; None when its settings name no address."""
    found = sorted({o for o in map(origin_of, target_kinds.addresses(config)) if o})
    return " ".join(found) or None


def address_changed_message(name: str, before: str | None, after: str | None) -> str:
    """Why a target whose address changed is stopped, and what to do (in Chinese)."""
    return (
        f"{ADDRESS_CHANGED}（{before or '无'} → {after or '无'}）：为原地址保存的密钥已删除，"
        "以免发到别的地方。请核对新地址无误后重新填写密钥"
        f"（“推送平台”里点“填写密钥…”，或运行 `yici targets secret {name}`）。"
    )


def secret_problems(url: str | None, options: dict | None) -> list[str]:
    """Chinese messages for credentials that would be stored in plain text, or []."""
    problems = []
    keys = url_secret_keys(url)
    if keys:
        problems.append(
            tr(
                "接口地址里带有密钥（{keys}）：地址会明文保存，密钥只能放在系统钥匙串里。"
                "请去掉地址里的密钥，选择认证方式后用“填写密钥”保存。"
            ).format(keys="、".join(keys))
        )
    for name, value in (options or {}).items():
        if is_secret_name(name):
            problems.append(
                tr("“{name}”是密钥，不能作为选项保存：请用“填写密钥”存入系统钥匙串。").format(name=name)
            )
        elif url_secret_keys(str(value)):
            problems.append(
                tr("选项 {name} 的值是带密钥的网址：密钥只能放在系统钥匙串里。").format(name=name)
            )
    return problems
