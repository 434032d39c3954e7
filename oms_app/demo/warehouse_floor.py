"""Put the demo's open orders on the warehouse floor: the bulk loader writes orders that are
allocated, being picked or packed; here they get their shipments, bin reservations and pick
tasks through the real services, so the picking board opens full and every move works."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from oms_app.core.db import UnitOfWork
from oms_app.core.permissions import SYSTEM_ACTOR
from oms_app.fulfillment import allocation, express, waves
from oms_app.fulfillment.models import Shipment
from oms_app.inventory import ledger
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
        being_picked = [sid for oid, status in orders for sid in _place(uow, oid, status)]
        _walk_waves(uow, being_picked)
        uow.commit()
        return uow.session.scalar(sa.text("SELECT count(*) FROM shipments"))


def _place(uow, order_id: int, status: str) -> list[int]:
    """Allocate one order; pack it if it was packed; return its shipments being picked."""
    facts = progress.fulfilment_facts(uow, order_id=order_id)
    needs = allocation.order_needs(facts)
    plan, warehouses = allocation.plan_for_order(uow, facts, needs, lock=False)
    if not plan.complete:
        return []
    allocation.create_shipments(uow, facts, plan, warehouses, actor=SYSTEM_ACTOR)
    shipments = uow.session.scalars(sa.select(Shipment).where(Shipment.order_id == order_id)).all()
    if status == "packed":
        for shipment in shipments:
            express.pick_and_pack(uow, shipment, actor=SYSTEM_ACTOR)
    return [s.id for s in shipments] if status == "picking" else []


def _walk_waves(uow, shipment_ids: list[int]) -> None:
    """Shipments being picked belong to a started wave, so the picking screen can go on."""
    if not shipment_ids:
        return
    codes = {w.id: w.code for w in ledger.list_warehouses(uow)}
    warehouse_ids = uow.session.scalars(
        sa.select(Shipment.warehouse_id).where(Shipment.id.in_(shipment_ids)).distinct()
    ).all()
    for warehouse_id in sorted(warehouse_ids):
        numbers = waves.create_waves(
            uow, actor=SYSTEM_ACTOR, warehouse_code=codes[warehouse_id], only=shipment_ids
        )
        for number in numbers:
            waves.begin_wave(uow, waves.load_wave(uow, number), actor=SYSTEM_ACTOR)
