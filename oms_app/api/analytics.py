"""Analytics over HTTP: the executive dashboard's KPI figures and the operations report."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from oms_app.analytics import kpis, operations
from oms_app.api.auth import api_actor
from oms_app.api.params import Day
from oms_app.core.clock import business_zone, utcnow
from oms_app.core.db import UnitOfWork
from oms_app.core.permissions import Actor

router = APIRouter(prefix="/api/v1", tags=["analytics"])
ActorDep = Annotated[Actor, Depends(api_actor)]
DEFAULT_DAYS = 30


@router.get("/analytics/kpis")
async def get_kpis(
    actor: ActorDep,
    date_from: Annotated[Day | None, Query(alias="from")] = None,
    date_to: Annotated[Day | None, Query(alias="to")] = None,
    warehouse: Annotated[str, Query(max_length=16)] = "",
) -> dict:
    """KPIs of business days [from, to] (default: the last 30 days ending today)."""
    date_to = date_to or utcnow().astimezone(business_zone()).date()
    date_from = date_from or date_to - timedelta(days=DEFAULT_DAYS - 1)
    return await asyncio.to_thread(
        kpis.compute_kpis,
        UnitOfWork(),
        actor=actor,
        date_from=date_from,
        date_to=date_to,
        warehouse=warehouse.strip(),
    )


@router.get("/analytics/operations")
async def get_operations(
    actor: ActorDep,
    date_from: Annotated[Day | None, Query(alias="from")] = None,
    date_to: Annotated[Day | None, Query(alias="to")] = None,
    group_by: Annotated[str, Query(max_length=8)] = "team",
    warehouse: Annotated[str, Query(max_length=16)] = "",
) -> dict:
    """Stage durations and error rates by team or period (default: the last 30 days)."""
    date_to = date_to or utcnow().astimezone(business_zone()).date()
    date_from = date_from or date_to - timedelta(days=DEFAULT_DAYS - 1)
    return await asyncio.to_thread(
        operations.compute_operations,
        UnitOfWork(),
        actor=actor,
        date_from=date_from,
        date_to=date_to,
        group_by=group_by.strip(),
        warehouse=warehouse.strip(),
    )
