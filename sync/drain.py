"""One target's turn in a sync run: its settings and secrets checked, then what is due sent in
batches, `sending` written before each request leaves and the outcome after it.

A target whose configuration or credentials are wrong is stopped (needs attention); a platform
that says "too fast" or looks offline holds the target's queue; a bug in a kind becomes a
failed attempt, and a bug here stops only this target. Each target drains on its own thread
(sync/engine.py starts them), so nothing here is shared between targets but the store, the
HTTP client and the `Parcels` cache, all safe for that.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from forms.secrecy import Scrubber
from forms.store import Delivery, DeliveryOutcome, SourceRow, Store, Target
from forms.store.targets import ADDRESS_CHANGED
from sync import secret_binding
from sync import secrets as keyring_secrets
from sync.answers import MESSAGE_LIMIT, outside
from sync.kind import (
    ATTENTION,
    DELIVERED,
    PERMANENT,
    RATE_LIMITED,
    TRANSIENT,
    Attempt,
    Kind,
    Outgoing,
    TargetConfig,
)
from sync.kinds import kind_for
from sync.outcomes import WRITTEN, OutcomeWriter, outcome_of, untried
from sync.outgoing import Parcels
from sync.ratelimit import RateLimiter
from sync.report import TargetReport

log = logging.getLogger("yici.sync")

LONGEST_INLINE_WAIT = 3.0  # a rate-limit pause up to this long is slept through; longer ones defer
GIVE_UP_AFTER = 3  # transient failures in a row that end a target's run (offline?)

SecretsReader = Callable[[TargetConfig, tuple[str, ...]], dict]


def item_send(kind: Kind, item: Outgoing, http: Any) -> Attempt:
    """Call the kind; a bug in it becomes a failed attempt with a message, never a crash."""
    try:
        return kind.send(item, http)
    except Exception as exc:
        log.exception("kind %s raised while sending", getattr(kind, "name", kind))
        return Attempt(TRANSIENT, f"发送时出错，稍后重试：{type(exc).__name__}: {outside(exc)}")


def target_limiter(
    limiters: dict[int, RateLimiter], store: Store, target_id: int, kind: Kind, clock: Callable[[], float]
) -> RateLimiter:
    """The target's limiter from `limiters`, made (and told what earlier runs sent) on first use."""
    limiter = limiters.get(target_id)
    if limiter is None:
        # A little slack on each window: the platform counts when a request arrives, a bit
        # after we counted it, and a request exactly on the window's edge gets refused.
        padded = [(count, seconds + max(0.1, seconds * 0.02)) for count, seconds in kind.rate_limits]
        limiter = limiters[target_id] = RateLimiter(padded, clock=clock)
        if kind.rate_limits:
            # Requests an earlier run (another process, a previous `yici sync`) sent count too:
            # a robot that hit its per-minute limit locks the group out for ten minutes.
            window = max(seconds for _, seconds in kind.rate_limits)
            limiter.remember(store.attempt_times(target_id, since=clock() - window))
    return limiter


class TargetDrain:
    """Sends one target's due deliveries for one run and tells its `report` what happened."""

    def __init__(
        self,
        store: Store,
        http: Any,
        target: Target,
        report: TargetReport,
        *,
        secrets: SecretsReader,
        parcels: Parcels,
        limiters: dict[int, RateLimiter],
        clock: Callable[[], float],
        sleep: Callable[[float], None] | None,
        batch: int,
    ):
        self.store, self.http, self.target, self.report = store, http, target, report
        self._secrets, self._parcels, self._limiters = secrets, parcels, limiters
        self.clock, self.sleep, self.batch = clock, sleep, batch
        # Until the secrets are read there is nothing to hide but URL tokens; the error handler
        # in `run` uses whatever this holds when something breaks.
        self.scrub = Scrubber()
        self._in_a_row = 0  # transient failures in a row, across batches

    def run(self, manual: bool, started: float, stop: threading.Event) -> None:
        """Drain the target; never raises (a bug stops this target, with a message, not the others)."""
        try:
            self._run(manual, started, stop)
        except Exception as exc:  # one target's bug must not stop the others
            log.exception("delivering to target %s failed", self.target.id)
            message = self.scrub.cut(
                f"同步出错，请把日志发给技术人员：{type(exc).__name__}: {outside(exc)}", MESSAGE_LIMIT
            )
            self._stop_target(message)

    def _run(self, manual: bool, started: float, stop: threading.Event) -> None:
        target = self.target
        if target.attention and not manual:
            self.report.attention = target.attention
            return  # stopped until a person fixes it (editing the target or `立即同步` clears it)
        kind = kind_for(target.kind)
        if kind is None:
            self._stop_target(f"未知的平台类型“{target.kind}”，请检查配置")
            return
        config = target.config()
        no_keyring = None
        try:
            secrets = self._secrets(config, kind.secret_names) if kind.secret_names else {}
        except keyring_secrets.NoKeyring as exc:
            # A target that needs no secret (REST without auth) still goes; one that does is
            # stopped with the keyring's own explanation, never given a plain-text fallback.
            secrets, no_keyring = {}, exc.message
        # Once per target and run, not per delivery: the scrubber sorts and splits its values.
        self.scrub = Scrubber(secrets.values())
        problems = kind.config_problems(config, secrets)
        if no_keyring and problems:
            # Its own settings may be wrong too: say so now, not after the keyring is fixed.
            problems = [no_keyring] + kind.settings_problems(config)
        # Secrets go only where they were entered for, and over plain http only when allowed.
        if not problems:
            unsafe = secret_binding.sending_problem(target, kind, config, secrets)
            problems = [unsafe] if unsafe else []
        if problems:
            kept = target.attention if (target.attention or "").startswith(ADDRESS_CHANGED) else None
            self._stop_target(kept or self.scrub("；".join(problems)))
            return
        if target.attention:
            self.store.set_target_attention(target.id, None)
        limiter = target_limiter(self._limiters, self.store, target.id, kind, self.clock)
        # Idempotent targets write a batch's outcomes while the next batch is on the wire (see
        # OutcomeWriter). Robots (not idempotent) write every outcome before the next request.
        writer = OutcomeWriter(self.store.record_attempts, behind=kind.idempotent)
        size = self.batch if kind.idempotent else 1
        try:
            while not stop.is_set():
                wait = limiter.wait_time()
                if wait > LONGEST_INLINE_WAIT:
                    self._hold(not_before=self.clock() + wait)
                    return
                due = self.store.due_deliveries(
                    target.id, now=self.clock(), manual=manual, tried_before=started, limit=size
                )
                if not due:
                    return
                if wait > 0:
                    self._pause(wait, stop)
                    if stop.is_set():
                        return  # nothing marked yet: the due ones stay pending, untried
                sources = self.store.delivery_sources([d.id for d in due])
                # `sending` is durable before the first byte leaves: after a crash we know what
                # may have gone out. Idempotent targets mark a batch at once (retries are harmless).
                marked = set(self.store.mark_sending([d.id for d in due], at=self.clock()))
                writer.kick()
                due = [d for d in due if d.id in marked]
                if not self._send_batch(kind, config, secrets, limiter, writer, stop, due, sources):
                    return
        finally:
            writer.close()

    def _pause(self, seconds: float, stop: threading.Event) -> None:
        """Wait for a rate limit; a stop (Ctrl+C, SIGTERM, closing the window) ends the wait at once."""
        if self.sleep is None:
            stop.wait(seconds)
        else:
            self.sleep(seconds)  # tests pass a fake clock's sleep

    def _send_batch(
        self,
        kind: Kind,
        config: TargetConfig,
        secrets: dict[str, str],
        limiter: RateLimiter,
        writer: OutcomeWriter,
        stop: threading.Event,
        due: list[Delivery],
        sources: dict[int, SourceRow],
    ) -> bool:
        """Send a batch already marked `sending`; False when the target's run ends with it."""
        results: list[DeliveryOutcome] = []
        for i, delivery in enumerate(due):
            wait = limiter.wait_time() if i else 0.0
            if stop.is_set() or wait > LONGEST_INLINE_WAIT:
                writer.now(results + untried(due[i:]))
                if wait > LONGEST_INLINE_WAIT:
                    self._hold(not_before=self.clock() + wait)
                return False
            if wait > 0:
                self._pause(wait, stop)
                if stop.is_set():
                    writer.now(results + untried(due[i:]))
                    return False
            source = sources.get(delivery.id)
            if source is None:  # cannot happen while records are never deleted
                attempt = Attempt(PERMANENT, "找不到这条推送对应的记录，无法发送")
            else:
                limiter.record()
                attempt = item_send(
                    kind, self._parcels.outgoing(config, secrets, delivery, source), self.http
                )
            attempt.message = self.scrub.cut(attempt.message, MESSAGE_LIMIT)
            attempt.payload = self.scrub(attempt.payload)
            result = outcome_of(delivery, attempt, self.report, limiter, self.clock())
            results.append(result)
            if attempt.outcome in (ATTENTION, RATE_LIMITED):
                writer.now(results + untried(due[i + 1 :]))
                if attempt.outcome == ATTENTION:
                    self._stop_target(attempt.message)
                else:
                    self._hold(not_before=result.not_before)
                return False
            settled = attempt.outcome in (DELIVERED, WRITTEN, PERMANENT)
            self._in_a_row = 0 if settled else self._in_a_row + 1
            if self._in_a_row >= GIVE_UP_AFTER:
                # The platform (or the network) is down: trying the rest now would only
                # add a timeout each. Automatic runs wait out the backoff for all of them.
                writer.now(results + untried(due[i + 1 :]))
                self._hold(next_attempt_at=result.next_attempt_at)
                return False
        writer.later(results)
        return True

    def _hold(self, *, not_before: float | None = None, next_attempt_at: float | None = None) -> None:
        self.store.hold_target(self.target.id, not_before=not_before, next_attempt_at=next_attempt_at)
        if not_before is not None:
            self.report.deferred_until = max(self.report.deferred_until or 0.0, not_before)

    def _stop_target(self, message: str) -> None:
        self.report.attention = message
        self.store.set_target_attention(self.target.id, message)
        log.warning("target %s needs attention: %s", self.target.id, message)


__all__ = ["GIVE_UP_AFTER", "LONGEST_INLINE_WAIT", "TargetDrain", "item_send", "target_limiter"]
