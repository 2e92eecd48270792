"""Reading a REST platform's answer: did it take the record, in its own words, and under which id.

A status that settles the matter by itself (429, 401, 5xx, ...) is read by sync/answers.py, the
same for every kind; then the target's success rule (statuses, an optional JSON path and value)
and the platform's message keys decide.
"""

from __future__ import annotations

import json
import re
from typing import Any

import requests

from forms.i18n import tr
from sync.answers import http_failure, json_body, outside
from sync.kind import ATTENTION, PERMANENT, TRANSIENT, Attempt
from sync.rest_settings import RestSettings, status_ok

_MESSAGE_KEYS = ("msg", "message", "errmsg", "error_description", "errorMessage", "error", "detail")
_PATH_TOKEN = re.compile(r"[^.\[\]]+|\[(\d+)\]")


def json_path(value: Any, path: str) -> tuple[bool, Any]:
    """(found, value) at a path like "code", "data.id", "data.items[0].id" or "$.data.id"."""
    path = path.strip()
    if path.startswith("$"):
        path = path[1:].lstrip(".")
    for match in _PATH_TOKEN.finditer(path):
        step = match.group(1) if match.group(1) is not None else match.group(0)
        if isinstance(value, dict) and step in value:
            value = value[step]
        elif isinstance(value, list) and step.isdigit() and int(step) < len(value):
            value = value[int(step)]
        else:
            return False, None
    return True, value


def _same(found: Any, expected: str) -> bool:
    """A JSON value against the configured text: 0 == "0", true == "true", "ok" == "ok"."""
    if isinstance(found, bool):
        return expected.lower() == ("true" if found else "false")
    if isinstance(found, (int, float)):
        try:
            return float(expected) == float(found)
        except ValueError:
            return False
    return str(found) == expected


def platform_message(body: dict | None) -> str:
    """The platform's own words in an answer (msg / message / errmsg / ...), or ''."""
    if not isinstance(body, dict):
        return ""
    for key in _MESSAGE_KEYS:
        value = body.get(key)
        if isinstance(value, dict):
            value = platform_message(value)
        if isinstance(value, str) and value.strip():
            return outside(value.strip())
    return ""


def _code_of(body: dict | None) -> str:
    for key in ("code", "errcode", "error_code", "errCode"):
        if isinstance(body, dict) and key in body and not isinstance(body[key], (dict, list)):
            return f"{key} {body[key]}"
    return ""


def judge(settings: RestSettings, response: requests.Response) -> tuple[Attempt | None, dict | None]:
    """(refusal, body): an Attempt when the answer says no, else None and the JSON body."""
    body = json_body(response)
    words = platform_message(body)
    said = f"：{words}" if words else ""
    failed = http_failure(response) if response.status_code != 409 else None
    if failed is not None:
        if failed.outcome == PERMANENT and words:
            code = _code_of(body)
            failed.message = tr("平台拒收：{words}（HTTP {status_code}{value}）").format(
                words=words, status_code=response.status_code, value="，" + code if code else ""
            )
        return failed, body
    status = response.status_code
    if status == 409:
        # The Idempotency-Key draft: 409 = a request with this key is still being processed.
        return Attempt(
            TRANSIENT, tr("平台仍在处理同一条记录，稍后重试 (HTTP 409{said})").format(said=said)
        ), body
    if 300 <= status < 400:
        where = outside(response.headers.get("Location", ""))
        return Attempt(
            ATTENTION,
            tr("平台地址发生跳转（HTTP {status} → {where}），请在目标设置里填写最终地址").format(
                status=status, where=where
            ),
        ), body
    if not status_ok(status, settings.success_status):
        return Attempt(
            PERMANENT, tr("平台未接受（HTTP {status}{said}）").format(status=status, said=said)
        ), body
    path = settings.success_path
    if path:
        if body is None:
            return Attempt(
                PERMANENT,
                tr("平台应答不是 JSON，无法判断是否成功 (HTTP {status}: {text})").format(
                    status=status, text=outside(response.text)
                ),
            ), body
        expected = settings.success_value
        found, value = json_path(body, path)
        if not found or not _same(value, expected):
            got = json.dumps(value, ensure_ascii=False) if found else tr("（无）")
            reason = words or tr("未说明原因")
            return Attempt(
                PERMANENT,
                tr("平台拒收：{reason}（{path} = {got}，应为 {expected}）").format(
                    reason=reason, path=path, got=got, expected=expected
                ),
            ), body
    return None, body


def remote_id_in(answer: dict | None, path: str) -> str | None:
    """The platform's id for the record at `path` in its answer, when it is a plain value."""
    if not path or answer is None:
        return None
    found, value = json_path(answer, path)
    if found and value not in (None, "") and not isinstance(value, (dict, list)):
        return str(value)
    return None


__all__ = ["judge", "json_path", "platform_message", "remote_id_in"]
