"""What every township page shares: the templates (Jinja2, autoescaped), the answer's headers
(no script may run, nothing from elsewhere, no framing, no caching of records), the 大字 setting
kept in a cookie, the style sheet, reading a posted form, and where a page may send one next.
"""

from __future__ import annotations

import datetime as dt
import functools
from importlib import resources
from typing import Any
from urllib.parse import parse_qs, quote

import jinja2
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from hub import incoming

BASE = "/township"
TEXT_COOKIE = "yici_text"  # "big": the 大字 setting, per browser
FORM_LIMIT = 64 * 1024
# The pages need nothing but themselves: no script, styles and pictures from this hub only.
# Layouts style their tables inline, hence 'unsafe-inline' for styles (never for scripts).
SECURITY = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
STATE_WORDS = {
    "done": "完成",
    "due": "待办",
    "overdue": "逾期",
    "future": "未到",
    "before": "未计",
    "none": "",
}


@functools.cache
def environment() -> jinja2.Environment:
    """The templates' environment: autoescape on, so a record's text is never markup."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("hub.township", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.globals.update(base=BASE, state_words=STATE_WORDS, quote=lambda text: quote(str(text), safe=""))
    return env


def render(template: str, context: dict[str, Any]) -> str:
    """A template filled (no I/O: call it from a thread for big pages)."""
    return environment().get_template(template).render(context)


def page_context(request: Request, **context: Any) -> dict[str, Any]:
    """What every page's template sees besides its own names."""
    admin = getattr(request.state, "admin", None)
    return {
        "admin": admin,
        "csrf": getattr(request.state, "csrf", ""),
        "big": request.cookies.get(TEXT_COOKIE) == "big",
        "here": here(request),
        "today": dt.date.today(),
        **context,
    }


async def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A whole page, rendered off the event loop (the overview of 2,000 branches takes a while)."""
    html = await run_in_threadpool(render, template, page_context(request, **context))
    return HTMLResponse(html, status, headers=SECURITY)


async def message(request: Request, status: int, title: str, text: str) -> HTMLResponse:
    """A page that only says something (not found, not allowed), with a way back."""
    return await page(request, "message.html", status, title=title, text=text)


def here(request: Request) -> str:
    """This page's path and query, to come back to (after a login, a change of text size)."""
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def safe_next(text: str | None) -> str:
    """A township page to go to next; anything else (another site, another part) is the overview."""
    text = (text or "").strip()
    if not text.startswith(BASE + "/") or "//" in text or "\\" in text or any(ord(c) < 32 for c in text):
        return BASE + "/"
    return text


async def posted(request: Request) -> dict[str, str]:
    """A posted form (application/x-www-form-urlencoded), first value of each name."""
    raw = await incoming.body(request, FORM_LIMIT)
    try:
        fields = parse_qs(raw.decode("utf-8"), keep_blank_values=True, max_num_fields=50)
    except (UnicodeDecodeError, ValueError):
        return {}
    return {name: values[0] for name, values in fields.items() if values}


def redirect(to: str) -> RedirectResponse:
    """303 See Other: after a POST the browser GETs `to`."""
    return RedirectResponse(to, 303, headers={"Cache-Control": "no-store"})


def secure(request: Request) -> bool:
    """Whether the page is served over TLS (by uvicorn, or a proxy that says so): cookies are
    then marked Secure."""
    return request.url.scheme == "https"


@functools.cache
def _style(name: str) -> bytes:
    return resources.files("hub.township").joinpath("templates", name).read_bytes()


async def style(request: Request) -> Response:
    """GET /township/style.css: the one style sheet (screen, 大字 and print)."""
    return Response(
        _style("township.css"),
        media_type="text/css; charset=utf-8",
        headers={"Cache-Control": "max-age=3600"},
    )


async def text_size(request: Request) -> Response:
    """GET /township/text-size?size=big|normal&next=PAGE: the 大字 setting, kept for a year."""
    answer = redirect(safe_next(request.query_params.get("next")))
    big = request.query_params.get("size") == "big"
    answer.set_cookie(
        TEXT_COOKIE,
        "big" if big else "normal",
        max_age=366 * 24 * 3600,
        path=BASE,
        secure=secure(request),
        httponly=True,
        samesite="lax",
    )
    return answer


def year_of(request: Request) -> int:
    """?year=YYYY, this year when absent or not a year nearby."""
    this = dt.date.today().year
    text = request.query_params.get("year", "")
    return int(text) if text.isdigit() and 2000 <= int(text) <= this + 1 else this


def span_of(request: Request) -> tuple[dt.date, dt.date]:
    """?from=&to= (days, both included), else the whole of ?year=."""
    year = year_of(request)
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    try:
        first = (
            dt.date.fromisoformat(request.query_params.get("from", ""))
            if "from" in request.query_params
            else first
        )
        last = (
            dt.date.fromisoformat(request.query_params.get("to", ""))
            if "to" in request.query_params
            else last
        )
    except ValueError:
        pass
    return (first, last) if first <= last else (last, first)


def span_words(first: dt.date, last: dt.date) -> str:
    """2026年 / 2026年3月 / 2026年4月1日至2026年6月30日: a span as a person says it."""
    if (first.month, first.day, last.month, last.day) == (1, 1, 12, 31) and first.year == last.year:
        return f"{first.year}年"
    end = last + dt.timedelta(days=1)
    if first.day == 1 and end.day == 1 and (first.year, first.month) == (last.year, last.month):
        return f"{first.year}年{first.month}月"
    return f"{first.year}年{first.month}月{first.day}日至{last.year}年{last.month}月{last.day}日"


def disposition(name: str, inline: bool = False) -> str:
    """Content-Disposition for a file named in Chinese: filename* (RFC 6266, every browser of
    the last decade) and a plain-letters filename for the oldest."""
    plain = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in name) or "file"
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"
