"""Real HTTP servers on 127.0.0.1 that speak the three work-group robot protocols.

Each checks what the platform checks (token, signature the platform's way, keyword, size, rate)
and answers the way the platform does: HTTP 200 with its own code in a JSON body. `accepted`
holds the JSON of every message the robot took, so tests can assert exactly-once and contents.
Faults for tests: `fail_next` (HTTP statuses to answer next), `codes_next` (body codes to answer
next), `delay` (seconds to sleep before answering), `drop_next` (how many of the next messages
to take and then drop the connection without an answer, the way a lost uplink looks).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import socket
import struct
import threading
import time
import urllib.parse
from collections import deque
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import requests
import yaml

from forms.loader import parse_form
from sync.kind import Outgoing, TargetConfig
from sync.outgoing import multiline_keys

LIBRARY = Path(__file__).resolve().parents[2] / "forms" / "library"


class SessionHttp:
    """The engine's `http` in tests: requests.Session, with `ca_file` dropped (no TLS here)."""

    def __init__(self) -> None:
        self.session = requests.Session()
        self.session.trust_env = False  # a developer's proxy settings must not catch 127.0.0.1

    def request(
        self,
        method: str,
        url: str,
        *,
        ca_file: str | None = None,
        timeout: float | None = None,
        **kwargs: Any,
    ) -> requests.Response:
        return self.session.request(method, url, timeout=timeout or 10, **kwargs)

    def close(self) -> None:
        self.session.close()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body in separate writes: no 40 ms stall

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        status, answer = self.server.robot._dispatch(self.path, dict(self.headers), raw)
        if status == 0:  # taken, then the connection drops with RST before any answer
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()
            return
        data = answer if isinstance(answer, bytes) else json.dumps(answer, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header(
            "Content-Type",
            "application/json; charset=utf-8" if not isinstance(answer, bytes) else "text/plain",
        )
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout test)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class RobotServer:
    """A robot endpoint in a background thread; `close()` (or the fixture) shuts it down."""

    code_key = "errcode"
    msg_key = "errmsg"

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock  # the platform's clock, for the one-hour window
        self.accepted: list[dict] = []
        self.received = 0
        self.delay = 0.0
        self.fail_next: list[int] = []
        self.codes_next: list[tuple[int, str]] = []
        self.refuse_images: tuple[int, str] | None = None  # WeCom: answer every image with this
        self.drop_next = 0  # messages to take, then drop the connection without answering
        self.lock = threading.Lock()
        self._closing = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.robot = self
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    @property
    def origin(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def close(self) -> None:
        self._closing.set()  # wakes handlers sleeping in `delay`
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(5)

    def __enter__(self):
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def answer(self, code: int, msg: str) -> dict:
        return {self.code_key: code, self.msg_key: msg}

    def _dispatch(self, path: str, headers: dict, raw: bytes) -> tuple[int, Any]:
        with self.lock:
            self.received += 1
            fail = self.fail_next.pop(0) if self.fail_next else None
            forced = self.codes_next.pop(0) if self.codes_next else None
        if self.delay:
            self._closing.wait(self.delay)
        if fail is not None:
            return fail, b"Service Unavailable"
        if forced is not None:
            return 200, self.answer(*forced)
        with self.lock:  # one message at a time, like the platform's counter
            answer = self.handle(urllib.parse.urlsplit(path), headers, raw)
            if self.drop_next:
                self.drop_next -= 1
                return 0, answer
            return 200, answer

    def handle(self, url: urllib.parse.SplitResult, headers: dict, raw: bytes) -> dict:
        raise NotImplementedError

    def _over_rate(self, sent: deque, limits: tuple[tuple[int, float], ...]) -> bool:
        now = self.clock()
        return any(sum(1 for t in sent if t > now - seconds) >= count for count, seconds in limits)


def _query(url: urllib.parse.SplitResult) -> dict[str, str]:
    return {k: v[0] for k, v in urllib.parse.parse_qs(url.query).items()}


def _json(raw: bytes) -> dict | None:
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return body if isinstance(body, dict) else None


class DingTalkServer(RobotServer):
    """`POST /robot/send?access_token=T[&timestamp=&sign=]`, as oapi.dingtalk.com answers it."""

    def __init__(
        self,
        token: str = "dt-token-0123456789",
        secret: str | None = None,
        keyword: str | None = None,
        per_minute: int = 20,
        **kw: Any,
    ) -> None:
        self.token, self.secret, self.keyword, self.per_minute = token, secret, keyword, per_minute
        self._sent: deque[float] = deque()
        super().__init__(**kw)

    @property
    def webhook(self) -> str:
        return f"{self.origin}/robot/send?access_token={self.token}"

    def handle(self, url, headers, raw):
        if url.path != "/robot/send":
            return self.answer(404, "请求的URI地址不存在")
        query = _query(url)
        if query.get("access_token") != self.token:
            return self.answer(300001, "token is not exist")
        if self.secret is not None:
            timestamp, given = query.get("timestamp", ""), query.get("sign", "")
            if not timestamp.isdigit() or abs(self.clock() * 1000 - int(timestamp)) > 3600 * 1000:
                return self.answer(310000, "invalid timestamp")
            string_to_sign = f"{timestamp}\n{self.secret}"
            expected = base64.b64encode(
                hmac.new(self.secret.encode(), string_to_sign.encode(), hashlib.sha256).digest()
            ).decode()
            if not hmac.compare_digest(expected, given):
                return self.answer(
                    310000, "sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]"
                )
        body = _json(raw)
        if body is None:
            return self.answer(40035, "缺少参数 json")
        kind = body.get("msgtype")
        if kind == "markdown":
            text = f"{body['markdown'].get('title', '')}\n{body['markdown'].get('text', '')}"
        elif kind == "text":
            text = body["text"].get("content", "")
        else:
            return self.answer(40035, "不支持的消息类型")
        if self.keyword and self.keyword not in text:
            return self.answer(
                310000,
                "keywords not in content, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]",
            )
        if self._over_rate(self._sent, ((self.per_minute, 60.0),)):
            return self.answer(130101, "send too fast, exceed 20 times per minute")
        self._sent.append(self.clock())
        self.accepted.append(body)
        return self.answer(0, "ok")


class WeComServer(RobotServer):
    """`POST /cgi-bin/webhook/send?key=K`, as qyapi.weixin.qq.com answers it."""

    MAX_MARKDOWN = 4096
    MAX_IMAGE = 2 * 1024 * 1024

    def __init__(self, key: str = "wecom-key-0123456789", per_minute: int = 20, **kw: Any) -> None:
        self.key, self.per_minute = key, per_minute
        self._sent: deque[float] = deque()
        super().__init__(**kw)

    @property
    def webhook(self) -> str:
        return f"{self.origin}/cgi-bin/webhook/send?key={self.key}"

    @property
    def markdowns(self) -> list[str]:
        return [b["markdown"]["content"] for b in self.accepted if b.get("msgtype") == "markdown"]

    @property
    def images(self) -> list[bytes]:
        return [base64.b64decode(b["image"]["base64"]) for b in self.accepted if b.get("msgtype") == "image"]

    def handle(self, url, headers, raw):
        if url.path != "/cgi-bin/webhook/send":
            return self.answer(404, "not found")
        if _query(url).get("key") != self.key:
            return self.answer(93000, "invalid webhook url, hint: [1700000000_1_abc]")
        body = _json(raw)
        if body is None:
            return self.answer(40035, "invalid json")
        kind = body.get("msgtype")
        if kind == "markdown":
            content = (body.get("markdown") or {}).get("content") or ""
            if not content:
                return self.answer(41009, "missing markdown content")
            if len(content.encode("utf-8")) > self.MAX_MARKDOWN:
                return self.answer(40058, "markdown.content exceed max length 4096")
        elif kind == "image":
            if self.refuse_images:
                return self.answer(*self.refuse_images)
            image = body.get("image") or {}
            try:
                data = base64.b64decode(image.get("base64") or "", validate=True)
            except (binascii.Error, ValueError):
                return self.answer(40009, "invalid image base64")
            if hashlib.md5(data).hexdigest() != image.get("md5"):
                return self.answer(301019, "media md5 not match")
            if not data or len(data) > self.MAX_IMAGE:
                return self.answer(40009, "invalid image size")
            if not (data.startswith(b"\xff\xd8\xff") or data.startswith(b"\x89PNG\r\n\x1a\n")):
                return self.answer(40009, "invalid image format, only jpg and png")
        elif kind != "text":
            return self.answer(40008, "invalid message type")
        if self._over_rate(self._sent, ((self.per_minute, 60.0),)):
            return self.answer(45009, "api freq out of limit")
        self._sent.append(self.clock())
        self.accepted.append(body)
        return self.answer(0, "ok")


class FeishuServer(RobotServer):
    """`POST /open-apis/bot/v2/hook/TOKEN`, as open.feishu.cn answers it."""

    code_key = "code"
    msg_key = "msg"
    MAX_BODY = 20 * 1024

    def __init__(
        self,
        token: str = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
        secret: str | None = None,
        keyword: str | None = None,
        **kw: Any,
    ) -> None:
        self.token, self.secret, self.keyword = token, secret, keyword
        self._sent: deque[float] = deque()
        self.largest_body = 0
        super().__init__(**kw)

    @property
    def webhook(self) -> str:
        return f"{self.origin}/open-apis/bot/v2/hook/{self.token}"

    def answer(self, code: int, msg: str) -> dict:
        return {"code": code, "msg": msg, "data": {}}

    @staticmethod
    def texts(body: dict) -> list[str]:
        """Every text of a post (title first) or a text message."""
        if body.get("msg_type") == "text":
            return [body["content"]["text"]]
        post = body["content"]["post"]["zh_cn"]
        return [post.get("title", "")] + [el.get("text", "") for para in post["content"] for el in para]

    def handle(self, url, headers, raw):
        prefix = "/open-apis/bot/v2/hook/"
        if not url.path.startswith(prefix) or url.path[len(prefix) :] != self.token:
            return self.answer(19001, "param invalid: incoming webhook access token invalid")
        self.largest_body = max(self.largest_body, len(raw))
        if len(raw) > self.MAX_BODY:
            return self.answer(9499, "Bad Request: request body too large")
        body = _json(raw)
        if body is None or body.get("msg_type") not in ("text", "post"):
            return self.answer(9499, "Bad Request")
        if self.secret is not None:
            timestamp, given = str(body.get("timestamp", "")), str(body.get("sign", ""))
            if not timestamp.isdigit() or abs(self.clock() - int(timestamp)) > 3600:
                return self.answer(
                    19021, "sign match fail or timestamp is not within one hour from current time"
                )
            key = f"{timestamp}\n{self.secret}".encode()
            expected = base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
            if not hmac.compare_digest(expected, given):
                return self.answer(
                    19021, "sign match fail or timestamp is not within one hour from current time"
                )
        try:
            texts = self.texts(body)
        except (KeyError, TypeError):
            return self.answer(9499, "Bad Request")
        if self.keyword and not any(self.keyword in t for t in texts):
            return self.answer(19024, "Key Words Not Found")
        if self._over_rate(self._sent, ((5, 1.0), (100, 60.0))):
            return self.answer(11232, "frequency limited psm[lark.oapi.app_platform_runtime]appID[-1]")
        self._sent.append(self.clock())
        self.accepted.append(body)
        return self.answer(0, "success")


def leaks(attempt: Any, *secrets: str) -> list[str]:
    """Secret values (or their URL tokens) that show up in an Attempt's message or payload."""
    found = []
    for secret in secrets:
        parts = [secret]
        if "://" in secret:
            url = urllib.parse.urlsplit(secret)
            parts += [v for vs in urllib.parse.parse_qs(url.query).values() for v in vs]
            parts += [p for p in url.path.split("/") if len(p) >= 16]
        found += [p for p in parts if p and (p in attempt.message or p in attempt.payload)]
    return found


def closed_port_url(path: str = "/") -> str:
    """A URL on 127.0.0.1 where nothing listens: connecting is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}{path}"


# ---------------------------------------------------------------------------------------------
# Records to send.


def form_labels(form_id: str) -> tuple[str, dict[str, str]]:
    """(title, key -> label) of a built-in form, groups opened up as in a record's data."""
    doc = yaml.safe_load((LIBRARY / f"{form_id}.yaml").read_text(encoding="utf-8"))
    labels: dict[str, str] = {}

    def walk(fields: list[dict]) -> None:
        for f in fields:
            if f["type"] == "group":
                walk(f.get("fields") or [])
            else:
                labels[f["key"]] = f["label"]

    walk(doc["fields"])
    return doc["title"], labels


def form_multiline_keys(form_id: str) -> frozenset[str]:
    """The longtext fields of a built-in form, as the engine's Parcels finds them."""
    path = LIBRARY / f"{form_id}.yaml"
    return multiline_keys(parse_form(path.read_text(encoding="utf-8"), path.name).fields)


def make_outgoing(
    kind: str,
    secrets: dict[str, str],
    *,
    form_id: str = "sanhui-yike",
    data: dict | None = None,
    template: str | None = None,
    options: dict[str, str] | None = None,
    attachments: dict[str, bytes] | None = None,
    **fields: Any,
) -> Outgoing:
    """An Outgoing for one built-in form's record, as the engine would build it."""
    title, labels = form_labels(form_id)
    target = TargetConfig(id=7, name=f"测试{kind}", kind=kind, template=template, options=options or {})
    files = attachments or {}
    values = dict(
        multiline_keys=form_multiline_keys(form_id),
        record_uuid="5d1c7a9e-2f4b-4c3d-9e8f-0a1b2c3d4e5f",
        revision=1,
        form_id=form_id,
        form_title=title,
        branch="红星村党支部",
        operator="张干事",
        status="final",
        data=SAMPLE_DATA[form_id] if data is None else data,
        labels=labels,
        attachment=lambda sha: files[sha],
    )
    values.update(fields)
    return Outgoing(target=target, secrets=secrets, **values)


SAMPLE_DATA: dict[str, dict] = {
    "sanhui-yike": {
        "meeting_type": "支部委员会",
        "title": "2026年3月支部委员会",
        "held_at": "2026-03-05T14:30",
        "place": "村党群服务中心会议室",
        "host": "王建国",
        "recorder": "李秀英",
        "topics": "1. 学习《中国共产党支部工作条例（试行）》\n2. 研究低保户评议名单",
        "expected_count": 5,
        "attendees": ["王建国", "李秀英", "赵强", "孙丽"],
        "attend_count": 4,
        "absences": [{"name": "周明", "reason": "外出务工"}],
        "absent_count": 1,
        "content": "王建国同志传达了上级精神。\n与会同志逐户讨论了低保名单。",
        "decisions": "同意上报低保名单 3 户",
        "photos": [],
    },
    "zhuti-dangri": {
        "held_at": "2026-03-10T09:00",
        "theme": "学习贯彻党的二十届四中全会精神",
        "activity_types": ["学习", "志愿服务"],
        "place": "村党群服务中心",
        "host": "王建国",
        "expected_count": 12,
        "attendees": ["王建国", "李秀英"],
        "attend_count": 2,
        "absences": [{"name": "周明", "reason": "病假"}],
        "absent_count": 1,
        "invited": "村民 5 人",
        "content": "集中学习会议精神。",
        "volunteer_service": "清扫村道，看望留守老人",
        "outcome": "群众反映良好",
    },
    "zuzhi-shenghuohui": {
        "held_at": "2026-12-20T09:00",
        "theme": "2026年度组织生活会",
        "place": "村委会",
        "host": "王建国",
        "superior_attendees": "李某（镇党委委员）",
        "expected_count": 12,
        "attend_count": 11,
        "branch_report": "支部书记代表班子作对照检查。",
        "criticism": "党员逐一发言，开展批评和自我批评。",
        "problems": "学习不够深入\n联系群众不够紧密",
        "rectification": "每月集中学习一次",
    },
    "minzhu-pingyi": {
        "held_at": "2027-01-15T09:00",
        "year": 2026,
        "place": "村委会",
        "host": "王建国",
        "expected_count": 3,
        "attendees": ["王建国", "李秀英", "赵强"],
        "attend_count": 3,
        "self_review": "逐一对照党员标准自评。",
        "mutual_review": "相互评议，提出意见 6 条。",
        "results": [
            {"member": "王建国", "grade": "优秀"},
            {"member": "李秀英", "grade": "合格"},
            {"member": "赵强", "grade": "基本合格", "remark": "参加组织生活不够经常"},
        ],
    },
    "ruhu-zoufang": {
        "household_head": "刘大爷",
        "village_group": "三组",
        "address": "三组45号",
        "household_idcard": "110101194001011234",
        "household_phone": "13800138000",
        "household_type": "脱贫户",
        "visited_at": "2026-03-12T10:00",
        "duration_minutes": 30,
        "visitors": ["王建国", "李秀英"],
        "visit_type": "防返贫监测",
        "location": {"place": "三组45号", "lat": 27.12345, "lon": 109.54321},
        "summary": "家里 3 口人，儿子外出务工。",
        "problems": [
            {
                "category": "住房安全",
                "description": "厨房屋顶漏雨",
                "handled": "已报镇里危房改造",
                "needs_follow_up": "是",
                "follow_up_by": "李秀英",
                "follow_up_date": "2026-04-01",
            }
        ],
        "photos": [],
    },
    "dangfei": {
        "paid_on": "2026-03-02",
        "member": "赵强",
        "paid_month": "2026-03",
        "amount": 0.2,
        "method": "线上",
        "by_proxy": "是",
        "proxy": "李秀英",
        "receipts": [],
        "remark": "",
    },
}
BUILTIN_FORMS = tuple(SAMPLE_DATA)
