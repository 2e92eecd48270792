"""Deliveries as every command reports them: which states need a person and which are still on
their way, the exit code they call for, a delivery as JSON for scripts and its time as people
read it. Shared by `yici sync`, `deliveries`, `status`, `records show` and `targets`.
"""

from __future__ import annotations

from desktop.cli.exits import EXIT_ATTENTION, EXIT_OK, EXIT_PENDING

# Delivery states that need a person, and those still on their way (awaiting_upload: the rows are
# in an Excel file but not yet on the platform; awaiting_entry: a person still types it in).
ATTENTION_STATES = ("failed", "uncertain")
PENDING_STATES = ("pending", "sending", "awaiting_upload", "awaiting_entry")


def delivery_exit_code(targets, counts: dict[str, dict[str, int]]) -> int:
    """4 when a live target needs attention or a delivery failed / is uncertain, 3 while deliveries
    are on their way (pending, sending, awaiting upload), else 0. Disabled targets do not count."""
    live = [t for t in targets if t.enabled]
    states = {s for t in live for s, n in counts.get(t.name, {}).items() if n}
    if any(t.attention for t in live) or states & set(ATTENTION_STATES):
        return EXIT_ATTENTION
    if states & set(PENDING_STATES):
        return EXIT_PENDING
    return EXIT_OK


def stamp_text(timestamp: str | None) -> str:
    """'2026-11-05T14:03:22+08:00' -> '2026-11-05 14:03:22'."""
    return timestamp[:19].replace("T", " ") if timestamp else ""


def state_title(state: str) -> str:
    """A delivery state in the users' words (unknown states as stored)."""
    from forms.store import STATE_TITLES  # only when printing: the parser is built without it

    return STATE_TITLES.get(state, state)


def delivery_json(d) -> dict:
    """A delivery for scripts: everything but the payload."""
    return {
        "id": d.id,
        "record_uuid": d.record_uuid,
        "revision": d.revision,
        "target": d.target_name,
        "state": d.state,
        "state_title": state_title(d.state),
        "attempts": d.attempts,
        "message": d.message,
        "remote_id": d.remote_id,
        "queued_at": d.queued_at,
        "sent_at": d.sent_at,
        "delivered_at": d.delivered_at,
        "updated_at": d.updated_at,
        "next_attempt_at": d.next_attempt_at,
        "not_before": d.not_before,
    }


def delivery_time(d) -> str:
    """When a delivery last changed, as a person reads it."""
    return stamp_text(d.delivered_at if d.state == "delivered" and d.delivered_at else d.updated_at)
