"""One target's drain in small batches: each request goes after its `sending` is committed, each
record arrives once, and whatever was marked `sending` but not sent goes back to pending, untried,
whenever the run ends early (stop, attention, Retry-After, offline)."""

from __future__ import annotations

import threading
import time

from sync import secrets as keyring_secrets
from sync.drain import GIVE_UP_AFTER
from sync.engine import Deliverer
from tests.sync.engine_setup import deliverer, loopback_http, platform, rest_target, village
from tests.sync.robot_servers import closed_port_url


class Watching:
    """Before each request, what the database file says about every delivery (committed)."""

    def __init__(self, inner, village, on_request=None):
        self.inner, self.village, self.on_request = inner, village, on_request
        self.seen: list[dict[int, str]] = []

    def request(self, method, url, **kwargs):
        rows = self.village.store.deliveries()
        self.seen.append({r.id: self.village.committed_state(r.id) for r in rows})
        if self.on_request:
            self.on_request(len(self.seen))
        return self.inner.request(method, url, **kwargs)


def _rows(village):
    return sorted(village.store.deliveries(), key=lambda d: d.id)


def test_small_batches_deliver_everything_once_each_sent_only_after_sending_is_written(
    village, platform, memory_keyring, loopback_http
):
    target = rest_target(village, platform)
    records = [village.final(n) for n in range(7)]
    http = Watching(loopback_http, village)
    summary = deliverer(village, http, batch=2).run()
    assert summary.delivered == 7 and village.states() == ["delivered"] * 7
    ids = [r.id for r in _rows(village)]
    for n, states in enumerate(http.seen):
        assert states[ids[n]] == "sending"  # durable before its request
    for record in records:
        assert len(platform.records_with_key(f"{record.uuid}:1:{target.id}")) == 1
    assert platform.request_count == 7


def test_stop_puts_back_the_rest_of_the_batch_untried(village, platform, memory_keyring, loopback_http):
    rest_target(village, platform)
    for n in range(6):
        village.final(n)
    stop = threading.Event()

    def after(n):
        if n == 1:
            stop.set()

    Deliverer(village.store, http=Watching(loopback_http, village, after), batch=2).run(stop=stop)
    rows = _rows(village)
    assert [r.state for r in rows] == ["delivered"] + ["pending"] * 5
    assert [r.attempts for r in rows[1:]] == [0] * 5  # never tried, not counted as tried


def test_retry_after_holds_every_delivery_left(village, platform, memory_keyring, loopback_http):
    rest_target(village, platform)
    for n in range(6):
        village.final(n)
    platform.retry_after = 7
    platform.flaky("429")
    summary = deliverer(village, loopback_http, batch=2).run()
    assert platform.request_count == 1
    rows = _rows(village)
    assert all(r.state == "pending" and r.not_before - time.time() > 5 for r in rows)
    assert [r.attempts for r in rows] == [1] + [0] * 5
    assert summary.targets["党建平台"].deferred_until is not None


def test_an_auth_error_leaves_nothing_sending(village, platform, memory_keyring, loopback_http):
    bad = rest_target(village, platform)
    keyring_secrets.set_secret(village.store, bad, "token", "wrong-token-1234")
    for n in range(5):
        village.final(n)
    summary = deliverer(village, loopback_http, batch=2).run()
    assert summary.attention == ["党建平台"]
    rows = _rows(village)
    assert [r.state for r in rows] == ["pending"] * 5
    assert [r.attempts for r in rows] == [1, 0, 0, 0, 0]


def test_offline_gives_up_and_every_delivery_left_waits_out_the_backoff(
    village, memory_keyring, loopback_http
):
    village.store.add_target("离线平台", "rest", url=closed_port_url("/api/records"))
    for n in range(8):
        village.final(n)
    deliverer(village, loopback_http, batch=2).run(manual=False)
    rows = _rows(village)
    assert sum(r.attempts for r in rows) == GIVE_UP_AFTER
    assert all(r.state == "pending" and r.next_attempt_at and r.next_attempt_at > time.time() for r in rows)
