"""Put the demo's open orders on the warehouse floor: the bulk loader writes orders that are
allocated, being picked or packed; here they get their shipments, bin reservations and pick
tasks through the real services, so the picking board opens full and every move works."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from oms_app.core.db import UnitOfWork
from oms_app.core.permissions import SYSTEM_ACTOR
from oms_app.core.state_machine import apply_transition
from oms_app.fulfillment import allocation, express
from oms_app.fulfillment.models import Shipment
from oms_app.fulfillment.status import ShipmentAction
from oms_app.orders import progress

ON_THE_FLOOR = ("allocated", "picking", "packed")


def open_warehouse_floor(engine: sa.Engine) -> int:
    """Give every allocated, picking or packed demo order its shipments; returns how many."""
    uow = UnitOfWork(lambda: Session(engine))
    with uow:
        orders = uow.session.execute(
            sa.text("SELECT id, status FROM orders WHERE status = ANY(:s) ORDER BY id"),
            {"s": list(ON_THE_FLOOR)},
        ).all()
        if not orders:
            return 0
        # the loader's per-order reservations are replaced by per-shipment ones
        uow.session.execute(
            sa.text(
                "DELETE FROM stock_movements WHERE ref_type = 'order' AND kind = 'reserve' "
                "AND ref_id = ANY(:ids)"
            ),
            {"ids": [str(oid) for oid, _ in orders]},
        )
        for oid, status in orders:
            _place(uow, oid, status)
        uow.commit()
        return uow.session.scalar(sa.text("SELECT count(*) FROM shipments"))


def _place(uow, order_id: int, status: str) -> None:
    facts = progress.fulfilment_facts(uow, order_id=order_id)
    needs = allocation.order_needs(facts)
    plan, warehouses = allocation.plan_for_order(uow, facts, needs, lock=False)
    if not plan.complete:
        return
    allocation.create_shipments(uow, facts, plan, warehouses, actor=SYSTEM_ACTOR)
    if status == "allocated":
        return
    for shipment in uow.session.scalars(sa.select(Shipment).where(Shipment.order_id == order_id)):
        if status == "picking":
            apply_transition(uow, shipment, ShipmentAction.START_PICKING, actor=SYSTEM_ACTOR)
        else:
            express.pick_and_pack(uow, shipment, actor=SYSTEM_ACTOR)
