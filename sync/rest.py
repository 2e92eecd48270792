"""Kind `rest`: a record as JSON over HTTPS to a platform's own API.

This module is the kind the engine calls; its options are read in sync/rest_settings.py, the
request is built in sync/rest_request.py and the answer read in sync/rest_answer.py.

Target options (all text, as stored):
  method          POST (default), PUT or PATCH
  auth            none | bearer (secret `token`) | api_key (secret `api_key`, else `token`, in the
                  header named by `api_key_header`, default X-API-Key) | hmac (see below)
  app_key         the appKey for auth=hmac (not secret); the secret is `app_secret`
  success_status  which statuses count as taken: "2xx" (default), or a list like "200,201"
  success_path    optional JSON path in the answer, e.g. "code"; with `success_value` ("0")
  remote_id_path  JSON path of the platform's id for the record, e.g. "data.id"
  update_url      e.g. "https://x/api/records/{remote_id}": corrections of a record the
                  platform already has go there with `update_method` (PUT default)
  photos          none (default) | multipart (JSON in form field `payload`, files in `files`)
                  | base64 (JSON gets "attachments": [{name, sha256, base64}])
                  Photos go as clean copies (sync/photo_copies.py): no EXIF, upright, a HEIC as
                  a JPEG named .jpg; `sha256` is the stored photo's, as the record's values name it
  photo_exif      strip (default) | keep: the copies keep the EXIF as the camera wrote it (time,
                  GPS, camera and its serial number), for a platform that asks for time and place
  photo_max_size  e.g. 2MB or 500KB: larger photos are sent downscaled to fit
  ca_file         a CA certificate file trusted on top of the system store (intranets)
  timeout         read timeout in seconds (default 30)
  test_url, test_method   where `send_test` knocks (default: the target URL, POST)
The body is the target's Jinja2 template (JSON text; use `| tojson` for values) or, without one,
{uuid, revision, form_id, form_title, branch, operator, status, data}.

Yici's generic appKey/appSecret signature (auth=hmac), for platforms that adopt it:
  X-App-Key: <app_key>   X-Timestamp: <Unix milliseconds>   X-Nonce: <32 hex, fresh per request>
  X-Signature: base64(HMAC-SHA256(key=app_secret, msg=
      f"{METHOD}\\n{path}\\n{timestamp}\\n{nonce}\\n{sha256_hex(body bytes)}"))
  where METHOD is upper case and path is the URL path plus "?query" when there is one.

Every request carries `Idempotency-Key: {record uuid}:{revision}:{target id}`, so a retry after
a lost answer cannot create a second record on a platform that honours it.
"""

from __future__ import annotations

import json
import uuid as uuid_module
from typing import Any

import requests

from forms.i18n import tr
from forms.secrecy import Scrubber, mask_url_secrets
from sync.answers import MESSAGE_LIMIT, transport_failure
from sync.kind import ATTENTION, DELIVERED, PERMANENT, Attempt, Outgoing, TargetConfig
from sync.rest_answer import json_path, judge, platform_message, remote_id_in
from sync.rest_request import Refusal, default_body, encode, exchange, hmac_headers, prepare
from sync.rest_settings import (
    AUTH_SECRETS,
    AUTHS,
    METHODS,
    OPTIONS,
    PHOTO_MODES,
    option,
    problems,
    secret_problems,
    settings_of,
    settings_problems,
)

TEST_BODY = {"test": True, "message": "一次 Yici 连接测试"}


class RestKind:
    """JSON over HTTPS to a platform's API (see the module docstring for the options)."""

    name = "rest"
    idempotent = True
    secret_names = ("token", "app_secret", "api_key")
    required_secrets: tuple[str, ...] = ()  # which one depends on `auth`: required_secrets_for
    rate_limits: tuple[tuple[int, float], ...] = ()
    options = OPTIONS

    def required_secrets_for(self, options: dict[str, str]) -> tuple[str, ...]:
        """The secret this target's `auth` option cannot send without (none for unknown ones)."""
        auth = str(options.get("auth") or "none").strip().lower()
        return AUTH_SECRETS.get(auth, ())

    def config_problems(self, target: TargetConfig, secrets: dict[str, str]) -> list[str]:
        """Chinese messages for what is missing or wrong before anything is sent."""
        return self.settings_problems(target) + secret_problems(target, secrets)

    def settings_problems(self, target: TargetConfig) -> list[str]:
        """What is wrong in the options and the body template, whatever the secrets."""
        found = settings_problems(target)
        if target.template:
            # Jinja2 loads only for targets that have a template of their own.
            from sync.messages import check_template

            problem = check_template(target.template)
            if problem:
                found.append(problem)
        return found

    def addresses(self, target: TargetConfig) -> list[str]:
        """The address, the corrections' update_url and the test's test_url: credentials go to all."""
        return [u for u in (target.url, option(target, "update_url"), option(target, "test_url")) if u]

    def _checked(self, target: TargetConfig, secrets: dict[str, str]) -> list[str]:
        """`problems` once per target object and secrets: a drain sends thousands of records
        with the same configuration, and the check (a file lookup among them) need not repeat.
        The template is not checked here: it is compiled when the body is rendered."""
        seen = hash(frozenset(secrets.items())), tuple(sorted(target.options.items())), target.url
        cached = getattr(target, "_rest_checked", None)
        if cached is not None and cached[0] == seen:
            return cached[1]
        found = problems(target, secrets)
        target._rest_checked = (seen, found)  # type: ignore[attr-defined]
        return found

    def send(self, item: Outgoing, http: Any) -> Attempt:
        """Deliver one record revision; never raises for network or platform errors."""
        payload = ""
        settings = settings_of(item.target)
        try:
            found = self._checked(item.target, item.secrets)
            if found:
                return self._clean(Attempt(ATTENTION, "；".join(found)), item.secrets)
            request = prepare(item, settings)
            payload = (
                f"{request.method} {mask_url_secrets(request.url)}\n"
                f"Idempotency-Key: {item.idempotency_key}\n\n{request.payload}"
            )
            response = exchange(
                settings, item.secrets, http, request.method, request.url, request.body, request.headers
            )
        except Refusal as stopped:
            stopped.attempt.payload = payload
            return self._clean(stopped.attempt, item.secrets)
        except requests.RequestException as exc:
            attempt = transport_failure(exc)
            attempt.payload = payload
            return self._clean(attempt, item.secrets)
        refusal, answer = judge(settings, response)
        if refusal is not None:
            refusal.payload = payload
            return self._clean(refusal, item.secrets)
        id_path = settings.remote_id_path
        remote_id = remote_id_in(answer, id_path) or item.remote_id
        words = platform_message(answer)
        message = tr("平台已接收") + (
            tr("，编号 {remote_id}").format(remote_id=remote_id) if remote_id else ""
        )
        if id_path and not remote_id:
            message += tr("（应答里没有 {id_path}，未记下平台编号）").format(id_path=id_path)
        message += f"（HTTP {response.status_code}{'：' + words if words else ''}）"
        return self._clean(Attempt(DELIVERED, message, remote_id=remote_id, payload=payload), item.secrets)

    def send_test(self, target: TargetConfig, secrets: dict[str, str], http: Any) -> Attempt:
        """Knock with {"test": true, ...} and say whether the platform and the credentials work."""
        found = self.config_problems(target, secrets)
        if found:
            return self._clean(Attempt(ATTENTION, "；".join(found)), secrets)
        settings = settings_of(target)
        method = option(target, "test_method", "POST").upper()
        url = option(target, "test_url") or target.url or ""
        body = b"" if method in ("GET", "HEAD") else encode(TEST_BODY)
        headers = {"Accept": "application/json", "Idempotency-Key": f"test:{uuid_module.uuid4().hex}"}
        if body:
            headers["Content-Type"] = "application/json; charset=utf-8"
        shown = json.dumps(TEST_BODY, ensure_ascii=False) if body else ""
        payload = f"{method} {mask_url_secrets(url)}\n\n{shown}"
        try:
            response = exchange(settings, secrets, http, method, url, body, headers)
        except requests.RequestException as exc:
            attempt = transport_failure(exc)
            attempt.payload = payload
            return self._clean(attempt, secrets)
        refusal, answer = judge(settings, response)
        if refusal is not None:
            if refusal.outcome == PERMANENT:
                # The platform answered and took our credentials; it just did not want test data.
                refusal.message = tr("平台可以连接，认证已通过，但未接受测试数据：{message}").format(
                    message=refusal.message
                )
            refusal.payload = payload
            return self._clean(refusal, secrets)
        words = platform_message(answer)
        return self._clean(
            Attempt(
                DELIVERED,
                tr("连接测试成功（HTTP {status_code}{value}）").format(
                    status_code=response.status_code, value="：" + words if words else ""
                ),
                payload=payload,
            ),
            secrets,
        )

    @staticmethod
    def _clean(attempt: Attempt, secrets: dict[str, str]) -> Attempt:
        """No secret value in anything we hand back, whatever a platform echoed."""
        scrub = Scrubber((secrets or {}).values())
        attempt.message = scrub.cut(attempt.message, MESSAGE_LIMIT)
        attempt.payload = scrub(attempt.payload)
        return attempt


KIND = RestKind()

__all__ = [
    "AUTHS",
    "AUTH_SECRETS",
    "KIND",
    "METHODS",
    "PHOTO_MODES",
    "RestKind",
    "TEST_BODY",
    "default_body",
    "hmac_headers",
    "json_path",
    "platform_message",
]
