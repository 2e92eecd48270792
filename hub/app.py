"""The hub's web application: routes, the connection pool opened for its lifetime (after checking
the schema is this hub's), the request log and the one error shape; and the same application
built in each worker process when `yici-hub serve --workers N` runs several."""

from __future__ import annotations

import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import asdict

from psycopg_pool import AsyncConnectionPool
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Route

from hub import api, api_attachments
from hub.config import Config
from hub.errors import Refused, refused_handler
from hub.join_limit import JoinLimit
from hub.migrate import check_current
from hub.requestlog import RequestLog, configure_logging
from hub.township import routes as township
from hub.township.keys import load_key

WORKER_CONFIG = "YICI_HUB_WORKER_CONFIG"  # how `serve --workers N` hands its settings to each worker


def routes() -> list[Route]:
    """Every route of the API (docs/HUB.md, "The API") and of the township's page."""
    return [
        Route("/api/v1", api.about, methods=["GET"]),
        Route("/api/v1/join", api.join, methods=["POST"]),
        Route("/api/v1/records", api.push_record, methods=["POST"]),
        Route("/api/v1/records", api.list_records, methods=["GET"]),
        Route("/api/v1/pull", api.pull_changes, methods=["GET"]),
        Route("/api/v1/attachments/{sha256}", api_attachments.put, methods=["PUT"]),
        Route("/api/v1/attachments/{sha256}", api_attachments.head, methods=["HEAD"]),
        Route("/api/v1/attachments/{sha256}", api_attachments.get, methods=["GET"]),
        *township.routes(),  # the township's page, under /township (docs/HUB.md)
    ]


def build_app(config: Config) -> Starlette:
    """The application `yici-hub serve` runs (and the tests)."""

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        pool = AsyncConnectionPool(
            config.database,
            min_size=1,
            max_size=config.pool_size,
            kwargs={"autocommit": True},  # each change is its own explicit transaction
            open=False,
        )
        await pool.open(wait=True, timeout=30)
        try:
            async with pool.connection() as conn:
                await check_current(conn)
                app.state.township_key = await load_key(conn)
            app.state.pool = pool
            yield
        finally:
            await pool.close()

    app = Starlette(
        routes=routes(),
        lifespan=lifespan,
        middleware=[Middleware(RequestLog)],
        exception_handlers={Refused: refused_handler},
    )
    app.state.join_limit = JoinLimit()
    return app


def worker_environment(config: Config) -> None:
    """Put the settings where each worker process of `serve --workers N` reads them (the
    environment, so the database URL never shows on a command line)."""
    os.environ[WORKER_CONFIG] = json.dumps(asdict(config))


def worker_app() -> Starlette:
    """The application of one worker process (uvicorn's factory, "hub.app:worker_app")."""
    configure_logging()
    return build_app(Config(**json.loads(os.environ[WORKER_CONFIG])))
