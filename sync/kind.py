"""What every target kind (rest, dingtalk, wecom, feishu, xlsx) offers the delivery engine.

A kind turns one record revision into the platform's request and reads the platform's answer
into an `Attempt`. It never touches the database: the engine (sync/engine.py, a target's turn in
sync/drain.py, outcomes in sync/outcomes.py) reads and writes through the store and decides
states, backoff and rate limits from the `Attempt`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

# A target's configuration is a forms/ fact (the store hands it out); kinds import it from here.
from forms.target_kinds import TargetConfig

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
    attachment: Callable[[str], bytes] | None = None  # sha256 -> file bytes
    # Longtext fields ("key", "repeat.key"): the only values a group message shows on several
    # lines (sync/escaping.py); None when the form is unknown.
    multiline_keys: frozenset[str] | None = None

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


class Kind(Protocol):
    """One platform protocol."""

    name: str
    idempotent: bool  # may be retried after a crash without duplicating
    secret_names: tuple[str, ...]  # keyring entries it reads
    required_secrets: tuple[str, ...]  # rest also has required_secrets_for(options)
    rate_limits: tuple[tuple[int, float], ...]  # (requests, per seconds), all must hold

    def config_problems(self, target: TargetConfig, secrets: dict[str, str]) -> list[str]:
        """Chinese messages for what is missing or wrong before anything is sent."""

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
    "Outgoing",
    "PERMANENT",
    "RATE_LIMITED",
    "TRANSIENT",
    "TargetConfig",
]
