"""Talking to the township hub (docs/HUB.md, "The API"): its addresses, the device token, the
JSON it answers, and what a failure means in Chinese. Shared by the `hub` kind (sync/hub.py),
joining (sync/hub_join.py), pulling (sync/hub_pull.py) and the handover (sync/hub_handover.py).

Every request goes through the one HTTP client (sync/http.py): the system's trust store plus
the target's CA file, proxies, timeouts, and a stop that aborts it. The token travels only in
the Authorization header, never in an address, so no log line or message can carry it.
"""

from __future__ import annotations

import urllib.parse
from typing import Any

import requests

from forms.i18n import tr, tr_noop
from sync.answers import json_body, outside, transport_failure

API = "/api/v1"
TOKEN = "device_token"  # the keyring entry of the hub's target
# Said wherever the hub answers 401: the device was revoked, or its token is not the hub's.
REVOKED_MESSAGE = tr_noop("本机已被乡镇平台停用或令牌无效：请联系乡镇管理员重新加入（`yici hub join`）")
# Said when the answer is not the hub's own (a network's login page in between, a redirect).
NOT_THE_HUB_MESSAGE = tr_noop(
    "乡镇平台的地址没有像乡镇平台那样回答（HTTP {status}），这次没有送达：如果这个网络要先登录才能上网，"
    "请先登录；否则请核对乡镇平台的地址。稍后会自动重试"
)


class HubProblem(Exception):
    """A request to the hub failed; `message` is for people (Chinese, says what to do), `status`
    the HTTP status when the hub answered, `revoked` when it refused the token (401); `attempt`
    what the failure means for a delivery when no answer came (sync/answers.py)."""

    def __init__(
        self, message: str, status: int | None = None, body: dict | None = None, attempt: Any = None
    ):
        super().__init__(message)
        self.message = message
        self.status = status
        self.body = body or {}
        self.attempt = attempt

    @property
    def revoked(self) -> bool:
        """The hub refused the device's token (revoked, or not this hub's)."""
        return self.status == 401


def base_url(url: str) -> str:
    """The hub's address as kept in its target: no trailing slash, no `/api/v1` typed after it."""
    text = (url or "").strip().rstrip("/")
    if text.lower().endswith(API):
        text = text[: -len(API)].rstrip("/")
    return text


def api_url(base: str, path: str) -> str:
    """The full address of an API path (`/pull`, `/attachments/…`) under a hub's address."""
    return base_url(base) + API + path


def auth(token: str | None) -> dict[str, str]:
    """The headers that carry the device token."""
    return {"Authorization": f"Bearer {token}"} if token else {}


def hub_error(response: requests.Response) -> str:
    """The hub's own Chinese sentence from a refusal, bounded (or the status when it gave none)."""
    body = json_body(response) or {}
    said = body.get("error")
    return outside(said) if isinstance(said, str) and said else f"HTTP {response.status_code}"


def call(
    http: Any,
    method: str,
    base: str,
    path: str,
    *,
    token: str | None = None,
    ca_file: str | None = None,
    params: dict | None = None,
    **kwargs: Any,
) -> requests.Response:
    """One request to the hub; transport failures become HubProblem with a sentence that says
    what to do (offline, a certificate the laptop does not trust, a bad address)."""
    url = api_url(base, path)
    if params:
        url += "?" + urllib.parse.urlencode(params)
    headers = {**auth(token), **(kwargs.pop("headers", None) or {})}
    # The hub never redirects: a redirect is someone else's answer, and would carry the request
    # (the record, the join code) on to another address.
    kwargs.setdefault("allow_redirects", False)
    try:
        return http.request(method, url, ca_file=ca_file, headers=headers, **kwargs)
    except requests.RequestException as exc:
        attempt = transport_failure(exc)
        raise HubProblem(attempt.message, attempt=attempt) from exc


def checked(response: requests.Response, *, what: str) -> dict:
    """The JSON body of a successful answer; HubProblem for a refusal (401: the device was
    revoked) or an answer that is not the hub's (`what` names the request, e.g. 同步)."""
    if response.status_code == 401:
        raise HubProblem(tr(REVOKED_MESSAGE), 401, json_body(response))
    if response.status_code >= 400:
        raise HubProblem(
            tr("乡镇平台拒绝了{what}：{error}").format(what=what, error=hub_error(response)),
            response.status_code,
            json_body(response),
        )
    body = json_body(response)
    if body is None:
        raise HubProblem(
            tr("这个地址的回答不是乡镇平台的（HTTP {status}）：请核对乡镇平台的地址。").format(
                status=response.status_code
            ),
            response.status_code,
        )
    return body


__all__ = [
    "API",
    "HubProblem",
    "NOT_THE_HUB_MESSAGE",
    "REVOKED_MESSAGE",
    "TOKEN",
    "api_url",
    "auth",
    "base_url",
    "call",
    "checked",
    "hub_error",
]
