"""Read side of the warehouse floor for the API and screens; never mutates."""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa

from oms_app.core.permissions import Actor, Permission, require
from oms_app.fulfillment.models import Shipment, ShipmentLine
from oms_app.fulfillment.status import ShipmentStatus
from oms_app.inventory import ledger
from oms_app.orders import progress as order_progress


def _iso(moment) -> str:
    return moment.isoformat() if moment else ""


def list_order_shipments(uow, *, actor: Actor, number: str) -> list[dict]:
    """An order's shipments, oldest first, with where they stand and what they carry."""
    require(actor, Permission.ORDER_FULFIL)
    with uow:
        facts = order_progress.fulfilment_facts(uow, number=(number or "").strip())
        shipments = uow.session.scalars(
            sa.select(Shipment).where(Shipment.order_id == facts.order_id).order_by(Shipment.id)
        ).all()
        lines: dict[int, list[ShipmentLine]] = defaultdict(list)
        if shipments:
            for line in uow.session.scalars(
                sa.select(ShipmentLine)
                .where(ShipmentLine.shipment_id.in_([s.id for s in shipments]))
                .order_by(ShipmentLine.id)
            ):
                lines[line.shipment_id].append(line)
        codes = {w.id: w.code for w in ledger.list_warehouses(uow)}
        return [
            {
                "number": s.number,
                "order": s.order_number,
                "status": str(s.status),
                "warehouse": codes.get(s.warehouse_id, ""),
                "delivery_method": s.delivery_method,
                "carrier": s.carrier,
                "service": s.service,
                "tracking_no": s.tracking_no,
                "pickup_code": s.pickup_code,
                "weight_grams": s.weight_grams,
                "shipped_at": _iso(s.shipped_at),
                "delivered_at": _iso(s.delivered_at),
                "lines": [
                    {
                        "sku": x.sku,
                        "name": x.name,
                        "unit": x.unit,
                        "quantity": x.quantity,
                        "picked": x.picked_qty,
                        "packed": x.packed_qty,
                    }
                    for x in lines[s.id]
                ],
            }
            for s in shipments
        ]


def shipped_quantities(uow, *, order_id: int) -> dict[int, dict[int, int]]:
    """What of an order has left: order line id -> {warehouse id: quantity}, counting shipments
    shipped or delivered (for returns; the caller checked who asks)."""
    rows = uow.session.execute(
        sa.select(Shipment.warehouse_id, ShipmentLine.order_line_id, ShipmentLine.quantity)
        .join(Shipment, Shipment.id == ShipmentLine.shipment_id)
        .where(
            Shipment.order_id == order_id,
            Shipment.status.in_([ShipmentStatus.SHIPPED.value, ShipmentStatus.DELIVERED.value]),
        )
    )
    shipped: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for warehouse_id, line_id, quantity in rows:
        shipped[line_id][warehouse_id] += quantity
    return {line_id: dict(by_warehouse) for line_id, by_warehouse in shipped.items()}
