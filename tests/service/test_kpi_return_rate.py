"""The dashboard's return rate: value of the goods that came back over the period's revenue."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from oms_app.analytics.kpis import compute_kpis
from oms_app.core.permissions import SYSTEM_ACTOR
from oms_app.orders.models import Order, OrderLine
from oms_app.returns.models import Return, ReturnLine
from tests.factories.dashboard import add_order, make_shop, utc

MARCH = {"date_from": date(2026, 3, 1), "date_to": date(2026, 3, 31), "today": date(2026, 4, 1)}


def add_return(uow, order_id: int, *, status: str, received_at, quantity: int, price: str) -> None:
    """A return of the order's first line, written directly (its lifecycle has its own tests)."""
    with uow:
        order = uow.session.get(Order, order_id)
        line = uow.session.scalar(sa.select(OrderLine).where(OrderLine.order_id == order_id))
        ret = Return(
            number=f"RMA-T-{order_id}-{status}",
            order_id=order_id,
            order_number=order.number,
            customer_id=order.customer_id,
            status=status,
            reason_code="damaged",
            received_at=received_at,
        )
        uow.session.add(ret)
        uow.session.flush()
        uow.session.add(
            ReturnLine(
                return_id=ret.id,
                order_line_id=line.id,
                product_id=line.product_id,
                sku=line.sku,
                quantity=quantity,
                unit_net_price=Decimal(price),
                unit_cost=Decimal("1.00"),
            )
        )
        uow.commit()


def rate(uow, **narrowing) -> str | None:
    return compute_kpis(uow, actor=SYSTEM_ACTOR, **MARCH, **narrowing)["current"]["return_rate"]


def test_goods_received_back_in_the_period_count_against_its_revenue(uow):
    # given: 1,000.00 of March revenue (two orders, two warehouses)
    shop = make_shop(uow)
    lines = [("OFF-0001", 5, Decimal("100.00"), Decimal("0"))]
    march = utc(2026, 3, 5, 3)
    sh = add_order(
        uow, shop, {"status": "shipped", "created": march, "warehouse": "SH", "lines": lines}
    )
    add_order(uow, shop, {"status": "shipped", "created": march, "warehouse": "BJ", "lines": lines})
    assert rate(uow) == "0.0000"
    # when: 2 x 75.00 came back in March; a return still on its way and one received in April
    add_return(
        uow, sh, status="received", received_at=utc(2026, 3, 20, 3), quantity=2, price="75.00"
    )
    add_return(uow, sh, status="approved", received_at=None, quantity=1, price="100.00")
    add_return(uow, sh, status="closed", received_at=utc(2026, 4, 2, 3), quantity=1, price="100.00")
    # then
    assert rate(uow) == "0.1500"  # 150.00 / 1,000.00
    assert rate(uow, warehouse="SH") == "0.3000"  # 150.00 / 500.00 of SH's orders
    assert rate(uow, warehouse="BJ") == "0.0000"


def test_a_period_without_revenue_has_no_return_rate(uow):
    make_shop(uow)
    assert rate(uow) is None
