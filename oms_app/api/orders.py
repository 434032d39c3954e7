"""Orders over HTTP: enter (idempotent), list, export, read, history, approve, reject, cancel."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from oms_app.api.auth import api_actor
from oms_app.api.errors import request_locale
from oms_app.api.params import Day, Page, PageSize, Search
from oms_app.core.clock import format_local, utcnow
from oms_app.core.db import UnitOfWork
from oms_app.core.paging import PageRequest
from oms_app.core.permissions import Actor
from oms_app.orders import export as order_export
from oms_app.orders import queries as order_queries
from oms_app.orders import rules
from oms_app.orders import service as order_service

router = APIRouter(prefix="/api/v1", tags=["orders"])
ActorDep = Annotated[Actor, Depends(api_actor)]
Money = Annotated[Decimal, Field(max_digits=16, decimal_places=2)]
MoneyQuery = Annotated[Decimal | None, Query(ge=0, max_digits=16, decimal_places=2)]


class LineBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sku: str = Field(min_length=1, max_length=32)
    quantity: int
    unit_price: Money | None = None
    discount_pct: Annotated[Decimal, Field(max_digits=5, decimal_places=2)] = Decimal("0")
    price_reason: str = Field(default="", max_length=200)


class AddressBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    province: str = Field(default="", max_length=32)
    city: str = Field(default="", max_length=32)
    district: str = Field(default="", max_length=32)
    street: str = Field(default="", max_length=200)
    postcode: str = Field(default="", max_length=12)
    receiver: str = Field(default="", max_length=80)
    phone: str = Field(default="", max_length=32)


class DeliveryBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    method: Literal["express", "pickup", "freight"] = "express"
    address: AddressBody | None = None
    requested_date: Day | None = None


class OrderBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    customer: str = Field(min_length=1, max_length=32)
    lines: list[LineBody] = Field(min_length=1, max_length=rules.MAX_LINES)
    delivery: DeliveryBody = DeliveryBody()
    notes: str = Field(default="", max_length=1000)
    submit: bool = True
    allow_split: bool = True  # False: one warehouse only, waiting for its stock if need be


class DecisionBody(BaseModel):
    comment: str = Field(default="", max_length=500)
    totp_code: str = Field(default="", max_length=10)


class CancelBody(BaseModel):
    reason: str = Field(min_length=1, max_length=500)


def _command(body: OrderBody, channel: str) -> rules.OrderInput:
    address = body.delivery.address
    return rules.OrderInput(
        customer_code=body.customer,
        lines=[
            rules.LineInput(
                sku=ln.sku,
                quantity=ln.quantity,
                unit_price=ln.unit_price,
                discount_pct=ln.discount_pct,
                price_reason=ln.price_reason,
            )
            for ln in body.lines
        ],
        delivery_method=body.delivery.method,
        address=rules.AddressInput(**address.model_dump()) if address else None,
        requested_date=body.delivery.requested_date,
        notes=body.notes,
        channel=channel,
        allow_split=body.allow_split,
    )


# What answers an order's creation: the order as written, without its history.
SUMMARY_FIELDS = (
    "number",
    "status",
    "total",
    "anomalies",
    "approvals",
    "subtotal",
    "tax_total",
    "shipping_fee",
    "lines",
    "allow_split",
)


def _summary(order: dict) -> dict:
    return {key: order[key] for key in SUMMARY_FIELDS}


@router.post("/orders", status_code=201)
async def create_order(
    body: OrderBody,
    actor: ActorDep,
    idempotency_key: Annotated[str, Header(max_length=128)] = "",
) -> JSONResponse:
    """Enter (and by default submit) an order. Send `Idempotency-Key` to retry safely."""
    order = await asyncio.to_thread(
        order_service.place_order,
        UnitOfWork(),
        actor=actor,
        cmd=_command(body, "api"),
        submit=body.submit,
        idempotency_key=idempotency_key,
    )
    return JSONResponse(_summary(order), status_code=201)


def order_filter(
    status: str = "",
    customer: str = "",
    rep: str = "",
    created_from: Day | None = None,
    created_to: Day | None = None,
    min_total: MoneyQuery = None,
    max_total: MoneyQuery = None,
    anomaly: str = "",
    search: Search = "",
) -> order_queries.OrderFilter:
    """The list's filters from the query string; dates are days in the key owner's zone."""
    return order_queries.OrderFilter(
        status=status,
        customer_code=customer,
        rep=rep,
        created_from=created_from,
        created_to=created_to,
        min_total=min_total,
        max_total=max_total,
        anomaly=anomaly,
        search=search,
    )


FilterDep = Annotated[order_queries.OrderFilter, Depends(order_filter)]


@router.get("/orders")
async def list_orders(
    actor: ActorDep,
    flt: FilterDep,
    page: Page = 1,
    page_size: PageSize = 25,
    sort: str = "created",
    descending: bool = True,
) -> dict:
    """Orders filtered by status, customer, rep, dates, total, anomaly or text; sorted, paged."""
    request = PageRequest(
        page=page, page_size=page_size, sort=sort, descending=descending, search=flt.search
    )
    result = await asyncio.to_thread(
        order_queries.list_orders, UnitOfWork(), actor=actor, request=request, flt=flt
    )
    return {"items": result["rows"], "total": result["total"], "page": page, "page_size": page_size}


def _export_file(
    actor: Actor, flt: order_queries.OrderFilter, fmt: str, locale: str, sort: str, desc: bool
) -> tuple[bytes, str]:
    rows = order_queries.export_orders(
        UnitOfWork(), actor=actor, flt=flt, sort=sort, descending=desc
    )
    return order_export.render(rows, fmt, locale)


# Declared before /orders/{number}, which would otherwise take "export" for an order number.
@router.get("/orders/export")
async def export_orders(
    request: Request,
    actor: ActorDep,
    flt: FilterDep,
    fmt: Annotated[Literal["csv", "xlsx"], Query(alias="format")] = "csv",
    sort: str = "created",
    descending: bool = True,
) -> Response:
    """The filtered list as a CSV or XLSX file (at most 50,000 orders, in the list's sort)."""
    locale = request_locale(request) if request.headers.get("accept-language") else actor.locale
    data, media_type = await asyncio.to_thread(
        _export_file, actor, flt, fmt, locale, sort, descending
    )
    filename = f"orders-{format_local(utcnow(), actor.tz, '%Y-%m-%d')}.{fmt}"
    return Response(
        data,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/orders/{number}")
async def get_order(number: str, actor: ActorDep) -> dict:
    return await asyncio.to_thread(
        order_queries.get_order, UnitOfWork(), actor=actor, number=number
    )


@router.get("/orders/{number}/history")
async def get_order_history(number: str, actor: ActorDep) -> dict:
    """Every status change: from, to, action, who, when, why."""
    rows = await asyncio.to_thread(
        order_queries.list_order_history, UnitOfWork(), actor=actor, number=number
    )
    return {"number": number, "history": rows}


async def _decided(number: str, actor: Actor) -> dict:
    order = await asyncio.to_thread(
        order_queries.get_order, UnitOfWork(), actor=actor, number=number
    )
    return _summary(order)


@router.post("/orders/{number}/approve")
async def approve_order(number: str, body: DecisionBody, actor: ActorDep) -> dict:
    """Approve the pending level as the key's owner.

    403 when their role may not decide it, or under the four-eyes rule: `error.approval.own_order`
    (they created the order), `error.approval.own_change` (they edited or submitted it),
    `error.approval.second_level` (they decided another level of it). An admin standing in for
    another role's level must give a comment (422 `error.approval.stand_in_reason`).
    """
    await asyncio.to_thread(
        order_service.approve_order,
        UnitOfWork(),
        actor=actor,
        number=number,
        comment=body.comment,
        totp_code=body.totp_code,
    )
    return await _decided(number, actor)


@router.post("/orders/{number}/reject")
async def reject_order(number: str, body: DecisionBody, actor: ActorDep) -> dict:
    """Reject the pending level: the order returns to draft with the comment as the reason.

    The same 403 four-eyes refusals as approving.
    """
    await asyncio.to_thread(
        order_service.reject_order, UnitOfWork(), actor=actor, number=number, comment=body.comment
    )
    return await _decided(number, actor)


@router.post("/orders/{number}/cancel")
async def cancel_order(number: str, body: CancelBody, actor: ActorDep) -> dict:
    await asyncio.to_thread(
        order_service.cancel_order, UnitOfWork(), actor=actor, number=number, reason=body.reason
    )
    return await _decided(number, actor)
