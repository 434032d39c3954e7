"""Inventory use cases: stock counts, and stock per warehouse for one SKU."""

from __future__ import annotations

import re

import sqlalchemy as sa

from oms_app.audit import service as audit
from oms_app.catalog.service import SKU_FORMAT, checked_count, checked_text, normalize_sku
from oms_app.core.errors import NotFound, ValidationFailed
from oms_app.core.permissions import Actor, Permission, require
from oms_app.fulfillment.events import StockReceived
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


RETURN_REF = "return"


def restock_returned_goods(
    uow, *, actor: Actor, warehouse_id: int, items: list[tuple[int, int]], reference: str
) -> int:
    """Put returned goods (product id, quantity) back on hand in the warehouse's receiving bin.

    The movements are of kind "return": they move no stock value here, because the return's own
    journal entry puts the goods' cost back into stock. Returns the quantity restocked.
    """
    require(actor, Permission.RETURN_MANAGE)
    items = [(product_id, qty) for product_id, qty in items if qty > 0]
    if not items:
        return 0
    ledger.lock_many(uow, ((warehouse_id, product_id) for product_id, _ in items))
    bin_id = ledger.receiving_bin(uow, warehouse_id=warehouse_id)
    moves = [
        ledger.Move(
            "return",
            product_id,
            warehouse_id,
            bin_id,
            on_hand=qty,
            ref_type=RETURN_REF,
            ref_id=reference,
        )
        for product_id, qty in items
    ]
    ledger.append(uow, moves, actor_id=actor.user_id)
    for product_id, qty in items:
        uow.add_event(
            StockReceived(
                warehouse_id=warehouse_id,
                product_id=product_id,
                sku=_sku_of(uow.session, product_id),
                quantity=qty,
            )
        )
    return sum(qty for _, qty in items)


def _sku_of(session, product_id: int) -> str:
    return session.scalar(sa.select(PRODUCTS.c.sku).where(PRODUCTS.c.id == product_id)) or ""
