"""How many wrong enrolment codes one address may try: after WRONG_CODES wrong codes within WINDOW
seconds, POST /api/v1/join answers 429 with Retry-After until the oldest of them is older than
the window, and does not look at the code at all (a right code then waits too, or guessing could
go on).

A code is 16 characters from 25 (hub/tokens.py), about 2^74 codes. At 10 tries per 15 minutes an
address gets 960 tries a day; with 100 codes outstanding, each try hits one with a chance of
about 7 in 10^21, and a code lives 7 days. Kept in the memory of each hub process: a restart
forgives, and several app servers behind a load balancer each count their own (docs/HUB.md).
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict, deque
from collections.abc import Callable

WRONG_CODES = 10
WINDOW = 15 * 60
MOST_ADDRESSES = 100_000  # addresses remembered at once; the longest quiet is forgotten first


class JoinLimit:
    """Wrong codes per client address in a sliding window."""

    def __init__(
        self,
        wrong_codes: int = WRONG_CODES,
        window: float = WINDOW,
        clock: Callable[[], float] = time.monotonic,
        most_addresses: int = MOST_ADDRESSES,
    ) -> None:
        self.wrong_codes = wrong_codes
        self.window = window
        self.clock = clock
        self.most_addresses = most_addresses
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()

    def wait(self, address: str) -> int:
        """Whole seconds before `address` may try a code again; 0 when it may now."""
        times = self._recent(address)
        if len(times) < self.wrong_codes:
            return 0
        return max(1, math.ceil(times[0] + self.window - self.clock()))

    def failed(self, address: str) -> None:
        """Count one wrong code from `address`."""
        times = self._recent(address)
        times.append(self.clock())
        self._failures[address] = times
        self._failures.move_to_end(address)
        while len(self._failures) > self.most_addresses:
            self._failures.popitem(last=False)

    def _recent(self, address: str) -> deque[float]:
        times = self._failures.get(address, deque())
        cutoff = self.clock() - self.window
        while times and times[0] <= cutoff:
            times.popleft()
        # Only the newest `wrong_codes` matter: the oldest of them says when the address is free.
        while len(times) > self.wrong_codes:
            times.popleft()
        if not times:
            self._failures.pop(address, None)
        return times
