"""Logging in to the township page and out of it, and the guard every other page stands behind.

The login form carries a CSRF token tied to a short-lived cookie (signed double submit: a page of
another site cannot read the cookie, so cannot make the token); pages posted after login carry a
token made from the session. A password is read, checked with argon2 off the event loop, and
forgotten: it is never logged, stored or shown again. A wrong one costs a pause and counts towards
the lockout (hub/township/sessions.py). Only the session cookie logs in: a device token, in a
header or anywhere else, opens no township page.
"""

from __future__ import annotations

import asyncio
import functools
import hmac
import logging
import secrets
import traceback
from collections.abc import Awaitable, Callable
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from hub.admins import password_matches, stand_in_hash
from hub.requestlog import note_device
from hub.township import sessions
from hub.township.keys import sign
from hub.township.web import BASE, here, message, page, posted, redirect, safe_next, secure

log = logging.getLogger("hub.township")
LOGIN_COOKIE = "yici_login"  # the login form's half of the CSRF pair
WRONG_PAUSE = 0.5  # seconds a wrong password waits before its answer
Handler = Callable[[Request], Awaitable[Response]]


def _key(request: Request) -> bytes:
    return request.app.state.township_key


def _cookie(response: Response, request: Request, name: str, value: str, max_age: int | None) -> None:
    response.set_cookie(
        name, value, max_age=max_age, path=BASE, secure=secure(request), httponly=True, samesite="lax"
    )


async def _form(request: Request, status: int = 200, error: str = "", name: str = "") -> Response:
    nonce = secrets.token_urlsafe(24)
    answer = await page(
        request,
        "login.html",
        status,
        error=error,
        name=name,
        login_csrf=sign(_key(request), "login", nonce),
        next=safe_next(request.query_params.get("next")),
    )
    _cookie(answer, request, LOGIN_COOKIE, nonce, 3600)
    return answer


async def login_form(request: Request) -> Response:
    """GET /township/login: the login form (an administrator already logged in goes on)."""
    async with request.app.state.pool.connection() as conn:
        admin = await sessions.find(conn, _key(request), request.cookies.get(sessions.COOKIE))
    if admin is not None:
        return redirect(safe_next(request.query_params.get("next")))
    return await _form(request)


async def login(request: Request) -> Response:
    """POST /township/login: name, password, csrf, next → a session cookie, or the form again."""
    form = await posted(request)
    name = form.get("name", "").strip()[:200]
    password = form.get("password", "")
    nonce = request.cookies.get(LOGIN_COOKIE, "")
    token = form.get("csrf", "")
    if not nonce or not hmac.compare_digest(sign(_key(request), "login", nonce), token):
        return await _form(request, 403, "页面已过期或不完整，请重新输入名称和密码后登录。", name)
    if "\x00" in name:  # no administrator's name has one (and PostgreSQL's text cannot hold it)
        return await _form(request, 401, "名称或密码不对，请再输入一次。", "")
    async with request.app.state.pool.connection() as conn:
        minutes = await sessions.locked_minutes(conn, name)
        if minutes:
            error = (
                f"密码错误次数太多，这个名称已暂时锁定，请 {minutes} 分钟后再试。"
                "忘记密码请找管理员用 yici-hub admin add 重设。"
            )
            return await _form(request, 429, error, name)
        row = await (
            await conn.execute("SELECT id, password_hash FROM admins WHERE name = %s", [name])
        ).fetchone()
    good = await run_in_threadpool(password_matches, row[1] if row else stand_in_hash(), password)
    del password
    async with request.app.state.pool.connection() as conn:
        if not good or row is None:
            await sessions.failed(conn, name)
            await asyncio.sleep(WRONG_PAUSE)
            return await _form(request, 401, "名称或密码不对，请再输入一次。", name)
        await sessions.succeeded(conn, name)
        cookie = await sessions.start(
            conn, _key(request), row[0], request.client.host if request.client else ""
        )
    note_device(request.scope, f"管理员:{name}")
    answer = redirect(safe_next(form.get("next")))
    _cookie(answer, request, sessions.COOKIE, cookie, None)  # gone when the browser closes
    answer.delete_cookie(LOGIN_COOKIE, path=BASE)
    return answer


async def logout(request: Request) -> Response:
    """POST /township/logout (behind admin_only, CSRF checked): the session ends."""
    async with request.app.state.pool.connection() as conn:
        await sessions.end(conn, _key(request), request.cookies.get(sessions.COOKIE))
    answer = redirect(f"{BASE}/login")
    answer.delete_cookie(sessions.COOKIE, path=BASE)
    return answer


def admin_only(handler: Handler) -> Handler:
    """The page for a logged-in administrator; others are sent to log in (a GET) or refused (a
    POST). A POST must carry the session's CSRF token."""

    @functools.wraps(handler)
    async def guarded(request: Request) -> Response:
        async with request.app.state.pool.connection() as conn:
            admin = await sessions.find(conn, _key(request), request.cookies.get(sessions.COOKIE))
        if admin is None:
            if request.method in ("GET", "HEAD"):
                return redirect(f"{BASE}/login?next={quote(here(request), safe='/')}")
            return await message(request, 403, "请先登录", "登录已过期，请重新登录后再操作。")
        request.state.admin = admin
        request.state.csrf = sign(_key(request), "csrf", admin.session)
        note_device(request.scope, f"管理员:{admin.name}")
        if request.method == "POST":
            form = await posted(request)
            if not hmac.compare_digest(request.state.csrf, form.get("csrf", "")):
                return await message(request, 403, "页面已过期", "页面已过期，请返回后刷新页面再操作。")
            request.state.form = form
        try:
            return await handler(request)
        except Exception as exc:  # noqa: BLE001 - a person sees a Chinese page, the log where it failed
            # The kind of error and where, not its text: that may quote a record's content.
            where = traceback.extract_tb(exc.__traceback__)[-1]
            log.error(
                "township page %s failed: %s at %s:%s",
                request.url.path,
                type(exc).__name__,
                where.filename,
                where.lineno,
            )
            return await message(
                request,
                500,
                "出错了",
                "这个页面没能打开。请稍后再试；一直这样请告诉乡镇平台的管理员（详情已写入日志）。",
            )

    return guarded
