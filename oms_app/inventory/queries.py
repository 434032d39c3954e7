"""Read side of inventory: on-hand, reserved and available per SKU x warehouse, from movements."""

from __future__ import annotations

import sqlalchemy as sa

from oms_app.core.paging import PageRequest, run_page
from oms_app.core.permissions import Actor, Permission, require
from oms_app.inventory.models import StockMovement, Warehouse

# Display names of products: a read-only table clause, not the catalogue area's model.
PRODUCTS = sa.table(
    "products",
    sa.column("id", sa.Integer),
    sa.column("sku", sa.String),
    sa.column("name_zh", sa.String),
    sa.column("name_en", sa.String),
)


def stock_levels_subquery():
    m = StockMovement
    return (
        sa.select(
            m.product_id,
            m.warehouse_id,
            sa.func.sum(m.on_hand_delta).label("on_hand"),
            sa.func.sum(m.reserved_delta).label("reserved"),
        )
        .group_by(m.product_id, m.warehouse_id)
        .subquery("levels")
    )


def list_stock_levels(uow, *, actor: Actor, request: PageRequest, warehouse: str = "") -> dict:
    """Stock per SKU and warehouse, derived from the movements in SQL."""
    require(actor, Permission.STOCK_VIEW)
    lv = stock_levels_subquery()
    available = (lv.c.on_hand - lv.c.reserved).label("available")
    stmt = (
        sa.select(
            PRODUCTS.c.sku,
            PRODUCTS.c.name_zh,
            PRODUCTS.c.name_en,
            Warehouse.code.label("warehouse"),
            lv.c.on_hand,
            lv.c.reserved,
            available,
        )
        .join(PRODUCTS, PRODUCTS.c.id == lv.c.product_id)
        .join(Warehouse, Warehouse.id == lv.c.warehouse_id)
    )
    if warehouse:
        stmt = stmt.where(Warehouse.code == warehouse)
    if request.search.strip():
        like = f"%{request.search.strip()}%"
        stmt = stmt.where(
            sa.or_(
                PRODUCTS.c.sku.ilike(like),
                PRODUCTS.c.name_zh.ilike(like),
                PRODUCTS.c.name_en.ilike(like),
            )
        )
    sorts = {
        "sku": PRODUCTS.c.sku,
        "on_hand": lv.c.on_hand,
        "available": available,
        "warehouse": Warehouse.code,
    }
    zh = actor.locale == "zh_CN"
    with uow:
        rows, total = run_page(uow.session, stmt, request, sorts, "sku", Warehouse.code)
    return {
        "rows": [
            {
                "sku": r.sku,
                "name": r.name_zh if zh else r.name_en,
                "warehouse": r.warehouse,
                "on_hand": int(r.on_hand or 0),
                "reserved": int(r.reserved or 0),
                "available": int(r.available or 0),
            }
            for r in rows
        ],
        "total": total,
    }


def available_by_product(uow, *, product_ids: list[int]) -> dict[int, int]:
    """Available stock (on hand - reserved) per product over all warehouses."""
    if not product_ids:
        return {}
    m = StockMovement
    with uow:
        rows = uow.session.execute(
            sa.select(m.product_id, sa.func.sum(m.on_hand_delta - m.reserved_delta))
            .where(m.product_id.in_(product_ids))
            .group_by(m.product_id)
        ).all()
    return {product_id: int(total or 0) for product_id, total in rows}
