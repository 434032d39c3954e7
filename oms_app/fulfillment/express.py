"""The short path for callers that pick and pack outside our screens (an ERP, a 3PL):
the same movements and transitions as scanning, recorded in one go."""

from __future__ import annotations

import sqlalchemy as sa

from oms_app.core.permissions import Actor
from oms_app.core.state_machine import apply_transition
from oms_app.fulfillment import packing, picking
from oms_app.fulfillment.models import Parcel, PickTask, Shipment, ShipmentLine, Wave
from oms_app.fulfillment.progress import sync_order
from oms_app.fulfillment.status import ShipmentAction, ShipmentStatus, WaveAction, WaveStatus
from oms_app.inventory import ledger

DEFAULT_GRAMS_PER_UNIT = 500  # when the caller does not weigh


def pick_and_pack(
    uow, shipment: Shipment, *, actor: Actor, carrier: str = "", weight: int | None = None
) -> None:
    """Bring one shipment to packed (no commit); steps already done are skipped."""
    if shipment.status == ShipmentStatus.ALLOCATED:
        apply_transition(uow, shipment, ShipmentAction.START_PICKING, actor=actor, reason="api")
    if shipment.status == ShipmentStatus.PICKING:
        _pick_everything(uow, shipment, actor)
        apply_transition(uow, shipment, ShipmentAction.FINISH_PICKING, actor=actor, reason="api")
    if shipment.status == ShipmentStatus.PICKED:
        apply_transition(uow, shipment, ShipmentAction.START_PACKING, actor=actor, reason="api")
    if shipment.status == ShipmentStatus.PACKING:
        units = _pack_everything(uow, shipment, weight)
        packing.confirm_carrier(
            uow, shipment, carrier or None, None, weight or units * DEFAULT_GRAMS_PER_UNIT
        )
        apply_transition(uow, shipment, ShipmentAction.PACK, actor=actor, reason="api")
    sync_order(uow, order_id=shipment.order_id, actor=actor)


def _pick_everything(uow, shipment: Shipment, actor: Actor) -> None:
    tasks = uow.session.scalars(
        sa.select(PickTask)
        .where(PickTask.shipment_id == shipment.id, PickTask.state == "open")
        .order_by(PickTask.id)
        .with_for_update()
    ).all()
    ledger.lock_many(uow, ((shipment.warehouse_id, t.product_id) for t in tasks))
    for task in tasks:
        line = uow.session.get(ShipmentLine, task.shipment_line_id)
        qty = task.quantity - task.picked_qty
        picking.move_to_staging(uow, task, shipment, qty, actor)
        picking.record_pick(uow, task, shipment, line, qty, actor)
    for wave_id in {t.wave_id for t in tasks if t.wave_id}:
        uow.session.flush()
        left = uow.session.scalar(
            sa.select(sa.func.count())
            .select_from(PickTask)
            .where(PickTask.wave_id == wave_id, PickTask.state == "open")
        )
        wave = uow.session.get(Wave, wave_id)
        if not left and wave.status == WaveStatus.PICKING:
            apply_transition(uow, wave, WaveAction.FINISH, actor=actor)


def _pack_everything(uow, shipment: Shipment, weight: int | None) -> int:
    lines = packing.shipment_lines(uow, shipment.id)
    items = {x.sku: x.picked_qty - x.packed_qty for x in lines if x.picked_qty > x.packed_qty}
    for x in lines:
        x.packed_qty = x.picked_qty
    units = sum(items.values())
    if items:
        count = len(packing.shipment_parcels(uow, shipment.id))
        uow.session.add(
            Parcel(
                shipment_id=shipment.id,
                parcel_no=count + 1,
                items=items,
                weight_grams=weight or units * DEFAULT_GRAMS_PER_UNIT,
                closed=True,
            )
        )
    for parcel in packing.shipment_parcels(uow, shipment.id):
        parcel.closed = True
    return units
