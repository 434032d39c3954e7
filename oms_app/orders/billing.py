"""What the payments area needs from an order, and the one door through which it records the
order's derived payment status. Kept apart from `service.py`, like `progress.py`."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa

from oms_app.core.errors import NotFound
from oms_app.core.money import to_money
from oms_app.orders.models import Order, OrderLine

CUSTOMERS = sa.table(
    "customers",
    sa.column("id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("payment_terms_days", sa.Integer),
)


@dataclass(frozen=True)
class BillingFacts:
    """An order as the payments area sees it."""

    order_id: int
    number: str
    status: str
    customer_id: int
    customer_name: str
    terms_days: int  # 0 = the customer pays before the goods leave
    total: Decimal
    currency: str
    payment_status: str
    created_by: int | None


def billing_facts(
    uow, *, order_id: int | None = None, number: str = "", lock: bool = False
) -> BillingFacts:
    """Read an order for payments; `lock` serialises everything that claims its amount."""
    cond = Order.id == order_id if order_id is not None else Order.number == number
    stmt = sa.select(Order).where(cond)
    order = uow.session.scalar(stmt.with_for_update() if lock else stmt)
    if order is None:
        raise NotFound(entity="order", field="number", value=number or str(order_id))
    name, terms = uow.session.execute(
        sa.select(CUSTOMERS.c.name, CUSTOMERS.c.payment_terms_days).where(
            CUSTOMERS.c.id == order.customer_id
        )
    ).one()
    return BillingFacts(
        order_id=order.id,
        number=order.number,
        status=str(order.status),
        customer_id=order.customer_id,
        customer_name=name,
        terms_days=terms,
        total=order.grand_total,
        currency=order.currency,
        payment_status=order.payment_status,
        created_by=order.created_by,
    )


def set_payment_status(uow, *, order_id: int, payment_status: str) -> bool:
    """Store the derived payment status; True when it changed."""
    order = uow.session.get(Order, order_id)
    if order.payment_status == payment_status:
        return False
    order.payment_status = payment_status
    uow.session.add(order)
    return True


def payment_statuses(uow, *, order_ids: list[int]) -> dict[int, str]:
    """The payment status of several orders (for boards and lists)."""
    if not order_ids:
        return {}
    rows = uow.session.execute(
        sa.select(Order.id, Order.payment_status).where(Order.id.in_(order_ids))
    ).all()
    return dict(rows)


def payment_terms(uow, *, order_ids: list[int]) -> dict[int, tuple[int, str, Decimal]]:
    """Per order: the customer's terms in days, the payment status and the total."""
    rows = uow.session.execute(
        sa.select(Order.id, CUSTOMERS.c.payment_terms_days, Order.payment_status, Order.grand_total)
        .join(CUSTOMERS, CUSTOMERS.c.id == Order.customer_id)
        .where(Order.id.in_(order_ids))
    ).all()
    return {oid: (days, status, total) for oid, days, status, total in rows}


@dataclass(frozen=True)
class ShipmentValue:
    """One shipment's share of its order: goods net of discount, VAT, the fee, standard cost."""

    revenue: Decimal
    vat: Decimal
    shipping_fee: Decimal
    cost: Decimal


def shipment_value(
    uow, *, order_id: int, shipped_before: dict[int, int], shipping_now: dict[int, int]
) -> ShipmentValue:
    """The order's totals apportioned to a shipment by the order lines it carries (quantities by
    order line id). Shares are taken of what has shipped so far, after minus before, so the
    shipments of an order always add up to its totals to the cent."""
    order = uow.session.get(Order, order_id)
    lines = uow.session.scalars(sa.select(OrderLine).where(OrderLine.order_id == order_id)).all()
    return apportion(order, lines, before=shipped_before, now=shipping_now)


def apportion(order, lines, *, before: dict[int, int], now: dict[int, int]) -> ShipmentValue:
    """The pure arithmetic of `shipment_value`, for anything shaped like an order (subtotal,
    discount_total, tax_total, shipping_fee, cost_total) and its lines (id, quantity,
    line_total, discount_pct, unit_cost); the demo history shares it."""
    after = {k: before.get(k, 0) + now.get(k, 0) for k in {*before, *now}}

    def net_weight(ln) -> Decimal:
        return ln.line_total * (100 - ln.discount_pct)

    def share(moved: dict[int, int], weight) -> Decimal:
        whole = sum((weight(ln) for ln in lines), Decimal(0))
        part = sum((weight(ln) * moved.get(ln.id, 0) / ln.quantity for ln in lines), Decimal(0))
        return part / whole if whole else Decimal(0)

    def slice_of(total: Decimal, weight) -> Decimal:
        return to_money(total * share(after, weight)) - to_money(total * share(before, weight))

    net = order.subtotal - order.discount_total
    return ShipmentValue(
        revenue=slice_of(net, net_weight),
        vat=slice_of(order.tax_total, net_weight),
        shipping_fee=Decimal("0.00") if any(before.values()) else order.shipping_fee,
        cost=slice_of(order.cost_total, lambda ln: ln.unit_cost * ln.quantity),
    )
