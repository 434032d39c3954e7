"""Returns over HTTP: ask to return an order's goods, list and read returns, approve, reject,
receive, close and withdraw them."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from oms_app.api.auth import api_actor
from oms_app.api.params import Page, PageSize
from oms_app.core.db import UnitOfWork
from oms_app.core.paging import PageRequest
from oms_app.core.permissions import Actor
from oms_app.returns import queries, rules, service
from oms_app.returns.status import ReturnStatus

router = APIRouter(prefix="/api/v1", tags=["returns"])
ActorDep = Annotated[Actor, Depends(api_actor)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ReturnLineBody(Strict):
    sku: str = Field(min_length=1, max_length=32)
    quantity: int


class ReturnBody(Strict):
    lines: list[ReturnLineBody] = Field(default_factory=list, max_length=rules.MAX_LINES)
    reason: str = Field(default="", max_length=32, description=" | ".join(rules.REASON_CODES))
    note: str = Field(default="", max_length=rules.MAX_NOTE)


class DecisionBody(Strict):
    comment: str = Field(default="", max_length=rules.MAX_DECISION_REASON)


class RejectBody(Strict):
    reason: str = Field(default="", max_length=rules.MAX_DECISION_REASON)


@router.post("/orders/{number}/returns", status_code=201)
async def request_return(number: str, body: ReturnBody, actor: ActorDep) -> dict:
    """Ask to return shipped goods of an order; a 422 names each bad field (lines[0].quantity)."""
    return await asyncio.to_thread(
        service.request_return,
        UnitOfWork(),
        actor=actor,
        order_number=number,
        lines=[rules.ReturnLineInput(ln.sku, ln.quantity) for ln in body.lines],
        reason=body.reason,
        note=body.note,
    )


@router.get("/orders/{number}/returns")
async def list_order_returns(number: str, actor: ActorDep) -> dict:
    """The order's returns, newest first."""
    rows = await asyncio.to_thread(
        queries.list_order_returns, UnitOfWork(), actor=actor, order_number=number
    )
    return {"order_number": number, "items": rows}


@router.get("/returns")
async def list_returns(
    actor: ActorDep,
    status: ReturnStatus | None = None,
    page: Page = 1,
    page_size: PageSize = 25,
    sort: str = "created",
    descending: bool = True,
    search: Annotated[str, Query(max_length=64)] = "",
) -> dict:
    """Returns filtered by status or text (return or order number), sorted, paged."""
    request = PageRequest(
        page=page, page_size=page_size, sort=sort, descending=descending, search=search
    )
    result = await asyncio.to_thread(
        queries.list_returns,
        UnitOfWork(),
        actor=actor,
        request=request,
        status=status.value if status else "",
    )
    return {"items": result["rows"], "total": result["total"], "page": page, "page_size": page_size}


@router.get("/returns/{number}")
async def get_return(number: str, actor: ActorDep) -> dict:
    """One return with its lines and its history (who, when, why)."""
    return await asyncio.to_thread(queries.get_return, UnitOfWork(), actor=actor, number=number)


@router.post("/returns/{number}/approve")
async def approve_return(number: str, actor: ActorDep, body: DecisionBody | None = None) -> dict:
    comment = body.comment if body else ""
    return await asyncio.to_thread(
        service.approve_return, UnitOfWork(), actor=actor, number=number, comment=comment
    )


@router.post("/returns/{number}/reject")
async def reject_return(number: str, body: RejectBody, actor: ActorDep) -> dict:
    """Refuse a requested return; the reason is required."""
    return await asyncio.to_thread(
        service.reject_return, UnitOfWork(), actor=actor, number=number, reason=body.reason
    )


@router.post("/returns/{number}/receive")
async def receive_return(number: str, actor: ActorDep) -> dict:
    """The goods came back: restocked where they shipped from, the sale reversed in the books."""
    return await asyncio.to_thread(service.receive_return, UnitOfWork(), actor=actor, number=number)


@router.post("/returns/{number}/close")
async def close_return(number: str, actor: ActorDep, body: DecisionBody | None = None) -> dict:
    comment = body.comment if body else ""
    return await asyncio.to_thread(
        service.close_return, UnitOfWork(), actor=actor, number=number, comment=comment
    )


@router.post("/returns/{number}/cancel")
async def cancel_return(number: str, actor: ActorDep, body: RejectBody | None = None) -> dict:
    """Withdraw one's own return while it waits for a decision."""
    reason = body.reason if body else ""
    return await asyncio.to_thread(
        service.cancel_return, UnitOfWork(), actor=actor, number=number, reason=reason
    )
