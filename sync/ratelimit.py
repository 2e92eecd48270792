"""How fast one target may be sent to: sliding windows plus penalties from the platform.

One `RateLimiter` per target. The engine asks `wait_time()` before a request, calls `record()`
when it goes out, and `penalize()` when the platform says "too fast" (Retry-After, 130101, 45009,
11232). Robots refuse rather than queue, so staying under their limits saves a 10-minute lockout.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterable


class RateLimiter:
    """Thread-safe limiter where every `(count, seconds)` window must hold at once."""

    def __init__(
        self, limits: Iterable[tuple[int, float]] = (), clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limits = tuple((int(count), float(seconds)) for count, seconds in limits)
        for count, seconds in self.limits:
            if count < 1 or seconds <= 0:
                raise ValueError(f"bad rate limit ({count}, {seconds})")
        self._clock = clock
        self._lock = threading.Lock()
        # Send times of the most recent requests; the longest window needs at most max(count).
        self._sent: deque[float] = deque(maxlen=max((c for c, _ in self.limits), default=1))
        self._blocked_until = 0.0

    def wait_time(self, n: int = 1) -> float:
        """Seconds until `n` more requests may go (0.0 when they may go now)."""
        with self._lock:
            return self._wait_locked(self._clock(), n)

    def record(self, n: int = 1) -> None:
        """`n` requests went out now."""
        with self._lock:
            now = self._clock()
            for _ in range(n):
                self._sent.append(now)

    def remember(self, times: Iterable[float]) -> None:
        """Requests sent earlier (by another process, from the store) count against the windows."""
        with self._lock:
            for t in sorted(times):
                self._sent.append(t)

    def try_acquire(self, n: int = 1) -> float:
        """Record `n` requests and return 0.0 if they may go now, else return the wait, recording nothing.

        Check and record in one step, for callers sharing a limiter between threads.
        """
        with self._lock:
            now = self._clock()
            wait = self._wait_locked(now, n)
            if wait == 0.0:
                for _ in range(n):
                    self._sent.append(now)
            return wait

    def penalize(self, seconds: float | None) -> None:
        """Send nothing for `seconds` from now (the platform told us to slow down)."""
        if not seconds or seconds <= 0:
            return
        with self._lock:
            self._blocked_until = max(self._blocked_until, self._clock() + float(seconds))

    def _wait_locked(self, now: float, n: int) -> float:
        wait = max(0.0, self._blocked_until - now)
        sent = list(self._sent)
        for count, seconds in self.limits:
            if n > count:
                raise ValueError(f"{n} requests can never fit a limit of {count} per {seconds} s")
            recent = [t for t in sent if t > now - seconds]
            # To send n more, the oldest (len + n - count) of the recent ones must leave the window.
            excess = len(recent) + n - count
            if excess > 0:
                wait = max(wait, recent[excess - 1] + seconds - now)
        return wait
