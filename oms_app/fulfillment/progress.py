"""Keep an order's status in step with its shipments (one place, called after each change)."""

from __future__ import annotations

import sqlalchemy as sa

from oms_app.core.permissions import Actor
from oms_app.fulfillment import rules
from oms_app.fulfillment.models import Backorder, Shipment
from oms_app.fulfillment.status import ShipmentStatus
from oms_app.orders import progress as order_progress


def sync_order(uow, *, order_id: int, actor: Actor, params: dict | None = None) -> str:
    """Move the order forward to what its shipments add up to; never backwards."""
    statuses = [
        str(s)
        for s in uow.session.scalars(
            sa.select(Shipment.status).where(
                Shipment.order_id == order_id, Shipment.status != ShipmentStatus.CANCELLED
            )
        )
    ]
    waiting = bool(
        uow.session.scalar(
            sa.select(sa.func.count())
            .select_from(Backorder)
            .where(Backorder.order_id == order_id, Backorder.state == "open")
        )
    )
    facts = order_progress.fulfilment_facts(uow, order_id=order_id)
    steps = rules.order_steps(facts.status, statuses, waiting_backorder=waiting)
    if not steps:
        return facts.status
    return order_progress.move_order(
        uow, order_id=order_id, actions=steps, actor=actor, params=params
    )
