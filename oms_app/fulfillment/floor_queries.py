"""Read side of the warehouse floor screens: what waits at the packing table."""

from __future__ import annotations

import sqlalchemy as sa

from oms_app.core.permissions import Actor, Permission, require
from oms_app.fulfillment.models import Shipment
from oms_app.fulfillment.status import ShipmentStatus
from oms_app.fulfillment.waves import warehouse_by_code

PACKABLE = (ShipmentStatus.PICKED, ShipmentStatus.PACKING, ShipmentStatus.PACKED)
MAX_ROWS = 200


def list_packable(uow, *, actor: Actor, warehouse_code: str) -> list[dict]:
    """Shipments of a warehouse that are picked, being packed or packed, oldest first."""
    require(actor, Permission.ORDER_FULFIL)
    with uow:
        warehouse = warehouse_by_code(uow, warehouse_code)
        rows = uow.session.scalars(
            sa.select(Shipment)
            .where(
                Shipment.warehouse_id == warehouse.id,
                Shipment.status.in_([s.value for s in PACKABLE]),
            )
            .order_by(Shipment.priority, Shipment.cutoff_at.asc().nulls_last(), Shipment.id)
            .limit(MAX_ROWS)
        ).all()
        return [
            {
                "number": s.number,
                "order": s.order_number,
                "customer": s.customer_name,
                "status": str(s.status),
                "carrier": s.carrier,
                "delivery_method": s.delivery_method,
            }
            for s in rows
        ]
