"""Delivery states (DESIGN §7) as one enum, and the outcome of one try as the engine reports it.

`DeliveryState` is a `StrEnum`: its members are the very strings kept in the `deliveries.state`
column, so SQL, JSON and comparisons with plain strings keep working. `needs_attention` is not
here: it belongs to a target (its `attention` message), not to a delivery.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from forms.i18n import tr_noop


class DeliveryState(StrEnum):
    """How far one record revision got on its way to one target."""

    PENDING = "pending"
    SENDING = "sending"
    DELIVERED = "delivered"
    FAILED = "failed"
    UNCERTAIN = "uncertain"
    AWAITING_UPLOAD = "awaiting_upload"  # written into an Excel import file; the operator uploads it
    AWAITING_ENTRY = "awaiting_entry"  # a person types it into the platform (kind `copy`)
    SUPERSEDED = "superseded"  # a newer revision of the record replaced it before it went
    CANCELLED = "cancelled"  # its target was removed before it went out

    # `label`, not `title`: a str subclass already has a `title()` method.
    @property
    def label(self) -> str:
        """What people see for this state (Chinese)."""
        return STATE_TITLES[self]


PENDING = DeliveryState.PENDING
SENDING = DeliveryState.SENDING
DELIVERED = DeliveryState.DELIVERED
FAILED = DeliveryState.FAILED
UNCERTAIN = DeliveryState.UNCERTAIN
AWAITING_UPLOAD = DeliveryState.AWAITING_UPLOAD
AWAITING_ENTRY = DeliveryState.AWAITING_ENTRY
SUPERSEDED = DeliveryState.SUPERSEDED
CANCELLED = DeliveryState.CANCELLED
DELIVERY_STATES = tuple(DeliveryState)
STATE_TITLES: dict[str, str] = {
    PENDING: "待发送",
    SENDING: "发送中",
    DELIVERED: "已送达",
    FAILED: "失败",
    UNCERTAIN: "可能已发送，请确认",
    AWAITING_UPLOAD: "待上传导入文件",
    AWAITING_ENTRY: "待录入",
    SUPERSEDED: "已被更正取代",
    CANCELLED: "已取消",
}
UNCERTAIN_MESSAGE = tr_noop(
    "程序在发送过程中中断，可能已发送，请确认后选择“重新发送”或“标记为已送达” "
    "(interrupted while sending: may have been delivered)"
)


@dataclass(frozen=True)
class DeliveryOutcome:
    """What one try did to one delivery, for `Store.record_attempts`.

    None keeps what the store has (message, remote id, payload). A `pending` outcome with
    `message` None was never sent: the delivery goes back untried (see `untried`)."""

    id: int  # the delivery
    state: DeliveryState
    message: str | None = None  # the platform's answer, secrets removed
    remote_id: str | None = None  # the platform's id, or a kind's progress marker
    payload: str | None = None  # what was sent, secrets removed
    next_attempt_at: float | None = None  # automatic retries wait until then (backoff)
    not_before: float | None = None  # nobody sends before then (Retry-After)
    # The township hub refused this revision for another laptop's (409): the hub's version, kept
    # for a person to choose (forms/store/hub_conflicts.py) in the transaction of this outcome.
    conflict: dict | None = None

    @classmethod
    def untried(cls, delivery_id: int) -> DeliveryOutcome:
        """Back to pending as if never tried: it was marked `sending` but did not go out."""
        return cls(delivery_id, PENDING)

    @property
    def was_sent(self) -> bool:
        """False for an untried outcome (see `untried`)."""
        return not (self.state == PENDING and self.message is None)
