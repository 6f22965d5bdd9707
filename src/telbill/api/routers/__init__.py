"""The API's routers, one module per resource family, each exposing ``router`` (a FastAPI ``APIRouter``).

A domain adds its routes by writing ``routers/<domain>.py`` and adding ONE line to ``ROUTERS`` below
(docs/api.md, "Adding a domain"). ``create_app`` mounts every router under ``/api/v1``.
"""

from __future__ import annotations

from fastapi import APIRouter

from telbill.api.routers import (
    accounts,
    billruns,
    bills,
    care,
    catalog,
    interventions,
    orders,
    receivables,
    staff,
    usage,
)

ROUTERS: tuple[APIRouter, ...] = (
    catalog.router,  # TMF620 product catalog, TMF648 quote
    accounts.router,  # TMF666 billing account
    orders.router,  # TMF622 product order, TMF637 product, TMF678 applied billing rates (one-off charges)
    bills.router,  # TMF678 customer bill
    billruns.router,  # bill runs
    usage.router,  # TMF635 usage (issue 4)
    care.router,  # TMF621 trouble ticket, outages, compensation (issue 5)
    interventions.router,  # intervention reports → repair charges
    receivables.router,  # TMF676 payment, review queue, dunning (issue 6)
    staff.router,  # staff members and their API tokens
)
