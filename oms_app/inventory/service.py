"""Inventory use cases: stock counts, and stock per warehouse for one SKU."""

from __future__ import annotations

import re

import sqlalchemy as sa

from oms_app.audit import service as audit
from oms_app.catalog.service import SKU_FORMAT, checked_count, checked_text, normalize_sku
from oms_app.core.errors import NotFound, ValidationFailed
from oms_app.core.permissions import Actor, Permission, require
from oms_app.inventory import ledger
from oms_app.inventory.ledger import lock_stock, stock_level
from oms_app.inventory.models import Warehouse
from oms_app.inventory.queries import PRODUCTS

COUNT_REF = "stock_count"
WAREHOUSE_CODE = re.compile(r"[A-Z0-9-]{1,16}")


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
    """Append the adjusting movements (found goods to receiving, missing from free bins)."""
    delta = after - before
    if delta > 0:
        bins = [(ledger.receiving_bin(uow, warehouse_id=warehouse.id), delta)]
    else:
        levels = ledger.bin_levels(uow, product_ids=[product_id], warehouse_ids=[warehouse.id])
        bins, missing = [], -delta
        for level in sorted(levels, key=lambda lv: -lv.available):
            take = min(max(level.available, 0), missing)
            if take:
                bins.append((level.bin_id, -take))
                missing -= take
    moves = [
        ledger.Move("adjust", product_id, warehouse.id, bin_id, on_hand=qty, ref_type=COUNT_REF)
        for bin_id, qty in bins
    ]
    ledger.append(uow, moves, actor_id=actor.user_id)
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
