"""REST API of outbound webhooks: subscriptions (admins only) and their delivery log."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from oms_app.api.auth import api_actor
from oms_app.api.params import Page, PageSize, RowId
from oms_app.core.db import UnitOfWork
from oms_app.core.permissions import Actor
from oms_app.webhooks import queries as webhook_queries
from oms_app.webhooks import service as webhook_service
from tasks.webhooks import queue_delivery

router = APIRouter(prefix="/api/v1", tags=["webhooks"])
ActorDep = Annotated[Actor, Depends(api_actor)]


class SubscriptionIn(BaseModel):
    name: str = Field(max_length=80)
    url: str = Field(max_length=500)
    event_types: list[str] = Field(max_length=50)
    secret: str | None = Field(default=None, max_length=128)


class SubscriptionPatch(BaseModel):
    name: str | None = Field(default=None, max_length=80)
    url: str | None = Field(default=None, max_length=500)
    event_types: list[str] | None = Field(default=None, max_length=50)
    is_active: bool | None = None


@router.get("/webhooks")
async def list_webhooks(actor: ActorDep) -> dict:
    """Every subscription; secrets are never listed."""
    items = await asyncio.to_thread(webhook_queries.list_subscriptions, UnitOfWork(), actor=actor)
    return {"items": items}


@router.post("/webhooks", status_code=201)
async def create_webhook(actor: ActorDep, body: SubscriptionIn) -> dict:
    """Subscribe a URL; the answer carries the signing secret, and no later answer does."""
    return await asyncio.to_thread(
        webhook_service.create_subscription, UnitOfWork(), actor=actor, **body.model_dump()
    )


@router.patch("/webhooks/{subscription_id}")
async def update_webhook(actor: ActorDep, subscription_id: RowId, body: SubscriptionPatch) -> dict:
    """Change the name, URL, event types or active flag of a subscription."""
    return await asyncio.to_thread(
        webhook_service.update_subscription,
        UnitOfWork(),
        actor=actor,
        subscription_id=subscription_id,
        **body.model_dump(exclude_unset=True),
    )


@router.delete("/webhooks/{subscription_id}")
async def deactivate_webhook(actor: ActorDep, subscription_id: RowId) -> dict:
    """Deactivate a subscription (its delivery log stays)."""
    return await asyncio.to_thread(
        webhook_service.deactivate_subscription,
        UnitOfWork(),
        actor=actor,
        subscription_id=subscription_id,
    )


@router.get("/webhooks/{subscription_id}/deliveries")
async def list_webhook_deliveries(
    actor: ActorDep,
    subscription_id: RowId,
    page: Page = 1,
    page_size: PageSize = 25,
    state: str = "",
) -> dict:
    """The subscription's delivery log, newest first, paged on the server."""
    result = await asyncio.to_thread(
        webhook_queries.list_deliveries,
        UnitOfWork(),
        actor=actor,
        subscription_id=subscription_id,
        state=state,
        page=page,
        page_size=page_size,
    )
    return {"items": result["rows"], "total": result["total"], "page": page, "page_size": page_size}


@router.post("/webhooks/deliveries/{delivery_id}/redeliver", status_code=202)
async def redeliver_webhook(actor: ActorDep, delivery_id: RowId) -> dict:
    """Send a delivery again from its first attempt."""
    await asyncio.to_thread(
        webhook_service.redeliver, UnitOfWork(), actor=actor, delivery_id=delivery_id
    )
    await asyncio.to_thread(queue_delivery, delivery_id)
    return {"id": delivery_id, "state": "pending"}
