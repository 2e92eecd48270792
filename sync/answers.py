"""Reading what came back over HTTP, before a platform's own codes are looked at.

Shared by every kind so that "no network", timeouts, resets, 5xx and 429 mean the same thing
everywhere. A kind calls `transport_failure` in its `except`, then `http_failure` on the response,
and only then reads its platform's body code.

A request that got no answer may still have reached the platform: a read timeout, a connection
dropped or reset after the request was written. A platform that dedupes (REST under its
Idempotency-Key) may simply be asked again; a work-group robot cannot tell a resend from a new
message, so its delivery becomes UNCERTAIN for a person to decide. Nothing was sent when the
connection was refused, the name did not resolve or the connect timed out: that stays TRANSIENT.
"""

from __future__ import annotations

import email.utils
import time

import requests
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError, ProxyError

from forms.i18n import tr
from forms.secrecy import mask_url_secrets
from sync.kind import ATTENTION, PERMANENT, RATE_LIMITED, TRANSIENT, Attempt

# What is kept of a message about one try, cut only after every secret was scrubbed from it
# (forms.secrecy.Scrubber.cut in the kinds and the engine).
MESSAGE_LIMIT = 600
# How much of a text from outside (an answer's body, a header, an exception) goes into a message
# at all: a platform may answer megabytes. Far more than MESSAGE_LIMIT, so that whatever this
# first cut splits lies beyond the final cut, which drops it whole after scrubbing.
OUTSIDE_LIMIT = 4000
assert OUTSIDE_LIMIT >= 4 * MESSAGE_LIMIT


def outside(text: object) -> str:
    """Text from outside, bounded for a message (see OUTSIDE_LIMIT) with URL tokens masked;
    known secret values are scrubbed later, before the message is cut to MESSAGE_LIMIT."""
    return mask_url_secrets(str(text or "")[:OUTSIDE_LIMIT])


# Outcomes beyond sync/kind.py's, read by sync/outcomes.py and sync/drain.py:
UNCERTAIN = "uncertain"  # may have reached a platform that cannot dedupe: a person decides
STOPPED = "stopped"  # the run was asked to stop while this was on its way


class Stopped(requests.exceptions.ConnectionError):
    """The run was asked to stop while this request was on its way (sync/http.py `abort`)."""


class RateWait(requests.exceptions.RequestException):
    """Not sent: the target's rate limit has no room for another message for `seconds`."""

    def __init__(self, seconds: float):
        super().__init__(f"rate limit: wait {seconds:.0f} s")
        self.seconds = seconds
        self.request_sent = False


def may_have_arrived(exc: BaseException) -> bool:
    """Could the request behind this failure have reached the platform?

    The client (sync/http.py) says exactly whether a byte was written (`request_sent`); for
    other clients the exception's kind tells: a refused or timed-out connect, a name that does
    not resolve, a proxy or TLS failure happen before the request is written."""
    sent = getattr(exc, "request_sent", None)
    if sent is not None:
        return bool(sent)
    if isinstance(exc, (requests.exceptions.ConnectTimeout, requests.exceptions.SSLError)):
        return False
    if isinstance(exc, (requests.exceptions.ProxyError, requests.exceptions.InvalidURL)):
        return False
    seen: set[int] = set()
    stack: list[BaseException | None] = [exc]
    while stack:
        cause = stack.pop()
        if cause is None or id(cause) in seen:
            continue
        seen.add(id(cause))
        if isinstance(cause, (NewConnectionError, ProxyError)):
            return False
        if isinstance(cause, ConnectTimeoutError):
            return False
        stack.extend([getattr(cause, "reason", None), cause.__cause__, cause.__context__])
        stack.extend(arg for arg in cause.args if isinstance(arg, BaseException))
    return isinstance(exc, requests.exceptions.RequestException)


def transport_failure(exc: Exception, *, dedupes: bool = True) -> Attempt:
    """The request never got an answer. Worth trying again later, unless it may have reached
    a platform that cannot dedupe (`dedupes=False`): then UNCERTAIN."""
    if isinstance(exc, RateWait):
        return Attempt(
            RATE_LIMITED,
            tr("已达到平台的发送频率上限，稍后自动继续发送 (rate limit)"),
            retry_after=exc.seconds,
        )
    arrived = may_have_arrived(exc)
    if isinstance(exc, Stopped):
        if arrived and not dedupes:
            return Attempt(
                UNCERTAIN,
                tr("同步被停止时这条消息正在发送，可能已发送：请在群里确认后选择“重新发送”或“标记为已送达”"),
            )
        return Attempt(STOPPED, tr("同步已停止，未发送完，下次同步时继续"))
    if arrived and not dedupes and not isinstance(exc, requests.exceptions.SSLError):
        what = (
            tr("等待平台回复超时") if isinstance(exc, requests.exceptions.Timeout) else tr("连接在发出后中断")
        )
        return Attempt(
            UNCERTAIN,
            tr(
                "{what}，消息可能已发送，为免重复未自动重发：请在群里确认后选择“重新发送”或“标记为已送达” "
                "({exc})"
            ).format(what=what, exc=_short(exc)),
        )
    if isinstance(exc, requests.exceptions.SSLError):
        # A certificate problem will not fix itself; an intranet may need its CA file configured.
        return Attempt(
            ATTENTION,
            tr("证书校验失败，请检查平台地址或配置 CA 证书文件 (TLS: {exc})").format(exc=_short(exc)),
        )
    if isinstance(exc, requests.exceptions.Timeout):
        return Attempt(TRANSIENT, tr("连接超时，稍后自动重试 (timeout)"))
    if isinstance(exc, requests.exceptions.ConnectionError):
        return Attempt(TRANSIENT, tr("无法连接平台（可能离线），稍后自动重试 (connection failed)"))
    if isinstance(exc, requests.exceptions.InvalidURL | requests.exceptions.MissingSchema):
        return Attempt(ATTENTION, tr("平台地址无效，请检查配置 ({exc})").format(exc=_short(exc)))
    return Attempt(TRANSIENT, tr("网络错误，稍后自动重试 ({exc})").format(exc=_short(exc)))


def retry_after_seconds(response: requests.Response) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date), else None."""
    value = response.headers.get("Retry-After")
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def http_failure(response: requests.Response) -> Attempt | None:
    """An Attempt for a status that settles the matter by itself, or None to read the body."""
    status = response.status_code
    if status == 429:
        return Attempt(
            RATE_LIMITED, tr("平台限流，稍后重试 (HTTP 429)"), retry_after=retry_after_seconds(response)
        )
    if status in (401, 403):
        return Attempt(
            ATTENTION,
            tr("平台拒绝认证，请检查令牌或密钥 (HTTP {status}: {response})").format(
                status=status, response=_body(response)
            ),
        )
    if status == 404:
        return Attempt(
            ATTENTION,
            tr("平台地址不存在，请检查配置 (HTTP 404: {response})").format(response=_body(response)),
        )
    if status == 408 or status >= 500:
        return Attempt(
            TRANSIENT,
            tr("平台暂时不可用，稍后重试 (HTTP {status})").format(status=status),
            retry_after=retry_after_seconds(response),
        )
    if 400 <= status < 500:
        return Attempt(
            PERMANENT,
            tr("平台拒收 (HTTP {status}: {response})").format(status=status, response=_body(response)),
        )
    return None


def json_body(response: requests.Response) -> dict | None:
    """The body as a JSON object, or None when it is not one."""
    try:
        body = response.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _body(response: requests.Response) -> str:
    return outside(response.text)


def _short(exc: Exception) -> str:
    return outside(exc)
