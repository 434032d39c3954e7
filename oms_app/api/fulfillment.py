"""The warehouse floor over HTTP: waves, scan-picks, shipping orders, printable documents."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from oms_app.api.auth import api_actor, api_or_session_actor
from oms_app.api.errors import request_locale
from oms_app.api.params import RowId
from oms_app.core.db import UnitOfWork
from oms_app.core.i18n import SUPPORTED
from oms_app.core.permissions import Actor
from oms_app.fulfillment import document_queries, picking, shipping, waves
from oms_app.fulfillment import queries as fulfilment_queries

router = APIRouter(prefix="/api/v1", tags=["fulfillment"])
ActorDep = Annotated[Actor, Depends(api_actor)]
# PDFs open in the browser from the UI's links, so the session cookie is accepted there too.
ViewerDep = Annotated[Actor, Depends(api_or_session_actor)]


class WaveBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    warehouse: str = Field(min_length=1, max_length=16)
    max_shipments: int = Field(default=waves.MAX_SHIPMENTS_PER_WAVE, ge=1, le=500)


class PickBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    bin: str = Field(min_length=1, max_length=32)
    barcode: str = Field(min_length=1, max_length=64)
    quantity: int | None = Field(default=None, ge=1, le=1_000_000)


class ShortBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    bin: str = Field(min_length=1, max_length=32)
    found: int = Field(ge=0, le=1_000_000)
    reason: str = Field(default="", max_length=200)


class ShipBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    carrier: str = Field(default="", max_length=16)
    tracking_no: str = Field(default="", max_length=40)
    weight_grams: int | None = Field(default=None, ge=1, le=1_000_000)


def _document_locale(actor: Actor, request: Request) -> str:
    """The signed-in user's saved language; the browser's only when the user has none."""
    return actor.locale if actor.locale in SUPPORTED else request_locale(request)


def _pdf(data: bytes, kind: str, number: str) -> Response:
    safe = "".join(ch for ch in number.strip().upper() if ch.isalnum() or ch == "-")[:40]
    filename = f"{kind}-{safe}.pdf"
    return Response(
        content=data,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


@router.get("/waves")
async def list_waves(actor: ActorDep, warehouse: str = "", status: str = "") -> dict:
    """Open and recent waves, newest first, with their progress."""
    rows = await asyncio.to_thread(
        waves.list_waves, UnitOfWork(), actor=actor, warehouse_code=warehouse, status=status
    )
    return {"waves": rows}


@router.post("/waves", status_code=201)
async def create_waves(body: WaveBody, actor: ActorDep) -> JSONResponse:
    """Put a warehouse's allocated shipments without a wave into new waves."""
    numbers = await asyncio.to_thread(
        waves.create_waves,
        UnitOfWork(),
        actor=actor,
        warehouse_code=body.warehouse,
        max_shipments=body.max_shipments,
    )
    return JSONResponse({"waves": numbers}, status_code=201)


@router.get("/waves/{number}")
async def get_wave(number: str, actor: ActorDep) -> dict:
    """A wave and its pick lines in walking order."""
    return await asyncio.to_thread(
        waves.get_pick_list, UnitOfWork(), actor=actor, wave_number=number
    )


@router.post("/waves/{number}/start")
async def start_wave(number: str, actor: ActorDep) -> dict:
    """The picker takes the wave."""
    status = await asyncio.to_thread(
        waves.start_wave, UnitOfWork(), actor=actor, wave_number=number
    )
    return {"number": number.strip().upper(), "status": status}


@router.get("/waves/{number}/pick-list.pdf")
async def pick_list_pdf(number: str, request: Request, actor: ViewerDep) -> Response:
    """The wave's printable pick list."""
    data = await asyncio.to_thread(
        document_queries.pick_list_document,
        UnitOfWork(),
        actor=actor,
        wave_number=number,
        locale=_document_locale(actor, request),
    )
    return _pdf(data, "pick-list", number)


@router.post("/picks/{pick_id}/confirm")
async def confirm_pick(pick_id: RowId, body: PickBody, actor: ActorDep) -> dict:
    """Confirm a pick by scanning the bin and the goods."""
    return await asyncio.to_thread(
        picking.confirm_pick,
        UnitOfWork(),
        actor=actor,
        pick_id=pick_id,
        bin_code=body.bin,
        barcode=body.barcode,
        quantity=body.quantity,
    )


@router.post("/picks/{pick_id}/short")
async def report_short(pick_id: RowId, body: ShortBody, actor: ActorDep) -> dict:
    """The bin holds less than booked: pick what is found, re-allocate the rest."""
    return await asyncio.to_thread(
        picking.report_short,
        UnitOfWork(),
        actor=actor,
        pick_id=pick_id,
        bin_code=body.bin,
        found=body.found,
        reason=body.reason,
    )


@router.post("/orders/{number}/shipments", status_code=201)
async def ship_order(number: str, actor: ActorDep, body: ShipBody | None = None) -> JSONResponse:
    """Ship everything of the order still in the warehouse (picked and packed by the caller)."""
    body = body or ShipBody()
    shipped = await asyncio.to_thread(
        shipping.ship_order,
        UnitOfWork(),
        actor=actor,
        number=number,
        carrier=body.carrier,
        tracking_no=body.tracking_no,
        weight_grams=body.weight_grams,
    )
    return JSONResponse({"shipments": shipped}, status_code=201)


@router.get("/orders/{number}/shipments")
async def list_order_shipments(number: str, actor: ActorDep) -> dict:
    """The order's shipments with status, warehouse, carrier, tracking number and lines."""
    rows = await asyncio.to_thread(
        fulfilment_queries.list_order_shipments, UnitOfWork(), actor=actor, number=number
    )
    return {"shipments": rows}


@router.get("/shipments/{number}/packing-slip.pdf")
async def packing_slip_pdf(number: str, request: Request, actor: ViewerDep) -> Response:
    """The slip laid in the box."""
    data = await asyncio.to_thread(
        document_queries.packing_slip_document,
        UnitOfWork(),
        actor=actor,
        shipment_number=number,
        locale=_document_locale(actor, request),
    )
    return _pdf(data, "packing-slip", number)


@router.get("/shipments/{number}/label.pdf")
async def label_pdf(number: str, actor: ViewerDep) -> Response:
    """One shipping label per parcel (after shipping; pickup labels once packed)."""
    data = await asyncio.to_thread(
        document_queries.shipping_label_document, UnitOfWork(), actor=actor, shipment_number=number
    )
    return _pdf(data, "label", number)
