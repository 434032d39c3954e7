"""Group allocated shipments into pick waves, hand them to pickers, read their pick lists."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

import sqlalchemy as sa

from oms_app.accounts import service as accounts_service
from oms_app.core.clock import business_zone, utcnow
from oms_app.core.errors import NotFound, ValidationFailed
from oms_app.core.permissions import Actor, Permission, require
from oms_app.core.state_machine import apply_transition
from oms_app.fulfillment import rules
from oms_app.fulfillment.models import PickTask, Shipment, ShipmentLine, Wave
from oms_app.fulfillment.progress import sync_order
from oms_app.fulfillment.status import ShipmentAction, ShipmentStatus, WaveAction, WaveStatus
from oms_app.inventory import ledger
from oms_app.payments import invoices

MAX_SHIPMENTS_PER_WAVE = 20


def warehouse_by_code(uow, code: str) -> ledger.WarehouseInfo:
    code = (code or "").strip().upper()
    for w in ledger.list_warehouses(uow):
        if w.code == code:
            return w
    raise NotFound(entity="warehouse", field="warehouse", value=code)


def create_waves(
    uow,
    *,
    actor: Actor,
    warehouse_code: str,
    max_shipments: int = MAX_SHIPMENTS_PER_WAVE,
    now: datetime | None = None,
    only: list[int] | None = None,
) -> list[str]:
    """Put every allocated shipment of a warehouse that has no wave (or only the shipments
    given by id) into new waves."""
    require(actor, Permission.ORDER_FULFIL)
    if not isinstance(max_shipments, int) or not 1 <= max_shipments <= 500:
        raise ValidationFailed("max_shipments", "error.wave.size", maximum=500)
    now = now or utcnow()
    with uow:
        warehouse = warehouse_by_code(uow, warehouse_code)
        shipments = uow.session.scalars(
            sa.select(Shipment)
            .where(
                Shipment.warehouse_id == warehouse.id,
                Shipment.status == ShipmentStatus.ALLOCATED,
                Shipment.wave_id.is_(None),
                Shipment.id.in_(only) if only is not None else sa.true(),
            )
            .order_by(Shipment.id)
            .with_for_update(skip_locked=True)
        ).all()
        # a prepaid customer's goods are not picked before the money is in
        held = invoices.held_for_payment(uow, order_ids=[s.order_id for s in shipments])
        shipments = [s for s in shipments if s.order_id not in held]
        tasks = _open_tasks(uow, [s.id for s in shipments])
        candidates = [
            rules.WaveCandidate(
                s.id,
                s.warehouse_id,
                rules.primary_zone([(t.bin_code, t.quantity) for t in tasks[s.id]]),
                s.carrier,
                s.cutoff_at,
                s.priority,
                s.created_at,
            )
            for s in shipments
        ]
        by_id = {s.id: s for s in shipments}
        numbers = []
        for plan in rules.build_waves(candidates, max_shipments=max_shipments):
            wave = Wave(
                warehouse_id=plan.warehouse_id,
                zone=plan.zone,
                carrier=plan.carrier,
                cutoff_at=plan.cutoff_at,
                priority=plan.priority,
                created_by=actor.user_id,
            )
            uow.session.add(wave)
            uow.session.flush()
            wave.number = f"WV-{now.astimezone(business_zone()).year}-{wave.id:06d}"
            members = [t for sid in plan.shipment_ids for t in tasks[sid]]
            for sid in plan.shipment_ids:
                by_id[sid].wave_id = wave.id
            _sequence(members, wave.id)
            numbers.append(wave.number)
        uow.commit()
        return numbers


def _open_tasks(uow, shipment_ids: list[int]) -> dict[int, list[PickTask]]:
    found: dict[int, list[PickTask]] = defaultdict(list)
    if shipment_ids:
        for task in uow.session.scalars(
            sa.select(PickTask).where(
                PickTask.shipment_id.in_(shipment_ids), PickTask.state == "open"
            )
        ):
            found[task.shipment_id].append(task)
    return found


def _sequence(tasks: list[PickTask], wave_id: int) -> None:
    """Number the wave's tasks in walking order through the bins."""
    ordered = sorted(tasks, key=lambda t: (rules.bin_path_key(t.bin_code), t.shipment_id, t.id))
    for seq, task in enumerate(ordered, 1):
        task.wave_id, task.seq = wave_id, seq


def load_wave(uow, number: str, *, lock: bool = True) -> Wave:
    stmt = sa.select(Wave).where(Wave.number == (number or "").strip().upper())
    wave = uow.session.scalar(stmt.with_for_update() if lock else stmt)
    if wave is None:
        raise NotFound(entity="wave", field="wave", value=number)
    return wave


def start_wave(uow, *, actor: Actor, wave_number: str) -> str:
    """The picker takes the wave: it and its shipments are now being picked."""
    require(actor, Permission.ORDER_FULFIL)
    with uow:
        wave = load_wave(uow, wave_number)
        begin_wave(uow, wave, actor=actor)
        uow.commit()
        return str(wave.status)


def begin_wave(uow, wave: Wave, *, actor: Actor) -> None:
    """Start a planned wave (no commit): the first scan does this too."""
    apply_transition(uow, wave, WaveAction.START, actor=actor)
    if wave.picker_id is None:
        wave.picker_id, wave.picker_name = actor.user_id, actor.username
    shipments = uow.session.scalars(
        sa.select(Shipment)
        .where(Shipment.wave_id == wave.id, Shipment.status == ShipmentStatus.ALLOCATED)
        .order_by(Shipment.id)
        .with_for_update()
    ).all()
    for shipment in shipments:
        apply_transition(uow, shipment, ShipmentAction.START_PICKING, actor=actor)
        sync_order(uow, order_id=shipment.order_id, actor=actor)


def assign_picker(uow, *, actor: Actor, wave_number: str, picker: str) -> dict:
    """Give a wave to a picker (the supervisor plans the floor); only warehouse staff pick."""
    require(actor, Permission.ORDER_FULFIL)
    person = accounts_service.active_user_with_permission(
        uow, username=picker, permission=Permission.ORDER_FULFIL
    )
    with uow:
        wave = load_wave(uow, wave_number)
        if wave.status not in (WaveStatus.PLANNED, WaveStatus.PICKING):
            raise ValidationFailed("wave", "error.wave.closed")
        wave.picker_id, wave.picker_name = person.user_id, person.username
        uow.commit()
        return {"number": wave.number, "picker": wave.picker_name, "status": str(wave.status)}


def cancel_wave(uow, *, actor: Actor, wave_number: str, reason: str = "") -> None:
    """Dissolve a planned wave; its shipments wait for the next one."""
    require(actor, Permission.ORDER_FULFIL)
    with uow:
        wave = load_wave(uow, wave_number)
        apply_transition(uow, wave, WaveAction.CANCEL, actor=actor, reason=reason)
        uow.session.execute(
            sa.update(Shipment).where(Shipment.wave_id == wave.id).values(wave_id=None)
        )
        uow.session.execute(
            sa.update(PickTask).where(PickTask.wave_id == wave.id).values(wave_id=None, seq=0)
        )
        uow.commit()


def get_pick_list(uow, *, actor: Actor, wave_number: str) -> dict:
    """A wave and its pick lines in walking order, as the picker and the printout show them."""
    require(actor, Permission.ORDER_FULFIL)
    with uow:
        wave = load_wave(uow, wave_number, lock=False)
        warehouse = next(w for w in ledger.list_warehouses(uow) if w.id == wave.warehouse_id)
        rows = uow.session.execute(
            sa.select(PickTask, ShipmentLine, Shipment.number, Shipment.order_number)
            .join(ShipmentLine, ShipmentLine.id == PickTask.shipment_line_id)
            .join(Shipment, Shipment.id == PickTask.shipment_id)
            .where(PickTask.wave_id == wave.id, PickTask.state != "cancelled")
            .order_by(PickTask.seq, PickTask.id)
        ).all()
        return {
            "number": wave.number,
            "status": str(wave.status),
            "warehouse": warehouse.code,
            "warehouse_name": warehouse.name,
            "zone": wave.zone,
            "carrier": wave.carrier,
            "cutoff_at": wave.cutoff_at.isoformat() if wave.cutoff_at else "",
            "priority": wave.priority,
            "picker": wave.picker_name,
            "lines": [
                {
                    "id": task.id,
                    "seq": task.seq,
                    "bin": task.bin_code,
                    "sku": line.sku,
                    "barcode": line.barcode,
                    "name": line.name,
                    "unit": line.unit,
                    "quantity": task.quantity,
                    "picked": task.picked_qty,
                    "state": task.state,
                    "shipment": shipment_number,
                    "order": order_number,
                }
                for task, line, shipment_number, order_number in rows
            ],
        }


def list_waves(uow, *, actor: Actor, warehouse_code: str = "", status: str = "") -> list[dict]:
    """Open and recent waves, newest first, with their progress."""
    require(actor, Permission.ORDER_FULFIL)
    with uow:
        done = sa.func.count().filter(PickTask.state != "open")
        stmt = (
            sa.select(Wave, sa.func.count(PickTask.id), done)
            .outerjoin(
                PickTask, sa.and_(PickTask.wave_id == Wave.id, PickTask.state != "cancelled")
            )
            .group_by(Wave.id)
            .order_by(Wave.id.desc())
            .limit(200)
        )
        if warehouse_code:
            stmt = stmt.where(Wave.warehouse_id == warehouse_by_code(uow, warehouse_code).id)
        if status:
            stmt = stmt.where(Wave.status == status)
        codes = {w.id: w.code for w in ledger.list_warehouses(uow)}
        return [
            {
                "number": w.number,
                "status": str(w.status),
                "warehouse": codes.get(w.warehouse_id, ""),
                "zone": w.zone,
                "carrier": w.carrier,
                "cutoff_at": w.cutoff_at.isoformat() if w.cutoff_at else "",
                "priority": w.priority,
                "picker": w.picker_name,
                "tasks": int(total),
                "done": int(finished),
            }
            for w, total, finished in uow.session.execute(stmt)
        ]
