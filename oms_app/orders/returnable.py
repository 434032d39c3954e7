"""What the returns area needs from an order: its status, customer, warehouse and priced lines,
and the value of goods coming back. Kept apart from `service.py`, like `billing.py`."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa

from oms_app.core.errors import NotFound
from oms_app.orders.billing import ShipmentValue, apportion
from oms_app.orders.models import Order, OrderLine

CENT = Decimal("0.01")


@dataclass(frozen=True)
class ReturnableLine:
    order_line_id: int
    product_id: int
    sku: str
    name: str
    unit: str
    quantity: int  # ordered
    unit_net_price: Decimal  # unit price net of the line discount
    unit_cost: Decimal


@dataclass(frozen=True)
class ReturnableOrder:
    """An order as the returns area sees it."""

    order_id: int
    number: str
    status: str
    customer_id: int
    warehouse_id: int | None
    lines: tuple[ReturnableLine, ...]
    created_by: int | None = None  # who entered the order (may not decide its returns)


def unit_net_price(unit_price: Decimal, discount_pct: Decimal) -> Decimal:
    return (unit_price * (100 - discount_pct) / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def returnable_order(
    uow, *, number: str = "", order_id: int | None = None, lock: bool = False
) -> ReturnableOrder:
    """Read an order for a return; `lock` serialises the returns claiming its goods."""
    cond = Order.id == order_id if order_id is not None else Order.number == number
    stmt = sa.select(Order).where(cond)
    order = uow.session.scalar(stmt.with_for_update() if lock else stmt)
    if order is None:
        raise NotFound(entity="order", field="order", value=number or str(order_id))
    lines = uow.session.scalars(
        sa.select(OrderLine).where(OrderLine.order_id == order.id).order_by(OrderLine.line_no)
    ).all()
    return ReturnableOrder(
        order_id=order.id,
        number=order.number,
        status=str(order.status),
        customer_id=order.customer_id,
        warehouse_id=order.warehouse_id,
        created_by=order.created_by,
        lines=tuple(
            ReturnableLine(
                order_line_id=ln.id,
                product_id=ln.product_id,
                sku=ln.sku,
                name=ln.name,
                unit=ln.unit,
                quantity=ln.quantity,
                unit_net_price=unit_net_price(ln.unit_price, ln.discount_pct),
                unit_cost=ln.unit_cost,
            )
            for ln in lines
        ),
    )


def returned_value(
    uow, *, order_id: int, returned_before: dict[int, int], returning_now: dict[int, int]
) -> ShipmentValue:
    """What goods coming back carried (quantities by order line id); see `returned_share`."""
    order = uow.session.get(Order, order_id)
    lines = uow.session.scalars(sa.select(OrderLine).where(OrderLine.order_id == order_id)).all()
    return returned_share(order, lines, before=returned_before, now=returning_now)


def returned_share(order, lines, *, before: dict[int, int], now: dict[int, int]) -> ShipmentValue:
    """Revenue and VAT are the order's totals apportioned by net line value the way shipments
    take their share, so returns of everything reverse the sale to the cent; cost is each line's
    standard unit cost times the quantity (what goes back into stock). The shipping fee is not
    given back. Pure: the demo history shares it."""
    value = apportion(order, lines, before=before, now=now)
    unit_costs = {ln.id: ln.unit_cost for ln in lines}
    cost = sum(
        (unit_costs.get(line_id, Decimal(0)) * qty for line_id, qty in now.items()),
        Decimal("0.00"),
    ).quantize(CENT, rounding=ROUND_HALF_UP)
    return ShipmentValue(
        revenue=value.revenue, vat=value.vat, shipping_fee=Decimal("0.00"), cost=cost
    )
