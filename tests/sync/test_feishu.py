"""The Feishu kind against a server that checks what open.feishu.cn checks."""

from __future__ import annotations

import json
import time

import pytest

from sync.answers import UNCERTAIN
from sync.feishu import MAX_BODY_BYTES, FeishuKind, feishu, sign
from sync.kind import ATTENTION, DELIVERED, PERMANENT, RATE_LIMITED, TRANSIENT
from tests.sync.robot_servers import FeishuServer, closed_port_url, leaks, make_outgoing

SECRET = "fs-sign-secret-0123456789"


@pytest.fixture
def signed_server(start_server):
    return start_server(FeishuServer, secret=SECRET)


def secrets_for(server, secret=SECRET):
    return {"webhook": server.webhook, "sign_secret": secret}


def test_signed_post_is_delivered_once(signed_server, http):
    secrets = secrets_for(signed_server)
    attempt = feishu.send(make_outgoing("feishu", secrets), http)
    assert attempt.outcome == DELIVERED, attempt.message
    assert len(signed_server.accepted) == 1
    body = signed_server.accepted[0]
    assert isinstance(body["timestamp"], str) and body["timestamp"].isdigit()
    assert abs(int(body["timestamp"]) - time.time()) < 5  # seconds, not milliseconds
    post = body["content"]["post"]["zh_cn"]
    assert post["title"] == "三会一课·支部委员会｜红星村党支部"
    texts = [el["text"] for para in post["content"] for el in para]
    assert "• 出席情况：实到 4 人 / 应到 5 人（80%）" in texts
    assert all("**" not in t and not t.startswith("#") for t in texts)
    # What we keep is the message without the signature.
    assert '"sign"' not in attempt.payload and '"timestamp"' not in attempt.payload
    assert body["sign"] not in attempt.payload
    assert leaks(attempt, *secrets.values()) == []


def test_sign_uses_timestamp_and_secret_as_key_over_an_empty_message():
    import base64
    import hashlib
    import hmac

    expected = base64.b64encode(hmac.new(b"1700000000\nabc", b"", hashlib.sha256).digest()).decode()
    assert sign("abc", 1700000000) == expected


def test_wrong_secret_or_stale_clock_needs_attention(signed_server, http):
    attempt = feishu.send(make_outgoing("feishu", secrets_for(signed_server, "wrong-secret-000")), http)
    assert attempt.outcome == ATTENTION and "19021" in attempt.message and "系统时间" in attempt.message
    stale = FeishuKind(clock=lambda: time.time() - 3700)
    assert stale.send(make_outgoing("feishu", secrets_for(signed_server)), http).outcome == ATTENTION
    assert signed_server.accepted == []


def test_unsigned_bot(feishu_server, http):
    attempt = feishu.send(make_outgoing("feishu", {"webhook": feishu_server.webhook}), http)
    assert attempt.outcome == DELIVERED
    assert "sign" not in feishu_server.accepted[0]


def test_keyword_bot(start_server, http):
    server = start_server(FeishuServer, keyword="党建")
    secrets = {"webhook": server.webhook}
    attempt = feishu.send(make_outgoing("feishu", secrets), http)
    assert attempt.outcome == ATTENTION and "19024" in attempt.message and "关键词" in attempt.message
    assert (
        feishu.send(make_outgoing("feishu", secrets, options={"keyword": "党建"}), http).outcome == DELIVERED
    )


def test_wrong_token_needs_attention(feishu_server, http):
    webhook = feishu_server.webhook.replace(feishu_server.token, "ffffffff-0000-1111-2222-333333333333")
    attempt = feishu.send(make_outgoing("feishu", {"webhook": webhook}), http)
    assert attempt.outcome == ATTENTION
    assert leaks(attempt, webhook) == []


@pytest.mark.parametrize(
    "code, outcome, retry",
    [
        (19022, ATTENTION, None),
        (9499, PERMANENT, None),
        (11232, RATE_LIMITED, 60.0),
        (12345, PERMANENT, None),
    ],
)
def test_platform_codes_are_classified(feishu_server, http, code, outcome, retry):
    feishu_server.codes_next = [(code, "原因")]
    attempt = feishu.send(make_outgoing("feishu", {"webhook": feishu_server.webhook}), http)
    assert (attempt.outcome, attempt.retry_after) == (outcome, retry)
    assert str(code) in attempt.message


def test_sixth_message_in_one_second_is_rate_limited(start_server, http):
    server = start_server(FeishuServer, clock=lambda: 1_000_000.0)  # the whole test is one instant
    secrets = {"webhook": server.webhook}
    outcomes = [feishu.send(make_outgoing("feishu", secrets), http).outcome for _ in range(6)]
    assert outcomes == [DELIVERED] * 5 + [RATE_LIMITED]
    assert len(server.accepted) == 5


def test_server_error_and_connection_refused_are_transient_a_timeout_uncertain(feishu_server, http):
    feishu_server.fail_next = [500]
    assert feishu.send(make_outgoing("feishu", {"webhook": feishu_server.webhook}), http).outcome == TRANSIENT
    webhook = closed_port_url("/open-apis/bot/v2/hook/0f1e2d3c-4b5a-6978-8796-000000000000")
    attempt = feishu.send(make_outgoing("feishu", {"webhook": webhook, "sign_secret": SECRET}), http)
    assert attempt.outcome == TRANSIENT and leaks(attempt, webhook, SECRET) == []
    feishu_server.delay = 3
    item = make_outgoing("feishu", {"webhook": feishu_server.webhook}, options={"timeout": "0.3"})
    # The request went out and no answer came: it may have arrived, so it is never resent alone.
    assert feishu.send(item, http).outcome == UNCERTAIN
    assert feishu_server.accepted == []


@pytest.mark.parametrize("unit", ["会议记录。", "🎉a\n", '"\\引号'])
def test_body_is_cut_to_fit_20_kb(signed_server, http, unit):
    data = {"meeting_type": "支部党员大会", "content": unit * 12000}
    item = make_outgoing("feishu", secrets_for(signed_server), data=data, options={"keyword": "党建"})
    signed_server.keyword = "党建"
    attempt = feishu.send(item, http)
    assert attempt.outcome == DELIVERED, attempt.message
    assert signed_server.largest_body <= MAX_BODY_BYTES
    assert signed_server.largest_body > MAX_BODY_BYTES - 1000  # cut, not gutted
    texts = FeishuServer.texts(signed_server.accepted[0])
    assert any("…" in t for t in texts) and texts[-1] == "党建"


def test_correction_is_marked_in_the_title(feishu_server, http):
    item = make_outgoing("feishu", {"webhook": feishu_server.webhook}, is_correction=True, revision=2)
    assert feishu.send(item, http).outcome == DELIVERED
    assert feishu_server.accepted[0]["content"]["post"]["zh_cn"]["title"].startswith("【更正】")


def test_send_test_and_declarations(signed_server, http):
    target = make_outgoing("feishu", {}).target
    attempt = feishu.send_test(target, secrets_for(signed_server), http)
    assert attempt.outcome == DELIVERED
    assert "连接测试" in json.dumps(signed_server.accepted[0], ensure_ascii=False)
    assert feishu.rate_limits == ((5, 1.0), (100, 60.0)) and feishu.idempotent is False
    assert feishu.secret_names == ("webhook", "sign_secret")
    assert feishu.config_problems(target, {"webhook": "https://open.feishu.cn/open-apis/bot/v2/"})
    assert (
        feishu.config_problems(target, {"webhook": "https://open.feishu.cn/open-apis/bot/v2/hook/abc"}) == []
    )
