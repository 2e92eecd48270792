"""What one try means for its delivery, and how those outcomes reach the store.

A kind answers with an `Attempt` in the platform's words; `outcome_of` turns it into the
`DeliveryOutcome` the store records (state, backoff, Retry-After) and counts it in the target's
report. `OutcomeWriter` writes outcomes, for idempotent targets one batch behind the sending.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor

from forms.store import Delivery, DeliveryOutcome, DeliveryState
from sync.answers import STOPPED, UNCERTAIN
from sync.kind import ATTENTION, DELIVERED, PERMANENT, RATE_LIMITED, Attempt
from sync.ratelimit import RateLimiter
from sync.report import TargetReport

BACKOFF_BASE = 30.0  # seconds before the first automatic retry
BACKOFF_CAP = 3600.0  # never wait longer than an hour between automatic retries
DEFAULT_RATE_WAIT = 60.0  # "too fast" without saying how long
WRITTEN = "written"  # xlsx: the row is in the import file (sync.xlsx.WRITTEN)
AWAITING_ENTRY = "awaiting_entry"  # copy: a person types it in (sync.copy.AWAITING)


def backoff(attempts: int, rng: random.Random | None = None) -> float:
    """Seconds to wait after the `attempts`-th transient failure: exponential, jittered, capped."""
    draw = rng.random if rng is not None else random.random
    ceiling = min(BACKOFF_CAP, BACKOFF_BASE * (2 ** max(0, attempts - 1)))
    # "Equal jitter": at least half the ceiling so retries stay spaced, the rest random so many
    # laptops coming back online at once do not hit a platform in lockstep.
    return ceiling / 2 + draw() * ceiling / 2


def capped(seconds: float | None) -> float | None:
    """A wait a platform asked for (Retry-After, a robot's lockout), never beyond BACKOFF_CAP:
    a date far ahead is a clock that was wrong, not a reason to stop for days."""
    if seconds is None:
        return None
    return min(max(0.0, float(seconds)), BACKOFF_CAP)


def outcome_of(
    delivery: Delivery, attempt: Attempt, report: TargetReport, limiter: RateLimiter, now: float
) -> DeliveryOutcome:
    """What this attempt means for the delivery, as the store records it (counted in `report`)."""

    def outcome(
        state: DeliveryState, next_attempt_at: float | None = None, not_before: float | None = None
    ) -> DeliveryOutcome:
        return DeliveryOutcome(
            delivery.id,
            state,
            attempt.message,
            attempt.remote_id,
            attempt.payload,
            next_attempt_at,
            not_before,
            attempt.conflict,
        )

    if attempt.outcome == DELIVERED:
        report.delivered += 1
        return outcome(DeliveryState.DELIVERED)
    if attempt.outcome == WRITTEN:  # xlsx: row is in the import file, awaiting upload
        report.written += 1
        return outcome(DeliveryState.AWAITING_UPLOAD)
    if attempt.outcome == AWAITING_ENTRY:  # copy: waits for a person, never sent
        return outcome(DeliveryState.AWAITING_ENTRY)
    if attempt.outcome == PERMANENT:
        report.failed += 1
        return outcome(DeliveryState.FAILED)
    if attempt.outcome == UNCERTAIN:  # may have reached a robot: a person decides, never a resend
        report.uncertain += 1
        return outcome(DeliveryState.UNCERTAIN)
    if attempt.outcome == STOPPED:
        # Stopped before it (or, for a platform that dedupes, its answer) came: as if never
        # tried, unless parts of it went (WeCom photos), which the progress marker remembers.
        if attempt.remote_id is None:
            return DeliveryOutcome.untried(delivery.id)
        return outcome(DeliveryState.PENDING)
    if attempt.outcome == RATE_LIMITED:
        wait = capped(attempt.retry_after if attempt.retry_after is not None else DEFAULT_RATE_WAIT)
        assert wait is not None
        limiter.penalize(wait)
        report.retrying += 1
        return outcome(DeliveryState.PENDING, not_before=now + wait)
    if attempt.outcome == ATTENTION:
        return outcome(DeliveryState.PENDING)
    # TRANSIENT (and anything unexpected): back off; Retry-After on a 5xx is a hard floor.
    report.retrying += 1
    retry_after = capped(attempt.retry_after)
    not_before = now + retry_after if retry_after else None
    # A kind's progress marker (e.g. WeCom: which photos already went) rides in remote_id,
    # so the retry continues where this try stopped instead of repeating messages.
    return outcome(DeliveryState.PENDING, now + backoff(delivery.attempts + 1), not_before)


def untried(deliveries: Iterable[Delivery]) -> list[DeliveryOutcome]:
    """Outcomes that put deliveries back to pending as if never tried (they were not sent)."""
    return [DeliveryOutcome.untried(d.id) for d in deliveries]


class OutcomeWriter:
    """Writes delivery outcomes, optionally one batch behind the sending.

    With `behind`, a batch's outcomes are held until the next batch is marked `sending` (the
    store has one writer at a time, so that must come first), then written on a helper thread
    while the next batch is on the wire. At most one batch is ever unwritten: if the process
    dies before it lands, those deliveries are still `sending`, come back as pending on
    recovery and are resent under the same Idempotency-Key, which the platform dedupes."""

    def __init__(self, write: Callable[[list[DeliveryOutcome]], None], *, behind: bool):
        self._write = write
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="yici-outcomes") if behind else None
        self._pending: Future | None = None
        self._held: list[DeliveryOutcome] | None = None

    def _settle(self) -> None:
        # An error in a background write surfaces here, in the drain.
        if self._pending is not None:
            pending, self._pending = self._pending, None
            pending.result()

    def _write_held(self) -> None:
        if self._held is not None:
            held, self._held = self._held, None
            self._write(held)

    def later(self, results: list[DeliveryOutcome]) -> None:
        """Outcomes of a finished batch: written now, or held for `kick`."""
        self._settle()
        self._write_held()
        if self._pool is None:
            self._write(results)
        else:
            self._held = results

    def kick(self) -> None:
        """The next batch is marked `sending`: write the held outcomes in the background."""
        self._settle()
        if self._held is not None and self._pool is not None:
            held, self._held = self._held, None
            self._pending = self._pool.submit(self._write, held)

    def now(self, results: list[DeliveryOutcome]) -> None:
        """Write everything, in order, before going on."""
        self._settle()
        self._write_held()
        self._write(results)

    def close(self) -> None:
        """Write whatever is still held and stop the helper thread."""
        try:
            self._settle()
            self._write_held()
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True)


__all__ = [
    "AWAITING_ENTRY",
    "BACKOFF_BASE",
    "BACKOFF_CAP",
    "DEFAULT_RATE_WAIT",
    "OutcomeWriter",
    "WRITTEN",
    "backoff",
    "capped",
    "outcome_of",
    "untried",
]
