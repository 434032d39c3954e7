"""A customer and a draft order for tests (inserted directly: order entry is its own issue)."""

from __future__ import annotations

from decimal import Decimal

from oms_app.customers.models import Customer
from oms_app.orders.models import Order


def make_customer(uow, *, code: str = "C90001", name: str = "测试贸易有限公司") -> int:
    with uow:
        row = Customer(
            code=code,
            name=name,
            tier="B",
            credit_limit=Decimal("50000.00"),
            province="上海市",
            city="上海市",
        )
        uow.session.add(row)
        uow.commit()
        return row.id


def make_draft_order(
    uow, *, customer_id: int, number: str = "SO-T-0001", total: Decimal = Decimal("1130.00")
) -> int:
    with uow:
        row = Order(
            number=number,
            customer_id=customer_id,
            subtotal=Decimal("1000.00"),
            tax_total=Decimal("130.00"),
            grand_total=total,
        )
        uow.session.add(row)
        uow.commit()
        return row.id
