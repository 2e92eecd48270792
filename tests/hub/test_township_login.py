"""Logging in to the township page, over real HTTP against `yici-hub serve`: a wrong password,
a form without its CSRF token, a page asked for without a session, a device token offered as a
login, the lockout after wrong passwords, sessions that end (logout, idle, a new password), and
no password in the log."""

from __future__ import annotations

import re

import requests

from tests.hub.conftest import sql
from tests.hub.township_data import ADMIN, PASSWORD, RED, Laptop, admin, logged_in, login_page


def _post_login(hub, session: requests.Session, **fields) -> requests.Response:
    return session.post(hub.url + "/township/login", data=fields, allow_redirects=False, timeout=30)


def test_a_wrong_password_is_refused_and_never_logged(hub):
    admin(hub.database)
    session = requests.Session()
    csrf = login_page(hub, session)
    answer = _post_login(hub, session, name=ADMIN, password="不是这个密码", csrf=csrf)
    assert answer.status_code == 401
    assert "名称或密码不对" in answer.text
    assert "yici_township" not in session.cookies
    assert "不是这个密码" not in answer.text and f'value="{ADMIN}"' in answer.text  # the name is kept
    unknown = _post_login(hub, session, name="没有这个人", password=PASSWORD, csrf=login_page(hub, session))
    assert (
        unknown.status_code == 401 and "名称或密码不对" in unknown.text
    )  # the same words: names stay unknown
    away = "//elsewhere.example/"  # a login never sends anyone off the township page
    good = _post_login(hub, session, name=ADMIN, password=PASSWORD, csrf=login_page(hub, session), next=away)
    assert good.status_code == 303 and good.headers["location"] == "/township/"
    cookie = good.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/township" in cookie
    assert "Secure" not in cookie  # plain HTTP here (tests/hub/test_township_pages.py: HTTPS)
    hub.stop()
    log = hub.log_text()
    assert re.search(rf"POST /township/login 303 管理员:{ADMIN} \d+ms", log)
    assert "不是这个密码" not in log and PASSWORD not in log


def test_a_login_without_its_csrf_token_is_refused(hub):
    admin(hub.database)
    session = requests.Session()
    csrf = login_page(hub, session)
    for fields in ({}, {"csrf": ""}, {"csrf": csrf[:-2] + "xx"}):
        answer = _post_login(hub, session, name=ADMIN, password=PASSWORD, **fields)
        assert answer.status_code == 403 and "页面已过期" in answer.text
        assert "yici_township" not in session.cookies
    stranger = requests.Session()  # the right token without its cookie (another site's form)
    answer = _post_login(hub, stranger, name=ADMIN, password=PASSWORD, csrf=csrf)
    assert answer.status_code == 403


def test_pages_need_a_session_and_posts_need_their_token(hub):
    admin(hub.database)
    for path in (
        "/township/",
        "/township/branches/x",
        "/township/records/x",
        "/township/export/overview.xlsx",
    ):
        answer = requests.get(hub.url + path, allow_redirects=False, timeout=30)
        assert answer.status_code == 303, path
        assert answer.headers["location"].startswith("/township/login?next=/township/"), path
    assert requests.get(hub.url + "/", allow_redirects=False, timeout=30).headers["location"] == "/township/"
    assert requests.post(hub.url + "/township/logout", timeout=30).status_code == 403

    session = logged_in(hub)
    assert session.get(hub.url + "/township/", timeout=30).status_code == 200
    refused = session.post(hub.url + "/township/logout", data={}, allow_redirects=False, timeout=30)
    assert refused.status_code == 403  # no CSRF token: still logged in
    assert session.get(hub.url + "/township/", allow_redirects=False, timeout=30).status_code == 200
    page = session.get(hub.url + "/township/", timeout=30).text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    out = session.post(hub.url + "/township/logout", data={"csrf": csrf}, allow_redirects=False, timeout=30)
    assert out.status_code == 303 and out.headers["location"] == "/township/login"
    kept = session.cookies.get("yici_township")
    assert kept is None
    assert session.get(hub.url + "/township/", allow_redirects=False, timeout=30).status_code == 303


def test_a_device_token_is_no_login_and_a_session_is_no_device(hub):
    admin(hub.database)
    token = Laptop(hub, (RED,)).token
    for headers, cookies in (
        ({"Authorization": f"Bearer {token}"}, {}),
        ({}, {"yici_township": token}),
        ({}, {"yici_township": f"{token}.{token}"}),
    ):
        answer = requests.get(
            hub.url + "/township/", headers=headers, cookies=cookies, allow_redirects=False, timeout=30
        )
        assert answer.status_code == 303 and "/township/login" in answer.headers["location"]
    session = requests.Session()
    answer = _post_login(hub, session, name="张三的电脑", password=token, csrf=login_page(hub, session))
    assert answer.status_code == 401
    logged = logged_in(hub)
    assert logged.get(hub.url + "/api/v1/pull", timeout=30).status_code == 401
    cookie = logged.cookies["yici_township"]
    assert hub.get("/api/v1/pull", cookie).status_code == 401


def test_five_wrong_passwords_lock_the_name_for_a_while(hub):
    admin(hub.database)
    session = requests.Session()
    for _ in range(5):
        answer = _post_login(hub, session, name=ADMIN, password="猜一猜", csrf=login_page(hub, session))
        assert answer.status_code == 401
    locked = _post_login(hub, session, name=ADMIN, password=PASSWORD, csrf=login_page(hub, session))
    assert locked.status_code == 429 and re.search(r"请 1?\d 分钟后再试", locked.text)
    assert "yici_township" not in session.cookies
    admin(hub.database, "李委员", "另一个密码-2026")
    other = logged_in(hub, "李委员", "另一个密码-2026")
    assert other.get(hub.url + "/township/", timeout=30).status_code == 200  # only that name is locked
    sql(hub.database, "UPDATE township_login_failures SET at = at - interval '16 minutes'")
    assert logged_in(hub).get(hub.url + "/township/", timeout=30).status_code == 200


def test_sessions_end_when_idle_too_long_and_when_the_password_changes(hub):
    admin(hub.database)
    idle, fresh = logged_in(hub), logged_in(hub)
    sql(
        hub.database,
        "UPDATE township_sessions SET last_seen_at = now() - interval '3 hours' "
        "WHERE created_at = (SELECT min(created_at) FROM township_sessions)",
    )
    assert idle.get(hub.url + "/township/", allow_redirects=False, timeout=30).status_code == 303
    assert fresh.get(hub.url + "/township/", allow_redirects=False, timeout=30).status_code == 200
    admin(hub.database, ADMIN, "新的密码-2026-12")  # yici-hub admin add: a new password
    assert fresh.get(hub.url + "/township/", allow_redirects=False, timeout=30).status_code == 303
    tokens = [row[0] for row in sql(hub.database, "SELECT token_hash FROM township_sessions")]
    assert tokens and all(len(t) == 64 for t in tokens)
    assert idle.cookies["yici_township"].split(".")[0] not in str(tokens)  # only hashes are kept


def test_a_nul_character_in_a_name_or_an_address_is_a_plain_no_not_a_server_error(hub):
    # PostgreSQL's text holds no NUL: a name or a branch's uid carrying one must not reach a query.
    admin(hub.database)
    session = requests.Session()
    answer = _post_login(hub, session, name="ad\x00min", password=PASSWORD, csrf=login_page(hub, session))
    assert answer.status_code == 401 and "名称或密码不对" in answer.text
    session = logged_in(hub)
    page = session.get(hub.url + "/township/branches/ab%00cd", timeout=30)
    assert page.status_code == 404 and "没有这个支部" in page.text
