"""Read side of the live picking board: one warehouse's shipments as columns of small cards.

Two queries per snapshot (cards with exact column counts, then picking progress), so an event
consumer can rebuild a board after every change without loading the database.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from oms_app.core.clock import business_zone, utcnow
from oms_app.core.errors import NotFound, PermissionDenied
from oms_app.core.permissions import Actor, Permission
from oms_app.fulfillment import board_rules as rules
from oms_app.fulfillment.models import Shipment, ShipmentLine, Wave
from oms_app.inventory import ledger
from oms_app.orders import billing


def require_board_view(actor: Actor | None) -> Actor:
    """The floor (order.fulfil) and anyone who may see stock (stock.view) may watch the board."""
    if actor is None or not (
        actor.can(Permission.ORDER_FULFIL) or actor.can(Permission.STOCK_VIEW)
    ):
        raise PermissionDenied(permission=Permission.ORDER_FULFIL.value)
    return actor


def list_board_warehouses(uow, *, actor: Actor) -> list[dict]:
    """Warehouses the board can show, by code: [{"code", "name"}]."""
    require_board_view(actor)
    with uow:
        return [{"code": w.code, "name": w.name} for w in ledger.list_warehouses(uow)]


def warehouse_codes(uow) -> dict[int, str]:
    """Warehouse id -> code (events name warehouses by id, boards by code)."""
    with uow:
        return {w.id: w.code for w in ledger.list_warehouses(uow)}


def warehouses_of_order(uow, *, order_id: int) -> list[str]:
    """Codes of the warehouses holding shipments of an order (new shipments send no event)."""
    with uow:
        ids = set(
            uow.session.scalars(
                sa.select(Shipment.warehouse_id).where(Shipment.order_id == order_id).distinct()
            )
        )
        return sorted(w.code for w in ledger.list_warehouses(uow) if w.id in ids)


def _column_expr():
    return sa.case(*[(Shipment.status == s, c) for s, c in rules.STATUS_COLUMN.items()], else_="")


def _card_rows(uow, *, warehouse_id: int, day: tuple[datetime, datetime], cap: int):
    """Rows on the board, at most `cap` per column, each with its column's exact count."""
    s = Shipment
    column = _column_expr()
    shipped = s.status.in_(rules.SHIPPED_STATUSES)
    on_board = sa.or_(
        s.status.in_(rules.OPEN_STATUSES),
        sa.and_(shipped, s.shipped_at >= day[0], s.shipped_at < day[1]),
    )
    ranked = (
        sa.select(
            s.id,
            s.number,
            s.order_id,
            s.order_number,
            s.customer_name,
            s.status,
            s.priority,
            s.cutoff_at,
            s.carrier,
            s.shipped_at,
            sa.func.coalesce(Wave.number, "").label("wave_number"),
            column.label("col"),
            sa.func.row_number()
            .over(
                partition_by=column,
                order_by=(
                    sa.case((shipped, s.shipped_at)).desc().nulls_last(),
                    s.cutoff_at.asc().nulls_last(),
                    s.priority,
                    s.id,
                ),
            )
            .label("rn"),
            sa.func.count().over(partition_by=column).label("total"),
        )
        .select_from(s)
        .outerjoin(Wave, Wave.id == s.wave_id)
        .where(s.warehouse_id == warehouse_id, on_board)
        .subquery()
    )
    return uow.session.execute(sa.select(ranked).where(ranked.c.rn <= cap)).all()


def _progress(uow, shipment_ids: list[int]) -> dict[int, tuple[int, int]]:
    if not shipment_ids:
        return {}
    line = ShipmentLine
    rows = uow.session.execute(
        sa.select(line.shipment_id, sa.func.sum(line.quantity), sa.func.sum(line.picked_qty))
        .where(line.shipment_id.in_(shipment_ids))
        .group_by(line.shipment_id)
    ).all()
    return {sid: (int(units or 0), int(picked or 0)) for sid, units, picked in rows}


def _row(r, paid: dict[int, str]) -> rules.BoardRow:
    return rules.BoardRow(
        shipment_id=r.id,
        number=r.number,
        order_number=r.order_number,
        customer_name=r.customer_name,
        status=str(r.status),
        priority=int(r.priority),
        cutoff_at=r.cutoff_at,
        carrier=r.carrier,
        wave_number=r.wave_number,
        shipped_at=r.shipped_at,
        payment_status=paid.get(r.order_id, ""),
    )


def board_snapshot(
    uow,
    *,
    actor: Actor,
    warehouse_code: str,
    now: datetime | None = None,
    cap: int = rules.CARDS_PER_COLUMN,
) -> dict:
    """The board of one warehouse: {"warehouse", "name", "as_of", "columns": [{key, count,
    cards}]}; language- and zone-neutral, the same for every viewer."""
    require_board_view(actor)
    now = now or utcnow()
    day = rules.business_day_bounds(now, business_zone())
    with uow:
        warehouse = next((w for w in ledger.list_warehouses(uow) if w.code == warehouse_code), None)
        if warehouse is None:
            raise NotFound(entity="warehouse", field="warehouse", value=warehouse_code)
        rows = _card_rows(uow, warehouse_id=warehouse.id, day=day, cap=cap)
        progress = _progress(uow, [r.id for r in rows])
        paid = billing.payment_statuses(uow, order_ids=sorted({r.order_id for r in rows}))
    counts = {r.col: int(r.total) for r in rows}
    columns = rules.build_columns(
        [_row(r, paid) for r in rows], counts=counts, progress=progress, now=now, day=day, cap=cap
    )
    return {
        "warehouse": warehouse.code,
        "name": warehouse.name,
        "as_of": rules.iso_utc(now),
        "columns": columns,
    }
