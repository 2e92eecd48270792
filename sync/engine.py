"""Delivering what is due: one serial queue per target, states kept in the store.

The engine asks the store for due deliveries, writes `sending` before anything leaves the
laptop, lets the target's kind talk to the platform, and writes the outcome back. A target whose
configuration or credentials are wrong is stopped (needs attention) while the others go on.
Only one process drains a data folder at a time (sync/lock.py); whoever holds the lock first
recovers what a crashed run left `sending`. Nothing here knows about Qt: the desktop runs
`Deliverer.run` on a worker thread, the command line runs it directly.
"""
from __future__ import annotations

import logging
import random
import threading
import time
import urllib.parse
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from forms.loader import FormProblem, parse_form
from forms.store import DeliveryOutcome, DeliveryState, NotAllowed, SourceRow, Store, Target
from sync import secrets as keyring_secrets
from sync.answers import mask_url_secrets
from sync.kind import (ATTENTION, DELIVERED, PERMANENT, RATE_LIMITED, TRANSIENT, Attempt,
                       Outgoing, TargetConfig)
from sync.kinds import kind_for
from sync.lock import SyncBusy, sync_lock, try_lock
from sync.ratelimit import RateLimiter

log = logging.getLogger("yici.sync")

BACKOFF_BASE = 30.0        # seconds before the first automatic retry
BACKOFF_CAP = 3600.0       # never wait longer than an hour between automatic retries
LONGEST_INLINE_WAIT = 3.0  # a rate-limit pause up to this long is slept through; longer ones defer
BATCH = 100                # idempotent targets: deliveries marked `sending` per transaction
GIVE_UP_AFTER = 3          # transient failures in a row that end a target's run (offline?)
DEFAULT_RATE_WAIT = 60.0   # "too fast" without saying how long
WRITTEN = "written"        # xlsx: the row is in the import file (sync.xlsx.WRITTEN)


def backoff(attempts: int, rng: random.Random | None = None) -> float:
    """Seconds to wait after the `attempts`-th transient failure: exponential, jittered, capped."""
    rng = rng or random
    ceiling = min(BACKOFF_CAP, BACKOFF_BASE * (2 ** max(0, attempts - 1)))
    # "Equal jitter": at least half the ceiling so retries stay spaced, the rest random so many
    # laptops coming back online at once do not hit a platform in lockstep.
    return ceiling / 2 + rng.random() * ceiling / 2


@dataclass
class TargetReport:
    """What one target did in one run."""

    name: str
    delivered: int = 0
    retrying: int = 0
    failed: int = 0
    written: int = 0
    attention: str | None = None
    deferred_until: float | None = None


@dataclass
class Summary:
    """What a run did, per target, plus what is left."""

    targets: dict[str, TargetReport] = field(default_factory=dict)
    pending: int = 0              # still to go (pending or sending) on enabled targets
    uncertain: int = 0            # waiting for a person: "可能已发送，请确认"
    attention: list[str] = field(default_factory=list)   # names of targets needing attention
    busy: bool = False            # another process was already syncing this data folder
    requeued: int = 0             # crash recovery: idempotent deliveries put back to pending
    found_uncertain: int = 0      # crash recovery: robot deliveries that became uncertain
    next_due_at: float | None = None   # when the earliest pending delivery may go (epoch s)

    @property
    def delivered(self) -> int:
        return sum(t.delivered for t in self.targets.values())

    @property
    def failed(self) -> int:
        return sum(t.failed for t in self.targets.values())

    @property
    def written(self) -> int:
        return sum(t.written for t in self.targets.values())


@dataclass
class Confirmed:
    """An Excel batch the operator uploaded: the file, how many rows it holds, how many of those
    deliveries became delivered now (rows confirmed before are not counted again)."""

    path: Path | None
    rows: int
    delivered: int


class _Limiter(RateLimiter):
    """A RateLimiter that can be told about requests an earlier process sent (from the store)."""

    def remember(self, times: list[float]) -> None:
        with self._lock:
            for t in sorted(times):
                self._sent.append(t)


class Deliverer:
    """Drains due deliveries from a store to their targets.

    `secrets(target_config, names)` defaults to the OS keyring (sync.secrets.secrets_for);
    `clock`/`sleep` are injectable for tests."""

    def __init__(self, store: Store, *, http=None,
                 secrets: Callable[[TargetConfig, tuple[str, ...]], dict] | None = None,
                 clock: Callable[[], float] = time.time, sleep: Callable[[float], None] = time.sleep,
                 batch: int = BATCH):
        if http is None:
            from sync.http import Http   # requests + truststore: loaded only when delivering
            http = Http()
        self.store = store
        self.http = http
        self._secrets = secrets or keyring_secrets.secrets_for
        self.clock = clock
        self.sleep = sleep
        self.batch = max(1, int(batch))
        self.limiters: dict[int, _Limiter] = {}
        self._forms: dict[tuple[str, int], object] = {}
        self._forms_lock = threading.Lock()

    # -- crash recovery -----------------------------------------------------------------------
    def recover(self) -> tuple[int, int]:
        """After a crash: idempotent targets retry what was `sending`, others ask the operator.
        Returns (requeued, uncertain); (0, 0) without touching anything while another process
        (or a run in this one) holds the sync lock, since its `sending` rows are really in flight."""
        held = try_lock(self.store.data_dir)
        if held is None:
            return 0, 0
        with held:
            return self._recover()

    def _recover(self) -> tuple[int, int]:
        # Only the kinds actually configured: importing every kind module (openpyxl for xlsx is
        # slow to load) would cost a fraction of a second on every sync.
        in_use = {t.kind for t in self.store.targets()}
        idempotent = {name for name in in_use if (kind := kind_for(name)) is not None and kind.idempotent}
        requeued, uncertain = self.store.recover_interrupted(idempotent)
        if requeued or uncertain:
            log.warning("recovered after an interrupted sync: %d requeued, %d uncertain",
                        requeued, uncertain)
        return requeued, uncertain

    # -- the run ---------------------------------------------------------------------------------
    def run(self, *, target: str | int | None = None, manual: bool = True,
            stop: threading.Event | None = None) -> Summary:
        """Deliver what is due now, one thread per target. `manual` (a person asked) ignores
        network backoff but not Retry-After / rate limits. Returns at once with `busy=True`
        when another process (or another run in this one) is syncing the same data folder."""
        stop = stop or threading.Event()
        wanted = self.store.target(target) if target is not None else None
        held = try_lock(self.store.data_dir)
        if held is None:
            summary = Summary(busy=True)
            self._totals(summary, manual)
            return summary
        with held:
            summary = Summary()
            summary.requeued, summary.found_uncertain = self._recover()
            started = self.clock()
            targets = [t for t in self.store.targets() if t.enabled
                       and (wanted is None or t.id == wanted.id)]
            threads = []
            for t in targets:
                report = summary.targets.setdefault(t.name, TargetReport(t.name))
                th = threading.Thread(target=self._drain_safely, args=(t, manual, started, stop, report),
                                      name=f"yici-deliver-{t.id}", daemon=True)
                threads.append(th)
                th.start()
            for th in threads:
                th.join()
            self._totals(summary, manual)
        return summary

    def _totals(self, summary: Summary, manual: bool) -> None:
        summary.pending = self.store.pending_count()
        counts = self.store.delivery_counts()
        summary.uncertain = sum(c.get("uncertain", 0) for c in counts.values())
        live = [t for t in self.store.targets() if t.enabled]
        summary.attention = [t.name for t in live if t.attention]
        dues = [self.store.next_due_at(t.id, manual=manual) for t in live if not t.attention]
        dues = [d for d in dues if d is not None]
        summary.next_due_at = min(dues) if dues else None

    def _drain_safely(self, target: Target, manual, started, stop, report: TargetReport) -> None:
        scrub = _Scrubber({})
        try:
            self._drain(target, manual, started, stop, report, scrub)
        except Exception as exc:  # one target's bug must not stop the others
            log.exception("delivering to target %s failed", target.id)
            message = scrub(f"同步出错，请把日志发给技术人员：{type(exc).__name__}: {exc}")[:300]
            self._stop_target(target, report, message)

    def _drain(self, target: Target, manual: bool, started: float, stop: threading.Event,
               report: TargetReport, scrub: "_Scrubber") -> None:
        if target.attention and not manual:
            report.attention = target.attention
            return   # stopped until a person fixes it (editing the target or `立即同步` clears it)
        kind = kind_for(target.kind)
        if kind is None:
            self._stop_target(target, report, f"未知的平台类型“{target.kind}”，请检查配置")
            return
        config = target.config()
        no_keyring = None
        try:
            secrets = self._secrets(config, kind.secret_names) if kind.secret_names else {}
        except keyring_secrets.NoKeyring as exc:
            # A target that needs no secret (REST without auth) still goes; one that does is
            # stopped with the keyring's own explanation, never given a plain-text fallback.
            secrets, no_keyring = {}, exc.message
        scrub.learn(secrets)
        problems = kind.config_problems(config, secrets)
        if problems:
            self._stop_target(target, report, no_keyring or scrub("；".join(problems)))
            return
        if target.attention:
            self.store.set_target_attention(target.id, None)
        limiter = self._limiter(target.id, kind)
        size = self.batch if kind.idempotent else 1
        # Idempotent targets write a batch's outcomes while the next batch is on the wire: if we
        # crash before the write lands, those deliveries are still `sending`, come back as
        # pending on recovery and are resent under the same Idempotency-Key, which the platform
        # dedupes. Robots (not idempotent) write every outcome before the next request.
        writer = _Writer(self.store.record_attempts, behind=kind.idempotent)
        try:
            self._drain_batches(target, kind, config, secrets, manual, started, stop, report,
                                scrub, limiter, size, writer)
        finally:
            writer.close()

    def _drain_batches(self, target, kind, config, secrets, manual, started, stop, report,
                       scrub, limiter, size, writer: "_Writer") -> None:
        in_a_row = 0
        while not stop.is_set():
            wait = limiter.wait_time()
            if wait > LONGEST_INLINE_WAIT:
                self._hold(target, report, not_before=self.clock() + wait)
                return
            due = self.store.due_deliveries(target.id, now=self.clock(), manual=manual,
                                            tried_before=started, limit=size)
            if not due:
                return
            if wait > 0:
                self.sleep(wait)
            sources = self.store.delivery_sources([d.id for d in due])
            # `sending` is durable before the first byte leaves: after a crash we know what may
            # have gone out. Idempotent targets mark a batch at once (their retries are harmless).
            marked = set(self.store.mark_sending([d.id for d in due], at=self.clock()))
            writer.kick()
            due = [d for d in due if d.id in marked]
            results: list[DeliveryOutcome] = []
            for i, delivery in enumerate(due):
                wait = limiter.wait_time() if i else 0.0
                if stop.is_set() or wait > LONGEST_INLINE_WAIT:
                    results += _untried(due[i:])
                    writer.now(results)
                    if wait > LONGEST_INLINE_WAIT:
                        self._hold(target, report, not_before=self.clock() + wait)
                    return
                if wait > 0:
                    self.sleep(wait)
                source = sources.get(delivery.id)
                if source is None:     # cannot happen while records are never deleted
                    attempt = Attempt(PERMANENT, "找不到这条推送对应的记录，无法发送")
                else:
                    limiter.record()
                    attempt = item_send(kind, self._outgoing(config, secrets, delivery, source),
                                        self.http)
                attempt.message = scrub(attempt.message)
                attempt.payload = scrub(attempt.payload)
                result = self._result(delivery, attempt, report, limiter)
                results.append(result)
                if attempt.outcome in (ATTENTION, RATE_LIMITED):
                    results += _untried(due[i + 1:])
                    writer.now(results)
                    if attempt.outcome == ATTENTION:
                        self._stop_target(target, report, attempt.message)
                    else:
                        self._hold(target, report, not_before=result.not_before)
                    return
                in_a_row = in_a_row + 1 if attempt.outcome not in (DELIVERED, WRITTEN, PERMANENT) else 0
                if in_a_row >= GIVE_UP_AFTER:
                    # The platform (or the network) is down: trying the rest now would only
                    # add a timeout each. Automatic runs wait out the backoff for all of them.
                    results += _untried(due[i + 1:])
                    writer.now(results)
                    self._hold(target, report, next_attempt_at=result.next_attempt_at)
                    return
            writer.later(results)

    def _result(self, delivery, attempt: Attempt, report: TargetReport,
                limiter: RateLimiter) -> DeliveryOutcome:
        """What this attempt means for the delivery, as the store records it."""
        now = self.clock()

        def outcome(state: DeliveryState, next_attempt_at: float | None = None,
                    not_before: float | None = None) -> DeliveryOutcome:
            return DeliveryOutcome(delivery.id, state, attempt.message, attempt.remote_id,
                                   attempt.payload, next_attempt_at, not_before)

        if attempt.outcome == DELIVERED:
            report.delivered += 1
            return outcome(DeliveryState.DELIVERED)
        if attempt.outcome == WRITTEN:   # xlsx: row is in the import file, awaiting upload
            report.written += 1
            return outcome(DeliveryState.AWAITING_UPLOAD)
        if attempt.outcome == PERMANENT:
            report.failed += 1
            return outcome(DeliveryState.FAILED)
        if attempt.outcome == RATE_LIMITED:
            wait = attempt.retry_after if attempt.retry_after is not None else DEFAULT_RATE_WAIT
            limiter.penalize(wait)
            report.retrying += 1
            return outcome(DeliveryState.PENDING, not_before=now + wait)
        if attempt.outcome == ATTENTION:
            return outcome(DeliveryState.PENDING)
        # TRANSIENT (and anything unexpected): back off; Retry-After on a 5xx is a hard floor.
        report.retrying += 1
        not_before = now + attempt.retry_after if attempt.retry_after else None
        # A kind's progress marker (e.g. WeCom: which photos already went) rides in remote_id,
        # so the retry continues where this try stopped instead of repeating messages.
        return outcome(DeliveryState.PENDING, now + backoff(delivery.attempts + 1), not_before)

    def _hold(self, target: Target, report: TargetReport, *, not_before: float | None = None,
              next_attempt_at: float | None = None) -> None:
        self.store.hold_target(target.id, not_before=not_before, next_attempt_at=next_attempt_at)
        if not_before is not None:
            report.deferred_until = max(report.deferred_until or 0.0, not_before)

    def _stop_target(self, target: Target, report: TargetReport, message: str) -> None:
        report.attention = message
        self.store.set_target_attention(target.id, message)
        log.warning("target %s needs attention: %s", target.id, message)

    def _limiter(self, target_id: int, kind) -> _Limiter:
        limiter = self.limiters.get(target_id)
        if limiter is None:
            # A little slack on each window: the platform counts when a request arrives, a bit
            # after we counted it, and a request exactly on the window's edge gets refused.
            padded = [(count, seconds + max(0.1, seconds * 0.02)) for count, seconds in kind.rate_limits]
            limiter = self.limiters[target_id] = _Limiter(padded, clock=self.clock)
            if kind.rate_limits:
                # Requests an earlier run (another process, a previous `yici sync`) sent count too:
                # a robot that hit its per-minute limit locks the group out for ten minutes.
                window = max(seconds for _, seconds in kind.rate_limits)
                limiter.remember(self.store.attempt_times(target_id, since=self.clock() - window))
        return limiter

    # -- building what goes out -------------------------------------------------------------------
    def _outgoing(self, config: TargetConfig, secrets: dict, delivery, source: SourceRow) -> Outgoing:
        form = self._form(source.form_id, source.form_version)
        labels, title = form if form else ({}, source.form_id)
        store = self.store
        return Outgoing(
            target=config, secrets=secrets, record_uuid=delivery.record_uuid,
            revision=delivery.revision, form_id=source.form_id, form_title=title,
            branch=source.branch, operator=source.operator, status=source.status,
            data=source.data, labels=labels, is_correction=delivery.revision > 1,
            remote_id=source.remote_id,
            attachment=lambda sha: store.attachment_path(sha).read_bytes(),
        )

    def _form(self, form_id: str, version: int):
        """(labels, title) of a stored form version, parsed once per Deliverer."""
        key = (form_id, version)
        with self._forms_lock:
            if key not in self._forms:
                source = self.store.stored_form_source(form_id, version)
                try:
                    form = parse_form(source, f"{form_id}-v{version}") if source else None
                except FormProblem:
                    form = None
                self._forms[key] = ({f.key: f.label for f in form.walk()}, form.title) if form else None
            return self._forms[key]

    # -- a person's steps ---------------------------------------------------------------------------
    def test(self, target: str | int) -> Attempt:
        """Send the target's harmless test message now; the platform's answer, secrets removed."""
        t = self.store.target(target)
        kind = kind_for(t.kind)
        if kind is None:
            return Attempt(ATTENTION, f"未知的平台类型“{t.kind}”，请检查配置")
        config = t.config()
        try:
            secrets = self._secrets(config, kind.secret_names) if kind.secret_names else {}
        except keyring_secrets.NoKeyring as exc:
            return Attempt(ATTENTION, exc.message)
        scrub = _Scrubber(secrets)
        try:
            attempt = kind.send_test(config, secrets, self.http)
        except Exception as exc:
            attempt = Attempt(TRANSIENT, f"测试时出错：{type(exc).__name__}: {exc}")
        attempt.message, attempt.payload = scrub(attempt.message), scrub(attempt.payload)
        return attempt

    def confirm_upload(self, target: str | int, operator: str, path: str | Path | None = None,
                       *, wait: float = 10.0) -> Confirmed:
        """The operator uploaded an Excel batch: close it (the open batch when `path` is None)
        and mark exactly the deliveries whose rows it holds as delivered, with audit lines.
        Raises SyncBusy if a sync keeps the folder busy for more than `wait` seconds."""
        from sync import xlsx

        t = self.store.target(target)
        if t.kind != "xlsx":
            raise NotAllowed(f"平台“{t.name}”不是 Excel 导入文件，无需确认上传。 / Not an xlsx target.")
        config = t.config()
        with sync_lock(self.store.data_dir, timeout=wait):
            current = xlsx.open_batch(config)
            if path is None:
                path = xlsx.close_batch(config)
            else:
                path = Path(path)
                if current is not None and current.resolve() == path.resolve():
                    xlsx.close_batch(config)
            if path is None:
                return Confirmed(None, 0, 0)
            keys = xlsx.batch_keys(path)
            count = self.store.confirm_upload(t.id, keys, operator, batch=path.name)
        return Confirmed(path, len(keys), count)


class _Writer:
    """Writes delivery outcomes, optionally one batch behind the sending (see `_drain`).

    With `behind`, a batch's outcomes are held until the next batch is marked `sending` (the
    store has one writer at a time, so that must come first), then written on a helper thread
    while the next batch is on the wire. At most one batch is ever unwritten."""

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
        if self._held is not None:
            held, self._held = self._held, None
            self._pending = self._pool.submit(self._write, held)

    def now(self, results: list[DeliveryOutcome]) -> None:
        """Write everything, in order, before going on."""
        self._settle()
        self._write_held()
        self._write(results)

    def close(self) -> None:
        try:
            self._settle()
            self._write_held()
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True)


def _untried(deliveries) -> list[DeliveryOutcome]:
    """Results that put deliveries back to pending as if never tried (they were not sent)."""
    return [DeliveryOutcome.untried(d.id) for d in deliveries]


def item_send(kind, item: Outgoing, http) -> Attempt:
    """Call the kind; a bug in it becomes a failed attempt with a message, never a crash."""
    try:
        return kind.send(item, http)
    except Exception as exc:
        log.exception("kind %s raised while sending", getattr(kind, "name", kind))
        return Attempt(TRANSIENT, f"发送时出错，稍后重试：{type(exc).__name__}: {mask_url_secrets(str(exc))[:200]}")


class _Scrubber:
    """Removes every secret value, and the tokens inside secret URLs, from text we keep."""

    def __init__(self, secrets: dict[str, str]):
        self._values: list[str] = []
        self.learn(secrets)

    def learn(self, secrets: dict[str, str]) -> None:
        values = set(self._values)
        for value in (secrets or {}).values():
            value = (value or "").strip()
            if not value:
                continue
            values.add(value)
            if "://" in value:
                parts = urllib.parse.urlsplit(value)
                values.update(v for vs in urllib.parse.parse_qs(parts.query).values() for v in vs)
                values.update(p for p in parts.path.split("/") if len(p) >= 16)
        # Longest first, so a token inside a URL does not leave half the URL behind.
        self._values = sorted((v for v in values if len(v) >= 4), key=len, reverse=True)

    def __call__(self, text: str | None) -> str:
        text = text or ""
        for value in self._values:
            if value in text:
                text = text.replace(value, "***")
        return mask_url_secrets(text)


__all__ = ["Deliverer", "Summary", "TargetReport", "Confirmed", "SyncBusy", "backoff", "item_send"]
