"""Read side of the warehouse screens: stock per bin, suggestions, expected receipts, rules."""

from __future__ import annotations

import sqlalchemy as sa

from oms_app.catalog.service import normalize_sku
from oms_app.core.clock import format_local
from oms_app.core.paging import PageRequest, run_page
from oms_app.core.permissions import Actor, Permission, require
from oms_app.inventory import ledger
from oms_app.inventory.models import (
    ExpectedReceipt,
    ReorderRule,
    ReplenishmentSuggestion,
    Warehouse,
)
from oms_app.inventory.queries import PRODUCTS
from oms_app.inventory.service import _product_id

SUGGESTION_STATES = ("open", "accepted", "dismissed")
RECEIPT_STATES = ("open", "received", "cancelled")


def list_warehouse_options(uow, *, actor: Actor) -> list[dict]:
    """Every warehouse as {code, name}, for pickers."""
    require(actor, Permission.STOCK_VIEW)
    with uow:
        return [{"code": w.code, "name": w.name} for w in ledger.list_warehouses(uow)]


def _bin_row(level: ledger.BinLevel) -> dict:
    return {
        "bin": level.bin_code,
        "on_hand": level.on_hand,
        "reserved": level.reserved,
        "available": level.available,
    }


def get_sku_stock(uow, *, actor: Actor, sku: str) -> dict:
    """One SKU in every warehouse (zero where none) with its bins, and the totals."""
    require(actor, Permission.STOCK_VIEW)
    sku = normalize_sku(sku)
    with uow:
        product_id = _product_id(uow.session, sku)
        warehouses = ledger.list_warehouses(uow)
        levels = ledger.bin_levels(uow, product_ids=[product_id])
    per_warehouse = []
    for w in warehouses:
        bins = sorted((lv for lv in levels if lv.warehouse_id == w.id), key=lambda lv: lv.bin_code)
        on_hand = sum(lv.on_hand for lv in bins)
        reserved = sum(lv.reserved for lv in bins)
        per_warehouse.append(
            {
                "warehouse": w.code,
                "on_hand": on_hand,
                "reserved": reserved,
                "available": on_hand - reserved,
                "bins": [_bin_row(lv) for lv in bins],
            }
        )
    on_hand = sum(w["on_hand"] for w in per_warehouse)
    reserved = sum(w["reserved"] for w in per_warehouse)
    return {
        "sku": sku,
        "warehouses": per_warehouse,
        "on_hand": on_hand,
        "reserved": reserved,
        "available": on_hand - reserved,
    }


def _name(actor: Actor):
    return PRODUCTS.c.name_zh if actor.locale == "zh_CN" else PRODUCTS.c.name_en


def _searched(stmt: sa.Select, request: PageRequest, warehouse: str) -> sa.Select:
    warehouse = warehouse.replace("\x00", "").strip().upper()  # text cannot hold NUL
    if warehouse:
        stmt = stmt.where(Warehouse.code == warehouse)
    text = request.search.replace("\x00", "").strip()
    if text:
        like = f"%{text}%"
        stmt = stmt.where(
            sa.or_(
                PRODUCTS.c.sku.ilike(like),
                PRODUCTS.c.name_zh.ilike(like),
                PRODUCTS.c.name_en.ilike(like),
            )
        )
    return stmt


def list_suggestions(
    uow, *, actor: Actor, request: PageRequest, warehouse: str = "", state: str = "open"
) -> dict:
    """Replenishment suggestions (open by default), filtered, sorted and paged in SQL."""
    require(actor, Permission.STOCK_VIEW)
    r = ReplenishmentSuggestion
    stmt = (
        sa.select(
            r.id,
            PRODUCTS.c.sku,
            _name(actor).label("name"),
            Warehouse.code.label("warehouse"),
            r.available,
            r.reorder_point,
            r.quantity,
            r.state,
            r.created_at,
            r.decided_by,
        )
        .join(PRODUCTS, PRODUCTS.c.id == r.product_id)
        .join(Warehouse, Warehouse.id == r.warehouse_id)
    )
    if state in SUGGESTION_STATES:
        stmt = stmt.where(r.state == state)
    stmt = _searched(stmt, request, warehouse)
    sorts = {
        "sku": PRODUCTS.c.sku,
        "warehouse": Warehouse.code,
        "available": r.available,
        "quantity": r.quantity,
        "created": r.created_at,
    }
    with uow:
        rows, total = run_page(uow.session, stmt, request, sorts, "created", r.id)
    return {
        "rows": [
            {
                "id": row.id,
                "sku": row.sku,
                "name": row.name,
                "warehouse": row.warehouse,
                "available": row.available,
                "reorder_point": row.reorder_point,
                "quantity": row.quantity,
                "state": row.state,
                "created": format_local(row.created_at, actor.tz),
                "decided_by": row.decided_by,
            }
            for row in rows
        ],
        "total": total,
    }


def list_expected_receipts(
    uow, *, actor: Actor, request: PageRequest, warehouse: str = "", state: str = "open"
) -> dict:
    """Goods on their way (open by default), filtered, sorted and paged in SQL."""
    require(actor, Permission.STOCK_VIEW)
    e = ExpectedReceipt
    stmt = (
        sa.select(
            e.id,
            PRODUCTS.c.sku,
            _name(actor).label("name"),
            Warehouse.code.label("warehouse"),
            e.quantity,
            e.received_qty,
            e.expected_on,
            e.state,
            e.created_at,
        )
        .join(PRODUCTS, PRODUCTS.c.id == e.product_id)
        .join(Warehouse, Warehouse.id == e.warehouse_id)
    )
    if state in RECEIPT_STATES:
        stmt = stmt.where(e.state == state)
    stmt = _searched(stmt, request, warehouse)
    sorts = {
        "sku": PRODUCTS.c.sku,
        "warehouse": Warehouse.code,
        "expected_on": sa.func.coalesce(e.expected_on, sa.cast("9999-12-31", sa.Date)),
        "created": e.created_at,
    }
    with uow:
        rows, total = run_page(uow.session, stmt, request, sorts, "expected_on", e.id)
    return {
        "rows": [
            {
                "id": row.id,
                "sku": row.sku,
                "name": row.name,
                "warehouse": row.warehouse,
                "quantity": row.quantity,
                "received_qty": row.received_qty,
                "remaining": max(0, row.quantity - row.received_qty),
                "expected_on": row.expected_on.isoformat() if row.expected_on else "",
                "state": row.state,
                "created": format_local(row.created_at, actor.tz),
            }
            for row in rows
        ],
        "total": total,
    }


def list_reorder_rules(uow, *, actor: Actor, request: PageRequest, warehouse: str = "") -> dict:
    """Reorder rules, filtered, sorted and paged in SQL."""
    require(actor, Permission.STOCK_VIEW)
    r = ReorderRule
    stmt = (
        sa.select(
            r.id,
            PRODUCTS.c.sku,
            _name(actor).label("name"),
            Warehouse.code.label("warehouse"),
            r.reorder_point,
            r.reorder_qty,
            r.lead_time_days,
            r.source,
            r.updated_at,
        )
        .join(PRODUCTS, PRODUCTS.c.id == r.product_id)
        .join(Warehouse, Warehouse.id == r.warehouse_id)
    )
    stmt = _searched(stmt, request, warehouse)
    sorts = {
        "sku": PRODUCTS.c.sku,
        "warehouse": Warehouse.code,
        "reorder_point": r.reorder_point,
        "source": r.source,
        "updated": r.updated_at,
    }
    with uow:
        rows, total = run_page(uow.session, stmt, request, sorts, "sku", r.id)
    return {
        "rows": [
            {
                "id": row.id,
                "sku": row.sku,
                "name": row.name,
                "warehouse": row.warehouse,
                "reorder_point": row.reorder_point,
                "reorder_qty": row.reorder_qty,
                "lead_time_days": row.lead_time_days,
                "source": row.source,
                "updated": format_local(row.updated_at, actor.tz),
            }
            for row in rows
        ],
        "total": total,
    }


# The product columns a scan resolves against (read-only, not the catalogue area's model).
SCANNABLE = sa.table(
    "products",
    sa.column("sku", sa.String),
    sa.column("barcode", sa.String),
    sa.column("name_zh", sa.String),
    sa.column("name_en", sa.String),
    sa.column("unit", sa.String),
)


def find_product_by_code(uow, *, actor: Actor, code: str) -> dict | None:
    """The product whose SKU or barcode is exactly `code` (what a scanner types), or None."""
    require(actor, Permission.STOCK_VIEW)
    code = code.replace("\x00", "").strip() if isinstance(code, str) else ""
    if not code or len(code) > 64:
        return None
    p = SCANNABLE
    with uow:
        row = uow.session.execute(
            sa.select(p.c.sku, p.c.name_zh, p.c.name_en, p.c.unit)
            .where(sa.or_(p.c.sku == code.upper(), p.c.barcode == code))
            .order_by(sa.case((p.c.sku == code.upper(), 0), else_=1))
            .limit(1)
        ).first()
    if row is None:
        return None
    name = row.name_zh if actor.locale == "zh_CN" else row.name_en
    return {"sku": row.sku, "name": name, "unit": row.unit}
