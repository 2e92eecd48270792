"""A flaky platform (5xx, timeouts, resets, 429 + Retry-After, answers lost after the record was
taken): repeated manual syncs end with every record delivered exactly once."""

from __future__ import annotations

import time
from collections import Counter

from tests.sync.engine_setup import (  # noqa: F401 - fixtures
    deliverer,
    drain,
    loopback_http,
    platform,
    rest_target,
    village,
)
from tests.sync.rest_server import FAULTS


def test_flaky_platform_gets_everything_exactly_once(village, platform, memory_keyring, loopback_http):
    target = rest_target(village, platform, timeout="0.5")
    records = [village.final(n) for n in range(60)]
    platform.retry_after = 1  # Retry-After: 1 s (kept small for the test)
    platform.slow_seconds = 1.0  # past the 0.5 s read timeout: the answer never comes
    platform.flaky(*FAULTS)  # each fault at least once, then at random
    platform.flaky_random(seed=20260305, rate=0.35)

    started = time.monotonic()
    summary = drain(deliverer(village, loopback_http), rounds=400)
    elapsed = time.monotonic() - started

    keys = [f"{r.uuid}:1:{target.id}" for r in records]
    assert summary.pending == 0 and summary.attention == []
    assert village.states() == ["delivered"] * len(records)
    assert all(len(platform.records_with_key(k)) == 1 for k in keys)
    assert len(platform.records) == len(records)
    # The faults really happened, and some keys reached the platform more than once.
    actions = Counter(s.action for s in platform.seen)
    assert all(actions[f] >= 1 for f in FAULTS), actions
    per_key = Counter(s.headers.get("idempotency-key") for s in platform.seen)
    assert max(per_key.values()) >= 2
    # Each delivery's stored remote id is the one record the platform holds for its key.
    for d in village.store.deliveries():
        assert d.remote_id == platform.by_key[f"{d.record_uuid}:1:{target.id}"]
    assert elapsed < 60


def test_retry_after_makes_the_next_manual_sync_wait(village, platform, memory_keyring, loopback_http):
    rest_target(village, platform)
    village.final(1)
    platform.retry_after = 1
    platform.flaky("429")
    d = deliverer(village, loopback_http)
    d.run()
    d.run()
    assert platform.request_count == 1  # not before Retry-After, even when asked
    time.sleep(1.1)
    d.run()
    assert platform.request_count == 2 and village.states() == ["delivered"]
