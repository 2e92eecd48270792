"""Feishu / Lark custom group bot (飞书自定义机器人): one `post` (rich text) per record revision.

Protocol facts: reference/robots.md. Signing differs from DingTalk: seconds, the HMAC key is
"timestamp\\nsecret" and the message is empty; timestamp and sign travel in the JSON body.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections.abc import Callable
from typing import Any

from forms.i18n import tr, tr_noop
from sync import messages, robot
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
)
from sync.robot import Refusal

PLATFORM = tr_noop("飞书")
MAX_BODY_BYTES = 20000  # "20 KB" for the whole request body; stay under either reading of it
MAX_TITLE_CHARS = 100

_TOKEN_ADVICE = tr_noop("飞书机器人的 Webhook 地址无效（机器人可能已被移除），请重新复制并填写")
REFUSALS: dict[int, Refusal] = {
    19021: Refusal(
        ATTENTION,
        tr_noop(
            "飞书拒收：签名校验失败或时间戳不对。请检查签名密钥与机器人“安全设置”里的一致，"
            "以及电脑的系统时间是否准确"
        ),
    ),
    19024: Refusal(
        ATTENTION,
        tr_noop("飞书拒收：消息里没有机器人“安全设置”要求的关键词。请在目标设置的“关键词”里填写同一个词"),
    ),
    19022: Refusal(
        ATTENTION, tr_noop("飞书拒收：本机的网络地址不在机器人的 IP 白名单里，请联系群管理员调整安全设置")
    ),
    9499: Refusal(PERMANENT, tr_noop("飞书认为这条消息格式有误，未发送")),
    11232: Refusal(RATE_LIMITED, tr_noop("发送太频繁，飞书暂时限流，稍后自动重试"), 60.0),
    -1: Refusal(TRANSIENT, tr_noop("飞书系统繁忙，稍后自动重试")),
}


def sign(secret: str, timestamp_s: int) -> str:
    """Feishu signing: base64(HMAC-SHA256(key=f"{timestamp}\\n{secret}", msg=b""))."""
    key = f"{timestamp_s}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode("ascii")


def post_body(title: str, text: str) -> dict:
    """A Feishu `post` message: the title, then one paragraph per non-empty line of `text`."""
    content = [[{"tag": "text", "text": line}] for line in messages.plain_lines(text)]
    return {
        "msg_type": "post",
        "content": {"post": {"zh_cn": {"title": title[:MAX_TITLE_CHARS], "content": content}}},
    }


class FeishuKind(robot.RobotKind):
    """Feishu group bot: a `post` built from the record's rendered text, optional signing."""

    name = "feishu"
    idempotent = False
    secret_names = robot.ROBOT_SECRETS
    required_secrets = ("webhook",)
    rate_limits = ((5, 1.0), (100, 60.0))

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock

    options = (Option("keyword"), Option("timeout", check=seconds), Option("ca_file"), PLAIN_HTTP)

    def config_problems(self, target: TargetConfig, secrets: dict[str, str]) -> list[str]:
        def token_ok(parsed) -> bool:
            path = parsed.path.rstrip("/")
            token = path.rpartition("/hook/")[2]
            return "/hook/" in path and bool(token) and "/" not in token

        return self.settings_problems(target) + robot.webhook_problems(
            target, secrets, PLATFORM, "https://open.feishu.cn/open-apis/bot/v2/hook/…", token_ok
        )

    def _deliver(self, item: Outgoing, title: str, text: str, http: Any) -> Attempt:
        # The first line is the title; the post's paragraphs are the rest.
        rest = text.split("\n", 1)[1] if "\n" in text else ""
        return self._post(item.target, item.secrets, title, rest, http)

    def _test(self, target: TargetConfig, secrets: dict[str, str], http: Any) -> Attempt:
        title, _, rest = robot.TEST_TEXT.partition("\n")
        return self._post(target, secrets, messages.plain(title), rest, http)

    def fitted_body(self, title: str, text: str, keyword: str | None = None) -> dict:
        """The `post` body, text cut until the whole JSON (with room for signing) fits 20 KB."""
        keyword = (keyword or "").strip()
        tail = f"\n{keyword}" if keyword and keyword not in title + text else ""
        room = MAX_BODY_BYTES - 120  # "timestamp" and "sign" are added after fitting
        body = post_body(title, text + tail)
        if len(robot.json_bytes(body)) <= room:
            return body
        low, high = 0, len(text)  # longest prefix of text whose body still fits
        while low < high:
            mid = (low + high + 1) // 2
            if len(robot.json_bytes(post_body(title, text[:mid] + messages.ELLIPSIS + tail))) <= room:
                low = mid
            else:
                high = mid - 1
        return post_body(title, text[:low] + messages.ELLIPSIS + tail)

    def _post(
        self, target: TargetConfig, secrets: dict[str, str], title: str, text: str, http: Any
    ) -> Attempt:
        body = self.fitted_body(title, text, target.options.get("keyword"))
        shown = robot.payload_text(body)  # before signing: sign stays out of the record
        secret = (secrets.get("sign_secret") or "").strip()
        if secret:
            timestamp = int(self._clock())
            body = {"timestamp": str(timestamp), "sign": sign(secret, timestamp), **body}
        answer = robot.post_json(http, target, secrets["webhook"].strip(), body)
        if isinstance(answer, Attempt):
            attempt = answer
        elif robot.body_code(answer) == 19001 and "token" in robot.body_message(answer).lower():
            attempt = Attempt(
                ATTENTION,
                tr("{token_advice} (飞书错误码 19001: {value})").format(
                    token_advice=tr(_TOKEN_ADVICE), value=robot.body_message(answer)
                ),
            )
        else:
            attempt = robot.read_answer(answer, PLATFORM, REFUSALS)
        attempt.payload = shown
        return attempt


feishu = FeishuKind()
KIND = feishu  # what sync/kinds.py looks up
