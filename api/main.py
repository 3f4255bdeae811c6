"""Interface layer: ``create_app`` — the FastAPI service (pipeline loaded once at start-up)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from fastapi.openapi.docs import get_redoc_html

from api import __version__, errors
from api.coder import Coder
from api.errors import envelope
from api.routers import audit, coding, meta
from api.settings import Settings


def create_app(settings: Settings | None = None, coder: Coder | None = None) -> FastAPI:
    """Build the app; the lifespan loads the coder unless one is given (tests).

    The interactive docs that need a CDN are disabled (hospital networks are often
    air-gapped); ``/openapi.json`` and a self-contained ``/docs`` page describe the API.
    """
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.coder = coder or Coder.load(settings)
        yield

    app = FastAPI(
        title="shotcoder",
        version=__version__,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        description="Codes CPT 96372 injection administration from clinical notes.",
    )
    errors.install(app)

    @app.middleware("http")
    async def limit_body(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > settings.max_body_bytes:
            return envelope("text_too_long", "request body too large", 413)
        return await call_next(request)

    app.include_router(coding.router)
    app.include_router(audit.router)
    app.include_router(meta.router)

    @app.get("/docs", include_in_schema=False)
    def docs() -> Response:
        return Response(_offline_docs(app), media_type="text/html")

    return app


def _offline_docs(app: FastAPI) -> str:
    rows = []
    for path, item in app.openapi()["paths"].items():
        for method, op in item.items():
            rows.append(
                f"<tr><td><code>{method.upper()}</code></td><td><code>{path}</code></td>"
                f"<td>{op.get('summary', '')}</td></tr>"
            )
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>shotcoder API</title></head>"
        "<body><h1>shotcoder API</h1><p>OpenAPI document: <a href='/openapi.json'>"
        "/openapi.json</a></p><table border='1' cellpadding='4'>"
        + "".join(rows)
        + "</table></body></html>"
    )


__all__ = ["create_app", "get_redoc_html"]
