"""Overdue invoices come a page at a time from the server, the oldest due first."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from oms_app.core.clock import utcnow
from oms_app.core.paging import PageRequest
from oms_app.fulfillment import shipping
from oms_app.payments import queries
from oms_app.payments.models import Invoice
from tests.factories.sales import make_world
from tests.factories.warehouse import approved_order


def test_overdue_invoices_are_paged_and_counted_on_the_server(uow):
    world = make_world(uow)  # C10001 pays in 30 days: each shipment is invoiced
    numbers = []
    for _ in range(3):
        number = approved_order(uow, world, [("OFF-0001", 2)])
        shipping.ship_order(uow, actor=world.warehouse, number=number, carrier="ZTO")
        numbers.append(number)
    with uow:  # the first shipped is the most overdue
        for days, number in enumerate(numbers):
            uow.session.execute(
                sa.update(Invoice)
                .where(Invoice.order_number == number)
                .values(due_date=Invoice.due_date + timedelta(days=days))
            )
        uow.commit()
    later = utcnow() + timedelta(days=40)

    def page(n: int) -> dict:
        request = PageRequest(page=n, page_size=2, sort="due")
        return queries.list_overdue_invoices(uow, actor=world.finance, request=request, now=later)

    first, second = page(1), page(2)
    assert first["total"] == second["total"] == 3
    shown = [row["order_number"] for row in first["rows"] + second["rows"]]
    assert shown == numbers
    assert first["rows"][0]["days_overdue"] > first["rows"][1]["days_overdue"]
