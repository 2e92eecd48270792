"""What the three work-group robots (dingtalk, wecom, feishu) share: posting JSON, reading the
platform's body code, checking the webhook setting and keeping every secret out of what we keep.

Robots answer HTTP 200 even when they refuse, so the body code decides (reference/robots.md).
"""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass
from typing import Any

import requests

from forms.i18n import tr
from forms.secrecy import Scrubber
from sync import answers, messages, secret_binding
from sync.kind import ATTENTION, DELIVERED, PERMANENT, TRANSIENT, Attempt, Outgoing, TargetConfig

ROBOT_SECRETS = ("webhook", "sign_secret")
DEFAULT_TIMEOUT = 20.0
JSON_HEADERS = {"Content-Type": "application/json; charset=utf-8"}


@dataclass(frozen=True)
class Refusal:
    """How to read one platform code: outcome, what the operator should do, how long to wait."""

    outcome: str
    advice: str
    retry_after: float | None = None


def json_bytes(body: Any) -> bytes:
    """The exact bytes we send: UTF-8 JSON, Chinese kept as is (sizes are counted on these)."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def timeout_of(target: TargetConfig) -> float:
    """Seconds to wait for an answer: the target's `timeout` option, else 20."""
    try:
        value = float(target.options.get("timeout", DEFAULT_TIMEOUT))
    except (TypeError, ValueError):
        return DEFAULT_TIMEOUT
    return value if value > 0 else DEFAULT_TIMEOUT


def option_on(target: TargetConfig, name: str, default: bool) -> bool:
    """A yes/no option ("1", "true", "yes", "on", "是"); `default` when it is not set."""
    value = str(target.options.get(name, "")).strip().lower()
    if not value:
        return default
    return value in ("1", "true", "yes", "on", "是")


def post_json(http: Any, target: TargetConfig, url: str, body: Any) -> Attempt | dict:
    """POST `body`: the Attempt when the exchange itself settled it, else the platform's JSON answer."""
    try:
        response = http.request(
            "POST",
            url,
            data=json_bytes(body),
            headers=JSON_HEADERS,
            timeout=timeout_of(target),
            ca_file=target.options.get("ca_file") or None,
        )
    except (requests.RequestException, OSError) as exc:
        # A robot cannot tell a resend from a new message: one that may have arrived is uncertain.
        return answers.transport_failure(exc, dedupes=False)
    answer = answers.json_body(response)
    failure = answers.http_failure(response)
    if failure is not None:
        # A 4xx that carries the platform's own code says more than the status does.
        if failure.outcome == PERMANENT and answer and body_code(answer) is not None:
            return answer
        return failure
    if answer is None or body_code(answer) is None:
        # HTTP 200 that is not the robot's JSON: typically a Wi-Fi login page or a proxy's notice.
        return Attempt(
            TRANSIENT,
            tr(
                "平台的回复无法识别（可能网络需要登录或被代理拦截），稍后自动重试 (HTTP {status_code})"
            ).format(status_code=response.status_code),
        )
    return answer


def send(
    http: Any, target: TargetConfig, url: str, body: Any, platform: str, refusals: dict[int, Refusal]
) -> Attempt:
    """POST `body` and read the answer: the outcome of one message."""
    answer = post_json(http, target, url, body)
    return answer if isinstance(answer, Attempt) else read_answer(answer, platform, refusals)


def body_code(answer: dict) -> int | None:
    """The platform's result code: errcode (DingTalk, WeCom) or code / StatusCode (Feishu)."""
    for key in ("errcode", "code", "StatusCode"):
        value = answer.get(key)
        if isinstance(value, bool):
            continue
        if isinstance(value, int):
            return value
        if isinstance(value, str) and value.lstrip("-").isdigit():
            return int(value)
    return None


def body_message(answer: dict) -> str:
    """The platform's words in its answer (errmsg, msg, StatusMessage), URL tokens masked."""
    for key in ("errmsg", "msg", "StatusMessage"):
        if answer.get(key):
            return answers.outside(answer[key])
    return ""


def read_answer(answer: dict, platform: str, refusals: dict[int, Refusal]) -> Attempt:
    """The outcome the body code means; unknown non-zero codes are a refusal of this message."""
    code = body_code(answer)
    msg = body_message(answer)
    if code == 0:
        return Attempt(
            DELIVERED, tr("{platform}已接收 ({msg})").format(platform=tr(platform), msg=msg or "ok")
        )
    refusal = None if code is None else refusals.get(code)
    if refusal is None:
        return Attempt(
            PERMANENT,
            tr("{platform}拒收此消息 (错误码 {code}: {msg})").format(
                platform=tr(platform), code=code, msg=msg
            ),
        )
    return Attempt(
        refusal.outcome,
        tr("{advice} ({platform}错误码 {code}: {msg})").format(
            advice=tr(refusal.advice), platform=tr(platform), code=code, msg=msg
        ),
        retry_after=refusal.retry_after,
    )


def webhook_problems(
    target: TargetConfig, secrets: dict[str, str], platform: str, example: str, token_ok
) -> list[str]:
    """Chinese messages about the `webhook` secret; `token_ok(parsed_url)` checks the token part."""
    webhook = (secrets.get("webhook") or "").strip()
    if not webhook:
        return [
            tr(
                "还没有填写{platform}机器人的 Webhook 地址：请在目标设置里点“填写密钥”，"
                "粘贴群机器人设置里复制的地址（形如 {example}）"
            ).format(platform=tr(platform), example=example)
        ]
    parsed = urllib.parse.urlsplit(webhook)
    if parsed.scheme not in ("https", "http") or not parsed.hostname:
        return [
            tr("{platform}机器人的 Webhook 地址格式不对，应以 https:// 开头（形如 {example}）").format(
                platform=tr(platform), example=example
            )
        ]
    plain = secret_binding.plain_http_problem([webhook], target.options)
    if plain:
        return [tr("{platform}机器人的 Webhook {plain}").format(platform=tr(platform), plain=plain)]
    if not token_ok(parsed):
        return [
            tr("{platform}机器人的 Webhook 地址缺少令牌部分，请重新完整复制（形如 {example}）").format(
                platform=tr(platform), example=example
            )
        ]
    return []


def query_value(parsed: urllib.parse.SplitResult, name: str) -> str:
    """The first value of a query parameter of a parsed URL, '' when it is missing."""
    return (urllib.parse.parse_qs(parsed.query).get(name) or [""])[0]


def scrubbed(attempt: Attempt, secrets: dict[str, str]) -> Attempt:
    """The attempt with every secret (and the token inside the webhook) removed from its message
    and payload, by the one scrubber (forms/secrecy.py)."""
    scrub = Scrubber(secrets.values())
    attempt.message = scrub.cut(attempt.message, answers.MESSAGE_LIMIT)
    attempt.payload = scrub(attempt.payload)
    return attempt


class RobotKind:
    """What every robot does before it posts: the settings are checked first, then the message
    template; what comes back is scrubbed of every secret. Kinds post in `_deliver` and `_test`."""

    def config_problems(self, target: TargetConfig, secrets: dict[str, str]) -> list[str]:
        """Chinese messages for what is missing or wrong before anything is posted."""
        raise NotImplementedError

    def settings_problems(self, target: TargetConfig) -> list[str]:
        """What is wrong whatever the secrets: the message template."""
        problem = messages.check_template(target.template)
        return [problem] if problem else []

    def addresses(self, target: TargetConfig) -> list[str]:
        """None in the settings: a robot's address is its webhook, a secret."""
        return []

    def _deliver(self, item: Outgoing, title: str, text: str, http: Any) -> Attempt:
        """Post the rendered record (`title`, and `text`, whose first line is the title)."""
        raise NotImplementedError

    def _test(self, target: TargetConfig, secrets: dict[str, str], http: Any) -> Attempt:
        """Post the connection test message."""
        raise NotImplementedError

    def send(self, item: Outgoing, http: Any) -> Attempt:
        """Deliver one record revision as the robot's message; never raises for network errors."""
        problems = self.config_problems(item.target, item.secrets)
        if problems:
            return scrubbed(config_failure(problems), item.secrets)
        try:
            title, text = messages.render_message(item)
        except messages.TemplateProblem as exc:
            return scrubbed(template_failure(exc), item.secrets)
        return scrubbed(self._deliver(item, title, text, http), item.secrets)

    def send_test(self, target: TargetConfig, secrets: dict[str, str], http: Any) -> Attempt:
        """Post the connection test message and report the robot's answer."""
        problems = self.config_problems(target, secrets)
        if problems:
            return scrubbed(config_failure(problems), secrets)
        return scrubbed(self._test(target, secrets, http), secrets)


def payload_text(body: Any) -> str:
    """A sent body as readable JSON for "view payload"."""
    return json.dumps(body, ensure_ascii=False, indent=1)


def template_failure(exc: messages.TemplateProblem) -> Attempt:
    """A template that does not render stops the target until someone fixes it."""
    return Attempt(ATTENTION, exc.message)


def config_failure(problems: list[str]) -> Attempt:
    """Settings that are wrong stop the target until someone fixes them."""
    return Attempt(ATTENTION, "；".join(problems))


def fit_text(text: str, max_bytes: int, keyword: str | None) -> str:
    """Cut `text` to `max_bytes` UTF-8 bytes, keeping the robot's keyword in what survives."""
    fitted = messages.fit(text, max_bytes, messages.keyword_tail(text, keyword))
    if keyword and keyword.strip() and keyword.strip() not in fitted:
        fitted = messages.fit(text, max_bytes, f"\n\n{keyword.strip()}")
    return fitted


TEST_TEXT = (
    "### 一次 Yici 连接测试\n\n如果您在群里看到这条消息，说明机器人设置正确，以后录入的记录会自动报送到这里。"
)
