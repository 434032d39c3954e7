"""The REST API (FastAPI), mounted on the Reflex backend under /api/v1."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI
from fastapi.responses import JSONResponse

from oms_app.api import (
    analytics,
    audit,
    budgets,
    finance,
    fulfillment,
    master_data,
    orders,
    packing,
    payments,
    reports,
    returns,
    session,
    warehouse,
    webhooks,
)
from oms_app.api.auth import api_actor
from oms_app.api.errors import install_error_handlers
from oms_app.api.guards import refuse_nul_text
from oms_app.api.security_headers import SecurityHeaders
from oms_app.core import health
from oms_app.core.outage import RETRY_AFTER_SECONDS
from oms_app.core.permissions import Actor

router = APIRouter(prefix="/api/v1")
ActorDep = Annotated[Actor, Depends(api_actor)]


@router.get("/health", tags=["ops"])
async def get_health() -> JSONResponse:
    """Each part ok or down, with worker and beat heartbeat ages; "degraded" when any is down.

    503 only when the database or Redis is down: with a worker or beat down the API still
    serves, and a load balancer must keep sending it traffic.
    """
    body = await asyncio.to_thread(health.report)
    if health.serves_requests(body):
        return JSONResponse(body)
    return JSONResponse(body, status_code=503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


@router.get("/me", tags=["auth"])
async def get_me(actor: ActorDep) -> dict:
    """Who the API key acts as."""
    return {
        "username": actor.username,
        "roles": sorted(actor.roles),
        "permissions": sorted(actor.permissions),
    }


def create_api() -> FastAPI:
    """A fresh API app (Reflex adds its middleware to the one it mounts)."""
    api = FastAPI(
        title="OMS API",
        version="1.0",
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
        dependencies=[Depends(refuse_nul_text)],
    )
    install_error_handlers(api)
    # Mounted outermost by Reflex, so it also covers the pages `make run` serves.
    api.add_middleware(SecurityHeaders)
    api.include_router(router)
    api.include_router(orders.router)
    api.include_router(warehouse.router)
    api.include_router(master_data.router)
    api.include_router(audit.router)
    api.include_router(webhooks.router)
    api.include_router(fulfillment.router)
    api.include_router(packing.router)
    api.include_router(analytics.router)
    api.include_router(payments.router)
    api.include_router(reports.router)
    api.include_router(finance.router)
    api.include_router(budgets.router)
    api.include_router(returns.router)
    api.include_router(session.router)
    return api
