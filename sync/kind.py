"""What every target kind (rest, dingtalk, wecom, feishu, xlsx) offers the delivery engine.

A kind turns one record revision into the platform's request and reads the platform's answer
into an `Attempt`. It never touches the database: the engine (sync/engine.py, a target's turn in
sync/drain.py, outcomes in sync/outcomes.py) reads and writes through the store and decides
states, backoff and rate limits from the `Attempt`.
"""

from __future__ import annotations

import math
import re
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from forms.i18n import tr

# A target's configuration is a forms/ fact (the store hands it out); kinds import it from here.
from forms.target_kinds import NO_WORDS, PLAIN_HTTP_OPTION, YES_WORDS, TargetConfig

# What happened when we tried. The engine maps these to delivery states (DESIGN §7).
DELIVERED = "delivered"  # the platform's own code says it took the message
TRANSIENT = "transient"  # no network, timeout, reset, 5xx: try again later
RATE_LIMITED = "rate_limited"  # 429 or a robot's too-fast code: wait (retry_after), not a failure
PERMANENT = "permanent"  # the platform refused this payload (4xx, bad content): `failed`
ATTENTION = "attention"  # auth or configuration wrong: stop the whole target
OUTCOMES = (DELIVERED, TRANSIENT, RATE_LIMITED, PERMANENT, ATTENTION)


@dataclass
class Outgoing:
    """One record revision on its way to one target, with everything a kind needs to send it."""

    target: TargetConfig
    secrets: dict[str, str]  # from the keyring, e.g. {'webhook': ..., 'sign_secret': ...}
    record_uuid: str
    revision: int
    form_id: str
    form_title: str
    branch: str
    operator: str
    status: str  # 'final' or 'void'
    data: dict[str, Any]  # the record's values
    labels: dict[str, str]  # field key -> label, for messages
    is_correction: bool = False  # revision > 1: robots mark 【更正】, REST may update
    remote_id: str | None = None  # the platform's id from an earlier delivery
    # sha256 -> the file's bytes as this target gets them: photos as clean copies (no EXIF unless
    # the target keeps it, upright, within its limit), other files as stored (sync/photo_copies.py).
    attachment: Callable[[str], bytes] | None = None
    # Longtext fields ("key", "repeat.key"): the only values a group message shows on several
    # lines (sync/escaping.py); None when the form is unknown.
    multiline_keys: frozenset[str] | None = None
    # The whole revision in the township hub's shape (forms/store/hub_revisions.py), read only
    # when called: with None this delivery's revision, with a number H this laptop's revision
    # that is H on the hub (None when it has none). Only the `hub` kind asks for it.
    full_revision: Callable[[int | None], dict | None] | None = None

    def facts(self) -> dict[str, Any]:
        """The record's facts a template or an expression sees besides its values (`record.xxx`)."""
        return {
            "uuid": self.record_uuid,
            "revision": self.revision,
            "form_id": self.form_id,
            "form_title": self.form_title,
            "branch": self.branch,
            "operator": self.operator,
            "status": self.status,
            "is_correction": self.is_correction,
        }

    @property
    def idempotency_key(self) -> str:
        return f"{self.record_uuid}:{self.revision}:{self.target.id}"


@dataclass
class Attempt:
    """The result of one try, in the platform's words."""

    outcome: str
    message: str = ""  # platform message or our Chinese explanation
    retry_after: float | None = None  # seconds, from Retry-After or a known throttle window
    remote_id: str | None = None
    payload: str = ""  # what was sent, secrets removed, for "view payload"
    # The township hub refused the revision for another laptop's (409): the hub's version, kept
    # by the store as a conflict for a person to resolve (the delivery itself ends failed).
    conflict: dict | None = None


@dataclass(frozen=True)
class Option:
    """One option a kind understands: its name, the values it takes (`choices`, compared without
    regard to case) or a `check` saying in Chinese why a value is wrong. The window, the command
    line and deployment profiles all check options through these (forms/target_kinds.py)."""

    name: str
    choices: tuple[str, ...] = ()
    check: Callable[[str], str | None] | None = None

    def problem(self, value: str) -> str | None:
        """Why `value` is not valid for this option, or None."""
        if self.choices and value.strip().lower() not in {c.lower() for c in self.choices}:
            return tr("可选：{choices}").format(choices="、".join(self.choices))
        return self.check(value.strip()) if self.check else None


def yes_or_no(value: str) -> str | None:
    """A yes/no option: 是/否, yes/no, true/false, 1/0, on/off."""
    return None if value.lower() in YES_WORDS + NO_WORDS else tr("应为 是 或 否（yes / no）")


def seconds(value: str) -> str | None:
    """A number of seconds to wait: more than 0, at most an hour."""
    try:
        number = float(value)
    except ValueError:
        return tr("应为秒数，例如 30")
    return None if math.isfinite(number) and 0 < number <= 3600 else tr("应为大于 0、不超过 3600 的秒数")


def whole_number(low: int, high: int) -> Callable[[str], str | None]:
    """A check for a whole number from `low` to `high`."""

    def check(value: str) -> str | None:
        return (
            None
            if value.isdigit() and low <= int(value) <= high
            else tr("应为 {low} 到 {high} 之间的整数").format(low=low, high=high)
        )

    return check


def web_address(value: str) -> str | None:
    """An http(s) address whose host is written out (no {remote_id} in the host: a platform's
    answer must never decide where the next request, with its credentials, goes)."""
    try:
        parts = urllib.parse.urlsplit(value)
        host = parts.hostname
    except ValueError:
        return tr("不是有效的网址")
    if parts.scheme.lower() not in ("http", "https") or not host:
        return tr("应是以 https:// 开头的完整网址")
    if "{" in parts.netloc or "}" in parts.netloc:
        return tr("网址的主机部分不能含 {…}，只有路径里可以用 {remote_id}")
    return None


# Every kind that sends over the network understands this one (see sync/secret_binding.py).
PLAIN_HTTP = Option(PLAIN_HTTP_OPTION, check=yes_or_no)


def byte_size(value: str) -> int | None:
    """ "2MB", "500KB", "1.5 M" or a number of bytes as bytes (K = 1024); None when not a size."""
    found = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([km]?)b?", value.strip().lower())
    if not found:
        return None
    number, unit = float(found.group(1)), found.group(2)
    return int(number * {"": 1, "k": 1024, "m": 1024**2}[unit])


MIN_PHOTO_BYTES, MAX_PHOTO_BYTES = 64 * 1024, 50 * 1024**2


def photo_size(value: str) -> str | None:
    """A photo size limit: 64KB to 50MB."""
    size = byte_size(value)
    if size is None or not MIN_PHOTO_BYTES <= size <= MAX_PHOTO_BYTES:
        return tr("应为大小，例如 2MB 或 500KB（64KB 到 50MB）")
    return None


# Every kind that hands photos to a platform understands these (sync/photo_copies.py): the copies
# carry no EXIF unless `photo_exif=keep`, and are downscaled to fit `photo_max_size`.
PHOTO_EXIF_KEEP = "keep"
PHOTO_EXIF = Option("photo_exif", choices=("strip", PHOTO_EXIF_KEEP))
PHOTO_MAX_SIZE = Option("photo_max_size", check=photo_size)
PHOTO_OPTIONS = (PHOTO_EXIF, PHOTO_MAX_SIZE)


class Kind(Protocol):
    """One platform protocol.

    About photos a kind may also say (read with getattr; sync/photo_copies.py): `photo_max_bytes`,
    the platform's own limit for one photo (WeCom robots: 2 MB), and `sends_originals = True`
    when the stored files themselves go (the township hub, the township's own evidence store)."""

    name: str
    idempotent: bool  # may be retried after a crash without duplicating
    secret_names: tuple[str, ...]  # keyring entries it reads
    required_secrets: tuple[str, ...]  # rest also has required_secrets_for(options)
    rate_limits: tuple[tuple[int, float], ...]  # (requests, per seconds), all must hold
    options: tuple[Option, ...]  # every option it understands

    def config_problems(self, target: TargetConfig, secrets: dict[str, str]) -> list[str]:
        """Chinese messages for what is missing or wrong before anything is sent."""

    def settings_problems(self, target: TargetConfig) -> list[str]:
        """The part of `config_problems` that does not depend on the secrets (shown with no keyring)."""

    def addresses(self, target: TargetConfig) -> list[str]:
        """The URLs among the target's non-secret settings that records and secrets go to."""

    def send(self, item: Outgoing, http: Any) -> Attempt:
        """Deliver one record revision; never raise for network or platform errors."""

    def send_test(self, target: TargetConfig, secrets: dict[str, str], http: Any) -> Attempt:
        """Send a harmless test message and report the platform's answer."""


__all__ = [
    "ATTENTION",
    "Attempt",
    "DELIVERED",
    "Kind",
    "OUTCOMES",
    "Option",
    "Outgoing",
    "PHOTO_EXIF",
    "PHOTO_MAX_SIZE",
    "PHOTO_OPTIONS",
    "PLAIN_HTTP",
    "PERMANENT",
    "RATE_LIMITED",
    "TRANSIENT",
    "TargetConfig",
    "byte_size",
    "photo_size",
    "seconds",
    "web_address",
    "whole_number",
    "yes_or_no",
]
