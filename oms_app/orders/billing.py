"""What the payments area needs from an order, and the one door through which it records the
order's derived payment status. Kept apart from `service.py`, like `progress.py`."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa

from oms_app.core.errors import NotFound
from oms_app.orders.models import Order

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
