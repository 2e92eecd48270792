"""The township page's addresses, all under /township (the laptops' API keeps /api/v1 to itself:
its device tokens open nothing here, and the page's session opens nothing there)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hub.township import export, login, pages, record_pages, web
from hub.township.web import BASE


async def home(request: Request) -> Response:
    """GET /: the township page (the API answers only under /api/v1)."""
    return web.redirect(f"{BASE}/")


def routes() -> list[Route]:
    """Every route of the township page."""
    return [
        Route("/", home, methods=["GET"]),
        Route(BASE, home, methods=["GET"]),
        Route(f"{BASE}/", pages.overview_page, methods=["GET"]),
        Route(f"{BASE}/login", login.login_form, methods=["GET"]),
        Route(f"{BASE}/login", login.login, methods=["POST"]),
        Route(f"{BASE}/logout", login.admin_only(login.logout), methods=["POST"]),
        Route(f"{BASE}/style.css", web.style, methods=["GET"]),
        Route(f"{BASE}/text-size", web.text_size, methods=["GET"]),
        Route(f"{BASE}/branches/{{uid}}", pages.branch_page, methods=["GET"]),
        Route(f"{BASE}/records/{{uuid}}", record_pages.record_view, methods=["GET"]),
        Route(f"{BASE}/records/{{uuid}}/print", record_pages.record_print, methods=["GET"]),
        Route(f"{BASE}/records/{{uuid}}/photo-{{sha256}}", record_pages.record_photo, methods=["GET"]),
        Route(f"{BASE}/attachments/{{sha256}}", record_pages.attachment, methods=["GET"]),
        Route(f"{BASE}/export/records.xlsx", export.export_records, methods=["GET"]),
        Route(f"{BASE}/export/overview.xlsx", export.export_overview, methods=["GET"]),
    ]
