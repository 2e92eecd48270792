"""One target's turn in a sync run: its settings and secrets checked, then what is due sent in
batches, `sending` written before each request leaves and the outcome after it.

A target whose configuration or credentials are wrong is stopped (needs attention); a platform
that says "too fast" (or answers with Retry-After) pauses the whole target, also for other
processes; one that looks offline holds the target's queue; a robot message that may have
arrived without an answer becomes uncertain and ends the target's run. A bug in a kind becomes
a failed attempt, and a bug here stops only this target. Each target drains on its own thread
(sync/engine.py starts them), so nothing here is shared between targets but the store, the
HTTP client and the `Parcels` cache, all safe for that.

Rate limits count messages, not deliveries: the kind is handed the HTTP client through `Metered`,
which waits for (or defers to) the target's limiter before every request, so a WeCom record with
three photos is four messages against the robot's 20 a minute. Once the run is abandoned
(sync/engine.py stopped waiting for it), nothing more is written: the states stay as a crash
would leave them, and the next run's recovery settles them.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from typing import Any

from forms.i18n import tr
from forms.secrecy import Scrubber
from forms.store import Delivery, DeliveryOutcome, SourceRow, Store, Target
from forms.store.target_guards import ADDRESS_CHANGED, IMPORTED_TARGET_ATTENTION
from sync import secret_binding
from sync import secrets as keyring_secrets
from sync.answers import MESSAGE_LIMIT, STOPPED, UNCERTAIN, RateWait, Stopped, outside
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
from sync.outcomes import AWAITING_ENTRY, BACKOFF_CAP, WRITTEN, OutcomeWriter, backoff, outcome_of, untried
from sync.outgoing import Parcels
from sync.ratelimit import RateLimiter
from sync.report import TargetReport

log = logging.getLogger("yici.sync")

LONGEST_INLINE_WAIT = 3.0  # a rate-limit pause up to this long is slept through; longer ones defer
GIVE_UP_AFTER = 3  # transient failures in a row that end a target's run (offline?)

SecretsReader = Callable[[TargetConfig, tuple[str, ...]], dict]


class Abandoned(Exception):
    """The run stopped waiting for this target's thread: it must write nothing more."""


class RunGuard:
    """Shared by a run's drains: once `abandon` returns, no drain writes to the store again."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._abandoned = False

    def abandon(self) -> None:
        """Wait for a write in progress, then refuse every later one."""
        with self._lock:
            self._abandoned = True

    def write(self, write: Callable, *args: Any, **kwargs: Any) -> Any:
        """Call a store write unless the run was abandoned (then raise Abandoned)."""
        with self._lock:
            if self._abandoned:
                raise Abandoned()
            return write(*args, **kwargs)


class Metered:
    """The HTTP client as a kind is handed it: every request is one message against the
    target's rate limits, and none leaves once the run is asked to stop."""

    def __init__(
        self,
        http: Any,
        limiter: RateLimiter,
        stop: threading.Event,
        pause: Callable[[float, threading.Event], None],
        noted: Callable[[], None] | None,
    ):
        self._http, self.limiter, self._stop, self._pause, self._noted = http, limiter, stop, pause, noted

    def request(self, method: str, url: str, **kwargs: Any) -> Any:
        """Wait for room in the target's limits (a stop ends the wait), count it, send it."""
        wait = 0.0 if self._stop.is_set() else self.limiter.wait_time()
        if wait > LONGEST_INLINE_WAIT:
            raise RateWait(wait)  # nothing sent: the kind says how far it got, the target waits
        if wait > 0:
            self._pause(wait, self._stop)
        if self._stop.is_set():
            stopped = Stopped(tr("已停止同步 (stopped)"))
            stopped.request_sent = False  # type: ignore[attr-defined]
            raise stopped
        self.limiter.record()
        if self._noted is not None:
            self._noted()
        return self._http.request(method, url, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._http, name)


def item_send(kind: Kind, item: Outgoing, http: Any) -> Attempt:
    """Call the kind; a bug in it becomes a failed attempt with a message, never a crash."""
    try:
        return kind.send(item, http)
    except Exception as exc:
        log.exception("kind %s raised while sending", getattr(kind, "name", kind))
        return Attempt(
            TRANSIENT,
            tr("发送时出错，稍后重试：{error_type}: {exc}").format(
                error_type=type(exc).__name__, exc=outside(exc)
            ),
        )


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
            since = clock() - window
            sent = store.sent_times(target_id, since=since)
            limiter.remember(sent if sent is not None else store.attempt_times(target_id, since=since))
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
        guard: RunGuard | None = None,
    ):
        self.store, self.http, self.target, self.report = store, http, target, report
        self._secrets, self._parcels, self._limiters = secrets, parcels, limiters
        self.clock, self.sleep, self.batch = clock, sleep, batch
        self.guard = guard or RunGuard()
        # Until the secrets are read there is nothing to hide but URL tokens; the error handler
        # in `run` uses whatever this holds when something breaks.
        self.scrub = Scrubber()
        self._in_a_row = 0  # transient failures in a row, across batches

    def run(self, manual: bool, started: float, stop: threading.Event) -> None:
        """Drain the target; never raises (a bug stops this target, with a message, not the others)."""
        try:
            self._run(manual, started, stop)
        except Abandoned:
            log.warning("target %s: the run stopped waiting; states left for recovery", self.target.id)
        except Exception as exc:  # one target's bug must not stop the others
            log.exception("delivering to target %s failed", self.target.id)
            message = self.scrub.cut(
                tr("同步出错，请把日志发给技术人员：{error_type}: {exc}").format(
                    error_type=type(exc).__name__, exc=outside(exc)
                ),
                MESSAGE_LIMIT,
            )
            try:
                self._stop_target(message)
            except Abandoned:
                pass

    def _run(self, manual: bool, started: float, stop: threading.Event) -> None:
        target = self.target
        if target.attention and (not manual or target.attention == IMPORTED_TARGET_ATTENTION):
            # Stopped until a person fixes it (editing the target, or `立即同步`); one a handover
            # file added waits for a person to look at it, whoever starts the sync.
            self.report.attention = target.attention
            return
        kind = kind_for(target.kind)
        if kind is None:
            self._stop_target(tr("未知的平台类型“{kind}”，请检查配置").format(kind=target.kind))
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
            self.guard.write(self.store.set_target_attention, target.id, None)
        # A wait set by a clock that was wrong (years ahead) becomes an ordinary backoff.
        self.guard.write(self.store.clamp_waits, target.id, latest=self.clock() + BACKOFF_CAP)
        limiter = target_limiter(self._limiters, self.store, target.id, kind, self.clock)
        window = max((seconds for _, seconds in kind.rate_limits), default=0.0)
        noted = None
        if kind.rate_limits:

            def noted() -> None:
                now = self.clock()
                self.guard.write(self.store.note_sent, target.id, now, since=now - window)

        http = Metered(self.http, limiter, stop, self._pause, noted)
        # Idempotent targets write a batch's outcomes while the next batch is on the wire (see
        # OutcomeWriter). Robots (not idempotent) write every outcome before the next request.
        writer = OutcomeWriter(
            functools.partial(self.guard.write, self.store.record_attempts), behind=kind.idempotent
        )
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
                marked = set(self.guard.write(self.store.mark_sending, [d.id for d in due], at=self.clock()))
                writer.kick()
                due = [d for d in due if d.id in marked]
                if not self._send_batch(kind, config, secrets, http, writer, stop, due, sources):
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
        http: Metered,
        writer: OutcomeWriter,
        stop: threading.Event,
        due: list[Delivery],
        sources: dict[int, SourceRow],
    ) -> bool:
        """Send a batch already marked `sending`; False when the target's run ends with it."""
        results: list[DeliveryOutcome] = []
        limiter = http.limiter
        for i, delivery in enumerate(due):
            wait = limiter.wait_time() if i else 0.0
            if stop.is_set() or wait > LONGEST_INLINE_WAIT:
                writer.now(results + untried(due[i:]))
                if wait > LONGEST_INLINE_WAIT and not stop.is_set():
                    self._hold(not_before=self.clock() + wait)
                return False
            source = sources.get(delivery.id)
            if source is None:  # cannot happen while records are never deleted
                attempt = Attempt(PERMANENT, tr("找不到这条推送对应的记录，无法发送"))
            else:
                attempt = item_send(kind, self._parcels.outgoing(config, secrets, delivery, source), http)
            attempt.message = self.scrub.cut(attempt.message, MESSAGE_LIMIT)
            attempt.payload = self.scrub(attempt.payload)
            result = outcome_of(delivery, attempt, self.report, limiter, self.clock())
            results.append(result)
            paused = attempt.outcome == RATE_LIMITED or (attempt.outcome == TRANSIENT and attempt.retry_after)
            if attempt.outcome in (ATTENTION, UNCERTAIN, STOPPED) or paused:
                writer.now(results + untried(due[i + 1 :]))
                if attempt.outcome == ATTENTION:
                    self._stop_target(attempt.message)
                elif attempt.outcome == UNCERTAIN:
                    # The platform took a request and said nothing: sending more now would only
                    # make more messages someone has to check by hand.
                    self._hold(next_attempt_at=self.clock() + backoff(1))
                elif paused:
                    # Retry-After (429, 503) or a robot's "too fast" pauses the whole target.
                    self._hold(not_before=result.not_before)
                return False
            settled = attempt.outcome in (DELIVERED, WRITTEN, AWAITING_ENTRY, PERMANENT)
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
        self.guard.write(
            self.store.hold_target, self.target.id, not_before=not_before, next_attempt_at=next_attempt_at
        )
        if not_before is not None:
            self.report.deferred_until = max(self.report.deferred_until or 0.0, not_before)

    def _stop_target(self, message: str) -> None:
        self.report.attention = message
        self.guard.write(self.store.set_target_attention, self.target.id, message)
        log.warning("target %s needs attention: %s", self.target.id, message)


__all__ = [
    "GIVE_UP_AFTER",
    "LONGEST_INLINE_WAIT",
    "Abandoned",
    "Metered",
    "RunGuard",
    "TargetDrain",
    "item_send",
    "target_limiter",
]
