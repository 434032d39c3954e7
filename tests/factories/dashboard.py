"""A small sales book for dashboard tests: orders with lines and history, inserted directly."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from oms_app.analytics import rollups
from oms_app.catalog.models import Category, Product
from oms_app.inventory.models import Warehouse
from oms_app.orders.models import Order, OrderEvent, OrderLine
from tests.factories.accounts import make_user
from tests.factories.orders import make_customer

CATALOGUE = {
    "OFF": ("办公用品", "Office", ["OFF-0001", "OFF-0002"]),
    "ELE": ("电子产品", "Electronics", ["ELE-0001", "ELE-0002", "ELE-0003"]),
}
PROVINCES = ["上海市", "广东省", "北京市", ""]
CHANNELS = ["sales", "portal", "api", "shop"]
# The history an order in each status went through (from draft).
PATHS = {
    "draft": [],
    "pending_approval": ["pending_approval"],
    "rejected": ["pending_approval", "rejected"],
    "cancelled": ["pending_approval", "approved", "cancelled"],
    "approved": ["pending_approval", "approved"],
    "picking": ["pending_approval", "approved", "allocated", "picking"],
    "partially_shipped": ["pending_approval", "approved", "allocated", "partially_shipped"],
    "shipped": ["pending_approval", "approved", "allocated", "picking", "packed", "shipped"],
    "delivered": ["pending_approval", "approved", "packed", "shipped", "delivered"],
    "completed": ["pending_approval", "approved", "packed", "shipped", "delivered", "completed"],
}


@dataclass
class Shop:
    customer_id: int
    warehouses: dict[str, int]
    products: dict[str, int]
    reps: dict[str, int]
    count: list[int] = field(default_factory=lambda: [0])


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def make_shop(uow) -> Shop:
    """Two warehouses, two categories of products, two reps and a customer."""
    customer = make_customer(uow)
    with uow:
        s = uow.session
        houses = [Warehouse(code=c, name=f"{c} 仓") for c in ("SH", "BJ")]
        s.add_all(houses)
        products = {}
        for code, (zh, en, skus) in CATALOGUE.items():
            category = Category(code=code, name_zh=zh, name_en=en)
            s.add(category)
            s.flush()
            for sku in skus:
                product = Product(
                    sku=sku, name_zh=f"{zh} {sku}", name_en=f"{en} {sku}", category_id=category.id
                )
                s.add(product)
                s.flush()
                products[sku] = product.id
        uow.commit()
        warehouses = {w.code: w.id for w in houses}
    reps = {name: make_user(uow, username=name, roles=["sales"]) for name in ("alice", "bob")}
    return Shop(customer, warehouses, products, reps)


def _cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), ROUND_HALF_UP)


def add_order(uow, shop: Shop, spec: dict, *, refresh: bool = True) -> int:
    """One order with its lines [(sku, qty, unit price, discount %)] and its history events,
    inserted directly, then (unless told not to) its day's rollups refreshed as the pump would."""
    shop.count[0] += 1
    lines = spec.get("lines", [("OFF-0001", 1, Decimal("100.00"), Decimal("0"))])
    totals = [_cents(Decimal(q) * price) for _, q, price, _ in lines]
    discounts = [_cents(t * pct / 100) for t, (_, _, _, pct) in zip(totals, lines, strict=True)]
    with uow:
        order = Order(
            number=f"SO-D-{shop.count[0]:05d}",
            customer_id=shop.customer_id,
            status=spec["status"],
            channel=spec.get("channel", "sales"),
            warehouse_id=shop.warehouses.get(spec.get("warehouse", "")),
            ship_province=spec.get("province", "上海市"),
            subtotal=sum(totals, Decimal("0.00")),
            discount_total=sum(discounts, Decimal("0.00")),
            cost_total=Decimal("1.00"),
            requested_date=spec.get("requested"),
            created_by=shop.reps.get(spec.get("rep", "")),
            created_at=spec["created"],
        )
        uow.session.add(order)
        uow.session.flush()
        for no, ((sku, qty, price, pct), total) in enumerate(zip(lines, totals, strict=True), 1):
            uow.session.add(
                OrderLine(
                    order_id=order.id,
                    line_no=no,
                    product_id=shop.products[sku],
                    sku=sku,
                    name=sku,
                    quantity=qty,
                    unit_price=price,
                    discount_pct=pct,
                    line_total=total,
                )
            )
        for to_status, at in spec.get("events", []):
            uow.session.add(
                OrderEvent(
                    order_id=order.id,
                    from_status="x",
                    to_status=to_status,
                    action="test",
                    actor_name="test",
                    at=at,
                )
            )
        uow.commit()
        order_id = order.id
    if refresh:  # what the rollup pump does when the order's events arrive
        rollups.refresh_orders(uow, [order_id])
    return order_id


def add_orders(uow, shop: Shop, specs) -> list[int]:
    """Many orders, then their days' rollups refreshed once, as one pump run would."""
    ids = [add_order(uow, shop, spec, refresh=False) for spec in specs]
    rollups.refresh_orders(uow, ids)
    return ids


def random_spec(rng: random.Random, base: datetime, span_days: int) -> dict:
    """An order created somewhere in [base, base + span_days), with a plausible history."""
    created = base + timedelta(minutes=rng.randrange(span_days * 24 * 60))
    status = rng.choice(list(PATHS))
    at, events = created, []
    for to_status in PATHS[status]:
        at = at + timedelta(minutes=rng.randrange(5, 60 * 60))
        events.append((to_status, at))
    skus = [sku for _, _, group in CATALOGUE.values() for sku in group]
    lines = [
        (
            rng.choice(skus),
            rng.randrange(1, 20),
            Decimal(rng.randrange(100, 50_000)) / 100,
            rng.choice([Decimal("0"), Decimal("5"), Decimal("12.5"), Decimal("33.33")]),
        )
        for _ in range(rng.randrange(1, 4))
    ]
    return {
        "status": status,
        "created": created,
        "warehouse": rng.choice(["", "SH", "BJ"]),
        "channel": rng.choice(CHANNELS),
        "province": rng.choice(PROVINCES),
        "rep": rng.choice(["", "alice", "bob"]),
        "lines": lines,
        "events": events,
    }
