"""Delivering what is due: one serial queue per target, states kept in the store.

The `Deliverer` is what the window and the command line call: `run` drains every enabled target
on a thread of its own (sync/drain.py does one target's turn), `recover` puts back what a
crashed run left `sending`, `test` knocks on one platform and `confirm_upload` closes an Excel
batch. Only one process drains a data folder at a time (sync/lock.py); whoever holds the lock
first recovers. Nothing here knows about Qt: the desktop runs `Deliverer.run` on a worker thread,
the command line runs it directly.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from forms.i18n import tr
from forms.secrecy import Scrubber
from forms.store import DeliveryState, NotAllowed, Store
from sync import secret_binding
from sync import secrets as keyring_secrets
from sync.answers import MESSAGE_LIMIT, outside
from sync.drain import GIVE_UP_AFTER, LONGEST_INLINE_WAIT, RunGuard, SecretsReader, TargetDrain, item_send
from sync.kind import ATTENTION, TRANSIENT, Attempt
from sync.kinds import kind_for
from sync.lock import SyncBusy, sync_lock, try_lock
from sync.outcomes import BACKOFF_BASE, BACKOFF_CAP, DEFAULT_RATE_WAIT, WRITTEN, backoff
from sync.outgoing import Parcels
from sync.ratelimit import RateLimiter
from sync.report import Confirmed, Summary, TargetReport

log = logging.getLogger("yici.sync")

BATCH = 100  # idempotent targets: deliveries marked `sending` per transaction
# After a stop, how long a run waits for its targets' threads once their requests were aborted.
# A thread still busy then (a name lookup or a connect that will not end) is left behind and
# writes nothing more: its deliveries stay as a crash leaves them (see sync/drain.py).
STOP_GRACE = 1.0


class Deliverer:
    """Drains due deliveries from a store to their targets.

    `secrets(target_config, names)` defaults to the OS keyring (sync.secrets.secrets_for);
    `clock`/`sleep` are injectable for tests; without `sleep`, waits for a rate limit end as
    soon as the run is asked to stop."""

    def __init__(
        self,
        store: Store,
        *,
        http: Any = None,
        secrets: SecretsReader | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] | None = None,
        batch: int = BATCH,
    ):
        if http is None:
            from sync.http import Http  # requests + truststore: loaded only when delivering

            http = Http()
        self.store = store
        self.http = http
        self._secrets = secrets or functools.partial(keyring_secrets.secrets_for, store)
        self.clock = clock
        self.sleep = sleep
        self.batch = max(1, int(batch))
        self.limiters: dict[int, RateLimiter] = {}
        self._parcels = Parcels(store)

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
        by_hand = frozenset(name for name in in_use if getattr(kind_for(name), "by_hand", False))
        requeued, uncertain = self.store.recover_interrupted(idempotent, by_hand)
        if requeued or uncertain:
            log.warning("recovered after an interrupted sync: %d requeued, %d uncertain", requeued, uncertain)
        return requeued, uncertain

    # -- the run ---------------------------------------------------------------------------------
    def run(
        self, *, target: str | int | None = None, manual: bool = True, stop: threading.Event | None = None
    ) -> Summary:
        """Deliver what is due now, one thread per target. `manual` (a person asked) ignores
        network backoff but not Retry-After / rate limits. Returns at once with `busy=True`
        when another process (or another run in this one) is syncing the same data folder.
        Once `stop` is set, requests on their way are aborted and the run returns within about
        STOP_GRACE seconds, whatever the platforms do."""
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
            summary.hub, summary.pulled = self._pull_hub(wanted)
            started = self.clock()
            guard = RunGuard()
            targets = [t for t in self.store.targets() if t.enabled and (wanted is None or t.id == wanted.id)]
            threads = []
            for t in targets:
                report = summary.targets.setdefault(t.name, TargetReport(t.name))
                drain = TargetDrain(
                    self.store,
                    self.http,
                    t,
                    report,
                    secrets=self._secrets,
                    parcels=self._parcels,
                    limiters=self.limiters,
                    clock=self.clock,
                    sleep=self.sleep,
                    batch=self.batch,
                    guard=guard,
                )
                th = threading.Thread(
                    target=drain.run, args=(manual, started, stop), name=f"yici-deliver-{t.id}", daemon=True
                )
                threads.append(th)
                th.start()
            self._await(threads, stop, guard)
            self._totals(summary, manual)
        return summary

    def _pull_hub(self, wanted: Any) -> tuple[str | None, Any]:
        """What the township hub publishes, before anything is sent (sync/hub_pull.py): when this
        data folder joined one and the run is not for another target alone. Never raises."""
        hub = self.store.hub_target()
        if hub is None or not hub.enabled or (wanted is not None and wanted.id != hub.id):
            return None, None
        from sync.hub_pull import pull_for_sync  # here: most data folders never join a hub

        return pull_for_sync(self.store, self.http)

    def _await(self, threads: list[threading.Thread], stop: threading.Event, guard: RunGuard) -> None:
        """Wait for the targets' threads; once `stop` is set, abort the requests on their way and
        give the threads STOP_GRACE seconds before leaving them behind (`guard` then refuses
        every write they would still make)."""
        give_up_at = None
        for th in threads:
            while th.is_alive():
                th.join(0.05)
                if not stop.is_set() or not th.is_alive():
                    continue
                if give_up_at is None:
                    give_up_at = time.monotonic() + STOP_GRACE
                    abort = getattr(self.http, "abort", None)
                    if abort is not None:
                        abort()
                elif time.monotonic() >= give_up_at:
                    guard.abandon()
                    log.warning(
                        "stopped: %d target thread(s) left behind", sum(t.is_alive() for t in threads)
                    )
                    return

    def _totals(self, summary: Summary, manual: bool) -> None:
        summary.pending = self.store.pending_count()
        counts = self.store.delivery_counts()
        summary.uncertain = sum(c.get(DeliveryState.UNCERTAIN, 0) for c in counts.values())
        live = [t for t in self.store.targets() if t.enabled]
        summary.attention = [t.name for t in live if t.attention]
        dues = [self.store.next_due_at(t.id, manual=manual) for t in live if not t.attention]
        known = [d for d in dues if d is not None]
        summary.next_due_at = min(known) if known else None

    # -- a person's steps ---------------------------------------------------------------------------
    def test(self, target: str | int) -> Attempt:
        """Send the target's harmless test message now; the platform's answer, secrets removed."""
        t = self.store.target(target)
        kind = kind_for(t.kind)
        if kind is None:
            return Attempt(ATTENTION, tr("未知的平台类型“{kind}”，请检查配置").format(kind=t.kind))
        config = t.config()
        try:
            secrets = self._secrets(config, kind.secret_names) if kind.secret_names else {}
        except keyring_secrets.NoKeyring as exc:
            if kind.config_problems(config, {}):  # it needs a secret only the keyring could hold
                return Attempt(ATTENTION, "；".join([exc.message] + kind.settings_problems(config)))
            secrets = {}
        scrub = Scrubber(secrets.values())
        unsafe = secret_binding.sending_problem(t, kind, config, secrets)
        if unsafe:  # secrets go only where they were entered for: the test sends nothing
            return Attempt(ATTENTION, scrub(unsafe))
        try:
            attempt = kind.send_test(config, secrets, self.http)
        except Exception as exc:
            attempt = Attempt(
                TRANSIENT,
                tr("测试时出错：{error_type}: {exc}").format(error_type=type(exc).__name__, exc=outside(exc)),
            )
        attempt.message, attempt.payload = scrub.cut(attempt.message, MESSAGE_LIMIT), scrub(attempt.payload)
        return attempt

    def confirm_upload(
        self, target: str | int, operator: str, path: str | Path | None = None, *, wait: float = 10.0
    ) -> Confirmed:
        """The operator uploaded an Excel batch: close it (the open batch when `path` is None),
        read it back, and mark delivered exactly the deliveries whose rows are in it as Yici
        wrote them (found by the record-identity column), with audit lines; rows missing from
        the file or changed in it are named in the answer and stay awaiting upload.
        Raises SyncBusy if a sync keeps the folder busy for more than `wait` seconds."""
        # Here, not at the top: openpyxl is slow to load and most data folders have no xlsx target.
        from sync import xlsx

        t = self.store.target(target)
        if t.kind != "xlsx":
            raise NotAllowed(
                tr("平台“{name}”不是 Excel 导入文件，无需确认上传。 / Not an xlsx target.").format(
                    name=t.name
                )
            )
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
            # Only rows found in the file as they were written count as uploaded.
            found = xlsx.check_file(path)
            count = self.store.confirm_upload(t.id, found.present, operator, batch=path.name)
        return Confirmed(path, len(found.present), count, found.missing, found.changed)


__all__ = [
    "BACKOFF_BASE",
    "BACKOFF_CAP",
    "BATCH",
    "Confirmed",
    "DEFAULT_RATE_WAIT",
    "Deliverer",
    "GIVE_UP_AFTER",
    "LONGEST_INLINE_WAIT",
    "Summary",
    "STOP_GRACE",
    "SyncBusy",
    "TargetReport",
    "WRITTEN",
    "backoff",
    "item_send",
]
