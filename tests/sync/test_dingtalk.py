"""The DingTalk kind against a server that checks what oapi.dingtalk.com checks."""

from __future__ import annotations

import time

import pytest

from sync.answers import UNCERTAIN
from sync.dingtalk import DingTalkKind, dingtalk, sign, signed_url
from sync.kind import ATTENTION, DELIVERED, PERMANENT, RATE_LIMITED, TRANSIENT
from tests.sync.robot_servers import DingTalkServer, closed_port_url, leaks, make_outgoing

SECRET = "SEC0123456789abcdef0123456789abcdef0123456789abcdef"


@pytest.fixture
def signed_server(start_server):
    return start_server(DingTalkServer, secret=SECRET)


def secrets_for(server, secret=SECRET):
    return {"webhook": server.webhook, "sign_secret": secret}


def test_signed_markdown_is_delivered_once(signed_server, http):
    secrets = secrets_for(signed_server)
    attempt = dingtalk.send(make_outgoing("dingtalk", secrets), http)
    assert attempt.outcome == DELIVERED, attempt.message
    assert len(signed_server.accepted) == 1
    body = signed_server.accepted[0]
    assert body["msgtype"] == "markdown"
    assert body["markdown"]["title"] == "三会一课·支部委员会｜红星村党支部"
    assert "实到 4 人 / 应到 5 人" in body["markdown"]["text"]
    assert body["at"] == {"atMobiles": [], "isAtAll": False}
    assert attempt.payload and '"msgtype": "markdown"' in attempt.payload
    assert leaks(attempt, *secrets.values()) == []


def test_unsigned_robot(dingtalk_server, http):
    attempt = dingtalk.send(make_outgoing("dingtalk", {"webhook": dingtalk_server.webhook}), http)
    assert attempt.outcome == DELIVERED
    assert len(dingtalk_server.accepted) == 1


def test_sign_is_urlencoded_base64_of_hmac_over_timestamp_and_secret():
    url = signed_url("https://oapi.dingtalk.com/robot/send?access_token=abc", "SECx", 1700000000000)
    assert url.startswith(
        "https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1700000000000&sign="
    )
    assert "+" not in url.split("sign=")[1] and "/" not in url.split("sign=")[1]
    assert (
        signed_url("https://h/robot/send?access_token=abc", "", 1) == "https://h/robot/send?access_token=abc"
    )
    assert sign("SECx", 1) != sign("SECx", 2) != sign("SECy", 2)


def test_wrong_secret_needs_attention_with_a_clear_message(signed_server, http):
    secrets = secrets_for(signed_server, secret="SECwrong-wrong-wrong")
    attempt = dingtalk.send(make_outgoing("dingtalk", secrets), http)
    assert attempt.outcome == ATTENTION
    assert "加签密钥" in attempt.message and "关键词" in attempt.message and "系统时间" in attempt.message
    assert "310000" in attempt.message
    assert signed_server.accepted == []
    assert leaks(attempt, *secrets.values()) == []


def test_clock_off_by_more_than_an_hour_is_refused(signed_server, http):
    kind = DingTalkKind(clock=lambda: time.time() - 3700)
    attempt = kind.send(make_outgoing("dingtalk", secrets_for(signed_server)), http)
    assert attempt.outcome == ATTENTION and "系统时间" in attempt.message
    assert signed_server.accepted == []
    within = DingTalkKind(clock=lambda: time.time() - 3000)
    assert within.send(make_outgoing("dingtalk", secrets_for(signed_server)), http).outcome == DELIVERED


def test_keyword_robot_needs_the_keyword_option(start_server, http):
    server = start_server(DingTalkServer, keyword="党建")
    secrets = {"webhook": server.webhook}
    attempt = dingtalk.send(make_outgoing("dingtalk", secrets), http)
    assert attempt.outcome == ATTENTION and "关键词" in attempt.message
    attempt = dingtalk.send(make_outgoing("dingtalk", secrets, options={"keyword": "党建"}), http)
    assert attempt.outcome == DELIVERED
    assert server.accepted[0]["markdown"]["text"].endswith("党建")


def test_wrong_token_needs_attention(dingtalk_server, http):
    webhook = dingtalk_server.webhook.replace(dingtalk_server.token, "not-the-token-0000")
    attempt = dingtalk.send(make_outgoing("dingtalk", {"webhook": webhook}), http)
    assert attempt.outcome == ATTENTION and "300001" in attempt.message
    assert leaks(attempt, webhook) == []


def test_twenty_first_message_in_a_minute_is_rate_limited_for_ten_minutes(dingtalk_server, http):
    secrets = {"webhook": dingtalk_server.webhook}
    outcomes = [dingtalk.send(make_outgoing("dingtalk", secrets), http) for _ in range(21)]
    assert [a.outcome for a in outcomes[:20]] == [DELIVERED] * 20
    assert outcomes[20].outcome == RATE_LIMITED and outcomes[20].retry_after == 600
    assert len(dingtalk_server.accepted) == 20


def test_server_error_is_transient_and_nothing_went(dingtalk_server, http):
    dingtalk_server.fail_next = [503]
    secrets = {"webhook": dingtalk_server.webhook}
    assert dingtalk.send(make_outgoing("dingtalk", secrets), http).outcome == TRANSIENT
    assert dingtalk_server.accepted == []
    assert dingtalk.send(make_outgoing("dingtalk", secrets), http).outcome == DELIVERED
    assert len(dingtalk_server.accepted) == 1


def test_wifi_login_page_is_transient_not_success(dingtalk_server, http):
    dingtalk_server.fail_next = [200]  # HTTP 200 with a body that is not DingTalk's JSON
    attempt = dingtalk.send(make_outgoing("dingtalk", {"webhook": dingtalk_server.webhook}), http)
    assert attempt.outcome == TRANSIENT


def test_connection_refused_is_transient(http):
    webhook = closed_port_url("/robot/send?access_token=tok-0123456789")
    attempt = dingtalk.send(make_outgoing("dingtalk", {"webhook": webhook, "sign_secret": SECRET}), http)
    assert attempt.outcome == TRANSIENT
    assert leaks(attempt, webhook, SECRET) == []


def test_timeout_after_sending_is_uncertain_not_retried(dingtalk_server, http):
    dingtalk_server.delay = 3
    item = make_outgoing("dingtalk", {"webhook": dingtalk_server.webhook}, options={"timeout": "0.3"})
    started = time.monotonic()
    attempt = dingtalk.send(item, http)
    assert attempt.outcome == UNCERTAIN and "超时" in attempt.message and "可能已发送" in attempt.message
    assert time.monotonic() - started < 2


@pytest.mark.parametrize(
    "code, outcome",
    [(-1, TRANSIENT), (400102, ATTENTION), (430101, PERMANENT), (999999, PERMANENT), (410100, RATE_LIMITED)],
)
def test_platform_codes_are_classified(dingtalk_server, http, code, outcome):
    dingtalk_server.codes_next = [(code, "某个原因")]
    attempt = dingtalk.send(make_outgoing("dingtalk", {"webhook": dingtalk_server.webhook}), http)
    assert attempt.outcome == outcome
    assert str(code) in attempt.message and "某个原因" in attempt.message


def test_correction_is_marked_in_title_and_text(dingtalk_server, http):
    item = make_outgoing("dingtalk", {"webhook": dingtalk_server.webhook}, is_correction=True, revision=2)
    assert dingtalk.send(item, http).outcome == DELIVERED
    markdown = dingtalk_server.accepted[0]["markdown"]
    assert markdown["title"].startswith("【更正】") and markdown["text"].startswith("### 【更正】")


def test_long_minutes_are_cut(dingtalk_server, http):
    data = {"meeting_type": "支部党员大会", "content": "会议记录。" * 8000}
    item = make_outgoing(
        "dingtalk", {"webhook": dingtalk_server.webhook}, data=data, options={"at_mobiles": "13800138000"}
    )
    assert dingtalk.send(item, http).outcome == DELIVERED
    text = dingtalk_server.accepted[0]["markdown"]["text"]
    assert len(text.encode()) <= 20000 and "…" in text and text.endswith("@13800138000")
    assert dingtalk_server.accepted[0]["at"]["atMobiles"] == ["13800138000"]


def test_broken_template_needs_attention_and_sends_nothing(dingtalk_server, http):
    item = make_outgoing("dingtalk", {"webhook": dingtalk_server.webhook}, template="{{ data.title\n")
    attempt = dingtalk.send(item, http)
    assert attempt.outcome == ATTENTION and "第 1 行" in attempt.message
    assert dingtalk_server.received == 0


def test_config_problems_in_chinese_without_the_secret():
    target = make_outgoing("dingtalk", {}).target
    assert "Webhook" in dingtalk.config_problems(target, {})[0]
    plain_http = {"webhook": "http://oapi.dingtalk.com/robot/send?access_token=secret-token-1234"}
    problems = dingtalk.config_problems(target, plain_http)
    assert "https" in problems[0] and "secret-token-1234" not in problems[0]
    assert dingtalk.config_problems(target, {"webhook": "https://oapi.dingtalk.com/robot/send"})
    assert dingtalk.config_problems(
        target,
        {"webhook": "https://oapi.dingtalk.com/robot/send?access_token=x", "sign_secret": "https://oops"},
    )
    assert (
        dingtalk.config_problems(target, {"webhook": "https://oapi.dingtalk.com/robot/send?access_token=x"})
        == []
    )
    assert dingtalk.send(make_outgoing("dingtalk", {}), None).outcome == ATTENTION


def test_send_test_delivers_a_harmless_message(signed_server, http):
    target = make_outgoing("dingtalk", {}).target
    attempt = dingtalk.send_test(target, secrets_for(signed_server), http)
    assert attempt.outcome == DELIVERED
    assert "连接测试" in signed_server.accepted[0]["markdown"]["text"]


def test_kind_declares_what_the_engine_needs():
    assert dingtalk.name == "dingtalk" and dingtalk.idempotent is False
    assert dingtalk.secret_names == ("webhook", "sign_secret") and dingtalk.required_secrets == ("webhook",)
    assert dingtalk.rate_limits == ((20, 60.0),)
