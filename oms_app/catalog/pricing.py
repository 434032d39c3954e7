"""Public read side for order entry: products by SKU with the customer's price."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from oms_app.catalog.models import PriceList, PriceListItem, Product
from oms_app.core.permissions import Actor, Permission, require


def get_products_for_order(uow, *, skus: list[str], tier: str, on: date) -> dict[str, dict]:
    """Products by SKU with their best valid price for a customer tier (lowest applicable).

    Tier lists ("A") win over the general list when both apply; `min_qty` breaks are returned
    so the caller can price by quantity.
    """
    if not skus:
        return {}
    valid = sa.and_(
        sa.or_(PriceList.valid_from.is_(None), PriceList.valid_from <= on),
        sa.or_(PriceList.valid_to.is_(None), PriceList.valid_to >= on),
    )
    # One statement: each product with its valid price-list rows (none: its own list price).
    items = (
        sa.select(
            PriceListItem.product_id,
            PriceListItem.min_qty,
            PriceListItem.price,
            PriceList.customer_tier,
        )
        .join(PriceList, PriceList.id == PriceListItem.price_list_id)
        .where(valid, PriceList.customer_tier.in_(["", tier]))
        .subquery()
    )
    with uow:
        rows = uow.session.execute(
            sa.select(Product, items.c.min_qty, items.c.price, items.c.customer_tier)
            .outerjoin(items, items.c.product_id == Product.id)
            .where(Product.sku.in_(skus))
        ).all()
        products = {row.Product.id: row.Product for row in rows}
        prices = _best_prices([row for row in rows if row.min_qty is not None], tier)
        return {
            p.sku: {
                "product_id": p.id,
                "sku": p.sku,
                "name_zh": p.name_zh,
                "name_en": p.name_en,
                "unit": p.unit,
                "specs": dict(p.specs or {}),
                "list_price": prices.get(p.id, [(1, p.list_price)]),
                "standard_cost": p.standard_cost,
                "moq": p.moq,
                "pack_size": p.pack_size,
                "active": p.is_active,
            }
            for p in products.values()
        }


def _best_prices(rows, tier: str) -> dict[int, list[tuple[int, Decimal]]]:
    """Price breaks per product: a tier list replaces the general one; the lowest price wins."""
    specific = {r.Product.id for r in rows if r.customer_tier == tier and tier}
    breaks: dict[int, dict[int, Decimal]] = {}
    for r in rows:
        product_id = r.Product.id
        if product_id in specific and r.customer_tier != tier:
            continue  # a tier list replaces the general one for that product
        current = breaks.setdefault(product_id, {}).get(r.min_qty)
        if current is None or r.price < current:
            breaks[product_id][r.min_qty] = r.price
    return {pid: sorted(b.items()) for pid, b in breaks.items()}


def price_for_quantity(breaks: list[tuple[int, Decimal]], quantity: int) -> Decimal:
    """The price of the highest quantity break the quantity reaches (else the first break)."""
    price = breaks[0][1]
    for min_qty, break_price in breaks:
        if quantity >= min_qty:
            price = break_price
    return price


def find_products(uow, *, actor: Actor, text: str, limit: int = 8) -> list[dict]:
    """SKU search for order entry: an exact SKU or barcode first, then names containing it."""
    require(actor, Permission.PRODUCT_VIEW)
    text = text.strip()
    if not text:
        return []
    like = f"%{text}%"
    exact = sa.or_(Product.sku == text.upper(), Product.barcode == text)
    with uow:
        rows = uow.session.execute(
            sa.select(
                Product.sku, Product.name_zh, Product.name_en, Product.unit, Product.list_price
            )
            .where(
                Product.is_active.is_(True),
                sa.or_(
                    exact,
                    Product.sku.ilike(like),
                    Product.name_zh.ilike(like),
                    Product.name_en.ilike(like),
                ),
            )
            .order_by(sa.case((exact, 0), else_=1), Product.sku)
            .limit(limit)
        ).all()
    return [
        {
            "sku": r.sku,
            "name_zh": r.name_zh,
            "name_en": r.name_en,
            "unit": r.unit,
            "list_price": str(r.list_price),
        }
        for r in rows
    ]
