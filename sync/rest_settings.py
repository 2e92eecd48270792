"""A REST target's options, read and checked once per target instead of once per record.

The options are text as the store keeps them (see sync/rest.py for what each one means).
`settings_of` turns them into a `RestSettings` and keeps it on the `TargetConfig` for as long as
the options stay the same, so a drain of thousands of records parses them once; `problems`
says in Chinese what is missing or wrong before anything is sent.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from forms.i18n import tr
from sync.kind import PHOTO_EXIF, PHOTO_MAX_SIZE, PLAIN_HTTP, Option, TargetConfig, seconds, web_address

METHODS = ("POST", "PUT", "PATCH")
AUTHS = ("none", "bearer", "api_key", "hmac")
# The keyring secret each `auth` method cannot send without.
AUTH_SECRETS = {"none": (), "bearer": ("token",), "api_key": ("api_key",), "hmac": ("app_secret",)}
PHOTO_MODES = ("none", "multipart", "base64")

_STATUS_PART = re.compile(r"[1-5](xx|\d\d)")


def option(target: TargetConfig, name: str, default: str = "") -> str:
    """The option as trimmed text; `default` when it is missing or blank."""
    value = (target.options or {}).get(name)
    return default if value is None or str(value).strip() == "" else str(value).strip()


def status_rule(text: str) -> list[str] | None:
    """ "2xx" / "200,201" / "2xx,304" as a list of patterns, None when not understood."""
    parts = [p.strip().lower() for p in text.split(",") if p.strip()]
    if not parts or not all(_STATUS_PART.fullmatch(p) for p in parts):
        return None
    return parts


def status_ok(status: int, rule: list[str]) -> bool:
    """Does this HTTP status match one of the rule's patterns?"""
    code = str(status)
    return any(p == code or (p.endswith("xx") and p[0] == code[0]) for p in rule)


def timeout_of(target: TargetConfig) -> tuple[float, float] | None:
    """(connect, read) seconds from the `timeout` option; None when it is not a number (or 0,
    meaning the HTTP client's default)."""
    try:
        read = float(option(target, "timeout", "0"))
    except ValueError:
        return None
    return (10.0, read) if read > 0 else None


@dataclass(frozen=True)
class RestSettings:
    """A REST target's options as the request and the answer use them."""

    url: str
    method: str
    auth: str
    api_key_header: str
    app_key: str
    photos: str
    update_url: str
    update_method: str
    ca_file: str | None
    timeout: tuple[float, float] | None
    success_status: list[str]
    success_path: str
    success_value: str
    remote_id_path: str


def _read(target: TargetConfig) -> RestSettings:
    return RestSettings(
        url=target.url or "",
        method=option(target, "method", "POST").upper(),
        auth=option(target, "auth", "none").lower(),
        api_key_header=option(target, "api_key_header", "X-API-Key"),
        app_key=option(target, "app_key"),
        photos=option(target, "photos", "none").lower(),
        update_url=option(target, "update_url"),
        update_method=option(target, "update_method", "PUT").upper(),
        ca_file=option(target, "ca_file") or None,
        timeout=timeout_of(target),
        success_status=status_rule(option(target, "success_status", "2xx")) or ["2xx"],
        success_path=option(target, "success_path"),
        success_value=option(target, "success_value", "0"),
        remote_id_path=option(target, "remote_id_path"),
    )


def settings_of(target: TargetConfig) -> RestSettings:
    """The target's settings, read again only when its URL or options changed."""
    seen = target.url, tuple(sorted((target.options or {}).items()))
    cached = getattr(target, "_rest_settings", None)
    if cached is not None and cached[0] == seen:
        return cached[1]
    settings = _read(target)
    target._rest_settings = (seen, settings)  # type: ignore[attr-defined]
    return settings


def settings_problems(target: TargetConfig) -> list[str]:
    """Chinese messages for what is missing or wrong in the options, whatever the secrets (the
    body template is checked by the kind: it is compiled when rendered anyway)."""
    found = []
    url = (target.url or "").strip()
    if not re.match(r"^https?://[^/\s]+", url, re.IGNORECASE):
        found.append(tr("请填写平台接口地址（以 https:// 开头）"))
    method = option(target, "method", "POST").upper()
    if method not in METHODS:
        found.append(tr("请求方法“{method}”不支持，请用 POST、PUT 或 PATCH").format(method=method))
    auth = option(target, "auth", "none").lower()
    if auth not in AUTHS:
        found.append(tr("认证方式“{auth}”不支持，请用 none、bearer、api_key 或 hmac").format(auth=auth))
    elif auth == "hmac" and not option(target, "app_key"):
        found.append(tr("认证方式为 hmac，请填写 app_key 选项"))
    if status_rule(option(target, "success_status", "2xx")) is None:
        found.append(tr("success_status 写法有误，例如 2xx 或 200,201"))
    if option(target, "success_value") and not option(target, "success_path"):
        found.append(tr("填写了 success_value 但没有 success_path（例如 code）"))
    if option(target, "photos", "none").lower() not in PHOTO_MODES:
        found.append(tr("photos 选项只能是 none、multipart 或 base64"))
    update_url = option(target, "update_url")
    if update_url and web_address(update_url):
        found.append(
            tr("update_url {web_address}，例如 https://平台/api/records/{{remote_id}}").format(
                web_address=web_address(update_url)
            )
        )
    if option(target, "update_method", "PUT").upper() not in METHODS:
        found.append(tr("update_method 只能是 PUT、PATCH 或 POST"))
    ca_file = option(target, "ca_file")
    if ca_file and not os.path.isfile(ca_file):
        found.append(tr("CA 证书文件不存在：{ca_file}").format(ca_file=ca_file))
    if timeout_of(target) is None and option(target, "timeout"):
        found.append(tr("timeout 应为秒数，例如 30"))
    return found


def secret_problems(target: TargetConfig, secrets: dict[str, str]) -> list[str]:
    """Chinese messages for the secret the `auth` option needs and the keyring does not hold."""
    auth = option(target, "auth", "none").lower()
    if auth == "bearer" and not secrets.get("token"):
        return [tr("认证方式为 bearer，但还没有保存令牌（token），请在目标设置里输入")]
    if auth == "api_key" and not (secrets.get("api_key") or secrets.get("token")):
        return [tr("认证方式为 api_key，但还没有保存 API Key（api_key），请在目标设置里输入")]
    if auth == "hmac" and not secrets.get("app_secret"):
        return [tr("认证方式为 hmac，但还没有保存 appSecret（app_secret），请在目标设置里输入")]
    return []


def problems(target: TargetConfig, secrets: dict[str, str]) -> list[str]:
    """Chinese messages for what is missing or wrong in the options and secrets."""
    return settings_problems(target) + secret_problems(target, secrets)


def _header_name(value: str) -> str | None:
    return (
        None
        if re.fullmatch(r"[A-Za-z0-9!#$%&'*+.^_`|~-]+", value)
        else tr("应是 HTTP 请求头的名称，例如 X-API-Key")
    )


def _status_rule(value: str) -> str | None:
    return None if status_rule(value) else tr("写法如 2xx 或 200,201")


# Every option a REST target understands (see sync/rest.py for what each one means).
OPTIONS = (
    Option("auth", choices=AUTHS),
    Option("method", choices=METHODS),
    Option("api_key_header", check=_header_name),
    Option("app_key"),
    Option("success_status", check=_status_rule),
    Option("success_path"),
    Option("success_value"),
    Option("remote_id_path"),
    Option("update_url", check=web_address),
    Option("update_method", choices=METHODS),
    Option("photos", choices=PHOTO_MODES),
    PHOTO_EXIF,
    PHOTO_MAX_SIZE,
    Option("ca_file"),
    Option("timeout", check=seconds),
    Option("test_url", check=web_address),
    Option("test_method", choices=(*METHODS, "GET", "HEAD")),
    PLAIN_HTTP,
)


__all__ = [
    "AUTHS",
    "AUTH_SECRETS",
    "METHODS",
    "OPTIONS",
    "PHOTO_MODES",
    "RestSettings",
    "option",
    "problems",
    "secret_problems",
    "settings_of",
    "settings_problems",
    "status_ok",
    "status_rule",
    "timeout_of",
]
