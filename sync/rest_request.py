"""Building a REST request from a record: the JSON body (default or templated), photos (their
clean copies, from `Outgoing.attachment`) as multipart or base64, the auth headers (bearer, API
key, Yici's appKey/appSecret signature), and the exchange itself through the one HTTP client.

What the operator may look at later ("view payload") is made here too, compact and as sent,
with photo contents left out; secrets are removed by the kind before anything is kept.

A request sent again under the same Idempotency-Key is the same bytes: the body is built from
the record alone (templates run without `random`), and a multipart body's boundary is derived
from the key and the parts instead of drawn at random. Only the signature headers of
auth=hmac (timestamp, nonce) differ between tries, as they must.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
import os
import time
import uuid as uuid_module
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

import requests
from urllib3.fields import RequestField
from urllib3.filepost import encode_multipart_formdata

from forms.i18n import tr
from sync.kind import ATTENTION, PERMANENT, Attempt, Outgoing
from sync.photo_copies import FileProblem, sent_name
from sync.rest_settings import RestSettings


class Refusal(Exception):
    """Something about this target or record stops the send before the network: an Attempt."""

    def __init__(self, attempt: Attempt):
        super().__init__(attempt.message)
        self.attempt = attempt


@dataclass
class Prepared:
    """One request, ready to go: auth headers are added in `exchange`, as it leaves."""

    method: str
    url: str
    body: bytes
    headers: dict[str, str]
    payload: str  # what the operator sees as sent (no photo contents)


def hmac_headers(
    app_key: str,
    app_secret: str,
    method: str,
    url: str,
    body: bytes,
    *,
    timestamp: int | None = None,
    nonce: str | None = None,
) -> dict[str, str]:
    """X-App-Key / X-Timestamp / X-Nonce / X-Signature for Yici's appKey/appSecret scheme."""
    timestamp = int(time.time() * 1000) if timestamp is None else timestamp
    nonce = nonce or uuid_module.uuid4().hex
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    text = f"{method.upper()}\n{path}\n{timestamp}\n{nonce}\n{hashlib.sha256(body).hexdigest()}"
    digest = hmac.new(app_secret.encode("utf-8"), text.encode("utf-8"), hashlib.sha256).digest()
    return {
        "X-App-Key": app_key,
        "X-Timestamp": str(timestamp),
        "X-Nonce": nonce,
        "X-Signature": base64.b64encode(digest).decode("ascii"),
    }


def auth_headers(
    settings: RestSettings, secrets: dict[str, str], method: str, url: str, body: bytes
) -> dict[str, str]:
    """The headers the target's `auth` method adds to a request."""
    if settings.auth == "bearer":
        return {"Authorization": f"Bearer {secrets['token']}"}
    if settings.auth == "api_key":
        return {settings.api_key_header: secrets.get("api_key") or secrets["token"]}
    if settings.auth == "hmac":
        return hmac_headers(settings.app_key, secrets["app_secret"], method, url, body)
    return {}


def attachments_in(data: Any) -> list[dict]:
    """Every {'sha256', 'name'} in the record's values (photos, files, inside repeats), once."""
    found: dict[str, dict] = {}

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            if isinstance(value.get("sha256"), str):
                found.setdefault(
                    value["sha256"],
                    {"sha256": value["sha256"], "name": str(value.get("name") or value["sha256"])},
                )
                return
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(data)
    return list(found.values())


def _read_attachment(item: Outgoing, ref: dict) -> tuple[str, bytes]:
    """(name, bytes) of a file as this target gets it: a photo as its clean copy, named for what
    it is now (sync/photo_copies.py checks the stored file against its SHA-256 first)."""
    if item.attachment is None:
        raise Refusal(
            Attempt(PERMANENT, tr("照片/附件“{name}”无法读取：没有附件来源").format(name=ref["name"]))
        )
    try:
        content = item.attachment(ref["sha256"])
    except FileProblem as exc:
        raise Refusal(
            Attempt(
                PERMANENT,
                tr("照片/附件“{name}”无法发送：{problem}").format(name=ref["name"], problem=exc),
            )
        ) from None
    except (OSError, KeyError) as exc:
        raise Refusal(
            Attempt(
                PERMANENT,
                tr("照片/附件“{name}”的文件缺失，无法发送 ({error_type})").format(
                    name=ref["name"], error_type=type(exc).__name__
                ),
            )
        ) from None
    return sent_name(ref["name"], content), content


def default_body(item: Outgoing) -> dict[str, Any]:
    """The body sent when the target has no template of its own."""
    body: dict[str, Any] = {"uuid": item.record_uuid, "revision": item.revision, "form_id": item.form_id}
    form_version = getattr(item, "form_version", None)
    if form_version is not None:
        body["form_version"] = form_version
    body.update(
        form_title=item.form_title,
        branch=item.branch,
        operator=item.operator,
        status=item.status,
        data=item.data,
    )
    return body


def _body_object(item: Outgoing) -> Any:
    source = item.target.template
    if not source:
        return default_body(item)
    # Jinja2 and the form templates load only for targets that have a template of their own.
    from sync.messages import TemplateProblem, render_template, template_context

    try:
        text = render_template(source, template_context(item))
    except TemplateProblem as exc:
        raise Refusal(
            Attempt(ATTENTION, tr("正文模板有错误：{message}").format(message=exc.message))
        ) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise Refusal(
            Attempt(
                ATTENTION,
                tr(
                    "正文模板生成的不是合法 JSON，请在模板里用 | tojson 输出值 "
                    "(第 {lineno} 行第 {colno} 列: {msg})"
                ).format(lineno=exc.lineno, colno=exc.colno, msg=exc.msg),
            )
        ) from None


def encode(obj: Any) -> bytes:
    """JSON as it goes on the wire: UTF-8, Chinese as is, no spaces."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def mime(name: str) -> str:
    """The content type of a photo or file, from its name."""
    ext = os.path.splitext(name)[1].lower()
    return {
        ".jpg": "image/jpeg",
        ".jpeg": "image/jpeg",
        ".png": "image/png",
        ".gif": "image/gif",
        ".webp": "image/webp",
        ".heic": "image/heic",
        ".pdf": "application/pdf",
    }.get(ext, "application/octet-stream")


def _multipart(fields: list[RequestField], key: str) -> tuple[bytes, str]:
    """The multipart body and its content type, with a boundary that depends only on the key and
    the parts: the same record revision gives the same bytes on every try."""
    digest = hashlib.sha256(key.encode("utf-8"))
    for field in fields:
        digest.update(
            hashlib.sha256(field.data if isinstance(field.data, bytes) else str(field.data).encode()).digest()
        )
    for attempt in range(100):
        boundary = hashlib.sha256(digest.digest() + attempt.to_bytes(1, "big")).hexdigest()[:32]
        body, content_type = encode_multipart_formdata(fields, boundary=boundary)
        # A boundary must not occur inside a part (as good as impossible: it hashes the parts).
        if body.count(b"--" + boundary.encode("ascii")) == len(fields) + 1:
            return body, content_type
    raise Refusal(Attempt(PERMANENT, tr("附件内容无法组成上传请求（multipart），请联系技术人员")))


def prepare(item: Outgoing, settings: RestSettings) -> Prepared:
    """The request for this record revision (raises Refusal when it cannot be built)."""
    obj = _body_object(item)
    mode = settings.photos
    refs = attachments_in(item.data) if mode != "none" else []
    shown = obj
    headers = {"Idempotency-Key": item.idempotency_key, "Accept": "application/json"}
    if mode == "base64" and refs:
        if not isinstance(obj, dict):
            raise Refusal(
                Attempt(ATTENTION, tr("正文模板生成的不是 JSON 对象，无法附加照片 (photos=base64)"))
            )
        obj = dict(obj)
        obj["attachments"] = []
        for ref in refs:
            name, content = _read_attachment(item, ref)
            obj["attachments"].append(dict(ref, name=name, base64=base64.b64encode(content).decode("ascii")))
        shown = copy.deepcopy(obj)
        for entry in shown["attachments"]:
            entry["base64"] = f"<{len(entry['base64'])} 个字符，已省略>"
    if mode == "multipart":
        fields = [
            RequestField(
                name="payload",
                data=encode(obj),
                headers={
                    "Content-Disposition": 'form-data; name="payload"',
                    "Content-Type": "application/json; charset=utf-8",
                },
            )
        ]
        files = []
        for ref in refs:
            name, content = _read_attachment(item, ref)
            field = RequestField(name="files", data=content, filename=name)
            field.make_multipart(content_type=mime(name))
            fields.append(field)
            files.append(f"{name} ({len(content)} 字节, sha256 {ref['sha256'][:12]}…)")
        body, content_type = _multipart(fields, item.idempotency_key)
        headers["Content-Type"] = content_type
        payload = json.dumps(obj, ensure_ascii=False, indent=2) + "\n附件：" + "；".join(files)
    else:
        body = encode(obj)
        headers["Content-Type"] = "application/json; charset=utf-8"
        # Compact, as sent: json's indent= runs the pure-Python encoder, which cost the engine
        # a fifth of its throughput on a fast platform (tests/benchmarks/bench_drain.py).
        payload = (body if shown is obj else encode(shown)).decode("utf-8")

    method, url = settings.method, settings.url
    if item.is_correction and item.remote_id and settings.update_url:
        method = settings.update_method
        url = settings.update_url.replace("{remote_id}", quote(str(item.remote_id), safe=""))
        url = url.replace("{uuid}", quote(item.record_uuid, safe=""))
    return Prepared(method, url, body, headers, payload)


def exchange(
    settings: RestSettings,
    secrets: dict[str, str],
    http: Any,
    method: str,
    url: str,
    body: bytes,
    headers: dict[str, str],
) -> requests.Response:
    """Send the request with its auth headers; requests' exceptions are the caller's to read."""
    if settings.auth == "hmac":
        # Sign the URL exactly as it will travel (requests percent-encodes e.g. Chinese paths).
        url = requests.utils.requote_uri(url)
    headers = {**headers, **auth_headers(settings, secrets, method, url, body)}
    return http.request(
        method,
        url,
        data=body if body else None,
        headers=headers,
        ca_file=settings.ca_file,
        timeout=settings.timeout,
        allow_redirects=False,
    )


__all__ = [
    "Prepared",
    "Refusal",
    "attachments_in",
    "auth_headers",
    "default_body",
    "encode",
    "exchange",
    "hmac_headers",
    "mime",
    "prepare",
]
