"""Kind `rest` against a real platform API on 127.0.0.1 (tests/sync/rest_server.py)."""

from __future__ import annotations

import hashlib
import json

import pytest

from sync.http import Http
from sync.kind import ATTENTION, DELIVERED, PERMANENT, RATE_LIMITED, TRANSIENT, Outgoing, TargetConfig
from sync.rest import KIND, hmac_headers, json_path
from tests.sync.rest_server import PlatformServer, make_tls_files

TOKEN, API_KEY, APP_KEY, APP_SECRET = "tok-3f9a7c1e55", "key-b81d2e07aa", "yici-app", "sec-5e2c9d8f41b7"
SECRETS = {"token": TOKEN, "api_key": API_KEY, "app_secret": APP_SECRET}
UUID = "0b6f3c2e-7d1a-4a8e-9c55-3f2b1e0d9a77"

PHOTO_A = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40 + b"\xff\xd9"
PHOTO_B = b"\x89PNG\r\n\x1a\n" + b"\x00\x01\x02" * 5000
FILES = {hashlib.sha256(PHOTO_A).hexdigest(): PHOTO_A, hashlib.sha256(PHOTO_B).hexdigest(): PHOTO_B}
SHA_A, SHA_B = list(FILES)


@pytest.fixture
def server():
    with PlatformServer(
        token=TOKEN, api_key=API_KEY, app_key=APP_KEY, app_secret=APP_SECRET, slow_seconds=1.0
    ) as s:
        yield s


@pytest.fixture
def http():
    client = Http()
    yield client
    client.close()


def target(server, target_id=7, template=None, **options) -> TargetConfig:
    options.setdefault("auth", "bearer")
    return TargetConfig(
        id=target_id,
        name="党建平台",
        kind="rest",
        url=f"{server.url}/api/records",
        template=template,
        options={k: str(v) for k, v in options.items()},
    )


def item(tgt, *, revision=1, uuid=UUID, secrets=None, data=None, remote_id=None, attachment=None):
    return Outgoing(
        target=tgt,
        secrets=dict(SECRETS if secrets is None else secrets),
        record_uuid=uuid,
        revision=revision,
        form_id="sanhui-yike",
        form_title="三会一课",
        branch="红星村党支部",
        operator="李秀英",
        status="final",
        data=data
        if data is not None
        else {
            "meeting_type": "支部委员会",
            "held_at": "2026-03-05T14:30",
            "attend_count": 5,
            "attendees": ["王建国", "李秀英"],
        },
        labels={"meeting_type": "会议类型"},
        is_correction=revision > 1,
        remote_id=remote_id,
        attachment=attachment if attachment is not None else FILES.__getitem__,
    )


def send(it, http):
    attempt = KIND.send(it, http)
    assert_no_secrets(attempt)
    return attempt


def assert_no_secrets(attempt):
    for value in SECRETS.values():
        assert value not in attempt.message
        assert value not in attempt.payload


# -- auth ------------------------------------------------------------------------------------------


def test_bearer_delivers_the_default_body_with_an_idempotency_key(server, http):
    attempt = send(item(target(server, remote_id_path="data.id")), http)
    assert attempt.outcome == DELIVERED, attempt.message
    assert attempt.remote_id == "R123"
    seen = server.seen[-1]
    assert seen.method == "POST" and seen.path == "/api/records"
    assert seen.headers["authorization"] == f"Bearer {TOKEN}"
    assert seen.headers["idempotency-key"] == f"{UUID}:1:7"
    assert seen.headers["content-type"].startswith("application/json")
    body = json.loads(seen.body)
    assert body == {
        "uuid": UUID,
        "revision": 1,
        "form_id": "sanhui-yike",
        "form_title": "三会一课",
        "branch": "红星村党支部",
        "operator": "李秀英",
        "status": "final",
        "data": {
            "meeting_type": "支部委员会",
            "held_at": "2026-03-05T14:30",
            "attend_count": 5,
            "attendees": ["王建国", "李秀英"],
        },
    }
    assert "支部委员会" in attempt.payload and f"{UUID}:1:7" in attempt.payload


def test_api_key_goes_in_the_configured_header(http):
    with PlatformServer(api_key=API_KEY, api_key_header="X-Api-Token") as server:
        attempt = send(item(target(server, auth="api_key", api_key_header="X-Api-Token")), http)
        assert attempt.outcome == DELIVERED, attempt.message
        assert server.seen[-1].headers["x-api-token"] == API_KEY
        assert "authorization" not in server.seen[-1].headers


def test_hmac_signature_is_accepted(server, http):
    attempt = send(item(target(server, auth="hmac", app_key=APP_KEY)), http)
    assert attempt.outcome == DELIVERED, attempt.message
    headers = server.seen[-1].headers
    assert headers["x-app-key"] == APP_KEY and len(headers["x-nonce"]) == 32
    assert len(headers["x-timestamp"]) == 13 and headers["x-timestamp"].isdigit()  # milliseconds
    assert APP_SECRET not in json.dumps(headers)


def test_hmac_signs_the_url_as_it_travels_even_with_chinese_in_it(server, http):
    tgt = target(server, auth="hmac", app_key=APP_KEY)
    tgt.url = f"{server.url}/api/records?来源=一次"
    attempt = send(item(tgt), http)
    assert attempt.outcome == DELIVERED, attempt.message
    assert server.seen[-1].path == "/api/records?%E6%9D%A5%E6%BA%90=%E4%B8%80%E6%AC%A1"


def test_hmac_with_the_wrong_secret_needs_attention(server, http):
    attempt = send(
        item(target(server, auth="hmac", app_key=APP_KEY), secrets={"app_secret": "sec-wrong-000000"}), http
    )
    assert attempt.outcome == ATTENTION
    assert "401" in attempt.message
    assert "sec-wrong-000000" not in attempt.message + attempt.payload
    assert server.records == {}


def test_hmac_signature_is_as_documented():
    body = b'{"a":1}'
    headers = hmac_headers(
        "ak",
        "secret",
        "post",
        "https://x.example/api/records?src=yici",
        body,
        timestamp=1700000000000,
        nonce="n" * 32,
    )
    import base64
    import hmac as hmac_module

    text = f"POST\n/api/records?src=yici\n1700000000000\n{'n' * 32}\n{hashlib.sha256(body).hexdigest()}"
    expected = base64.b64encode(hmac_module.new(b"secret", text.encode(), hashlib.sha256).digest()).decode()
    assert headers == {
        "X-App-Key": "ak",
        "X-Timestamp": "1700000000000",
        "X-Nonce": "n" * 32,
        "X-Signature": expected,
    }


def test_a_wrong_token_needs_attention(server, http):
    attempt = send(item(target(server), secrets={"token": "tok-wrong-9999"}), http)
    assert attempt.outcome == ATTENTION and "401" in attempt.message


def test_missing_credentials_are_a_config_problem_before_sending(server, http):
    tgt = target(server, auth="hmac")
    problems = KIND.config_problems(tgt, {})
    assert any("app_key" in p for p in problems) and any("app_secret" in p for p in problems)
    attempt = send(item(tgt, secrets={}), http)
    assert attempt.outcome == ATTENTION
    assert server.request_count == 0
    assert KIND.config_problems(target(server, method="DELETE", photos="fax"), SECRETS) == [
        "请求方法“DELETE”不支持，请用 POST、PUT 或 PATCH",
        "photos 选项只能是 none、multipart 或 base64",
    ]


# -- the platform's answer -------------------------------------------------------------------------


def test_success_rule_with_a_json_path(server, http):
    tgt = target(server, success_path="code", success_value="0", remote_id_path="data.id")
    assert send(item(tgt), http).outcome == DELIVERED
    server.business_error = (50001, "本月该会议已上报，请勿重复提交")
    attempt = send(item(tgt, uuid="another-uuid"), http)
    assert attempt.outcome == PERMANENT
    assert "本月该会议已上报，请勿重复提交" in attempt.message
    assert attempt.remote_id is None


def test_options_changed_on_the_same_target_take_effect_at_the_next_send(server, http):
    # The options are parsed once per target for speed; a change must not be missed.
    tgt = target(server, success_path="code", success_value="0")
    assert send(item(tgt), http).outcome == DELIVERED
    tgt.options["success_value"] = "1"
    refused = send(item(tgt, uuid="another-uuid"), http)
    assert refused.outcome == PERMANENT and "应为 1" in refused.message
    tgt.options["auth"] = "api_key"
    tgt.options["api_key_header"] = "X-API-Key"
    tgt.options["success_value"] = "0"
    assert send(item(tgt, uuid="third-uuid"), http).outcome == DELIVERED
    assert server.seen[-1].headers["x-api-key"] == API_KEY
    assert "authorization" not in server.seen[-1].headers


def test_json_paths():
    body = {"code": 0, "data": {"id": "R1", "items": [{"id": 9}]}}
    assert json_path(body, "code") == (True, 0)
    assert json_path(body, "$.data.id") == (True, "R1")
    assert json_path(body, "data.items[0].id") == (True, 9)
    assert json_path(body, "data.items.0.id") == (True, 9)
    assert json_path(body, "data.missing")[0] is False


def test_bad_payload_is_permanent_with_the_platform_message(server, http):
    tgt = target(server, template='{"title": {{ form_title | tojson }}}')
    attempt = send(item(tgt), http)
    assert attempt.outcome == PERMANENT
    assert "字段缺失" in attempt.message and "400" in attempt.message and "40001" in attempt.message


@pytest.mark.parametrize("fault", ["500", "502", "503", "reset", "slow", "lost"])
def test_server_trouble_is_transient(server, http, fault):
    server.flaky(fault)
    attempt = send(item(target(server, timeout="0.3")), http)
    assert attempt.outcome == TRANSIENT, attempt.message
    assert attempt.payload  # what we tried to send is still there to look at


def test_409_same_key_in_progress_is_transient(server, http):
    server.flaky("409")
    attempt = send(item(target(server)), http)
    assert attempt.outcome == TRANSIENT and "409" in attempt.message


def test_a_redirect_is_not_followed_and_needs_attention(server, http):
    server.flaky("moved")
    attempt = send(item(target(server)), http)
    assert attempt.outcome == ATTENTION and "301" in attempt.message
    assert "abcdef123456" not in attempt.message
    assert server.request_count == 1


def test_multipart_without_photos_is_still_multipart(server, http):
    attempt = send(item(target(server, photos="multipart")), http)
    assert attempt.outcome == DELIVERED, attempt.message
    assert server.seen[-1].headers["content-type"].startswith("multipart/form-data")
    assert server.records["R123"].payload["uuid"] == UUID


def test_429_is_rate_limited_with_retry_after(server, http):
    server.flaky("429")
    attempt = send(item(target(server)), http)
    assert attempt.outcome == RATE_LIMITED
    assert attempt.retry_after == 7


def test_an_answer_lost_after_the_record_was_taken_is_harmless_to_retry(server, http):
    tgt = target(server, remote_id_path="data.id")
    server.flaky("lost")
    assert send(item(tgt), http).outcome == TRANSIENT
    assert len(server.records) == 1  # the platform did take it
    attempt = send(item(tgt), http)
    assert attempt.outcome == DELIVERED and attempt.remote_id == "R123"
    assert len(server.records) == 1
    assert server.request_count == 2


def test_a_flaky_platform_ends_with_everything_exactly_once(http):
    with PlatformServer(token=TOKEN, slow_seconds=0.5) as server:
        server.flaky_random(seed=20261105, rate=0.5)
        tgt = target(server, timeout="0.2", remote_id_path="data.id")
        items = [item(tgt, uuid=f"rec-{n:03d}") for n in range(25)]
        outcomes: dict[str, list[str]] = {}
        for it in items:
            for _ in range(40):
                attempt = send(it, http)
                outcomes.setdefault(it.record_uuid, []).append(attempt.outcome)
                assert attempt.outcome in (DELIVERED, TRANSIENT, RATE_LIMITED), attempt.message
                if attempt.outcome == DELIVERED:
                    break
        assert all(o[-1] == DELIVERED for o in outcomes.values())
        assert sum(len(o) for o in outcomes.values()) > len(items)  # faults did happen
        for it in items:
            assert len(server.records_with_key(it.idempotency_key)) == 1
        assert len(server.records) == len(items)
        actions = {s.action for s in server.seen}
        assert {"lost", "reset", "slow", "429"} <= actions


# -- corrections -----------------------------------------------------------------------------------


def test_a_correction_goes_to_the_update_url_with_put(server, http):
    tgt = target(server, remote_id_path="data.id", update_url=f"{server.url}/api/records/{{remote_id}}")
    first = send(item(tgt), http)
    data = {"meeting_type": "支部委员会", "held_at": "2026-03-05T14:30", "attend_count": 6}
    second = send(item(tgt, revision=2, remote_id=first.remote_id, data=data), http)
    assert second.outcome == DELIVERED and second.remote_id == "R123"
    seen = server.seen[-1]
    assert (seen.method, seen.path) == ("PUT", "/api/records/R123")
    assert seen.headers["idempotency-key"] == f"{UUID}:2:7"
    assert len(server.records) == 1
    assert server.records["R123"].updates[0]["revision"] == 2
    assert server.records["R123"].payload["data"]["attend_count"] == 6


def test_without_update_url_a_correction_is_posted_again(server, http):
    tgt = target(server, remote_id_path="data.id")
    send(item(tgt), http)
    again = send(item(tgt, revision=2, remote_id="R123"), http)
    assert (server.seen[-1].method, server.seen[-1].path) == ("POST", "/api/records")
    assert again.remote_id == "R124"
    assert json.loads(server.seen[-1].body)["revision"] == 2


# -- photos ----------------------------------------------------------------------------------------

PHOTO_DATA = {
    "meeting_type": "党课",
    "photos": [{"sha256": SHA_A, "name": "会场.jpg"}, {"sha256": SHA_B, "name": "签到表.png"}],
}


@pytest.mark.parametrize("mode", ["multipart", "base64"])
def test_photos_arrive_intact(server, http, mode):
    attempt = send(item(target(server, photos=mode), data=PHOTO_DATA), http)
    assert attempt.outcome == DELIVERED, attempt.message
    record = server.records["R123"]
    assert {name: hashlib.sha256(b).hexdigest() for name, b in record.files.items()} == {
        "会场.jpg": SHA_A,
        "签到表.png": SHA_B,
    }
    assert record.payload["uuid"] == UUID and record.payload["data"]["photos"] == PHOTO_DATA["photos"]
    assert len(attempt.payload) < 5000  # the bytes are not kept in the payload shown
    if mode == "base64":
        assert [a["sha256"] for a in record.payload["attachments"]] == [SHA_A, SHA_B]
    else:
        assert server.seen[-1].headers["content-type"].startswith("multipart/form-data")


def test_multipart_is_signed_over_the_exact_bytes(server, http):
    attempt = send(
        item(target(server, photos="multipart", auth="hmac", app_key=APP_KEY), data=PHOTO_DATA), http
    )
    assert attempt.outcome == DELIVERED, attempt.message


def test_a_missing_photo_file_is_permanent(server, http):
    def missing(sha):
        raise FileNotFoundError(sha)

    attempt = send(item(target(server, photos="base64"), data=PHOTO_DATA, attachment=missing), http)
    assert attempt.outcome == PERMANENT and "会场.jpg" in attempt.message
    assert server.request_count == 0


def test_photos_none_sends_only_references(server, http):
    send(item(target(server), data=PHOTO_DATA), http)
    assert server.records["R123"].files == {}


# -- templates -------------------------------------------------------------------------------------


def test_the_body_template_is_rendered(server, http):
    template = (
        '{"uuid": {{ uuid | tojson }}, "meetingType": {{ data.meeting_type | tojson }},'
        ' "orgName": {{ branch | tojson }}, "count": {{ data.attend_count }}}'
    )
    attempt = send(item(target(server, template=template)), http)
    assert attempt.outcome == DELIVERED, attempt.message
    assert json.loads(server.seen[-1].body) == {
        "uuid": UUID,
        "meetingType": "支部委员会",
        "orgName": "红星村党支部",
        "count": 5,
    }


def test_a_template_that_is_not_json_needs_attention(server, http):
    attempt = send(item(target(server, template='{"branch": {{ branch }}}')), http)
    assert attempt.outcome == ATTENTION and "JSON" in attempt.message
    assert server.request_count == 0


# -- test button -----------------------------------------------------------------------------------


def test_send_test_reports_the_platform_answer(server, http):
    ok = KIND.send_test(target(server), SECRETS, http)
    assert ok.outcome == DELIVERED and "连接正常" in ok.message
    assert json.loads(server.seen[-1].body) == {"test": True, "message": "一次 Yici 连接测试"}
    assert server.records == {}
    bad = KIND.send_test(target(server), {"token": "tok-wrong-9999"}, http)
    assert bad.outcome == ATTENTION
    ping = KIND.send_test(
        target(server, test_url=f"{server.url}/api/ping", test_method="GET", auth="hmac", app_key=APP_KEY),
        SECRETS,
        http,
    )
    assert ping.outcome == DELIVERED and server.seen[-1].method == "GET"
    assert_no_secrets(ping)


def test_https_with_a_target_ca_file(tmp_path, http):
    ca_file, context = make_tls_files(tmp_path)
    with PlatformServer(token=TOKEN, ssl_context=context) as server:
        without = send(item(target(server)), http)
        assert without.outcome == ATTENTION and "证书" in without.message
        attempt = send(item(target(server, ca_file=ca_file)), http)
        assert attempt.outcome == DELIVERED, attempt.message
