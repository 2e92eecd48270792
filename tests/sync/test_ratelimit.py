"""The per-target limiter: sliding windows that must all hold, penalties, thread safety."""

from __future__ import annotations

import threading

import pytest

from sync.ratelimit import RateLimiter


class FakeClock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def test_twenty_per_minute_then_waits_for_the_oldest_to_leave_the_window():
    clock = FakeClock()
    limiter = RateLimiter(((20, 60.0),), clock=clock)
    for _ in range(20):
        assert limiter.wait_time() == 0.0
        limiter.record()
        clock.advance(1.0)
    # The first went out 20 s ago: it leaves the window 40 s from now.
    assert limiter.wait_time() == pytest.approx(40.0)
    clock.advance(39.9)
    assert limiter.wait_time() == pytest.approx(0.1)
    clock.advance(0.1)
    assert limiter.wait_time() == 0.0


def test_every_window_must_hold_feishu_five_per_second_and_hundred_per_minute():
    clock = FakeClock()
    limiter = RateLimiter(((5, 1.0), (100, 60.0)), clock=clock)
    for _ in range(5):
        limiter.record()
    assert limiter.wait_time() == pytest.approx(1.0)
    sent = 5
    while sent < 100:  # 5 a second keeps the per-second window happy
        clock.advance(1.0)
        for _ in range(5):
            assert limiter.wait_time() == 0.0
            limiter.record()
            sent += 1
    clock.advance(1.0)  # 20 s after the first burst: the minute window blocks
    assert limiter.wait_time() == pytest.approx(40.0)


def test_wait_for_several_requests_at_once():
    clock = FakeClock()
    limiter = RateLimiter(((3, 10.0),), clock=clock)
    limiter.record()
    clock.advance(2.0)
    limiter.record()
    assert limiter.wait_time(1) == 0.0
    assert limiter.wait_time(2) == pytest.approx(8.0)  # the first must leave first
    assert limiter.wait_time(3) == pytest.approx(10.0)
    with pytest.raises(ValueError):
        limiter.wait_time(4)


def test_penalty_from_the_platform_blocks_and_only_grows():
    clock = FakeClock()
    limiter = RateLimiter(((20, 60.0),), clock=clock)
    limiter.penalize(600)  # DingTalk 130101: throttled for 10 minutes
    assert limiter.wait_time() == pytest.approx(600.0)
    limiter.penalize(60)  # a shorter hint does not shorten the lockout
    assert limiter.wait_time() == pytest.approx(600.0)
    limiter.penalize(None)
    limiter.penalize(0)
    clock.advance(600)
    assert limiter.wait_time() == 0.0


def test_no_limits_never_waits():
    limiter = RateLimiter((), clock=FakeClock())
    for _ in range(1000):
        limiter.record()
    assert limiter.wait_time() == 0.0


def test_bad_limits_are_refused():
    with pytest.raises(ValueError):
        RateLimiter(((0, 60.0),))
    with pytest.raises(ValueError):
        RateLimiter(((5, 0),))


def test_try_acquire_lets_exactly_the_limit_through_from_many_threads():
    clock = FakeClock()
    limiter = RateLimiter(((20, 60.0),), clock=clock)
    granted = []
    start = threading.Barrier(50)

    def worker():
        start.wait()
        if limiter.try_acquire() == 0.0:
            granted.append(1)

    threads = [threading.Thread(target=worker) for _ in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(granted) == 20
    assert limiter.wait_time() == pytest.approx(60.0)


def test_requests_an_earlier_process_sent_count_against_the_window():
    now = [100.0]
    limiter = RateLimiter([(3, 60.0)], clock=lambda: now[0])
    limiter.remember([70.0, 50.0, 90.0])  # read back from the store, in any order
    assert limiter.wait_time() == pytest.approx(50.0 + 60.0 - 100.0)
    now[0] = 111.0
    assert limiter.wait_time() == 0.0
