"""Reserve stock for approved orders, back-order what cannot be had, release on cancel.

Every decision is made under the (warehouse, SKU) locks of the inventory ledger, so parallel
approvals competing for the same units never reserve more than there is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime

import sqlalchemy as sa

from oms_app.core.clock import business_zone, utcnow
from oms_app.core.permissions import SYSTEM_ACTOR, Actor, Permission, require
from oms_app.fulfillment import rules
from oms_app.fulfillment.events import OrderBackordered
from oms_app.fulfillment.models import Backorder, PickTask, Shipment, ShipmentLine
from oms_app.inventory import ledger
from oms_app.logistics.geography import distance_km
from oms_app.notifications import service as notifications
from oms_app.orders import progress
from oms_app.orders.status import OrderAction, OrderStatus

SHIPMENT_REF = "shipment"
DEFAULT_CARRIER = {"express": "SF", "freight": "FREIGHT", "pickup": ""}


def shipment_ref(shipment_id: int) -> str:
    return str(shipment_id)


def plan_for_order(
    uow, facts: progress.FulfilmentFacts, needs: Sequence[rules.NeedLine], *, lock: bool
) -> tuple[rules.AllocationPlan, dict[int, ledger.WarehouseInfo]]:
    warehouses = {w.id: w for w in ledger.list_warehouses(uow)}
    products = {n.product_id for n in needs}
    if lock:
        ledger.lock_many(uow, ((w, p) for w in warehouses for p in products))
    stock: dict[int, dict[int, list[rules.BinStock]]] = defaultdict(lambda: defaultdict(list))
    for level in ledger.bin_levels(uow, product_ids=products):
        if not level.is_staging and level.bin_id is not None and level.available > 0:
            stock[level.warehouse_id][level.product_id].append(
                rules.BinStock(level.bin_id, level.bin_code, level.available)
            )
    for per_product in stock.values():
        for bins in per_product.values():
            bins.sort(key=lambda b: rules.bin_path_key(b.bin_code))
    distances = {w.id: distance_km(w.province, facts.province) for w in warehouses.values()}
    allow_split = facts.allow_split and facts.delivery_method != "pickup"
    plan = rules.plan_allocation(needs, stock, distances, allow_split=allow_split)
    return plan, warehouses


def order_needs(facts: progress.FulfilmentFacts) -> list[rules.NeedLine]:
    return [rules.NeedLine(x.order_line_id, x.product_id, x.quantity) for x in facts.lines]


def allocate_order(uow, *, order_id: int, actor: Actor, now: datetime | None = None) -> str:
    """Reserve an approved order's stock, or hold it as a backorder; no commit here."""
    facts = progress.fulfilment_facts(uow, order_id=order_id)
    needs = order_needs(facts)
    plan, warehouses = plan_for_order(uow, facts, needs, lock=True)
    if not plan.complete:
        _backorder(uow, facts, needs, actor)
        return progress.move_order(
            uow, order_id=order_id, actions=[OrderAction.HOLD], actor=actor, reason="backorder"
        )
    codes = create_shipments(uow, facts, plan, warehouses, actor=actor, now=now)
    progress.set_order_warehouse(uow, order_id=order_id, warehouse_id=plan.parts[0].warehouse_id)
    return progress.move_order(
        uow,
        order_id=order_id,
        actions=[OrderAction.ALLOCATE],
        actor=actor,
        params={"warehouses": codes, "split": plan.split},
    )


def create_shipments(
    uow,
    facts: progress.FulfilmentFacts,
    plan: rules.AllocationPlan,
    warehouses: dict[int, ledger.WarehouseInfo],
    *,
    actor: Actor,
    now: datetime | None = None,
) -> list[str]:
    """One shipment per warehouse of the plan, its reservations and its pick tasks."""
    now = now or utcnow()
    zone = business_zone()
    by_line = {x.order_line_id: x for x in facts.lines}
    carrier = DEFAULT_CARRIER.get(facts.delivery_method, "SF")
    for part in plan.parts:
        shipment = Shipment(
            order_id=facts.order_id,
            order_number=facts.number,
            customer_name=facts.customer_name[:120],
            warehouse_id=part.warehouse_id,
            delivery_method=facts.delivery_method,
            carrier=carrier,
            service="freight" if facts.delivery_method == "freight" else "standard",
            priority=rules.shipment_priority(facts.requested_date, now.astimezone(zone).date()),
            cutoff_at=rules.next_cutoff(carrier, now, zone),
            ship_province=facts.province,
        )
        uow.session.add(shipment)
        uow.session.flush()
        shipment.number = f"SHP-{now.astimezone(zone).year}-{shipment.id:06d}"
        add_picks(uow, shipment, part.picks, by_line, actor=actor)
    return [warehouses[p.warehouse_id].code for p in plan.parts]


def add_picks(
    uow,
    shipment: Shipment,
    picks: Sequence[rules.BinPick],
    by_line: dict[int, progress.FulfilmentLine],
    *,
    actor: Actor,
) -> None:
    """Reserve the picks in their bins and make a pick task for each (lines as needed)."""
    lines = {
        line.order_line_id: line
        for line in uow.session.scalars(
            sa.select(ShipmentLine).where(ShipmentLine.shipment_id == shipment.id)
        )
    }
    moves = []
    for pick in picks:
        line = lines.get(pick.order_line_id)
        if line is None:
            src = by_line[pick.order_line_id]
            line = ShipmentLine(
                shipment_id=shipment.id,
                order_line_id=src.order_line_id,
                product_id=src.product_id,
                sku=src.sku,
                barcode=src.barcode,
                name=src.name[:200],
                unit=src.unit,
                quantity=0,
            )
            lines[pick.order_line_id] = line
        line.quantity += pick.quantity
        uow.session.add(line)
        uow.session.flush()
        uow.session.add(
            PickTask(
                shipment_id=shipment.id,
                shipment_line_id=line.id,
                wave_id=shipment.wave_id,
                product_id=pick.product_id,
                bin_id=pick.bin_id,
                bin_code=pick.bin_code,
                quantity=pick.quantity,
            )
        )
        moves.append(
            ledger.Move(
                "reserve",
                pick.product_id,
                shipment.warehouse_id,
                pick.bin_id,
                reserved=pick.quantity,
                ref_type=SHIPMENT_REF,
                ref_id=shipment_ref(shipment.id),
            )
        )
    ledger.append(uow, moves, actor_id=actor.user_id)


def _backorder(
    uow, facts: progress.FulfilmentFacts, needs: Iterable[rules.NeedLine], actor: Actor
) -> None:
    """Queue the quantities for arriving stock and tell the warehouse and the order's rep."""
    needs = [n for n in needs if n.quantity > 0]
    uow.session.add_all(
        Backorder(
            order_id=facts.order_id,
            order_line_id=n.order_line_id,
            product_id=n.product_id,
            quantity=n.quantity,
        )
        for n in needs
    )
    skus = sorted(
        {x.sku for x in facts.lines if x.order_line_id in {n.order_line_id for n in needs}}
    )
    uow.add_event(OrderBackordered(order_id=facts.order_id, number=facts.number, skus=skus))
    message = dict(
        title="notify.backorder",
        body="notify.backorder_body",
        kind="alert",
        link=f"/orders/{facts.number}",
        params={"number": facts.number, "skus": ", ".join(skus)},
    )
    notifications.notify_role(uow, actor=SYSTEM_ACTOR, role="warehouse", **message)
    if facts.created_by:
        notifications.notify_users(uow, actor=SYSTEM_ACTOR, user_ids=[facts.created_by], **message)


def allocate_backorders(
    uow, *, actor: Actor, product_ids: Iterable[int] | None = None
) -> list[str]:
    """Serve waiting orders first come, first served from the stock there is now."""
    require(actor, Permission.STOCK_MOVE)
    with uow:
        stmt = (
            sa.select(Backorder)
            .where(Backorder.state == "open")
            .order_by(Backorder.created_at, Backorder.id)
        )
        waiting = uow.session.scalars(stmt.with_for_update(skip_locked=True)).all()
        if product_ids is not None:
            wanted = set(product_ids)
            orders_hit = {b.order_id for b in waiting if b.product_id in wanted}
            waiting = [b for b in waiting if b.order_id in orders_hit]
        by_order: dict[int, list[Backorder]] = defaultdict(list)
        for row in waiting:
            by_order[row.order_id].append(row)
        warehouses = [w.id for w in ledger.list_warehouses(uow)]
        ledger.lock_many(uow, ((w, b.product_id) for w in warehouses for b in waiting))
        served = [n for n in (_serve(uow, rows, actor) for rows in by_order.values()) if n]
        uow.commit()
    return served


def _serve(uow, rows: list[Backorder], actor: Actor) -> str | None:
    facts = progress.fulfilment_facts(uow, order_id=rows[0].order_id)
    needs = [rules.NeedLine(b.order_line_id, b.product_id, b.quantity) for b in rows]
    plan, warehouses = plan_for_order(uow, facts, needs, lock=False)
    if not plan.complete:
        return None
    codes = create_shipments(uow, facts, plan, warehouses, actor=actor)
    for row in rows:
        row.state, row.allocated_at = "allocated", utcnow()
    if facts.status == OrderStatus.ON_HOLD:
        progress.set_order_warehouse(
            uow, order_id=facts.order_id, warehouse_id=plan.parts[0].warehouse_id
        )
        progress.move_order(
            uow,
            order_id=facts.order_id,
            actions=[OrderAction.RELEASE, OrderAction.ALLOCATE],
            actor=actor,
            reason="stock arrived",
            params={"warehouses": codes, "split": plan.split},
        )
    return facts.number


def preview_allocation(uow, *, actor: Actor, number: str) -> dict:
    """Where the order's goods would come from if it were approved now (no reservation)."""
    require(actor, Permission.ORDER_VIEW)
    with uow:
        facts = progress.fulfilment_facts(uow, number=number)
        plan, warehouses = plan_for_order(uow, facts, order_needs(facts), lock=False)
    by_line = {x.order_line_id: x for x in facts.lines}
    parts = []
    for part in plan.parts:
        per_line: dict[int, int] = defaultdict(int)
        for pick in part.picks:
            per_line[pick.order_line_id] += pick.quantity
        w = warehouses[part.warehouse_id]
        parts.append(
            {
                "warehouse": w.code,
                "name": w.name,
                "lines": [{"sku": by_line[k].sku, "quantity": q} for k, q in per_line.items()],
            }
        )
    return {
        "parts": parts,
        "split": plan.split,
        "short": [{"sku": by_line[k].sku, "quantity": q} for k, q in plan.short.items()],
    }
