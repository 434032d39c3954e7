"""Load what order rules need from the database: customer, priced products, exposure, history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import aliased

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
HISTORY_WINDOW = timedelta(days=365)


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


@dataclass(frozen=True)
class CustomerHistory:
    """What the anomaly checks need from the customer's other orders."""

    exposure: Decimal  # open orders the customer owes or will owe
    history: dict[int, list[int]]  # product id -> past quantities (12 months)
    recent: list[tuple[str, dict[int, int]]]  # (number, product id -> quantity), last 10 min

    def duplicate_of(self, lines: dict[int, int]) -> str | None:
        """A same-customer order with the same SKUs and quantities in the last ten minutes."""
        return next((number for number, other in self.recent if other == lines), None)


def customer_history(
    session,
    *,
    customer_id: int,
    product_ids: list[int],
    now: datetime,
    exclude_order_id: int | None = None,
) -> CustomerHistory:
    """Exposure, quantity history and recent orders of a customer, in one statement."""
    other = Order.id != (exclude_order_id or 0)
    mine = sa.and_(Order.customer_id == customer_id, other)
    exposure = (
        sa.select(sa.func.coalesce(sa.func.sum(Order.grand_total), 0))
        .where(mine, Order.status.in_(EXPOSURE_STATUSES))
        .scalar_subquery()
    )
    past = (
        sa.select(
            sa.func.json_agg(sa.func.json_build_array(OrderLine.product_id, OrderLine.quantity))
        )
        .join(Order, Order.id == OrderLine.order_id)
        .where(
            Order.customer_id == customer_id,
            OrderLine.product_id.in_(product_ids or [0]),
            Order.created_at >= now - HISTORY_WINDOW,
            Order.status.notin_([OrderStatus.DRAFT, OrderStatus.CANCELLED]),
        )
        .scalar_subquery()
    )
    line = aliased(OrderLine)
    lines_of = (
        sa.select(sa.func.json_agg(sa.func.json_build_array(line.product_id, line.quantity)))
        .where(line.order_id == Order.id)
        .scalar_subquery()
    )
    recent = (
        sa.select(sa.func.json_agg(sa.func.json_build_array(Order.number, lines_of)))
        .where(
            mine,
            Order.created_at >= now - DUPLICATE_WINDOW,
            Order.status.notin_([OrderStatus.CANCELLED]),
        )
        .scalar_subquery()
    )
    row = session.execute(sa.select(exposure, past, recent)).one()
    history: dict[int, list[int]] = {}
    for product_id, quantity in row[1] or []:
        history.setdefault(product_id, []).append(quantity)
    return CustomerHistory(
        exposure=Decimal(row[0]),
        history=history,
        recent=[(number, dict(map(tuple, pairs or []))) for number, pairs in row[2] or []],
    )
