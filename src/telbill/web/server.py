"""The API and the portal on one ASGI application, as ``telbill serve`` and ``make demo`` run it.

``create_server(settings)`` builds the services once (``bootstrap.web_services``), the API on them
(``telbill.api.app.create_app``) and mounts the portal and back office (``telbill.portal.site.mount``).
``server_from_environment`` is the factory uvicorn calls (``--factory``), reading ``$TELBILL_DATABASE_URL``,
``$TELBILL_CATALOG_DIR`` and ``$TELBILL_SECURE_COOKIES`` (``0`` only behind plain HTTP on another host).
"""

from __future__ import annotations

import gc
import os

from fastapi import FastAPI

from telbill.api.app import create_app
from telbill.app import bootstrap
from telbill.app.services import SECURE_COOKIES_VARIABLE, Services
from telbill.portal.site import mount


def create_server(
    settings: bootstrap.Settings | None = None,
    services: Services | None = None,
    secure_cookies: bool = True,
    hot_lists: bool = True,  # see ``create_app``
) -> FastAPI:
    svc = (
        services if services is not None else bootstrap.web_services(settings or bootstrap.Settings.from_environment())
    )
    app = create_app(services=svc, hot_lists=hot_lists)
    mount(app, svc, secure_cookies=secure_cookies)
    return app


def server_from_environment() -> FastAPI:
    secure = os.environ.get(SECURE_COOKIES_VARIABLE, "1") != "0"
    app = create_server(bootstrap.Settings.from_environment(), secure_cookies=secure)
    # The objects of the start (modules, the application, SQLAlchemy's and pydantic's) live as long as the
    # process: frozen out of the collector's reach, a full collection no longer walks them all in the middle
    # of a request (80-100 ms on the test machine, more than the whole latency budget of a list)
    gc.freeze()
    return app
