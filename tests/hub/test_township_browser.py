"""The township page in a real headless Chromium (tests/hub/browser.py): the login page renders in
Chinese, a person types a name and password and is let in with a session cookie, the overview and
a record show; and at the screens township offices have (1024×768, 1366×768), at both text sizes,
with long branch names and long minority names, every name reads whole and nothing spills over."""

from __future__ import annotations

import base64
import datetime as dt
import os
import re

import pytest

from tests.hub.browser import WHY_NOT, Browser, chromium
from tests.hub.conftest import hub, hub_db  # noqa: F401 - fixtures
from tests.hub.township_data import ADMIN, PASSWORD, RED, ROSTER, Laptop, admin, meeting, png, roster

needs_chromium = pytest.mark.skipif(chromium() is None, reason=WHY_NOT)

LONG_BRANCH = "阿卜杜热合曼·艾买提江乡第一村民委员会第二党小组联合党支部"
SCREENS = [(1024, 768), (1366, 768)]
# Every element whose content is wider than its box, and how far the page scrolls sideways.
SPILLS = """(() => {
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const style = getComputedStyle(el);
    if (style.display === 'inline' || el.tagName === 'HTML') continue;
    if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0)
      out.push(el.tagName + ':' + el.textContent.trim().slice(0, 40));
  }
  return {spills: out, sideways: document.documentElement.scrollWidth - window.innerWidth};
})()"""


@pytest.fixture
def browser(tmp_path):
    started = Browser(tmp_path / "chromium")
    try:
        yield started
    finally:
        started.close()


def _log_in(browser: Browser, url: str) -> None:
    browser.goto(url + "/township/")  # sent to the login page, to come back here after
    assert browser.evaluate("location.pathname") == "/township/login"
    browser.type_into("#name", ADMIN)
    browser.type_into("#password", PASSWORD)
    browser.load(lambda: browser.click("#login"))


@pytest.mark.skipif(not os.environ.get("CI"), reason="only CI promises Chromium (./dev installs it there)")
def test_in_ci_the_browser_tests_run():
    assert chromium() is not None, WHY_NOT


@needs_chromium
def test_a_person_logs_in_and_reads_the_overview_and_a_record(hub, browser, tmp_path):
    admin(hub.database)
    roster(hub.database, RED)
    laptop = Laptop(hub)
    year = dt.date.today().year
    picture = laptop.photo(png())
    photos = [{"sha256": picture, "name": "会场.png"}]
    record = laptop.push(
        meeting(laptop.uids[RED], dt.date(year, 1, 8), data={"photos": photos}, attachments=photos)
    )

    browser.size(1024, 768)
    browser.goto(hub.url + "/township/login")
    text = browser.evaluate("document.body.innerText")
    assert "乡镇平台登录" in text and "管理员名称" in text and "密码" in text
    shot = browser.screenshot(tmp_path / "login-1024.png")
    assert shot.stat().st_size > 5_000  # a page was painted (looked at: Chinese, large, plain)
    assert browser.cookies(hub.url + "/township/") == [
        c for c in browser.cookies(hub.url + "/township/") if c["name"] == "yici_login"
    ]

    _log_in(browser, hub.url)
    assert browser.evaluate("location.pathname") == "/township/"
    cookie = next(c for c in browser.cookies(hub.url + "/township/") if c["name"] == "yici_township")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["path"] == "/township"
    assert browser.evaluate("document.cookie") == ""  # no script can read it
    page = browser.evaluate("document.body.innerText")
    assert "各支部完成情况" in page and RED in page and ADMIN in page
    assert (
        browser.evaluate("document.getElementById('behind').textContent") == "1"
    )  # 红星村 (东风村 came today: nothing of its is overdue yet)
    browser.screenshot(tmp_path / "overview-1024.png")

    browser.goto(f"{hub.url}/township/records/{record['uuid']}")
    page = browser.evaluate("document.body.innerText")
    assert "三会一课" in page and "会议类型" in page and "支部委员会" in page
    assert "买买提依明·阿不都热西提（外出务工）" in page
    assert browser.evaluate("document.querySelector('div.photo img').naturalWidth") == 64
    browser.screenshot(tmp_path / "record-1024.png", full=True)

    browser.load(lambda: browser.click("a.button"))  # 打印（记录本版式）: the desktop's layout
    assert browser.evaluate("location.pathname").endswith("/print")
    page = browser.evaluate("document.body.innerText")
    assert f"{RED} 支部委员会记录" in page and "会议类型" in page
    assert browser.evaluate("[...document.images].map(i => i.naturalWidth)") == [64]  # through the page
    browser.screenshot(tmp_path / "print-1024.png", full=True)
    pdf = base64.b64decode(browser.call("Page.printToPDF", preferCSSPageSize=True)["data"])
    boxes = {
        tuple(round(float(n)) for n in box.split()) for box in re.findall(rb"/MediaBox \[([^\]]+)\]", pdf)
    }
    assert boxes and all(abs(w - 595) <= 2 and abs(h - 842) <= 2 for _, _, w, h in boxes), boxes  # A4

    browser.goto(hub.url + "/township/")
    browser.load(lambda: browser.click("form.inline button"))  # 退出登录
    assert browser.evaluate("location.pathname") == "/township/login"
    assert not [c for c in browser.cookies(hub.url + "/township/") if c["name"] == "yici_township"]


@needs_chromium
def test_every_name_reads_whole_at_every_screen_and_text_size(hub, browser, tmp_path):
    admin(hub.database)
    roster(hub.database, RED)
    laptop = Laptop(hub, (RED, LONG_BRANCH))
    roster(hub.database, LONG_BRANCH)
    year = dt.date.today().year
    for month in range(1, 13, 2):
        laptop.push(meeting(laptop.uids[LONG_BRANCH], dt.date(year, month, 5)))
    record = laptop.push(meeting(laptop.uids[RED], dt.date(year, 2, 5), "党课"))
    for big in (False, True):
        browser.goto(f"{hub.url}/township/text-size?size={'big' if big else 'normal'}&next=/township/login")
        for width, height in SCREENS:
            browser.size(width, height)
            browser.goto(hub.url + "/township/login")
            browser.screenshot(tmp_path / f"login-{width}-{'big' if big else 'normal'}.png")
            seen = browser.evaluate(SPILLS)
            assert seen["spills"] == [] and seen["sideways"] <= 0, ("login", width, big, seen)
    _log_in(browser, hub.url)
    pages = {
        "overview": "/township/",
        "branch": f"/township/branches/{laptop.uids[LONG_BRANCH]}",
        "record": f"/township/records/{record['uuid']}",
    }
    for big in (False, True):
        browser.goto(f"{hub.url}/township/text-size?size={'big' if big else 'normal'}&next=/township/")
        for width, height in SCREENS:
            browser.size(width, height)
            for name, path in pages.items():
                browser.goto(hub.url + path)
                size = "big" if big else "normal"
                browser.screenshot(tmp_path / f"{name}-{width}-{size}.png", full=True)
                seen = browser.evaluate(SPILLS)
                assert seen["spills"] == [] and seen["sideways"] <= 0, (name, width, size, seen)
                text = browser.evaluate("document.body.innerText")
                if name in ("overview", "branch"):
                    assert LONG_BRANCH in text.replace("\n", ""), (name, width, size)
                if name == "branch":
                    for person, _ in ROSTER:
                        assert person in text, (person, width, size)
                font = browser.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
                assert font == (24 if big else 18)
