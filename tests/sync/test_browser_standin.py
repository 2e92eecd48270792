"""The stand-in platform (tests/sync/standin_platform.py) behaves like a county system, and Yici's
own DevTools client drives a real headless Chromium through it: sent to the login page, logged in
with the CSRF token and the login cookie, a text field found by its label is filled with Chinese
and reads back; the field shown after a choice appears only after it."""

from __future__ import annotations

import http.client
from urllib.parse import urlencode, urlsplit

import pytest

from sync.browser.page import NotFound, Page
from tests.sync.headless import needs_chromium, start
from tests.sync.standin_platform import PASSWORD, USER, StandinPlatform

TITLE = "2026年11月长坪村党支部党员大会（学习二十届四中全会精神）"


@pytest.fixture
def platform():
    server = StandinPlatform()
    yield server
    server.close()


@pytest.fixture
def page(tmp_path):
    browser = start(tmp_path / "chromium")
    try:
        yield Page(browser)
    finally:
        browser.close()


def _request(url: str, method: str, path: str, body: str = "", cookie: str = "") -> http.client.HTTPResponse:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    headers = {"Content-Type": "application/x-www-form-urlencoded", **({"Cookie": cookie} if cookie else {})}
    connection.request(method, path, body=body.encode(), headers=headers)
    answer = connection.getresponse()
    answer.read()
    return answer


def test_the_standin_wants_its_cookie_and_its_token(platform):
    assert _request(platform.url, "GET", "/meetings/new").getheader("Location") == "/login"
    form = urlencode({"username": USER, "pwd": PASSWORD})
    assert _request(platform.url, "POST", "/login", form).status == 403  # no login cookie
    login = _request(platform.url, "GET", "/login")
    cookie = login.getheader("Set-Cookie", "")
    assert "HttpOnly" in cookie
    sid = cookie.split(";")[0]
    assert _request(platform.url, "POST", "/login", form + "&csrf=guessed", sid).status == 403
    token = next(iter(platform.visitors.values())).csrf
    assert _request(platform.url, "POST", "/login", form + f"&csrf={token}", sid).getheader("Location") == "/"
    assert _request(platform.url, "GET", "/meetings/new", cookie=sid).status == 200


@needs_chromium
def test_log_in_and_fill_a_field_found_by_its_label(platform, page):
    pages = [t for t in page.browser.call("Target.getTargets")["targetInfos"] if t["type"] == "page"]
    assert len(pages) == 1  # the window's own first tab, no second empty one beside it
    page.goto(platform.url + "/meetings/new")
    assert urlsplit(page.url()).path == "/login"  # sent to log in first
    page.fill_text("label", "用户名", USER)
    page.fill_text("label", "密码", PASSWORD)
    page.load(lambda: page.click("text", "登录"))
    assert urlsplit(page.url()).path == "/" and f"欢迎，{USER}" in page.text()
    (login,) = [c for c in page.cookies(platform.url) if c["name"] == "sid"]
    assert login["httpOnly"] is True

    page.load(lambda: page.click("text", "新增会议记录"))
    assert "新增会议记录" in page.text()
    page.fill_text("label", "会议名称", TITLE)  # the label reads "会议名称 *": the star is a required mark
    assert page.value("label", "会议名称") == TITLE
    assert page.value("name", "title") == TITLE and page.value("css", "#title") == TITLE
    page.fill_text("label", "会议名称", "再改一次")  # typing replaces, it does not append
    assert page.value("name", "title") == "再改一次"
    with pytest.raises(NotFound) as missing:
        page.value("label", "会议标题")
    assert missing.value.message == "页面上找不到“会议标题”（按 label 查找）"


@needs_chromium
def test_the_field_shown_after_a_choice_appears_only_after_it(platform, page):
    page.goto(platform.url + "/login")
    page.fill_text("label", "用户名", USER)
    page.fill_text("label", "密码", PASSWORD)
    page.load(lambda: page.click("text", "登录"))
    page.goto(platform.url + "/meetings/new")
    shown = "document.getElementById('lecturer').getClientRects().length > 0"
    assert page.evaluate(shown) is False
    page.evaluate(
        "(() => { const s = document.getElementById('meeting_type'); s.value = '04';"
        " s.dispatchEvent(new Event('change', {bubbles: true})); })()"
    )
    assert page.evaluate(shown) is True
    assert page.evaluate("document.getElementById('meeting_type').selectedOptions[0].text") == "党课"
