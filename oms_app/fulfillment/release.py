"""Undo an order's hold on the warehouse when it is cancelled: release what its shipments
reserved and put picked goods back into the bins they came from."""

from __future__ import annotations

import sqlalchemy as sa

from oms_app.core.permissions import Actor
from oms_app.core.state_machine import apply_transition
from oms_app.fulfillment.allocation import SHIPMENT_REF, shipment_ref
from oms_app.fulfillment.models import Backorder, PickTask, Shipment
from oms_app.fulfillment.status import IN_WAREHOUSE, ShipmentAction
from oms_app.inventory import ledger


def release_order(uow, *, order_id: int, actor: Actor, reason: str) -> None:
    """Cancel the order's shipments still in the warehouse: unreserve, put picked goods back."""
    shipments = uow.session.scalars(
        sa.select(Shipment)
        .where(Shipment.order_id == order_id, Shipment.status.in_([str(s) for s in IN_WAREHOUSE]))
        .order_by(Shipment.id)
        .with_for_update()
    ).all()
    for shipment in shipments:
        release_shipment(uow, shipment, actor=actor)
        apply_transition(uow, shipment, ShipmentAction.CANCEL, actor=actor, reason=reason)
    for row in uow.session.scalars(
        sa.select(Backorder).where(Backorder.order_id == order_id, Backorder.state == "open")
    ):
        row.state = "cancelled"


def release_shipment(uow, shipment: Shipment, *, actor: Actor) -> None:
    """Undo a shipment's hold on stock: release bin reservations, restock the packing area."""
    ref = shipment_ref(shipment.id)
    levels = ledger.levels_by_ref(uow, ref_type=SHIPMENT_REF, ref_id=ref)
    ledger.lock_many(uow, ((lv.warehouse_id, lv.product_id) for lv in levels))
    tasks = uow.session.scalars(
        sa.select(PickTask).where(PickTask.shipment_id == shipment.id)
    ).all()
    moves = []
    for lv in levels:
        if not lv.is_staging and lv.reserved:
            moves.append(
                ledger.Move(
                    "release",
                    lv.product_id,
                    lv.warehouse_id,
                    lv.bin_id,
                    reserved=-lv.reserved,
                    ref_type=SHIPMENT_REF,
                    ref_id=ref,
                )
            )
        elif lv.is_staging and lv.on_hand:
            moves += _put_back(lv, [t for t in tasks if t.product_id == lv.product_id], ref)
    ledger.append(uow, moves, actor_id=actor.user_id)
    for task in tasks:
        if task.state == "open":
            task.state = "cancelled"


def _put_back(level: ledger.BinLevel, tasks: list[PickTask], ref: str) -> list[ledger.Move]:
    """Picked goods go back to the bins they came from."""
    moves = [
        ledger.Move(
            "restock",
            level.product_id,
            level.warehouse_id,
            level.bin_id,
            on_hand=-level.on_hand,
            reserved=-level.reserved,
            ref_type=SHIPMENT_REF,
            ref_id=ref,
        )
    ]
    left = level.on_hand
    for task in tasks:
        back = min(task.picked_qty, left)
        if back > 0:
            moves.append(
                ledger.Move(
                    "restock",
                    level.product_id,
                    level.warehouse_id,
                    task.bin_id,
                    on_hand=back,
                    ref_type=SHIPMENT_REF,
                    ref_id=ref,
                )
            )
            left -= back
    if left > 0 and tasks:
        moves.append(
            ledger.Move(
                "restock",
                level.product_id,
                level.warehouse_id,
                tasks[0].bin_id,
                on_hand=left,
                ref_type=SHIPMENT_REF,
                ref_id=ref,
            )
        )
    return moves
