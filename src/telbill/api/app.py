"""The operator API as an ASGI application: ``create_app(settings)``.

Nothing happens at import time: ``create_app`` builds the services (``bootstrap.web_services``: engines,
migrations, catalogs) unless given them, and mounts every router of ``routers.ROUTERS`` under ``/api/v1``.
The OpenAPI 3.1 document is ``/api/v1/openapi.json``, its reference pages ``/api/v1/docs``. The portal
(``telbill.portal``) mounts itself on the same application: ``telbill.server`` puts the two together.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from telbill.api import problems
from telbill.api.hot import HotLists
from telbill.api.routers import ROUTERS
from telbill.api.schemas.common import API_PREFIX
from telbill.app import bootstrap
from telbill.app.services import Services

VERSION = "1.0.0"


def create_app(
    settings: bootstrap.Settings | None = None, services: Services | None = None, hot_lists: bool = True
) -> FastAPI:
    """The API for ``settings`` (or on the given ``services``, as tests and ``telbill.server`` build them).
    ``hot_lists``: the plain requests of the two hot lists answered before FastAPI (``hot.py``); tests turn it
    off to compare with the routes' own answers."""
    svc = (
        services if services is not None else bootstrap.web_services(settings or bootstrap.Settings.from_environment())
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        svc.close()

    app = FastAPI(
        title="telbill operator API",
        version=VERSION,
        summary="Billing for small telecom operators: TM Forum shaped resources",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=f"{API_PREFIX}/docs",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.services = svc
    problems.install(app)
    for router in ROUTERS:
        app.include_router(router, prefix=API_PREFIX)
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    if hot_lists:
        app.add_middleware(HotLists, services=svc)
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema is None:
        document = get_openapi(
            title=app.title,
            version=app.version,
            summary=app.summary,
            routes=app.routes,
            description=__doc__,
            openapi_version="3.1.0",
        )
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        problem = problems.Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(problem.pop("$defs", {}))
        schemas["Problem"] = problem
        app.openapi_schema = document
    return app.openapi_schema
