"""The packing table and wave planning over HTTP, for scanners and outside warehouse systems:
the same services as the screens."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field

from oms_app.api.auth import api_actor
from oms_app.core.db import UnitOfWork
from oms_app.core.permissions import Actor
from oms_app.fulfillment import packing, shipping, waves

router = APIRouter(prefix="/api/v1", tags=["fulfillment"])
ActorDep = Annotated[Actor, Depends(api_actor)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AssignBody(Strict):
    picker: str = Field(min_length=1, max_length=64)


class ScanBody(Strict):
    barcode: str = Field(min_length=1, max_length=64)
    quantity: int = Field(default=1, ge=1, le=100_000)


class ParcelBody(Strict):
    weight_grams: int = Field(ge=1, le=packing.MAX_WEIGHT_GRAMS)
    length_cm: int = Field(ge=1, le=packing.MAX_SIDE_CM)
    width_cm: int = Field(ge=1, le=packing.MAX_SIDE_CM)
    height_cm: int = Field(ge=1, le=packing.MAX_SIDE_CM)


class PackBody(Strict):
    carrier: str = Field(default="", max_length=16)
    service: str = Field(default="", max_length=16)


class HandOverBody(Strict):
    pickup_code: str = Field(default="", max_length=8)
    tracking_no: str = Field(default="", max_length=40)


@router.post("/waves/{number}/assign")
async def assign_picker(number: str, body: AssignBody, actor: ActorDep) -> dict:
    """Give a planned or running wave to a picker (a user with warehouse rights)."""
    return await asyncio.to_thread(
        waves.assign_picker, UnitOfWork(), actor=actor, wave_number=number, picker=body.picker
    )


class CancelWaveBody(Strict):
    reason: str = Field(default="", max_length=200)


@router.post("/waves/{number}/cancel")
async def cancel_wave(number: str, actor: ActorDep, body: CancelWaveBody | None = None) -> dict:
    """Dissolve a wave nobody has started; its shipments wait for the next wave."""
    await asyncio.to_thread(
        waves.cancel_wave,
        UnitOfWork(),
        actor=actor,
        wave_number=number,
        reason=(body or CancelWaveBody()).reason,
    )
    return {"number": number.strip().upper(), "status": "cancelled"}


@router.get("/shipments/{number}")
async def get_shipment(number: str, actor: ActorDep) -> dict:
    """A shipment as the packing table sees it: lines picked and packed, parcels, carrier."""
    return await asyncio.to_thread(
        packing.get_packing, UnitOfWork(), actor=actor, shipment_number=number
    )


@router.post("/shipments/{number}/items")
async def scan_item(number: str, body: ScanBody, actor: ActorDep) -> dict:
    """Scan picked goods into the open parcel."""
    return await asyncio.to_thread(
        packing.scan_item,
        UnitOfWork(),
        actor=actor,
        shipment_number=number,
        barcode=body.barcode,
        quantity=body.quantity,
    )


@router.post("/shipments/{number}/parcels/close")
async def close_parcel(number: str, body: ParcelBody, actor: ActorDep) -> dict:
    """Weigh and measure the open parcel and close it."""
    parcel_no = await asyncio.to_thread(
        packing.close_parcel,
        UnitOfWork(),
        actor=actor,
        shipment_number=number,
        **body.model_dump(),
    )
    return {"shipment": number.strip().upper(), "parcel": parcel_no}


@router.post("/shipments/{number}/pack")
async def finish_packing(number: str, actor: ActorDep, body: PackBody | None = None) -> dict:
    """Everything picked is packed: confirm the carrier; the shipment is ready to ship."""
    body = body or PackBody()
    return await asyncio.to_thread(
        packing.finish_packing,
        UnitOfWork(),
        actor=actor,
        shipment_number=number,
        carrier=body.carrier or None,
        service=body.service or None,
    )


@router.post("/shipments/{number}/ship")
async def ship_shipment(number: str, actor: ActorDep, body: HandOverBody | None = None) -> dict:
    """Hand a packed shipment to its carrier (booked here unless a tracking number is given)
    or, for self-pickup, to the customer who shows the pickup code."""
    body = body or HandOverBody()
    return await asyncio.to_thread(
        shipping.ship_shipment,
        UnitOfWork(),
        actor=actor,
        shipment_number=number,
        pickup_code=body.pickup_code,
        tracking_no=body.tracking_no,
    )
