"""Load what order rules need from the database: customer, priced products, exposure, history."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa

from oms_app.catalog import pricing
from oms_app.customers import queries as customer_queries
from oms_app.inventory import queries as inventory_queries
from oms_app.orders.models import Order, OrderLine
from oms_app.orders.rules import LineInput, ProductFacts
from oms_app.orders.status import OrderStatus

# Orders whose amount the customer owes or will owe (payments arrive with the finance issue).
EXPOSURE_STATUSES = [
    OrderStatus.PENDING_APPROVAL,
    OrderStatus.APPROVED,
    OrderStatus.ALLOCATED,
    OrderStatus.PICKING,
    OrderStatus.PACKED,
    OrderStatus.SHIPPED,
    OrderStatus.DELIVERED,
    OrderStatus.ON_HOLD,
]
DUPLICATE_WINDOW = timedelta(minutes=10)


def customer(uow, code: str = "", customer_id: int | None = None) -> dict | None:
    return customer_queries.get_customer_for_order(uow, code=code, customer_id=customer_id)


def products(uow, lines: list[LineInput], tier: str, on) -> dict[str, ProductFacts]:
    found = pricing.get_products_for_order(uow, skus=[line.sku for line in lines], tier=tier, on=on)
    quantities = {line.sku: line.quantity for line in lines}
    return {
        sku: ProductFacts(
            product_id=p["product_id"],
            sku=sku,
            name=p["name_zh"],
            unit=p["unit"],
            list_price=pricing.price_for_quantity(p["list_price"], quantities.get(sku, 1)),
            standard_cost=p["standard_cost"],
            moq=p["moq"],
            pack_size=p["pack_size"],
            specs=p["specs"],
            active=p["active"],
        )
        for sku, p in found.items()
    }


def available(uow, product_ids: list[int]) -> dict[int, int]:
    return inventory_queries.available_by_product(uow, product_ids=product_ids)


def exposure(session, customer_id: int, exclude_order_id: int | None = None) -> Decimal:
    stmt = sa.select(sa.func.coalesce(sa.func.sum(Order.grand_total), 0)).where(
        Order.customer_id == customer_id, Order.status.in_(EXPOSURE_STATUSES)
    )
    if exclude_order_id:
        stmt = stmt.where(Order.id != exclude_order_id)
    return Decimal(session.scalar(stmt))


def quantity_history(
    session, customer_id: int, product_ids: list[int], since: datetime
) -> dict[int, list[int]]:
    rows = session.execute(
        sa.select(OrderLine.product_id, OrderLine.quantity)
        .join(Order, Order.id == OrderLine.order_id)
        .where(
            Order.customer_id == customer_id,
            OrderLine.product_id.in_(product_ids),
            Order.created_at >= since,
            Order.status.notin_([OrderStatus.DRAFT, OrderStatus.CANCELLED]),
        )
    ).all()
    history: dict[int, list[int]] = {}
    for product_id, quantity in rows:
        history.setdefault(product_id, []).append(quantity)
    return history


def duplicate_of(
    session, *, customer_id: int, order_id: int, lines: dict[int, int], now: datetime
) -> str | None:
    """A same-customer order with the same SKUs and quantities in the last ten minutes."""
    recent = session.execute(
        sa.select(Order.id, Order.number).where(
            Order.customer_id == customer_id,
            Order.id != order_id,
            Order.created_at >= now - DUPLICATE_WINDOW,
            Order.status.notin_([OrderStatus.CANCELLED]),
        )
    ).all()
    for other_id, number in recent:
        other = dict(
            session.execute(
                sa.select(OrderLine.product_id, OrderLine.quantity).where(
                    OrderLine.order_id == other_id
                )
            ).all()
        )
        if other == lines:
            return number
    return None
