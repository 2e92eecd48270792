"""Kind `rest`: a record as JSON over HTTPS to a platform's own API.

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

import base64
import copy
import hashlib
import hmac
import json
import os
import re
import time
import uuid as uuid_module
from typing import Any
from urllib.parse import quote, urlsplit

import requests
from urllib3.fields import RequestField
from urllib3.filepost import encode_multipart_formdata

from sync.answers import http_failure, json_body, mask_url_secrets, transport_failure
from sync.kind import ATTENTION, DELIVERED, PERMANENT, TRANSIENT, Attempt, Outgoing, TargetConfig

METHODS = ("POST", "PUT", "PATCH")
AUTHS = ("none", "bearer", "api_key", "hmac")
# The keyring secret each `auth` method cannot send without.
AUTH_SECRETS = {"none": (), "bearer": ("token",), "api_key": ("api_key",), "hmac": ("app_secret",)}
PHOTO_MODES = ("none", "multipart", "base64")
TEST_BODY = {"test": True, "message": "一次 Yici 连接测试"}
_MESSAGE_KEYS = ("msg", "message", "errmsg", "error_description", "errorMessage", "error", "detail")


class _Refusal(Exception):
    """Something about this target or record stops the send before the network: an Attempt."""

    def __init__(self, attempt: Attempt):
        super().__init__(attempt.message)
        self.attempt = attempt


# ---------------------------------------------------------------------------------------------
# Small readers of options and answers.

def _opt(target: TargetConfig, name: str, default: str = "") -> str:
    value = (target.options or {}).get(name)
    return default if value is None or str(value).strip() == "" else str(value).strip()


def _status_rule(text: str) -> list[str] | None:
    """"2xx" / "200,201" / "2xx,304" as a list of patterns, None when not understood."""
    parts = [p.strip().lower() for p in text.split(",") if p.strip()]
    if not parts or not all(re.fullmatch(r"[1-5](xx|\d\d)", p) for p in parts):
        return None
    return parts


def _status_ok(status: int, rule: list[str]) -> bool:
    code = str(status)
    return any(p == code or (p.endswith("xx") and p[0] == code[0]) for p in rule)


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
            return value.strip()[:300]
    return ""


def _code_of(body: dict | None) -> str:
    for key in ("code", "errcode", "error_code", "errCode"):
        if isinstance(body, dict) and key in body and not isinstance(body[key], (dict, list)):
            return f"{key} {body[key]}"
    return ""


# ---------------------------------------------------------------------------------------------
# The request.

def hmac_headers(app_key: str, app_secret: str, method: str, url: str, body: bytes,
                 *, timestamp: int | None = None, nonce: str | None = None) -> dict[str, str]:
    """X-App-Key / X-Timestamp / X-Nonce / X-Signature for Yici's appKey/appSecret scheme."""
    timestamp = int(time.time() * 1000) if timestamp is None else timestamp
    nonce = nonce or uuid_module.uuid4().hex
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    text = f"{method.upper()}\n{path}\n{timestamp}\n{nonce}\n{hashlib.sha256(body).hexdigest()}"
    digest = hmac.new(app_secret.encode("utf-8"), text.encode("utf-8"), hashlib.sha256).digest()
    return {"X-App-Key": app_key, "X-Timestamp": str(timestamp), "X-Nonce": nonce,
            "X-Signature": base64.b64encode(digest).decode("ascii")}


def _auth_headers(target: TargetConfig, secrets: dict[str, str], method: str, url: str,
                  body: bytes) -> dict[str, str]:
    auth = _opt(target, "auth", "none").lower()
    if auth == "bearer":
        return {"Authorization": f"Bearer {secrets['token']}"}
    if auth == "api_key":
        header = _opt(target, "api_key_header", "X-API-Key")
        return {header: secrets.get("api_key") or secrets["token"]}
    if auth == "hmac":
        return hmac_headers(_opt(target, "app_key"), secrets["app_secret"], method, url, body)
    return {}


def _attachments(data: Any) -> list[dict]:
    """Every {'sha256', 'name'} in the record's values (photos, files, inside repeats), once."""
    found: dict[str, dict] = {}

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            if isinstance(value.get("sha256"), str):
                found.setdefault(value["sha256"], {"sha256": value["sha256"],
                                                    "name": str(value.get("name") or value["sha256"])})
                return
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(data)
    return list(found.values())


def _read_attachment(item: Outgoing, ref: dict) -> bytes:
    if item.attachment is None:
        raise _Refusal(Attempt(PERMANENT, f"照片/附件“{ref['name']}”无法读取：没有附件来源"))
    try:
        content = item.attachment(ref["sha256"])
    except (OSError, KeyError) as exc:
        raise _Refusal(Attempt(PERMANENT, f"照片/附件“{ref['name']}”的文件缺失，无法发送 ({type(exc).__name__})"))
    if hashlib.sha256(content).hexdigest() != ref["sha256"]:
        raise _Refusal(Attempt(PERMANENT, f"照片/附件“{ref['name']}”的文件已损坏（校验值不符），无法发送"))
    return content


def default_body(item: Outgoing) -> dict[str, Any]:
    """The body sent when the target has no template of its own."""
    body: dict[str, Any] = {"uuid": item.record_uuid, "revision": item.revision, "form_id": item.form_id}
    form_version = getattr(item, "form_version", None)
    if form_version is not None:
        body["form_version"] = form_version
    body.update(form_title=item.form_title, branch=item.branch, operator=item.operator,
                status=item.status, data=item.data)
    return body


def _body_object(item: Outgoing) -> Any:
    source = item.target.template
    if not source:
        return default_body(item)
    from sync.messages import TemplateProblem, render_template, template_context

    try:
        text = render_template(source, template_context(item))
    except TemplateProblem as exc:
        raise _Refusal(Attempt(ATTENTION, f"正文模板有错误：{exc.message}"))
    try:
        return json.loads(text)
    except ValueError as exc:
        raise _Refusal(Attempt(ATTENTION, "正文模板生成的不是合法 JSON，请在模板里用 | tojson 输出值 "
                                          f"(第 {exc.lineno} 行第 {exc.colno} 列: {exc.msg})"))


def _encode(obj: Any) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _prepare(item: Outgoing) -> tuple[str, str, bytes, dict[str, str], str]:
    """(method, url, body bytes, headers without auth, payload text for the operator)."""
    target = item.target
    obj = _body_object(item)
    mode = _opt(target, "photos", "none").lower()
    refs = _attachments(item.data) if mode != "none" else []
    shown = obj
    headers = {"Idempotency-Key": item.idempotency_key, "Accept": "application/json"}
    if mode == "base64" and refs:
        if not isinstance(obj, dict):
            raise _Refusal(Attempt(ATTENTION, "正文模板生成的不是 JSON 对象，无法附加照片 (photos=base64)"))
        obj = dict(obj)
        obj["attachments"] = [dict(ref, base64=base64.b64encode(_read_attachment(item, ref)).decode("ascii"))
                              for ref in refs]
        shown = copy.deepcopy(obj)
        for entry in shown["attachments"]:
            entry["base64"] = f"<{len(entry['base64'])} 个字符，已省略>"
    if mode == "multipart":
        fields = [RequestField(name="payload", data=_encode(obj),
                               headers={"Content-Disposition": 'form-data; name="payload"',
                                        "Content-Type": "application/json; charset=utf-8"})]
        files = []
        for ref in refs:
            content = _read_attachment(item, ref)
            field = RequestField(name="files", data=content, filename=ref["name"])
            field.make_multipart(content_type=_mime(ref["name"]))
            fields.append(field)
            files.append(f"{ref['name']} ({len(content)} 字节, sha256 {ref['sha256'][:12]}…)")
        body, content_type = encode_multipart_formdata(fields)
        headers["Content-Type"] = content_type
        payload_text = json.dumps(obj, ensure_ascii=False, indent=2) + "\n附件：" + "；".join(files)
    else:
        body = _encode(obj)
        headers["Content-Type"] = "application/json; charset=utf-8"
        # Compact, as sent: json's indent= runs the pure-Python encoder, which cost the engine
        # a fifth of its throughput on a fast platform (tests/benchmarks/bench_drain.py).
        payload_text = (body if shown is obj else _encode(shown)).decode("utf-8")

    method, url = _opt(target, "method", "POST").upper(), target.url or ""
    update_url = _opt(target, "update_url")
    if item.is_correction and item.remote_id and update_url:
        method = _opt(target, "update_method", "PUT").upper()
        url = update_url.replace("{remote_id}", quote(str(item.remote_id), safe=""))
        url = url.replace("{uuid}", quote(item.record_uuid, safe=""))
    return method, url, body, headers, payload_text


def _mime(name: str) -> str:
    ext = os.path.splitext(name)[1].lower()
    return {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif",
            ".webp": "image/webp", ".heic": "image/heic", ".pdf": "application/pdf"}.get(
        ext, "application/octet-stream")


def _timeout(target: TargetConfig) -> tuple[float, float] | None:
    try:
        read = float(_opt(target, "timeout", "0"))
    except ValueError:
        return None
    return (10.0, read) if read > 0 else None


def _exchange(target: TargetConfig, secrets: dict[str, str], http: Any, method: str, url: str,
              body: bytes, headers: dict[str, str]) -> requests.Response:
    # Sign the URL exactly as it will travel (requests percent-encodes e.g. Chinese paths).
    url = requests.utils.requote_uri(url)
    headers = {**headers, **_auth_headers(target, secrets, method, url, body)}
    return http.request(method, url, data=body if body else None, headers=headers,
                        ca_file=_opt(target, "ca_file") or None, timeout=_timeout(target),
                        allow_redirects=False)


def _judge(target: TargetConfig, response: requests.Response) -> tuple[Attempt | None, dict | None]:
    """(refusal, body): an Attempt when the answer says no, else None and the JSON body."""
    body = json_body(response)
    words = platform_message(body)
    failed = http_failure(response) if response.status_code != 409 else None
    if failed is not None:
        if failed.outcome == PERMANENT and words:
            code = _code_of(body)
            failed.message = f"平台拒收：{words}（HTTP {response.status_code}{'，' + code if code else ''}）"
        return failed, body
    status = response.status_code
    if status == 409:
        # The Idempotency-Key draft: 409 = a request with this key is still being processed.
        return Attempt(TRANSIENT, f"平台仍在处理同一条记录，稍后重试 (HTTP 409{'：' + words if words else ''})"), body
    if 300 <= status < 400:
        where = mask_url_secrets(response.headers.get("Location", ""))[:200]
        return Attempt(ATTENTION, f"平台地址发生跳转（HTTP {status} → {where}），请在目标设置里填写最终地址"), body
    rule = _status_rule(_opt(target, "success_status", "2xx")) or ["2xx"]
    if not _status_ok(status, rule):
        return Attempt(PERMANENT, f"平台未接受（HTTP {status}{'：' + words if words else ''}）"), body
    path = _opt(target, "success_path")
    if path:
        if body is None:
            return Attempt(PERMANENT, f"平台应答不是 JSON，无法判断是否成功 (HTTP {status}: "
                                      f"{mask_url_secrets((response.text or '')[:200])})"), body
        expected = _opt(target, "success_value", "0")
        found, value = json_path(body, path)
        if not found or not _same(value, expected):
            got = json.dumps(value, ensure_ascii=False) if found else "（无）"
            return Attempt(PERMANENT, f"平台拒收：{words or '未说明原因'}（{path} = {got}，应为 {expected}）"), body
    return None, body


# ---------------------------------------------------------------------------------------------
# The kind.

class RestKind:
    """JSON over HTTPS to a platform's API (see the module docstring for the options)."""

    name = "rest"
    idempotent = True
    secret_names = ("token", "app_secret", "api_key")
    required_secrets: tuple[str, ...] = ()     # which one depends on `auth`: required_secrets_for
    rate_limits: tuple[tuple[int, float], ...] = ()

    def required_secrets_for(self, options: dict[str, str]) -> tuple[str, ...]:
        """The secret this target's `auth` option cannot send without (none for unknown ones)."""
        auth = str(options.get("auth") or "none").strip().lower()
        return AUTH_SECRETS.get(auth, ())

    def config_problems(self, target: TargetConfig, secrets: dict[str, str]) -> list[str]:
        """Chinese messages for what is missing or wrong before anything is sent."""
        return self._problems(target, secrets, template=True)

    def _problems(self, target: TargetConfig, secrets: dict[str, str], *, template: bool) -> list[str]:
        problems = []
        url = (target.url or "").strip()
        if not re.match(r"^https?://[^/\s]+", url, re.IGNORECASE):
            problems.append("请填写平台接口地址（以 https:// 开头）")
        method = _opt(target, "method", "POST").upper()
        if method not in METHODS:
            problems.append(f"请求方法“{method}”不支持，请用 POST、PUT 或 PATCH")
        auth = _opt(target, "auth", "none").lower()
        if auth not in AUTHS:
            problems.append(f"认证方式“{auth}”不支持，请用 none、bearer、api_key 或 hmac")
        elif auth == "bearer" and not secrets.get("token"):
            problems.append("认证方式为 bearer，但还没有保存令牌（token），请在目标设置里输入")
        elif auth == "api_key" and not (secrets.get("api_key") or secrets.get("token")):
            problems.append("认证方式为 api_key，但还没有保存 API Key（api_key），请在目标设置里输入")
        elif auth == "hmac":
            if not _opt(target, "app_key"):
                problems.append("认证方式为 hmac，请填写 app_key 选项")
            if not secrets.get("app_secret"):
                problems.append("认证方式为 hmac，但还没有保存 appSecret（app_secret），请在目标设置里输入")
        if _status_rule(_opt(target, "success_status", "2xx")) is None:
            problems.append("success_status 写法有误，例如 2xx 或 200,201")
        if _opt(target, "success_value") and not _opt(target, "success_path"):
            problems.append("填写了 success_value 但没有 success_path（例如 code）")
        if _opt(target, "photos", "none").lower() not in PHOTO_MODES:
            problems.append("photos 选项只能是 none、multipart 或 base64")
        update_url = _opt(target, "update_url")
        if update_url and not re.match(r"^https?://", update_url, re.IGNORECASE):
            problems.append("update_url 应以 https:// 开头，例如 https://平台/api/records/{remote_id}")
        if _opt(target, "update_method", "PUT").upper() not in METHODS:
            problems.append("update_method 只能是 PUT、PATCH 或 POST")
        ca_file = _opt(target, "ca_file")
        if ca_file and not os.path.isfile(ca_file):
            problems.append(f"CA 证书文件不存在：{ca_file}")
        if _timeout(target) is None and _opt(target, "timeout"):
            problems.append("timeout 应为秒数，例如 30")
        if template and target.template:
            from sync.messages import check_template

            problem = check_template(target.template)
            if problem:
                problems.append(problem)
        return problems

    def _checked(self, target: TargetConfig, secrets: dict[str, str]) -> list[str]:
        """`_problems` once per target object and secrets: a drain sends thousands of records
        with the same configuration, and the check (a file lookup among them) need not repeat."""
        seen = hash(frozenset(secrets.items())), tuple(sorted(target.options.items())), target.url
        cached = getattr(target, "_rest_checked", None)
        if cached is not None and cached[0] == seen:
            return cached[1]
        problems = self._problems(target, secrets, template=False)
        target._rest_checked = (seen, problems)
        return problems

    def send(self, item: Outgoing, http: Any) -> Attempt:
        """Deliver one record revision; never raises for network or platform errors."""
        payload = ""
        try:
            # The template is compiled when rendered below; no need to compile it twice per record.
            problems = self._checked(item.target, item.secrets)
            if problems:
                return self._clean(Attempt(ATTENTION, "；".join(problems)), item.secrets)
            method, url, body, headers, payload = _prepare(item)
            payload = f"{method} {mask_url_secrets(url)}\nIdempotency-Key: {item.idempotency_key}\n\n{payload}"
            response = _exchange(item.target, item.secrets, http, method, url, body, headers)
        except _Refusal as refusal:
            refusal.attempt.payload = payload
            return self._clean(refusal.attempt, item.secrets)
        except requests.RequestException as exc:
            attempt = transport_failure(exc)
            attempt.payload = payload
            return self._clean(attempt, item.secrets)
        refusal, answer = _judge(item.target, response)
        if refusal is not None:
            refusal.payload = payload
            return self._clean(refusal, item.secrets)
        remote_id = None
        id_path = _opt(item.target, "remote_id_path")
        if id_path and answer is not None:
            found, value = json_path(answer, id_path)
            if found and value not in (None, "") and not isinstance(value, (dict, list)):
                remote_id = str(value)
        remote_id = remote_id or item.remote_id
        words = platform_message(answer)
        message = "平台已接收" + (f"，编号 {remote_id}" if remote_id else "")
        if id_path and not remote_id:
            message += f"（应答里没有 {id_path}，未记下平台编号）"
        message += f"（HTTP {response.status_code}{'：' + words if words else ''}）"
        return self._clean(Attempt(DELIVERED, message, remote_id=remote_id, payload=payload), item.secrets)

    def send_test(self, target: TargetConfig, secrets: dict[str, str], http: Any) -> Attempt:
        """Knock with {"test": true, ...} and say whether the platform and the credentials work."""
        problems = self.config_problems(target, secrets)
        if problems:
            return self._clean(Attempt(ATTENTION, "；".join(problems)), secrets)
        method = _opt(target, "test_method", "POST").upper()
        url = _opt(target, "test_url") or target.url or ""
        body = b"" if method in ("GET", "HEAD") else _encode(TEST_BODY)
        headers = {"Accept": "application/json", "Idempotency-Key": f"test:{uuid_module.uuid4().hex}"}
        if body:
            headers["Content-Type"] = "application/json; charset=utf-8"
        payload = f"{method} {mask_url_secrets(url)}\n\n" + (json.dumps(TEST_BODY, ensure_ascii=False) if body else "")
        try:
            response = _exchange(target, secrets, http, method, url, body, headers)
        except requests.RequestException as exc:
            attempt = transport_failure(exc)
            attempt.payload = payload
            return self._clean(attempt, secrets)
        refusal, answer = _judge(target, response)
        if refusal is not None:
            if refusal.outcome == PERMANENT:
                # The platform answered and took our credentials; it just did not want test data.
                refusal.message = f"平台可以连接，认证已通过，但未接受测试数据：{refusal.message}"
            refusal.payload = payload
            return self._clean(refusal, secrets)
        words = platform_message(answer)
        return self._clean(Attempt(DELIVERED, f"连接测试成功（HTTP {response.status_code}"
                                              f"{'：' + words if words else ''}）", payload=payload), secrets)

    @staticmethod
    def _clean(attempt: Attempt, secrets: dict[str, str]) -> Attempt:
        """No secret value in anything we hand back, whatever a platform echoed."""
        for value in (secrets or {}).values():
            if value and len(value) >= 4:
                attempt.message = attempt.message.replace(value, "***")
                attempt.payload = attempt.payload.replace(value, "***")
        attempt.message = mask_url_secrets(attempt.message)
        return attempt


KIND = RestKind()
