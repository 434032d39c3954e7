"""What the books hear from the warehouse, in the shipment's own transaction: the goods that
left (revenue, VAT, fee, and their standard cost)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

import sqlalchemy as sa

from oms_app.core.permissions import SYSTEM_ACTOR
from oms_app.fulfillment.models import Shipment, ShipmentLine
from oms_app.fulfillment.status import ShipmentStatus
from oms_app.ledger import service as ledger
from oms_app.ledger.facts import ShipmentFacts
from oms_app.orders import billing

LEFT = (ShipmentStatus.SHIPPED.value, ShipmentStatus.DELIVERED.value)


def book_shipment(uow, shipment: Shipment, *, at: datetime) -> None:
    """Post the shipment's share of its order: receivable / revenue / VAT and cost / stock."""
    before = _quantities(
        uow,
        sa.select(ShipmentLine.order_line_id, ShipmentLine.quantity)
        .join(Shipment, Shipment.id == ShipmentLine.shipment_id)
        .where(
            Shipment.order_id == shipment.order_id,
            Shipment.id != shipment.id,
            Shipment.status.in_(LEFT),
        ),
    )
    now = _quantities(
        uow,
        sa.select(ShipmentLine.order_line_id, ShipmentLine.quantity).where(
            ShipmentLine.shipment_id == shipment.id
        ),
    )
    value = billing.shipment_value(
        uow, order_id=shipment.order_id, shipped_before=before, shipping_now=now
    )
    ledger.post_shipment(
        uow,
        facts=ShipmentFacts(
            shipment_number=shipment.number,
            order_id=shipment.order_id,
            order_number=shipment.order_number,
            customer_id=billing.billing_facts(uow, order_id=shipment.order_id).customer_id,
            shipped_at=at,
            revenue=value.revenue,
            vat=value.vat,
            shipping_fee=value.shipping_fee,
            cost=value.cost,
        ),
        actor=SYSTEM_ACTOR,
    )


def _quantities(uow, stmt) -> dict[int, int]:
    counted: Counter[int] = Counter()
    for line_id, quantity in uow.session.execute(stmt):
        counted[line_id] += quantity
    return dict(counted)
