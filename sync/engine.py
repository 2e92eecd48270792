"""Delivering what is due: one serial queue per target, states kept in the store.

The engine asks the store for due deliveries, writes `sending` before anything leaves the
laptop, lets the target's kind talk to the platform, and writes the outcome back. A target whose
configuration or credentials are wrong is stopped (needs attention) while the others go on.
Nothing here knows about Qt: the desktop runs `Deliverer.run` on a worker thread, the command
line runs it directly.
"""
from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

from forms.loader import FormProblem, parse_form
from forms.store import Store
from sync import secrets as keyring_secrets
from sync.answers import mask_url_secrets
from sync.kind import (ATTENTION, DELIVERED, PERMANENT, RATE_LIMITED, TRANSIENT, Attempt,
                       Outgoing, TargetConfig)
from sync.kinds import KINDS, kind_for
from sync.ratelimit import RateLimiter

BACKOFF_BASE = 30.0        # seconds before the first automatic retry
BACKOFF_CAP = 3600.0       # never wait longer than an hour between automatic retries
LONGEST_INLINE_WAIT = 3.0  # a rate-limit pause up to this long is slept through; longer ones defer
BATCH = 50                 # idempotent targets: deliveries marked `sending` per transaction


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
    pending: int = 0
    uncertain: int = 0
    attention: list[str] = field(default_factory=list)
    busy: bool = False        # another process was already syncing this data folder

    @property
    def delivered(self) -> int:
        return sum(t.delivered for t in self.targets.values())


class Deliverer:
    """Drains due deliveries from a store to their targets."""

    def __init__(self, store: Store, *, http=None, secrets: Callable[[TargetConfig, tuple[str, ...]], dict] | None = None,
                 clock: Callable[[], float] = time.time, sleep: Callable[[float], None] = time.sleep):
        from sync.http import Http   # requests + truststore: loaded only when delivering

        self.store = store
        self.http = http or Http()
        self._secrets = secrets or (lambda target, names: keyring_secrets.secrets_for(target, names))
        self.clock = clock
        self.sleep = sleep
        self.limiters: dict[int, RateLimiter] = {}
        self._forms: dict[tuple[str, int], object] = {}

    # -- crash recovery -----------------------------------------------------------------------
    def recover(self) -> tuple[int, int]:
        """After a crash: idempotent targets retry what was `sending`, others ask the operator."""
        idempotent = {name for name, kind in KINDS.items() if kind.idempotent}
        return self.store.recover_interrupted(idempotent)

    # -- the run ---------------------------------------------------------------------------------
    def run(self, *, target: str | None = None, manual: bool = True,
            stop: threading.Event | None = None) -> Summary:
        """Deliver what is due now. `manual` (a person asked) ignores network backoff."""
        stop = stop or threading.Event()
        started = self.clock()
        summary = Summary()
        targets = [t for t in self.store.targets() if t.enabled]
        if target is not None:
            wanted = self.store.target(target)
            targets = [t for t in targets if t.id == wanted.id]
        threads = []
        for t in targets:
            report = summary.targets.setdefault(t.name, TargetReport(t.name))
            th = threading.Thread(target=self._drain_safely, args=(t, manual, started, stop, report),
                                  name=f"yici-deliver-{t.id}", daemon=True)
            threads.append(th)
            th.start()
        for th in threads:
            th.join()
        counts = self.store.delivery_counts()
        summary.pending = sum(c.get("pending", 0) + c.get("sending", 0) for c in counts.values())
        summary.uncertain = sum(c.get("uncertain", 0) for c in counts.values())
        summary.attention = [t.name for t in self.store.targets() if t.enabled and t.attention]
        return summary

    def _drain_safely(self, target, manual, started, stop, report: TargetReport) -> None:
        try:
            self._drain(target, manual, started, stop, report)
        except Exception as exc:  # one target's bug must not stop the others
            message = f"同步出错：{mask_url_secrets(str(exc))[:300]}"
            report.attention = message
            self.store.set_target_attention(target.id, message)

    def _drain(self, target, manual: bool, started: float, stop: threading.Event,
               report: TargetReport) -> None:
        if target.attention and not manual:
            report.attention = target.attention
            return   # stopped until a person fixes it (editing the target or `立即同步` clears it)
        kind = kind_for(target.kind)
        if kind is None:
            self._stop_target(target, report, f"未知的平台类型“{target.kind}”，请检查配置")
            return
        config = target.config()
        try:
            secrets = self._secrets(config, kind.secret_names) if kind.secret_names else {}
        except keyring_secrets.NoKeyring as exc:
            self._stop_target(target, report, str(exc))
            return
        problems = kind.config_problems(config, secrets)
        if problems:
            self._stop_target(target, report, "；".join(problems))
            return
        if target.attention:
            self.store.set_target_attention(target.id, None)
        limiter = self.limiters.setdefault(target.id, RateLimiter(kind.rate_limits))
        batch_size = BATCH if kind.idempotent else 1
        while not stop.is_set():
            now = self.clock()
            due = self.store.due_deliveries(target.id, now=now, manual=manual, tried_before=started,
                                            limit=batch_size)
            if not due:
                return
            # `sending` is durable before the first byte leaves: after a crash we know what may
            # have gone out. Idempotent targets mark a batch at once (their retries are harmless).
            self.store.mark_sending([d.id for d in due], at=now)
            results = []
            for i, delivery in enumerate(due):
                wait = limiter.wait_time()
                if wait > LONGEST_INLINE_WAIT or stop.is_set():
                    # Too long to sleep through: put the rest back and come back later.
                    until = self.clock() + wait
                    results += [(d.id, "pending", None, None, None, None, until if wait else None)
                                for d in due[i:]]
                    report.deferred_until = until if wait else None
                    self.store.record_attempts(results, at=self.clock())
                    return
                if wait > 0:
                    self.sleep(wait)
                item = self._outgoing(config, secrets, delivery)
                limiter.record()
                attempt = item_send(kind, item, self.http)
                attempt.message = _scrub(attempt.message, secrets)
                attempt.payload = _scrub(attempt.payload, secrets)
                results.append(self._result(delivery, attempt, report, limiter))
                if attempt.outcome in (ATTENTION, RATE_LIMITED):
                    rest_until = results[-1][6]
                    results += [(d.id, "pending", None, None, None, None, rest_until)
                                for d in due[i + 1:]]
                    self.store.record_attempts(results, at=self.clock())
                    if attempt.outcome == ATTENTION:
                        self._stop_target(target, report, attempt.message)
                    return
            self.store.record_attempts(results, at=self.clock())

    def _result(self, delivery, attempt: Attempt, report: TargetReport, limiter: RateLimiter):
        """(id, state, message, remote_id, payload, next_attempt_at, not_before) for the store."""
        now = self.clock()
        if attempt.outcome == DELIVERED:
            report.delivered += 1
            return (delivery.id, "delivered", attempt.message, attempt.remote_id, attempt.payload, None, None)
        if attempt.outcome == "written":   # xlsx: row is in the import file, awaiting upload
            report.written += 1
            return (delivery.id, "awaiting_upload", attempt.message, attempt.remote_id, attempt.payload, None, None)
        if attempt.outcome == PERMANENT:
            report.failed += 1
            return (delivery.id, "failed", attempt.message, attempt.remote_id, attempt.payload, None, None)
        if attempt.outcome == RATE_LIMITED:
            wait = attempt.retry_after if attempt.retry_after is not None else 60.0
            limiter.penalize(wait)
            report.retrying += 1
            report.deferred_until = now + wait
            return (delivery.id, "pending", attempt.message, attempt.remote_id, attempt.payload, None, now + wait)
        if attempt.outcome == ATTENTION:
            return (delivery.id, "pending", attempt.message, attempt.remote_id, attempt.payload, None, None)
        # TRANSIENT (and anything unexpected): back off; Retry-After on a 5xx is a hard floor.
        report.retrying += 1
        not_before = now + attempt.retry_after if attempt.retry_after else None
        # A kind's progress marker (e.g. WeCom: which photos already went) rides in remote_id,
        # so the retry continues where this try stopped instead of repeating messages.
        return (delivery.id, "pending", attempt.message, attempt.remote_id, attempt.payload,
                now + backoff(delivery.attempts + 1), not_before)

    def _stop_target(self, target, report: TargetReport, message: str) -> None:
        report.attention = message
        self.store.set_target_attention(target.id, message)

    # -- building what goes out -------------------------------------------------------------------
    def _outgoing(self, config: TargetConfig, secrets: dict, delivery) -> Outgoing:
        record = self.store.record(delivery.record_uuid)
        data = self.store.revision_data(delivery.record_uuid, delivery.revision)
        form = self._form(record.form_id, record.form_version)
        labels = {f.key: f.label for f in form.walk()} if form else {}
        branch = self.store.branch(record.branch_id)
        return Outgoing(
            target=config, secrets=secrets, record_uuid=record.uuid, revision=delivery.revision,
            form_id=record.form_id, form_title=form.title if form else record.form_id,
            branch=branch.name, operator=record.operator, status=record.status,
            data=data if data is not None else record.data, labels=labels,
            is_correction=delivery.revision > 1,
            remote_id=self.store.remote_id(record.uuid, config.id),
            attachment=lambda sha: self.store.attachment_path(sha).read_bytes(),
        )

    def _form(self, form_id: str, version: int):
        key = (form_id, version)
        if key not in self._forms:
            source = self.store.stored_form_source(form_id, version)
            try:
                self._forms[key] = parse_form(source, f"{form_id}-v{version}") if source else None
            except FormProblem:
                self._forms[key] = None
        return self._forms[key]


def item_send(kind, item: Outgoing, http) -> Attempt:
    """Call the kind; a bug in it becomes a failed attempt with a message, never a crash."""
    try:
        return kind.send(item, http)
    except Exception as exc:
        return Attempt(TRANSIENT, f"发送时出错，稍后重试：{type(exc).__name__}: {mask_url_secrets(str(exc))[:200]}")


def _scrub(text: str | None, secrets: dict) -> str:
    """Remove every secret value (and URL tokens) from text we are about to keep."""
    text = text or ""
    for value in secrets.values():
        if value and len(value) >= 4:
            text = text.replace(value, "***")
    return mask_url_secrets(text)
