"""Guessing enrolment codes: after 10 wrong codes from one address within 15 minutes the hub answers
429 with Retry-After and a Chinese message, even to a right code, while other addresses still join;
the window slides, and the codes are long enough that the limit leaves guessing hopeless."""

from __future__ import annotations

import http.client
import json
import math

from hub import join_limit, tokens
from hub.join_limit import JoinLimit
from tests.hub.conftest import enrolled


def _join_from(hub, source: str, code: str) -> tuple[int, dict, dict]:
    """POST /api/v1/join from a given loopback source address (all of 127/8 reaches the hub)."""
    conn = http.client.HTTPConnection("127.0.0.1", hub.port, timeout=30, source_address=(source, 0))
    try:
        body = json.dumps({"code": code, "device_name": "PC"})
        conn.request("POST", "/api/v1/join", body, {"Content-Type": "application/json"})
        answer = conn.getresponse()
        return answer.status, {k.lower(): v for k, v in answer.getheaders()}, json.loads(answer.read())
    finally:
        conn.close()


def test_too_many_wrong_codes_from_one_address_get_429_even_for_the_right_code(hub):
    code = enrolled(hub.database, "张三的电脑", ["红星村党支部"])
    for n in range(join_limit.WRONG_CODES):
        status, _, answer = _join_from(hub, "127.0.0.7", f"AAAA-AAAA-AAAA-AA{n:02d}")
        assert status == 403, answer
    status, headers, answer = _join_from(hub, "127.0.0.7", code)
    assert status == 429
    assert 0 < int(headers["retry-after"]) <= join_limit.WINDOW
    assert answer["retry_after"] == int(headers["retry-after"])
    assert "次数太多" in answer["error"] and "分钟后再试" in answer["error"]
    # Another address is not held back by it, and the code was never used.
    status, _, answer = _join_from(hub, "127.0.0.8", code)
    assert status == 201 and answer["token"]
    # A code without content costs nothing (nothing was guessed).
    for _ in range(join_limit.WRONG_CODES + 2):
        assert _join_from(hub, "127.0.0.9", " ")[0] == 422


def test_the_window_slides_and_forgets():
    now = [1000.0]
    limit = JoinLimit(wrong_codes=3, window=60, clock=lambda: now[0], most_addresses=2)
    for _ in range(3):
        assert limit.wait("a") == 0
        limit.failed("a")
        now[0] += 10
    assert limit.wait("a") == 30  # the first failure (at 1000) leaves the window at 1060; now 1030
    now[0] += 29
    assert limit.wait("a") == 1
    now[0] += 1
    assert limit.wait("a") == 0
    limit.failed("a")
    assert limit.wait("a") == 10  # the three in the window: 1010, 1020, 1060
    # Remembering is bounded: the address quiet longest is forgotten first.
    limit.failed("b")
    limit.failed("c")
    assert limit.wait("a") == 0 and "a" not in limit._failures


def test_codes_are_long_enough_that_the_limit_leaves_guessing_hopeless():
    bits = tokens.CODE_GROUPS * tokens.CODE_GROUP_LENGTH * math.log2(len(tokens.CODE_ALPHABET))
    assert bits > 74
    tries_a_week = join_limit.WRONG_CODES * (7 * 24 * 3600 / join_limit.WINDOW)
    # A thousand addresses guessing for the week a code lives, against 100 codes outstanding:
    assert 1000 * tries_a_week * 100 / 2**bits < 1e-12
    assert len({tokens.new_code() for _ in range(1000)}) == 1000
