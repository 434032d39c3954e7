"""Inventory use cases: stock counts, and stock per warehouse for one SKU."""

from __future__ import annotations

import re

import sqlalchemy as sa

from oms_app.audit import service as audit
from oms_app.catalog.service import SKU_FORMAT, checked_count, checked_text, normalize_sku
from oms_app.core.errors import NotFound, ValidationFailed
from oms_app.core.permissions import Actor, Permission, require
from oms_app.inventory.models import StockMovement, Warehouse
from oms_app.inventory.queries import PRODUCTS

COUNT_REF = "stock_count"
WAREHOUSE_CODE = re.compile(r"[A-Z0-9-]{1,16}")


def lock_stock(session, *, warehouse_id: int, product_id: int) -> None:
    """Serialize every writer of one SKU x warehouse until the transaction ends.

    Levels are sums of movements, so there is no row to lock FOR UPDATE; every service that
    reads a level to decide a movement takes this lock first.
    """
    key = f"stock:{warehouse_id}:{product_id}"
    session.execute(sa.select(sa.func.pg_advisory_xact_lock(sa.func.hashtext(key))))


def stock_level(session, *, warehouse_id: int, product_id: int) -> tuple[int, int]:
    """(on_hand, reserved) summed from the movements."""
    m = StockMovement
    row = session.execute(
        sa.select(
            sa.func.coalesce(sa.func.sum(m.on_hand_delta), 0),
            sa.func.coalesce(sa.func.sum(m.reserved_delta), 0),
        ).where(m.warehouse_id == warehouse_id, m.product_id == product_id)
    ).one()
    return int(row[0]), int(row[1])


def _product_id(session, sku: str) -> int:
    found = None
    if SKU_FORMAT.fullmatch(sku):  # an impossible SKU (odd bytes too) never reaches the query
        found = session.scalar(sa.select(PRODUCTS.c.id).where(PRODUCTS.c.sku == sku))
    if found is None:
        raise NotFound(field="sku", entity="product", value=sku)
    return found


def _warehouse(session, code: str) -> Warehouse:
    code = code.strip().upper() if isinstance(code, str) else ""
    found = None
    if WAREHOUSE_CODE.fullmatch(code):
        found = session.scalar(sa.select(Warehouse).where(Warehouse.code == code))
    if found is None:
        raise NotFound(field="warehouse", entity="warehouse", value=code)
    return found


def set_on_hand(
    uow, *, actor: Actor, warehouse_code: str, sku: str, on_hand: int, reason: str = ""
) -> dict:
    """Record a physical count as one adjusting movement; refuse a count below the reserved."""
    require(actor, Permission.STOCK_MOVE)
    on_hand = checked_count("on_hand", on_hand, minimum=0)
    reason = checked_text("reason", reason, 200, required=False)
    sku = normalize_sku(sku)
    with uow:
        s = uow.session
        warehouse = _warehouse(s, warehouse_code)
        product_id = _product_id(s, sku)
        lock_stock(s, warehouse_id=warehouse.id, product_id=product_id)
        current, reserved = stock_level(s, warehouse_id=warehouse.id, product_id=product_id)
        if on_hand < reserved:
            raise ValidationFailed("on_hand", "error.stock.below_reserved", reserved=reserved)
        delta = on_hand - current
        result = {
            "warehouse": warehouse.code,
            "sku": sku,
            "on_hand": on_hand,
            "reserved": reserved,
            "available": on_hand - reserved,
            "changed": bool(delta),
        }
        if delta:
            _record_count(
                uow,
                actor=actor,
                warehouse=warehouse,
                product_id=product_id,
                sku=sku,
                before=current,
                after=on_hand,
                reason=reason,
            )
            uow.commit()
    return result


def _record_count(
    uow,
    *,
    actor: Actor,
    warehouse: Warehouse,
    product_id: int,
    sku: str,
    before: int,
    after: int,
    reason: str,
) -> None:
    """Append the adjusting movement and its audit entry."""
    uow.session.add(
        StockMovement(
            product_id=product_id,
            warehouse_id=warehouse.id,
            kind="adjust",
            on_hand_delta=after - before,
            ref_type=COUNT_REF,
            actor_id=actor.user_id,
        )
    )
    audit.record(
        uow,
        actor=actor,
        action="stock.counted",
        entity="stock",
        entity_id=f"{warehouse.code}:{sku}",
        before=before,
        after=after,
        reason=reason,
    )


def get_stock_for_sku(uow, *, actor: Actor, sku: str) -> list[dict]:
    """On-hand, reserved and available of one SKU in every warehouse (zero where none)."""
    require(actor, Permission.STOCK_VIEW)
    sku = normalize_sku(sku)
    m = StockMovement
    with uow:
        s = uow.session
        product_id = _product_id(s, sku)
        levels = (
            sa.select(
                m.warehouse_id,
                sa.func.sum(m.on_hand_delta).label("on_hand"),
                sa.func.sum(m.reserved_delta).label("reserved"),
            )
            .where(m.product_id == product_id)
            .group_by(m.warehouse_id)
            .subquery()
        )
        rows = s.execute(
            sa.select(Warehouse.code, levels.c.on_hand, levels.c.reserved)
            .outerjoin(levels, levels.c.warehouse_id == Warehouse.id)
            .order_by(Warehouse.code)
        ).all()
    return [
        {
            "warehouse": code,
            "on_hand": int(on_hand or 0),
            "reserved": int(reserved or 0),
            "available": int(on_hand or 0) - int(reserved or 0),
        }
        for code, on_hand, reserved in rows
    ]
