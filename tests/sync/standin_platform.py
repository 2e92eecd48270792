"""A stand-in for a county's web system with no API, served on 127.0.0.1 for the browser tests.

    GET  /login              the login page: 用户名, 密码, a hidden CSRF token bound to the `sid`
                             login cookie (HttpOnly) set here
    POST /login              the token must match the cookie's, then the password;
                             303 to / (a wrong token is 403, a wrong password says so)
    GET  /                   home: links to the list and the new-record form
    GET  /meetings?q=TEXT    the list page: title, date and type of each record, searchable by title
    GET  /meetings/new       the form (multipart): text, textarea, a select whose values are codes,
                             a field that appears after a choice (授课人 for 党课), radio, checkbox,
                             a date input, a file upload
    POST /meetings           saves it (token checked again); 303 to /meetings/<n>?saved=1 (保存成功)
    GET  /meetings/<n>       one record as the platform shows it

Every page but the login needs the cookie of a logged-in visitor (else 303 to /login). Plain HTML with a few
lines of inline script, as such systems are. `labels` renames a label (a platform that changed);
`hooks` are called at "form" (the form is served) and "save" (a record was saved, before the answer);
`login_elsewhere` sends the login page to another address; `shows_password` makes the form page
print the password (a careless or hostile system); `open_to_all` lets every visitor in without a
login (an intranet system that trusts its network).
"""

from __future__ import annotations

import html
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

USER = "xiangzhen01"
PASSWORD = "Dj#2026-长坪"
TYPES = {"01": "支部党员大会", "02": "支部委员会", "03": "党小组会", "04": "党课"}
MODES = {"offline": "线下", "online": "线上"}


@dataclass
class Meeting:
    """One record the platform holds, as its form posted it."""

    number: int
    values: dict[str, str]
    files: dict[str, bytes] = field(default_factory=dict)  # file name -> bytes


@dataclass
class _Visitor:
    csrf: str
    user: str = ""


def _page(title: str, body: str) -> bytes:
    return (
        "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title></head><body><h1>{html.escape(title)}</h1>{body}</body></html>"
    ).encode()


class StandinPlatform:
    """The stand-in, started on a free port; `meetings` is what was saved, `close()` stops it."""

    def __init__(
        self,
        user: str = USER,
        password: str = PASSWORD,
        labels: dict[str, str] | None = None,
        hooks: dict[str, Callable[[], object]] | None = None,
        login_elsewhere: str = "",
        shows_password: bool = False,
        open_to_all: bool = False,
        port: int = 0,
    ):
        self.open_to_all = open_to_all
        self.user, self.password = user, password
        self.labels = labels or {}
        self.hooks = hooks or {}
        self.login_elsewhere = login_elsewhere
        self.shows_password = shows_password
        self.meetings: list[Meeting] = []
        self.posts: list[tuple[str, dict[str, str]]] = []  # every form posted: path, values
        self.visitors: dict[str, _Visitor] = {}
        self.lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def label(self, text: str) -> str:
        """A label as this platform writes it (renamed through `labels`)."""
        return html.escape(self.labels.get(text, text))

    # ----------------------------------------------------------------------------- the pages

    def login_page(self, visitor: _Visitor, said: str = "") -> bytes:
        return _page(
            "县党员教育管理系统 · 登录",
            (f"<p class='error'>{html.escape(said)}</p>" if said else "")
            + "<form method='post' action='/login'>"
            + f"<input type='hidden' name='csrf' value='{visitor.csrf}'>"
            + self.row("user", "用户名", "<input id='user' name='username'>", mark="：")
            + self.row("pwd", "密码", "<input id='pwd' name='pwd' type='password'>", mark="：")
            + "<p><button type='submit'>登录</button></p></form>",
        )

    def row(self, key: str, label: str, control: str, mark: str = "", hidden: bool = False) -> str:
        """One labelled field, <p><label for=KEY>LABEL</label>CONTROL</p>; `mark` after the label
        (a colon, a required star) as such systems write them."""
        shown = f" id='{key}-row' hidden" if hidden else ""
        return f"<p{shown}><label for='{key}'>{self.label(label)}{mark}</label>{control}</p>"

    def home_page(self, visitor: _Visitor) -> bytes:
        return _page(
            "县党员教育管理系统",
            f"<p>欢迎，{html.escape(visitor.user)}</p><ul><li><a href='/meetings'>三会一课</a></li>"
            "<li><a id='new' href='/meetings/new'>新增会议记录</a></li></ul>",
        )

    def list_page(self, query: str) -> bytes:
        rows = "".join(
            f"<tr><td><a href='/meetings/{m.number}'>{html.escape(m.values.get('title', ''))}</a></td>"
            f"<td>{html.escape(m.values.get('held_on', ''))}</td>"
            f"<td>{html.escape(TYPES.get(m.values.get('meeting_type', ''), ''))}</td></tr>"
            for m in self.meetings
            if query in m.values.get("title", "")
        )
        return _page(
            "三会一课",
            "<form method='get' action='/meetings'><label for='q'>标题</label>"
            f"<input id='q' name='q' value='{html.escape(query)}'><button type='submit'>查询</button></form>"
            "<table id='list'><thead><tr><th>标题</th><th>召开日期</th><th>会议类型</th></tr></thead>"
            f"<tbody>{rows or '<tr><td colspan=3>暂无数据</td></tr>'}</tbody></table>"
            "<p><a id='new' href='/meetings/new'>新增会议记录</a></p>",
        )

    def form_page(self, visitor: _Visitor) -> bytes:
        types = "<option value=''>请选择</option>" + "".join(
            f"<option value='{code}'>{name}</option>" for code, name in TYPES.items()
        )
        notified = f"<input type='checkbox' name='notified' value='1'>{self.label('已通知全体党员')}"
        modes = "".join(
            f"<label><input type='radio' name='mode' value='{value}'>{name}</label>"
            for value, name in MODES.items()
        )
        # A careless page prints the password, and its scripts replace the built-ins a check for it
        # would use: Yici's own check runs where page scripts cannot reach.
        careless = (
            f"<p>当前账号 {self.user}，密码 {html.escape(self.password)}</p>"
            "<script>String.prototype.includes = () => false; Array.prototype.some = () => false;"
            "document.querySelectorAll = () => [];</script>"
            if self.shows_password
            else ""
        )
        return _page(
            "新增会议记录",
            careless
            + "<form method='post' action='/meetings' enctype='multipart/form-data'>"
            + f"<input type='hidden' name='csrf' value='{visitor.csrf}'>"
            + self.row("title", "会议名称", "<input id='title' name='title'>", mark=" *")
            + self.row("content", "主要内容", "<textarea id='content' name='content'></textarea>")
            + self.row(
                "meeting_type",
                "会议类型",
                f"<select id='meeting_type' name='meeting_type'>{types}</select>",
            )
            + self.row("lecturer", "授课人", "<input id='lecturer' name='lecturer'>", hidden=True)
            + f"<fieldset><legend>{self.label('会议形式')}</legend>{modes}</fieldset>"
            f"<p><label>{notified}</label></p>"
            + self.row("held_on", "召开日期", "<input id='held_on' name='held_on' type='date'>")
            + self.row(
                "photos",
                "会议照片",
                "<input id='photos' name='photos' type='file' multiple accept='image/*'>",
            )
            + "<p><button type='submit'>保存</button></p></form>"
            "<script>const kind = document.getElementById('meeting_type');"
            "kind.addEventListener('change', () => {"
            " document.getElementById('lecturer-row').hidden = kind.value !== '04'; });</script>",
        )

    def record_page(self, meeting: Meeting, saved: bool) -> bytes:
        values = meeting.values
        kind = TYPES.get(values.get("meeting_type", ""), "")
        rows = "".join(
            f"<tr><th>{name}</th><td>{html.escape(values.get(key, ''))}</td></tr>"
            for key, name in (("title", "会议名称"), ("held_on", "召开日期"), ("content", "主要内容"))
        )
        return _page(
            values.get("title", ""),
            ("<p class='saved'>保存成功</p>" if saved else "")
            + f"<table>{rows}<tr><th>会议类型</th><td>{kind}</td></tr>"
            f"<tr><th>照片</th><td>{len(meeting.files)} 张</td></tr></table>"
            "<p><a href='/meetings'>返回列表</a></p>",
        )

    # --------------------------------------------------------------------------- the handler

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:  # quiet: tests read their own
                pass

            def _send(self, status: int, body: bytes = b"", cookie: str = "", location: str = "") -> None:
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                if cookie:
                    self.send_header("Set-Cookie", f"sid={cookie}; Path=/; HttpOnly; SameSite=Lax")
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _visitor(self) -> tuple[str, _Visitor | None]:
                cookies = SimpleCookie(self.headers.get("Cookie", ""))
                sid = cookies["sid"].value if "sid" in cookies else ""
                return sid, platform.visitors.get(sid)

            def _form(self) -> tuple[dict[str, str], dict[str, bytes]]:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                kind = self.headers.get("Content-Type", "")
                if not kind.startswith("multipart/form-data"):
                    return {k: v[0] for k, v in parse_qs(body.decode(), keep_blank_values=True).items()}, {}
                message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {kind}\r\n\r\n".encode() + body)
                values, files = {}, {}
                for part in message.iter_parts():
                    name = part.get_param("name", header="content-disposition")
                    data = part.get_payload(decode=True) or b""
                    if part.get_filename():
                        files[part.get_filename()] = data
                    elif name:
                        values[str(name)] = data.decode()
                return values, files

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                sid, visitor = self._visitor()
                if visitor is None and platform.open_to_all:
                    sid, visitor = secrets.token_hex(16), _Visitor(secrets.token_hex(16), "访客")
                    platform.visitors[sid] = visitor
                    return self._send(303, cookie=sid, location=self.path)
                if parts.path == "/login":
                    if platform.login_elsewhere:
                        return self._send(303, location=platform.login_elsewhere)
                    if visitor is None:
                        sid, visitor = secrets.token_hex(16), _Visitor(secrets.token_hex(16))
                        platform.visitors[sid] = visitor
                    return self._send(200, platform.login_page(visitor), cookie=sid)
                if visitor is None or not visitor.user:
                    return self._send(303, location="/login")
                query = parse_qs(parts.query)
                if parts.path == "/":
                    return self._send(200, platform.home_page(visitor))
                if parts.path == "/meetings":
                    return self._send(200, platform.list_page(query.get("q", [""])[0]))
                if parts.path == "/meetings/new":
                    platform.hooks.get("form", lambda: None)()
                    return self._send(200, platform.form_page(visitor))
                number = parts.path.removeprefix("/meetings/")
                if number.isdigit() and 0 < int(number) <= len(platform.meetings):
                    return self._send(
                        200, platform.record_page(platform.meetings[int(number) - 1], "saved" in query)
                    )
                self._send(404, _page("页面不存在", ""))

            def do_POST(self) -> None:
                sid, visitor = self._visitor()
                values, files = self._form()
                platform.posts.append((self.path, values))
                if visitor is None or values.get("csrf") != visitor.csrf:
                    return self._send(403, _page("请求已过期，请刷新页面后重试", ""))
                if self.path == "/login":
                    if values.get("username") == platform.user and values.get("pwd") == platform.password:
                        visitor.user = platform.user
                        return self._send(303, location="/")
                    return self._send(200, platform.login_page(visitor, "用户名或密码错误"))
                if not visitor.user:
                    return self._send(303, location="/login")
                if self.path == "/meetings":
                    if (
                        not values.get("title")
                        or not values.get("held_on")
                        or values.get("meeting_type") not in TYPES
                    ):
                        return self._send(400, _page("会议名称、会议类型和召开日期必须填写", ""))
                    with platform.lock:
                        meeting = Meeting(len(platform.meetings) + 1, values, files)
                        platform.meetings.append(meeting)
                    platform.hooks.get("save", lambda: None)()
                    return self._send(303, location=f"/meetings/{meeting.number}?saved=1")
                self._send(404, _page("页面不存在", ""))

        return Handler


if __name__ == "__main__":  # ./dev standin: what the worked-example recipes in docs/recipes/ fill
    import sys
    import time

    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8701
    standin = StandinPlatform(port=port)
    print(f"演示平台 / stand-in platform: {standin.url}/login  账号 {USER}  密码 {PASSWORD}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        standin.close()
