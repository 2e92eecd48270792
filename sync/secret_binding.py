"""Where a target's secrets may go: to the address they were entered for, and over plain http
only where a person allowed it for that target.

A secret is bound to the scheme, host and port it was entered for (`Target.secret_origin`,
recorded by sync/secrets.py). Before anything leaves, the engine asks `sending_problem`: when
the target would now send its secrets elsewhere (its settings changed behind the store's back,
or a keyring entry was swapped — a robot's webhook is itself the secret, so its host counts)
or over plain http:// without the target's `allow_plain_http`, nothing is sent and the target
needs attention. Loopback addresses (127.0.0.0/8, ::1, localhost) need no allowance: nothing
leaves the laptop. `plain_http_warning` is the line every view of a target shows.
"""

from __future__ import annotations

from typing import Any

from forms import target_kinds
from forms.i18n import tr
from forms.secrecy import origin_of, plain_http_origins
from forms.target_kinds import PLAIN_HTTP_OPTION, allows_plain_http
from sync.kind import TargetConfig


def _allow_hint() -> str:
    return tr(
        "如果这个平台只有 http（例如县内网没有 https），可在平台设置里添加选项 {option}=是 表示允许"
        "（命令行：`yici targets edit 平台名称 --option {option}=yes`）"
    ).format(option=PLAIN_HTTP_OPTION)


def destination_urls(addresses: list[str], secrets: dict[str, str]) -> list[str]:
    """Every URL these secrets would travel to: the `addresses` in the target's settings (its
    kind's `addresses`), and any secret that is itself a URL (a robot's webhook)."""
    urls = [u for u in addresses if u]
    return urls + [v for v in secrets.values() if origin_of(v)]


def origins_for(addresses: list[str], secrets: dict[str, str]) -> str | None:
    """The sorted "scheme://host:port" list (space-separated) the secrets would go to, None for none."""
    found = sorted({o for o in map(origin_of, destination_urls(addresses, secrets)) if o})
    return " ".join(found) or None


def plain_http_problem(urls: list[str], options: dict[str, str]) -> str | None:
    """Why these URLs may not carry secrets (plain http:// to another machine, not allowed)."""
    plain = plain_http_origins(urls)
    if not plain or allows_plain_http(options):
        return None
    return tr(
        "地址 {plain} 是明文 http://，密钥会在网络上不加密地传输，所以没有发送。请改用 https://；{allow_hint}"
    ).format(plain="、".join(plain), allow_hint=_allow_hint())


def sending_problem(target: Any, kind: Any, config: TargetConfig, secrets: dict[str, str]) -> str | None:
    """Why these secrets of the store's `target` must not go out now (a Chinese sentence saying
    what to do), or None. Checked by the engine before every run and every test message."""
    if not secrets:
        return None
    urls = destination_urls(kind.addresses(config), secrets)
    now = origins_for(kind.addresses(config), secrets)
    if now is not None and now != target.secret_origin:
        entered = target.secret_origin or tr("（没有记录）")
        return tr(
            "密钥是为 {entered} 填写的，现在却要发往 {now}：为安全起见什么都没有发送。"
            "请核对平台地址后重新填写密钥（“推送平台”里点“填写密钥…”，"
            "或运行 `yici targets secret {name}`）。"
        ).format(entered=entered, now=now, name=target.name)
    return plain_http_problem(urls, config.options)


def plain_http_warning(target: Any) -> str | None:
    """The warning shown wherever the target is shown when it sends over plain http:// (from its
    settings and the origin its secrets were entered for, without reading the keyring)."""
    urls = target_kinds.addresses(target.config()) + (target.secret_origin or "").split()
    plain = plain_http_origins(urls)
    if not plain:
        return None
    where = "、".join(plain)
    if allows_plain_http(target.options):
        return tr(
            "已允许明文 http（{where}）：密钥和记录在网络上不加密传输，只应在县内网等可信网络中使用"
        ).format(where=where)
    if not (target.secret_origin or target_kinds.required_secrets(target.kind, target.options)):
        return tr("地址是明文 http（{where}）：记录在网络上不加密传输，请尽量改用 https://").format(
            where=where
        )
    return tr("地址是明文 http（{where}），没有允许：不会发送密钥。请改用 https://；{allow_hint}").format(
        where=where, allow_hint=_allow_hint()
    )
