"""What the warehouse needs from an order, and the one door through which warehouse progress
moves it. Kept apart from `service.py` so the fulfillment area can use it without a cycle."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from oms_app.core.errors import NotFound
from oms_app.core.permissions import Actor
from oms_app.core.state_machine import apply_transition
from oms_app.orders.models import Order, OrderLine
from oms_app.orders.status import OrderAction

CUSTOMERS = sa.table("customers", sa.column("id", sa.Integer), sa.column("name", sa.String))
PRODUCTS = sa.table("products", sa.column("id", sa.Integer), sa.column("barcode", sa.String))


@dataclass(frozen=True)
class FulfilmentLine:
    order_line_id: int
    product_id: int
    sku: str
    barcode: str
    name: str
    unit: str
    quantity: int


@dataclass(frozen=True)
class FulfilmentFacts:
    """An order as the warehouse sees it: where it goes, how, and what is in it."""

    order_id: int
    number: str
    status: str
    customer_name: str
    province: str
    city: str
    address: str
    receiver: str
    phone: str
    delivery_method: str
    allow_split: bool
    requested_date: date | None
    created_by: int | None
    lines: tuple[FulfilmentLine, ...]


def _order(uow, *, order_id: int | None = None, number: str = "", lock: bool = False) -> Order:
    cond = Order.id == order_id if order_id is not None else Order.number == number
    stmt = sa.select(Order).where(cond)
    order = uow.session.scalar(stmt.with_for_update() if lock else stmt)
    if order is None:
        raise NotFound(entity="order", field="number", value=number or str(order_id))
    return order


def fulfilment_facts(uow, *, order_id: int | None = None, number: str = "") -> FulfilmentFacts:
    """Read an order for allocation, picking and shipping (no lock)."""
    order = _order(uow, order_id=order_id, number=number)
    customer = uow.session.scalar(
        sa.select(CUSTOMERS.c.name).where(CUSTOMERS.c.id == order.customer_id)
    )
    rows = uow.session.execute(
        sa.select(OrderLine, PRODUCTS.c.barcode)
        .outerjoin(PRODUCTS, PRODUCTS.c.id == OrderLine.product_id)
        .where(OrderLine.order_id == order.id)
        .order_by(OrderLine.line_no)
    ).all()
    return FulfilmentFacts(
        order_id=order.id,
        number=order.number,
        status=str(order.status),
        customer_name=customer or "",
        province=order.ship_province,
        city=order.ship_city,
        address=f"{order.ship_district} {order.ship_street}".strip(),
        receiver=order.ship_receiver,
        phone=order.ship_phone,
        delivery_method=order.delivery_method,
        allow_split=order.allow_split,
        requested_date=order.requested_date,
        created_by=order.created_by,
        lines=tuple(
            FulfilmentLine(
                line.id,
                line.product_id,
                line.sku,
                barcode or "",
                line.name,
                line.unit,
                line.quantity,
            )
            for line, barcode in rows
        ),
    )


def move_order(
    uow,
    *,
    order_id: int,
    actions: Sequence[OrderAction],
    actor: Actor,
    reason: str = "",
    params: dict | None = None,
) -> str:
    """Apply warehouse-driven order actions in turn (the caller checked the permission)."""
    order = _order(uow, order_id=order_id, lock=True)
    for action in actions:
        apply_transition(uow, order, action, actor=actor, reason=reason, params=params)
    return str(order.status)


def set_order_warehouse(uow, *, order_id: int, warehouse_id: int | None) -> None:
    """Remember the (main) warehouse on the order for lists and filters."""
    order = _order(uow, order_id=order_id)
    order.warehouse_id = warehouse_id
    uow.session.add(order)
