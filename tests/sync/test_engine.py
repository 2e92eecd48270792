"""The delivery engine against real platform servers on 127.0.0.1 and a real SQLite store."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import threading
import time

import keyring
import pytest
from keyring.backends import fail
from PIL import Image

from forms.store import NotAllowed
from sync import lock as sync_lock_module
from sync import secrets as keyring_secrets
from sync.engine import GIVE_UP_AFTER, Deliverer
from sync.secrets import NO_KEYRING_MESSAGE
from tests.forms.photos.making import png
from tests.sync.engine_setup import (  # noqa: F401 - fixtures
    OPERATOR,
    deliverer,
    loopback_http,
    platform,
    rest_target,
    robot_target,
    village,
)
from tests.sync.robot_servers import DingTalkServer, FeishuServer, closed_port_url

# A real picture (a 1×1 PNG with no metadata): its clean copy is the same bytes.
PNG = png(Image.new("RGB", (1, 1), (200, 30, 30)))


class WatchingHttp:
    """Wraps the test client: before each request, reads what the database file says."""

    def __init__(self, inner, village):
        self.inner, self.village = inner, village
        self.states_seen: list[tuple[str, str]] = []

    def request(self, method, url, **kwargs):
        key = (kwargs.get("headers") or {}).get("Idempotency-Key")
        if key:
            uuid, revision, target = key.split(":")
            row = [
                d
                for d in self.village.store.deliveries(record_uuid=uuid)
                if d.revision == int(revision) and d.target_id == int(target)
            ][0]
            self.states_seen.append((key, self.village.committed_state(row.id)))
        return self.inner.request(method, url, **kwargs)


# -- REST ---------------------------------------------------------------------------------------


def test_rest_delivers_each_record_once_with_idempotency_key_and_sending_first(
    village, platform, memory_keyring, loopback_http
):
    target = rest_target(village, platform)
    records = [village.final(n) for n in range(3)]
    http = WatchingHttp(loopback_http, village)
    summary = deliverer(village, http).run()

    assert summary.delivered == 3 and summary.pending == 0 and not summary.busy
    assert village.states() == ["delivered"] * 3
    for record in records:
        key = f"{record.uuid}:1:{target.id}"
        assert len(platform.records_with_key(key)) == 1
        assert (key, "sending") in http.states_seen  # durable before the request
    d = village.store.deliveries(record_uuid=records[0].uuid)[0]
    assert d.remote_id == platform.by_key[f"{records[0].uuid}:1:{target.id}"]
    assert "平台已接收" in d.message
    assert [a.action for a in village.store.audit(records[0].uuid)][-1] == "delivered"


def test_rest_correction_updates_the_platform_record_via_remote_id(
    village, platform, memory_keyring, loopback_http
):
    rest_target(village, platform)
    record = village.final(1)
    d = deliverer(village, loopback_http)
    d.run()
    village.correct(record.uuid, title="更正后的标题")
    d.run()

    assert len(platform.records) == 1  # updated, not a second record
    (remote,) = platform.records.values()
    assert remote.updates and remote.updates[-1]["data"]["title"] == "更正后的标题"
    assert remote.updates[-1]["revision"] == 2
    puts = [s for s in platform.seen if s.method == "PUT"]
    assert len(puts) == 1 and puts[0].path == f"/api/records/{remote.id}"
    assert village.states() == ["delivered", "delivered"]


def test_success_is_the_platforms_body_code_not_http_200(village, platform, memory_keyring, loopback_http):
    rest_target(village, platform)
    village.final(1)
    platform.business_error = (40003, "会议类型不在字典中")
    summary = deliverer(village, loopback_http).run()
    (d,) = village.store.deliveries()
    assert d.state == "failed" and "会议类型不在字典中" in d.message
    assert summary.failed == 1 and summary.delivered == 0
    assert [a.action for a in village.store.audit(d.record_uuid)][-1] == "delivery_failed"


def test_auth_error_stops_only_that_target(village, platform, memory_keyring, loopback_http, dingtalk_server):
    bad = rest_target(village, platform, "错误令牌平台")
    keyring_secrets.set_secret(village.store, bad, "token", "wrong-token-1234")
    dt = robot_target(village, "dingtalk", dingtalk_server)
    village.final(1)
    village.final(2)
    summary = deliverer(village, loopback_http).run()

    assert summary.attention == ["错误令牌平台"]
    assert "认证" in village.store.target(bad.id).attention
    assert village.states(bad.id) == ["pending", "pending"]
    assert village.states(dt.id) == ["delivered", "delivered"]
    assert len(dingtalk_server.accepted) == 2
    # Stopped: an automatic run does not knock again; the deliveries keep waiting.
    before = platform.request_count
    deliverer(village, loopback_http).run(manual=False)
    assert platform.request_count == before


def test_transient_failures_back_off_automatic_waits_manual_retries(
    village, platform, memory_keyring, loopback_http
):
    rest_target(village, platform)
    village.final(1)
    platform.flaky("503")
    d = deliverer(village, loopback_http)
    summary = d.run(manual=False)
    (row,) = village.store.deliveries()
    assert row.state == "pending" and row.attempts == 1 and "暂时不可用" in row.message
    assert row.next_attempt_at - time.time() >= 14  # backoff: at least half of 30 s
    assert summary.pending == 1 and summary.next_due_at == pytest.approx(row.next_attempt_at)

    d.run(manual=False)  # automatic: waits out the backoff
    assert platform.request_count == 1
    d.run(manual=True)  # a person asked: try now
    assert platform.request_count == 2 and village.states() == ["delivered"]


def test_retry_after_is_honoured_even_by_a_manual_sync(village, platform, memory_keyring, loopback_http):
    rest_target(village, platform)
    village.final(1)
    village.final(2)
    platform.retry_after = 7
    platform.flaky("429")
    d = deliverer(village, loopback_http)
    summary = d.run()
    assert platform.request_count == 1  # the rest of the target waits too
    rows = village.store.deliveries()
    assert all(r.state == "pending" and r.not_before - time.time() > 5 for r in rows)
    assert summary.targets["党建平台"].deferred_until is not None
    d.run(manual=True)
    assert platform.request_count == 1  # still inside Retry-After


def test_offline_target_gives_up_for_this_run_after_a_few_failures(village, memory_keyring, loopback_http):
    target = village.store.add_target("离线平台", "rest", url=closed_port_url("/api/records"))
    for n in range(6):
        village.final(n)
    d = deliverer(village, loopback_http)
    d.run(manual=False)
    rows = village.store.deliveries(target_id=target.id)
    assert sum(r.attempts for r in rows) == GIVE_UP_AFTER
    assert all(r.state == "pending" and r.next_attempt_at and r.next_attempt_at > time.time() for r in rows)
    assert all("无法连接" in r.message for r in rows if r.attempts)
    d.run(manual=False)  # automatic: the target waits
    assert sum(r.attempts for r in village.store.deliveries(target_id=target.id)) == GIVE_UP_AFTER


def test_no_keyring_stops_targets_that_need_secrets_with_the_chinese_message(
    village, platform, dingtalk_server, loopback_http
):
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        open_rest = village.store.add_target(
            "公开接口", "rest", url=f"{platform.url}/api/records", options={"auth": "none"}
        )
        dt = village.store.add_target("钉钉群", "dingtalk")
        village.final(1)
        summary = deliverer(village, loopback_http).run()
    finally:
        keyring.set_keyring(previous)
    assert village.store.target(dt.id).attention == NO_KEYRING_MESSAGE
    assert "钉钉群" in summary.attention
    # The REST target needs no secret (auth none): it is not held hostage and reaches the
    # platform (which answers 401 to no auth: attention for that reason, not the keyring).
    assert platform.request_count == 1
    assert "认证" in village.store.target(open_rest.id).attention


# -- robots --------------------------------------------------------------------------------------


def test_dingtalk_signed_markdown_and_correction_mark(village, memory_keyring, loopback_http, start_server):
    server = start_server(DingTalkServer, secret="SECd9b1f0a2c3e4", keyword="会议")
    robot_target(village, "dingtalk", server, sign_secret="SECd9b1f0a2c3e4", keyword="会议")
    record = village.final(1)
    d = deliverer(village, loopback_http)
    d.run()
    village.correct(record.uuid, title="改过的标题")
    d.run()
    assert len(server.accepted) == 2  # signature checked by the server
    assert "【更正】" not in server.accepted[0]["markdown"]["text"]
    assert "【更正】" in server.accepted[1]["markdown"]["text"]
    assert village.states() == ["delivered", "delivered"]


def test_dingtalk_refusal_codes(village, memory_keyring, loopback_http, dingtalk_server):
    target = robot_target(village, "dingtalk", dingtalk_server)
    village.final(1)
    village.final(2)
    d = deliverer(village, loopback_http)

    dingtalk_server.codes_next = [(130101, "send too fast")]
    summary = d.run()
    assert summary.attention == []
    rows = village.store.deliveries(target_id=target.id)
    assert all(r.state == "pending" and r.not_before - time.time() > 500 for r in rows)  # 10 min
    assert dingtalk_server.received == 1

    # The limiter remembers the penalty: the same Deliverer does not knock again either.
    d.run()
    assert dingtalk_server.received == 1


def test_dingtalk_sign_refusal_needs_attention_and_manual_sync_retries(
    village, memory_keyring, loopback_http, dingtalk_server
):
    target = robot_target(village, "dingtalk", dingtalk_server)
    village.final(1)
    village.final(2)
    dingtalk_server.codes_next = [(310000, "sign not match")]
    summary = deliverer(village, loopback_http).run()
    assert summary.attention == [target.name]
    assert "加签" in village.store.target(target.id).attention
    assert dingtalk_server.received == 1 and village.states() == ["pending", "pending"]
    deliverer(village, loopback_http).run(manual=False)  # stopped: automatic runs wait
    assert dingtalk_server.received == 1
    summary = deliverer(village, loopback_http).run(manual=True)  # "立即同步" tries again
    assert summary.attention == [] and village.states() == ["delivered", "delivered"]


def test_feishu_signed_post_and_five_per_second(village, memory_keyring, loopback_http, start_server):
    server = start_server(FeishuServer, secret="fs-sign-7c2e91d04b")
    robot_target(village, "feishu", server, sign_secret="fs-sign-7c2e91d04b")
    for n in range(8):
        village.final(n)
    started = time.monotonic()
    summary = deliverer(village, loopback_http).run()
    assert summary.delivered == 8 and len(server.accepted) == 8
    assert time.monotonic() - started >= 0.9  # the 6th waited for the window
    assert village.states() == ["delivered"] * 8


def test_feishu_rate_limit_code_waits(village, memory_keyring, loopback_http, feishu_server):
    target = robot_target(village, "feishu", feishu_server)
    village.final(1)
    feishu_server.codes_next = [(11232, "frequency limited")]
    summary = deliverer(village, loopback_http).run()
    (row,) = village.store.deliveries(target_id=target.id)
    assert row.state == "pending" and row.not_before > time.time() + 30
    assert summary.attention == []


def test_wecom_sends_photos_with_md5_and_bad_key_needs_attention(
    village, memory_keyring, loopback_http, wecom_server
):
    target = robot_target(village, "wecom", wecom_server)
    record = village.final(1)
    sha = village.store.add_attachment(record.uuid, PNG, "现场.png").sha256
    village.correct(record.uuid, photos=[{"sha256": sha, "name": "现场.png"}])
    deliverer(village, loopback_http).run()
    assert wecom_server.images == [PNG]
    assert wecom_server.accepted[-1]["image"]["md5"] == hashlib.md5(PNG).hexdigest()
    assert village.states(target.id) == ["superseded", "delivered"]

    keyring_secrets.set_secret(
        village.store, target, "webhook", wecom_server.webhook.replace(wecom_server.key, "wrong-key-000000")
    )
    village.final(2)
    summary = deliverer(village, loopback_http).run()
    assert summary.attention == [target.name]
    assert "Webhook" in village.store.target(target.id).attention


def test_robot_rate_limit_20_per_minute_defers_the_rest(
    village, memory_keyring, loopback_http, dingtalk_server
):
    robot_target(village, "dingtalk", dingtalk_server)
    for n in range(23):
        village.final(n)
    summary = deliverer(village, loopback_http).run()
    assert len(dingtalk_server.accepted) == 20 and dingtalk_server.received == 20  # never 130101
    assert summary.delivered == 20 and summary.pending == 3
    assert summary.targets["dingtalk群"].deferred_until > time.time() + 30
    # A second process a moment later knows what the first one sent (from the store).
    again = deliverer(village, loopback_http).run()
    assert again.delivered == 0 and dingtalk_server.received == 20


# -- crash recovery and the lock ---------------------------------------------------------------


def test_after_a_crash_rest_is_retried_and_robots_become_uncertain(
    village, platform, memory_keyring, loopback_http, dingtalk_server
):
    rest = rest_target(village, platform)
    dt = robot_target(village, "dingtalk", dingtalk_server)
    village.final(1)
    # A run that died after writing `sending`.
    village.store.mark_sending([d.id for d in village.store.deliveries()])
    summary = deliverer(village, loopback_http).run()

    assert summary.requeued == 1 and summary.found_uncertain == 1 and summary.uncertain == 1
    assert village.states(rest.id) == ["delivered"]
    (robot,) = village.store.deliveries(target_id=dt.id)
    assert robot.state == "uncertain" and "可能已发送" in robot.message
    assert dingtalk_server.received == 0  # never resent silently
    deliverer(village, loopback_http).run()
    assert dingtalk_server.received == 0

    village.store.resend(robot.id, OPERATOR)  # a person decides
    deliverer(village, loopback_http).run()
    assert dingtalk_server.received == 1 and village.states(dt.id) == ["delivered"]
    actions = [a.action for a in village.store.audit(robot.record_uuid)]
    assert "delivery_uncertain" in actions and "resend" in actions


def test_mark_delivered_settles_an_uncertain_robot_delivery(
    village, memory_keyring, loopback_http, dingtalk_server
):
    dt = robot_target(village, "dingtalk", dingtalk_server)
    village.final(1)
    village.store.mark_sending([d.id for d in village.store.deliveries()])
    d = deliverer(village, loopback_http)
    assert d.recover() == (0, 1)
    (row,) = village.store.deliveries(target_id=dt.id)
    village.store.mark_delivered(row.id, OPERATOR)
    assert village.states(dt.id) == ["delivered"]
    with pytest.raises(NotAllowed):
        village.store.mark_delivered(row.id, OPERATOR)
    entry = village.store.audit(row.record_uuid)[-1]
    assert entry.action == "marked_delivered" and entry.operator == OPERATOR
    assert entry.detail["was"] == "uncertain"


def test_a_held_lock_means_busy_and_recover_leaves_in_flight_alone(
    village, platform, memory_keyring, loopback_http, dingtalk_server
):
    robot_target(village, "dingtalk", dingtalk_server)
    village.final(1)
    village.store.mark_sending([d.id for d in village.store.deliveries()])
    held = sync_lock_module.try_lock(village.data_dir)  # "another process" is sending
    try:
        d = deliverer(village, loopback_http)
        summary = d.run()
        assert summary.busy and summary.delivered == 0
        assert d.recover() == (0, 0)
        assert village.states() == ["sending"]
    finally:
        held.release()
    assert deliverer(village, loopback_http).recover() == (0, 1)


def test_lock_excludes_another_process_and_dies_with_it(tmp_path):
    script = (
        "import sys, time; from sync.lock import try_lock; "
        "held = try_lock(sys.argv[1]); print('held' if held else 'busy', flush=True); "
        "time.sleep(60)"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script, str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=str(sync_lock_module.Path(__file__).parents[2]),
    )
    try:
        assert child.stdout.readline().strip() == "held"
        assert sync_lock_module.try_lock(tmp_path) is None
        with pytest.raises(sync_lock_module.SyncBusy):
            with sync_lock_module.sync_lock(tmp_path, timeout=0.2):
                pass
    finally:
        child.kill()
        child.wait()
    with sync_lock_module.sync_lock(tmp_path, timeout=2) as held:  # the OS released it
        assert held.held


def test_two_runs_at_once_in_one_process_never_both_drain(village, platform, memory_keyring, loopback_http):
    rest_target(village, platform)
    for n in range(30):
        village.final(n)
    platform.slow_seconds = 0.2
    platform.flaky("slow")
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(deliverer(village, loopback_http).run()))
        for _ in range(2)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(s.busy for s in results) == [False, True]
    assert len(platform.records) == 30 and platform.request_count == 30


def test_stop_puts_the_rest_back_untried(village, platform, memory_keyring, loopback_http):
    rest_target(village, platform)
    for n in range(5):
        village.final(n)
    stop = threading.Event()

    class StopAfterOne:
        def request(self, *a, **kw):
            stop.set()
            return loopback_http.request(*a, **kw)

    Deliverer(village.store, http=StopAfterOne()).run(stop=stop)
    rows = sorted(village.store.deliveries(), key=lambda d: d.id)
    assert [r.state for r in rows] == ["delivered"] + ["pending"] * 4
    assert [r.attempts for r in rows[1:]] == [0] * 4


# -- xlsx ------------------------------------------------------------------------------------------


def test_xlsx_rows_await_upload_until_the_batch_is_confirmed(village, tmp_path, memory_keyring):
    from sync import xlsx

    folder = tmp_path / "exports"
    target = village.store.add_target(
        "县里导入",
        "xlsx",
        options={"folder": str(folder), "columns": "会议类型=meeting_type; 主题=title; 支部=branch"},
    )
    first = [village.final(n) for n in range(3)]
    d = Deliverer(village.store, http=object())
    summary = d.run()
    assert summary.written == 3 and village.states() == ["awaiting_upload"] * 3

    confirmed = d.confirm_upload(target.name, OPERATOR)
    assert confirmed.rows == 3 and confirmed.delivered == 3
    assert village.states() == ["delivered"] * 3
    assert xlsx.open_batch(target.config()) is None  # the next row starts a new file
    audit = village.store.audit(first[0].uuid)[-1]
    assert audit.action == "upload_confirmed" and audit.detail["batch"] == confirmed.path.name

    later = village.final(9)
    d.run()
    assert village.store.deliveries(record_uuid=later.uuid)[0].state == "awaiting_upload"
    again = d.confirm_upload(target.name, OPERATOR, confirmed.path)  # an old batch: nothing new
    assert again.delivered == 0
    assert village.store.deliveries(record_uuid=later.uuid)[0].state == "awaiting_upload"
    with pytest.raises(NotAllowed):
        d.confirm_upload(village.store.add_target("别的", "dingtalk").name, OPERATOR)


def test_a_stop_during_a_rate_limit_wait_ends_the_wait(village, memory_keyring, loopback_http, feishu_server):
    # Feishu takes 5 a second: the sixth waits its turn. Ctrl+C (or closing the window) during
    # that wait must end the run then, not when the wait is over; nothing more is sent.
    target = robot_target(village, "feishu", feishu_server)
    for n in range(8):
        village.final(n)

    class Stop(threading.Event):
        waits: list[float] = []

        def wait(self, timeout=None):
            self.waits.append(timeout)
            return super().wait(timeout)

    stop = Stop()
    sent = []

    class StopAfterFive:
        def request(self, *a, **kw):
            sent.append(1)
            if len(sent) == 5:  # stop a moment later, while the sixth waits its turn
                threading.Timer(0.2, stop.set).start()
            return loopback_http.request(*a, **kw)

    Deliverer(village.store, http=StopAfterFive()).run(stop=stop)
    assert stop.waits and all(0 < w <= 3 for w in stop.waits)  # the wait listened for the stop
    assert len(feishu_server.accepted) == 5
    rows = village.store.deliveries(target_id=target.id)
    assert sorted(r.state for r in rows) == ["delivered"] * 5 + ["pending"] * 3
    assert all(r.attempts == 0 for r in rows if r.state == "pending")
