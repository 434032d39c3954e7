"""Confirm picks by scanning the bin and the goods; handle a bin that holds less than it should.

A pick moves goods from their bin to the warehouse's packing area; both stay reserved for the
shipment. A short pick writes the missing goods off the bin and finds them elsewhere: another
bin, another warehouse (when the order may be split), or a backorder.
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa

from oms_app.core.clock import utcnow
from oms_app.core.errors import Conflict, NotFound, ValidationFailed
from oms_app.core.permissions import SYSTEM_ACTOR, Actor, Permission, require
from oms_app.core.state_machine import apply_transition
from oms_app.fulfillment import allocation, rules
from oms_app.fulfillment.events import PickConfirmed
from oms_app.fulfillment.models import Backorder, PickTask, Shipment, ShipmentLine, Wave
from oms_app.fulfillment.progress import sync_order
from oms_app.fulfillment.status import ShipmentAction, ShipmentStatus, WaveAction, WaveStatus
from oms_app.fulfillment.waves import begin_wave
from oms_app.inventory import ledger
from oms_app.logistics.geography import distance_km
from oms_app.notifications import service as notifications
from oms_app.orders import progress as order_progress

REF = allocation.SHIPMENT_REF


class PickClosed(Conflict):
    """The pick was already confirmed, or its shipment is past picking."""

    code = "error.pick.closed"


def _load(uow, pick_id: int) -> tuple[PickTask, Shipment, ShipmentLine]:
    task = uow.session.scalar(sa.select(PickTask).where(PickTask.id == pick_id).with_for_update())
    if task is None:
        raise NotFound(entity="pick", field="pick", value=str(pick_id))
    if task.state != "open":
        raise PickClosed(field="pick", state=task.state)
    shipment = uow.session.scalar(
        sa.select(Shipment).where(Shipment.id == task.shipment_id).with_for_update()
    )
    line = uow.session.get(ShipmentLine, task.shipment_line_id)
    return task, shipment, line


def _check_scans(task: PickTask, line: ShipmentLine, bin_code: str, barcode: str | None) -> None:
    """The picker must stand at the right bin and hold the right goods."""
    scanned_bin = (bin_code or "").strip().upper()
    if scanned_bin != task.bin_code:
        raise ValidationFailed(
            "bin", "error.pick.wrong_bin", expected=task.bin_code, scanned=scanned_bin
        )
    if barcode is None:
        return
    scanned = (barcode or "").strip().upper()
    if scanned not in {line.sku.upper(), (line.barcode or "").upper()} or not scanned:
        raise ValidationFailed(
            "barcode", "error.pick.wrong_sku", expected=line.sku, scanned=scanned
        )


def _quantity(value, remaining: int) -> int:
    if value is None or value == "":
        return remaining
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValidationFailed("quantity", "error.quantity.invalid")
    try:
        quantity = int(str(value).strip())
    except ValueError:
        raise ValidationFailed("quantity", "error.quantity.invalid") from None
    if quantity < 1:
        raise ValidationFailed("quantity", "error.quantity.invalid")
    if quantity > remaining:
        raise ValidationFailed("quantity", "error.pick.over_pick", remaining=remaining)
    return quantity


def _ensure_picking(uow, shipment: Shipment, actor: Actor) -> None:
    """The first scan starts the wave (or a wave-less shipment) if nobody pressed start."""
    if shipment.wave_id:
        wave = uow.session.scalar(
            sa.select(Wave).where(Wave.id == shipment.wave_id).with_for_update()
        )
        if wave.status == WaveStatus.PLANNED:
            begin_wave(uow, wave, actor=actor)
    if shipment.status == ShipmentStatus.ALLOCATED:
        apply_transition(uow, shipment, ShipmentAction.START_PICKING, actor=actor)
        sync_order(uow, order_id=shipment.order_id, actor=actor)
    if shipment.status != ShipmentStatus.PICKING:
        raise PickClosed(field="pick", state=str(shipment.status))


def move_to_staging(uow, task: PickTask, shipment: Shipment, quantity: int, actor: Actor) -> None:
    staging = ledger.staging_bin(uow, warehouse_id=shipment.warehouse_id)
    ref = allocation.shipment_ref(shipment.id)
    w, p = shipment.warehouse_id, task.product_id
    ledger.append(
        uow,
        [
            ledger.Move(
                "pick",
                p,
                w,
                task.bin_id,
                on_hand=-quantity,
                reserved=-quantity,
                ref_type=REF,
                ref_id=ref,
            ),
            ledger.Move(
                "pick", p, w, staging, on_hand=quantity, reserved=quantity, ref_type=REF, ref_id=ref
            ),
        ],
        actor_id=actor.user_id,
    )


def confirm_pick(
    uow, *, actor: Actor, pick_id: int, bin_code: str, barcode: str, quantity=None
) -> dict:
    """Take goods from the bin after scanning it and them; a wrong scan or too many is refused."""
    require(actor, Permission.ORDER_FULFIL)
    with uow:
        task, shipment, line = _load(uow, pick_id)
        _check_scans(task, line, bin_code, barcode)
        qty = _quantity(quantity, task.quantity - task.picked_qty)
        _ensure_picking(uow, shipment, actor)
        ledger.lock_many(uow, [(shipment.warehouse_id, task.product_id)])
        move_to_staging(uow, task, shipment, qty, actor)
        record_pick(uow, task, shipment, line, qty, actor)
        result = _after_pick(uow, task, shipment, actor)
        uow.commit()
        return result


def record_pick(uow, task, shipment, line, qty: int, actor: Actor, short: int = 0) -> None:
    task.picked_qty += qty
    line.picked_qty += qty
    task.picked_by, task.picked_at = actor.username, utcnow()
    if task.picked_qty >= task.quantity:
        task.state = "done"
    uow.add_event(
        PickConfirmed(
            pick_id=task.id,
            shipment_id=shipment.id,
            warehouse_id=shipment.warehouse_id,
            sku=line.sku,
            quantity=qty,
            short=short,
        )
    )


def _after_pick(uow, task: PickTask, shipment: Shipment, actor: Actor) -> dict:
    """Close the shipment's picking and the wave when nothing is left open."""
    uow.session.flush()
    open_left = uow.session.scalar(
        sa.select(sa.func.count())
        .select_from(PickTask)
        .where(PickTask.shipment_id == shipment.id, PickTask.state == "open")
    )
    if not open_left and shipment.status == ShipmentStatus.PICKING:
        apply_transition(uow, shipment, ShipmentAction.FINISH_PICKING, actor=actor)
        sync_order(uow, order_id=shipment.order_id, actor=actor)
    if task.wave_id:
        wave_left = uow.session.scalar(
            sa.select(sa.func.count())
            .select_from(PickTask)
            .where(PickTask.wave_id == task.wave_id, PickTask.state == "open")
        )
        wave = uow.session.get(Wave, task.wave_id)
        if not wave_left and wave.status == WaveStatus.PICKING:
            apply_transition(uow, wave, WaveAction.FINISH, actor=actor)
    return {
        "pick_id": task.id,
        "state": task.state,
        "picked": task.picked_qty,
        "remaining": task.quantity - task.picked_qty,
        "shipment": shipment.number,
        "shipment_status": str(shipment.status),
    }


def report_short(
    uow, *, actor: Actor, pick_id: int, bin_code: str, found: int, reason: str = ""
) -> dict:
    """The bin holds less than booked: pick what is there, find the rest elsewhere."""
    require(actor, Permission.ORDER_FULFIL)
    with uow:
        task, shipment, line = _load(uow, pick_id)
        _check_scans(task, line, bin_code, None)
        remaining = task.quantity - task.picked_qty
        if isinstance(found, bool) or not isinstance(found, int) or not 0 <= found < remaining:
            raise ValidationFailed("found", "error.pick.short_count", remaining=remaining)
        _ensure_picking(uow, shipment, actor)
        warehouses = [w.id for w in ledger.list_warehouses(uow)]
        ledger.lock_many(uow, [(w, task.product_id) for w in warehouses])
        if found:
            move_to_staging(uow, task, shipment, found, actor)
        missing = remaining - found
        _write_off(uow, task, shipment, missing, actor)
        record_pick(uow, task, shipment, line, found, actor, short=missing)
        task.state, task.quantity = "short", task.picked_qty
        line.quantity -= missing
        where = _find_elsewhere(uow, task, shipment, line, missing, actor, reason)
        result = _after_pick(uow, task, shipment, actor)
        uow.commit()
        return {**result, "short": missing, "resolution": where}


def _write_off(uow, task: PickTask, shipment: Shipment, missing: int, actor: Actor) -> None:
    """Release the missing goods' reservation and take them off the bin's count."""
    ref = allocation.shipment_ref(shipment.id)
    w, p = shipment.warehouse_id, task.product_id
    ledger.append(
        uow,
        [
            ledger.Move("release", p, w, task.bin_id, reserved=-missing, ref_type=REF, ref_id=ref),
            ledger.Move(
                "adjust", p, w, task.bin_id, on_hand=-missing, ref_type="short_pick", ref_id=ref
            ),
        ],
        actor_id=actor.user_id,
    )


def _find_elsewhere(uow, task, shipment, line, missing: int, actor: Actor, reason: str) -> str:
    """Re-allocate: other bins here first, then other warehouses if allowed, else backorder."""
    facts = order_progress.fulfilment_facts(uow, order_id=shipment.order_id)
    need = [rules.NeedLine(line.order_line_id, line.product_id, missing)]
    stock: dict[int, dict[int, list[rules.BinStock]]] = defaultdict(lambda: defaultdict(list))
    for lv in ledger.bin_levels(uow, product_ids=[line.product_id]):
        if lv.is_staging or lv.available <= 0 or lv.bin_id == task.bin_id:
            continue
        stock[lv.warehouse_id][lv.product_id].append(
            rules.BinStock(lv.bin_id, lv.bin_code, lv.available)
        )
    for per_product in stock.values():
        for bins in per_product.values():
            bins.sort(key=lambda b: rules.bin_path_key(b.bin_code))
    distances = {shipment.warehouse_id: 0.0}
    split = facts.allow_split and facts.delivery_method != "pickup"
    if split:
        for w in ledger.list_warehouses(uow):
            distances.setdefault(w.id, 1.0 + distance_km(w.province, facts.province))
    plan = rules.plan_allocation(need, stock, distances, allow_split=split)
    if not plan.complete:
        uow.session.add(
            Backorder(
                order_id=shipment.order_id,
                order_line_id=line.order_line_id,
                product_id=line.product_id,
                quantity=missing,
            )
        )
        _alert(uow, shipment, line.sku, missing, reason)
        return "backorder"
    here = [p for p in plan.parts if p.warehouse_id == shipment.warehouse_id]
    there = rules.AllocationPlan(
        [p for p in plan.parts if p.warehouse_id != shipment.warehouse_id], {}
    )
    by_line = {x.order_line_id: x for x in facts.lines}
    for part in here:
        allocation.add_picks(uow, shipment, part.picks, by_line, actor=actor)
        _queue_new_tasks(uow, task, shipment)
    if there.parts:
        infos = {w.id: w for w in ledger.list_warehouses(uow)}
        allocation.create_shipments(uow, facts, there, infos, actor=actor)
    return "other_bin" if here and not there.parts else "other_warehouse" if not here else "split"


def _queue_new_tasks(uow, task: PickTask, shipment: Shipment) -> None:
    """Replacement picks join the same wave, at the end of the walk."""
    uow.session.flush()
    last = (
        uow.session.scalar(
            sa.select(sa.func.max(PickTask.seq)).where(PickTask.wave_id == task.wave_id)
        )
        if task.wave_id
        else 0
    )
    new = uow.session.scalars(
        sa.select(PickTask)
        .where(PickTask.shipment_id == shipment.id, PickTask.state == "open", PickTask.seq == 0)
        .order_by(PickTask.id)
    ).all()
    for n, fresh in enumerate(sorted(new, key=lambda t: rules.bin_path_key(t.bin_code)), 1):
        fresh.wave_id, fresh.seq = task.wave_id, (last or 0) + n


def _alert(uow, shipment: Shipment, sku: str, missing: int, reason: str) -> None:
    notifications.notify_role(
        uow,
        actor=SYSTEM_ACTOR,
        role="warehouse",
        kind="alert",
        title="notify.short_pick",
        body="notify.short_pick_body",
        params={"number": shipment.order_number, "sku": sku, "missing": missing, "reason": reason},
        link=f"/orders/{shipment.order_number}",
    )
