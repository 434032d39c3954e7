"""REST endpoints for the warehouse: goods receipts and stock per warehouse and bin."""

from __future__ import annotations

import asyncio
import logging
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from oms_app.api.auth import api_actor
from oms_app.api.params import BodyRowId
from oms_app.core.db import UnitOfWork
from oms_app.core.permissions import Actor
from oms_app.fulfillment import receiving
from oms_app.inventory import warehouse_queries
from tasks import anomalies as anomaly_tasks

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/v1")
ActorDep = Annotated[Actor, Depends(api_actor)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ReceiptLineBody(Strict):
    sku: str
    quantity: int
    bin: str = Field(default="", description="bin code; blank: the warehouse's receiving bin")


class ReceiptBody(Strict):
    warehouse: str
    reference: str = Field(default="", description="delivery note no.; blank: one is generated")
    lines: list[ReceiptLineBody]
    expected_receipt_id: BodyRowId | None = None


def _recheck_waiting_orders(skus: list[str]) -> None:
    """Stock arrived: orders waiting for approval get their stock anomalies re-checked.

    Best effort: the beat re-check every 10 minutes catches what a lost message would miss.
    """
    try:
        anomaly_tasks.recheck.delay(skus)
    except Exception:  # the broker is down; the receipt itself is saved
        log.warning("could not queue the anomaly re-check for %s", skus, exc_info=True)


@router.post("/receipts", tags=["inventory"], status_code=201)
async def post_receipt(body: ReceiptBody, actor: ActorDep) -> JSONResponse:
    """Receive goods into bins, then allocate the backorders they fill (first come, first served).

    A reference is received once: posting it again is 409 `error.receipt.duplicate`.
    """
    lines = [receiving.ReceiptLine(ln.sku, ln.quantity, ln.bin) for ln in body.lines]
    result = await asyncio.to_thread(
        receiving.receive_goods,
        UnitOfWork(),
        actor=actor,
        warehouse_code=body.warehouse,
        lines=lines,
        reference=body.reference,
        expected_receipt_id=body.expected_receipt_id,
    )
    _recheck_waiting_orders(sorted({line["sku"] for line in result["lines"]}))
    return JSONResponse(result, status_code=201)


@router.get("/inventory/{sku}", tags=["inventory"])
async def get_sku_stock(sku: str, actor: ActorDep) -> dict:
    """On hand, reserved and available of a SKU per warehouse and bin, with the totals.

    `items` repeats the per-warehouse figures in the shape this endpoint first had.
    """
    stock = await asyncio.to_thread(
        warehouse_queries.get_sku_stock, UnitOfWork(), actor=actor, sku=sku
    )
    legacy = [
        {k: w[k] for k in ("warehouse", "on_hand", "reserved", "available")}
        for w in stock["warehouses"]
    ]
    return stock | {"items": legacy}
