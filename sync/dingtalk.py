"""DingTalk custom group robot (钉钉自定义机器人): one markdown message per record revision.

Protocol facts: reference/robots.md. The whole webhook URL is the `webhook` secret (it holds the
access token); `sign_secret` is the optional 加签 secret (SEC…).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
import urllib.parse
from collections.abc import Callable
from typing import Any

from forms.i18n import tr, tr_noop
from sync import robot
from sync.kind import (
    ATTENTION,
    PERMANENT,
    PLAIN_HTTP,
    RATE_LIMITED,
    TRANSIENT,
    Attempt,
    Option,
    Outgoing,
    TargetConfig,
    seconds,
    yes_or_no,
)
from sync.robot import Refusal

PLATFORM = tr_noop("钉钉")
MAX_TEXT_BYTES = 20000  # DingTalk documents no exact cap; long minutes are cut well before it

_SIGN_ADVICE = tr_noop(
    "钉钉拒收：签名、关键词或时间戳不对。请检查：①加签密钥与机器人“安全设置”里的一致；"
    "②机器人设了自定义关键词时，在目标设置的“关键词”里填写同一个词；③电脑的系统时间准确"
)
_TOKEN_ADVICE = tr_noop("钉钉机器人的令牌无效（机器人可能已被移除），请重新复制群机器人的 Webhook 地址并填写")
_TOO_FAST = tr_noop("发送太快（每分钟超过 20 条），钉钉机器人被限流 10 分钟，到时自动重试")

REFUSALS: dict[int, Refusal] = {
    310000: Refusal(ATTENTION, _SIGN_ADVICE),
    130101: Refusal(RATE_LIMITED, _TOO_FAST, 600.0),
    410100: Refusal(RATE_LIMITED, _TOO_FAST, 600.0),
    300001: Refusal(ATTENTION, _TOKEN_ADVICE),
    300005: Refusal(ATTENTION, _TOKEN_ADVICE),
    400101: Refusal(ATTENTION, _TOKEN_ADVICE),
    40014: Refusal(ATTENTION, _TOKEN_ADVICE),
    400102: Refusal(
        ATTENTION, tr_noop("钉钉机器人已被停用，请在群设置里启用机器人或重新添加后更新 Webhook 地址")
    ),
    400013: Refusal(
        ATTENTION, tr_noop("钉钉群已解散或机器人已不在群里，请重新添加机器人并更新 Webhook 地址")
    ),
    430101: Refusal(PERMANENT, tr_noop("消息内容未通过钉钉的内容安全检查，未发送")),
    430102: Refusal(PERMANENT, tr_noop("消息内容未通过钉钉的内容安全检查，未发送")),
    430103: Refusal(PERMANENT, tr_noop("消息内容未通过钉钉的内容安全检查，未发送")),
    430104: Refusal(PERMANENT, tr_noop("消息内容未通过钉钉的内容安全检查，未发送")),
    -1: Refusal(TRANSIENT, tr_noop("钉钉系统繁忙，稍后自动重试")),
}


def _mobiles(value: str) -> str | None:
    numbers = [m.strip() for m in value.replace("，", ",").split(",") if m.strip()]
    if all(m.lstrip("+").replace("-", "").isdigit() for m in numbers):
        return None
    return tr("应为手机号，多个用逗号分隔，例如 13800000000,13900000000")


def sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk 加签: base64(HMAC-SHA256(key=secret, msg=f"{timestamp}\\n{secret}")), not yet URL-encoded."""
    string_to_sign = f"{timestamp_ms}\n{secret}"
    digest = hmac.new(secret.encode("utf-8"), string_to_sign.encode("utf-8"), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def signed_url(webhook: str, secret: str | None, timestamp_ms: int) -> str:
    """The webhook with `&timestamp=…&sign=…` appended when a sign secret is set."""
    if not secret:
        return webhook
    joiner = "&" if "?" in webhook else "?"
    signature = urllib.parse.quote_plus(sign(secret, timestamp_ms))
    return f"{webhook}{joiner}timestamp={timestamp_ms}&sign={signature}"


class DingTalkKind(robot.RobotKind):
    """DingTalk group robot: markdown from the record's template, optional 加签."""

    name = "dingtalk"
    idempotent = False  # a robot cannot tell a resend from a new message
    secret_names = robot.ROBOT_SECRETS
    required_secrets = ("webhook",)
    rate_limits = ((20, 60.0),)

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock

    options = (
        Option("keyword"),
        Option("at_mobiles", check=_mobiles),
        Option("at_all", check=yes_or_no),
        Option("timeout", check=seconds),
        Option("ca_file"),
        PLAIN_HTTP,
    )

    def config_problems(self, target: TargetConfig, secrets: dict[str, str]) -> list[str]:
        problems = self.settings_problems(target) + robot.webhook_problems(
            target,
            secrets,
            PLATFORM,
            "https://oapi.dingtalk.com/robot/send?access_token=…",
            lambda parsed: bool(robot.query_value(parsed, "access_token")),
        )
        if "://" in (secrets.get("sign_secret") or ""):
            problems.append(tr("钉钉加签密钥填成了网址：请填写机器人“加签”处显示的 SEC 开头的密钥"))
        return problems

    def _deliver(self, item: Outgoing, title: str, text: str, http: Any) -> Attempt:
        return self._post(item.target, item.secrets, title, text, http)

    def _test(self, target: TargetConfig, secrets: dict[str, str], http: Any) -> Attempt:
        return self._post(target, secrets, "一次 Yici 连接测试", robot.TEST_TEXT, http)

    def _post(
        self, target: TargetConfig, secrets: dict[str, str], title: str, text: str, http: Any
    ) -> Attempt:
        mobiles = [
            m.strip() for m in target.options.get("at_mobiles", "").replace("，", ",").split(",") if m.strip()
        ]
        # DingTalk only highlights an @mobile that also appears in the text.
        at_line = ("\n\n" + " ".join(f"@{m}" for m in mobiles)) if mobiles else ""
        text = (
            robot.fit_text(text, MAX_TEXT_BYTES - len(at_line.encode("utf-8")), target.options.get("keyword"))
            + at_line
        )
        body = {
            "msgtype": "markdown",
            "markdown": {"title": title, "text": text},
            "at": {"atMobiles": mobiles, "isAtAll": robot.option_on(target, "at_all", False)},
        }
        url = signed_url(
            secrets["webhook"].strip(), (secrets.get("sign_secret") or "").strip(), int(self._clock() * 1000)
        )
        attempt = robot.send(http, target, url, body, PLATFORM, REFUSALS)
        attempt.payload = robot.payload_text(body)
        return attempt


dingtalk = DingTalkKind()
KIND = dingtalk  # what sync/kinds.py looks up
