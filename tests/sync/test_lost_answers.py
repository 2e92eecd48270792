"""Exactly once when answers are lost, against real servers on 127.0.0.1 that take a message and
drop the connection, delay, or ask to wait: a robot message that may have arrived is never sent
again by itself, a REST retry is the same bytes, rate limits count messages, a platform's pause
holds the whole target, a wait from a wrong clock is clamped, and a stop aborts what is on the wire.
"""

from __future__ import annotations

import threading
import time

import pytest

from forms.store.cipher import sqlite3
from sync.engine import BACKOFF_CAP, STOP_GRACE
from sync.http import Http
from tests.helpers import open_database
from tests.sync.engine_setup import (  # noqa: F401 - fixtures
    deliverer,
    drain,
    loopback_http,
    platform,
    rest_target,
    robot_target,
    village,
)
from tests.sync.test_engine import PNG


@pytest.fixture
def real_http(monkeypatch):
    """Yici's own client (the one `abort` works on); no proxy may catch 127.0.0.1."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    client = Http()
    yield client
    client.close()


def _photo_record(village, n: int):
    record = village.final(n)
    sha = village.store.add_attachment(record.uuid, PNG, f"现场{n}.png").sha256
    return village.correct(record.uuid, photos=[{"sha256": sha, "name": f"现场{n}.png"}])


def test_robot_message_taken_but_answer_lost_becomes_uncertain_and_is_never_resent(
    village, memory_keyring, loopback_http, dingtalk_server
):
    target = robot_target(village, "dingtalk", dingtalk_server)
    village.final(1)
    dingtalk_server.drop_next = 1  # the group got the message; the answer never came back
    summary = deliverer(village, loopback_http).run()
    assert len(dingtalk_server.accepted) == 1
    assert village.states(target.id) == ["uncertain"] and summary.uncertain == 1
    (row,) = village.store.deliveries(target_id=target.id)
    assert "可能已发送" in row.message
    # Neither an automatic run nor one a person starts sends it again by itself.
    deliverer(village, loopback_http).run(manual=False)
    deliverer(village, loopback_http).run(manual=True)
    assert len(dingtalk_server.accepted) == 1 and dingtalk_server.received == 1
    assert village.states(target.id) == ["uncertain"]


def test_robot_read_timeout_is_uncertain_through_the_real_client(
    village, memory_keyring, dingtalk_server, real_http
):
    target = robot_target(village, "dingtalk", dingtalk_server, timeout="0.3")
    village.final(1)
    dingtalk_server.delay = 1.0
    http = real_http
    deliverer(village, http).run()
    time.sleep(1.0)  # the robot takes it after the client gave up
    deliverer(village, http).run()
    assert len(dingtalk_server.accepted) == 1 and dingtalk_server.received == 1
    assert village.states(target.id) == ["uncertain"]


def test_rest_retry_under_the_same_key_is_byte_identical_also_multipart(
    village, memory_keyring, platform, real_http
):
    rest_target(village, platform, photos="multipart")
    _photo_record(village, 1)
    platform.flaky("lost", "reset", "500")  # taken, answer lost; then two more failures
    drain(deliverer(village, real_http))
    creates = [s for s in platform.seen if s.method == "POST" and s.path == "/api/records"]
    assert len(creates) == 4
    assert len({s.headers["idempotency-key"] for s in creates}) == 1
    assert len({s.headers["content-type"] for s in creates}) == 1
    assert len({s.body for s in creates}) == 1  # the same bytes on every try
    assert len(platform.records) == 1


def test_wecom_photos_count_as_messages_against_the_rate_limit(
    village, memory_keyring, loopback_http, wecom_server
):
    target = robot_target(village, "wecom", wecom_server)
    for n in range(12):  # 12 records × (1 markdown + 1 photo) = 24 messages; WeCom takes 20 a minute
        _photo_record(village, n)
    summary = deliverer(village, loopback_http).run()
    assert wecom_server.received == len(wecom_server.accepted) == 20  # never refused for speed
    assert village.states(target.id).count("delivered") == 10
    assert summary.targets[target.name].deferred_until > time.time() + 30


def test_retry_after_pauses_the_whole_target_also_for_records_queued_later(
    village, memory_keyring, platform, real_http
):
    target = rest_target(village, platform)
    village.final(1)
    village.final(2)
    platform.retry_after = 120
    platform.flaky("429")
    http = real_http
    deliverer(village, http).run(manual=False)
    assert platform.request_count == 1
    village.final(3)  # queued after the platform asked to wait
    summary = deliverer(village, http).run(manual=True)
    assert platform.request_count == 1  # a person's run honours the platform's pause too
    assert summary.next_due_at > time.time() + 100
    assert village.states(target.id) == ["pending"] * 3


def test_retry_after_beyond_the_backoff_cap_is_clamped(village, memory_keyring, platform, real_http):
    target = rest_target(village, platform)
    village.final(1)
    platform.retry_after = "Fri, 01 Jan 2100 00:00:00 GMT"  # a platform whose clock is wrong
    platform.flaky("429")
    http = real_http
    deliverer(village, http).run(manual=False)
    (row,) = village.store.deliveries(target_id=target.id)
    assert row.state == "pending"
    assert row.not_before is not None and row.not_before <= time.time() + BACKOFF_CAP + 5


def test_a_wait_set_by_a_wrong_clock_is_clamped_and_a_person_always_tries(
    village, memory_keyring, platform, real_http
):
    target = rest_target(village, platform)
    village.final(1)
    far = time.time() + 10 * 365 * 86400  # set while the laptop's clock was years ahead
    conn = open_database(village.store.path)
    with conn:
        conn.execute("UPDATE deliveries SET not_before = ?, next_attempt_at = ?", [far, far])
    conn.close()
    http = real_http
    automatic = deliverer(village, http).run(manual=False)
    assert platform.request_count == 0
    assert automatic.next_due_at <= time.time() + BACKOFF_CAP + 5  # not in ten years
    deliverer(village, http).run(manual=True)
    assert village.states(target.id) == ["delivered"] and len(platform.records) == 1


def test_stop_aborts_a_request_waiting_for_an_answer_within_the_grace(
    village, memory_keyring, platform, real_http
):
    target = rest_target(village, platform)
    village.final(1)
    village.final(2)
    platform.slow_seconds = 30
    platform.flaky("slow")
    http = real_http
    stop = threading.Event()
    done: dict = {}
    runner = threading.Thread(
        target=lambda: done.setdefault("summary", deliverer(village, http).run(stop=stop)), daemon=True
    )
    runner.start()
    deadline = time.monotonic() + 10
    while platform.request_count == 0 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert platform.request_count == 1
    stopped_at = time.monotonic()
    stop.set()
    runner.join(5)
    assert not runner.is_alive() and time.monotonic() - stopped_at < STOP_GRACE + 1
    # Nothing was answered: the REST delivery waits for the next run (same key, no duplicate).
    assert sorted(village.states(target.id)) == ["pending", "pending"]
    assert platform.request_count == 1
