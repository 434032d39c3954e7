"""A shipment's share of its order's money: revenue, VAT and cost follow what it carries."""

from __future__ import annotations

from decimal import Decimal

from oms_app.orders.billing import shipment_value
from oms_app.orders.models import Order, OrderLine
from tests.factories.catalog import make_category, make_product, product_id
from tests.factories.orders import make_customer


def product_id_of(uow, sku: str) -> int:
    make_product(uow, sku=sku)
    return product_id(uow, sku)


def make_order(uow) -> tuple[int, int, int]:
    """4 pens at 10.00 (cost 7.50 each) and 1 desk at 60.00 (cost 40.00): cost 70.00."""
    make_category(uow)
    products = {sku: product_id_of(uow, sku) for sku in ("OFF-0001", "OFF-0002")}
    customer_id = make_customer(uow)
    with uow:
        order = Order(
            number="SO-V-0001",
            customer_id=customer_id,
            status="packed",
            subtotal=Decimal("100.00"),
            tax_total=Decimal("13.00"),
            shipping_fee=Decimal("8.00"),
            cost_total=Decimal("70.00"),
        )
        uow.session.add(order)
        uow.session.flush()
        pens, desk = (
            OrderLine(
                order_id=order.id,
                line_no=no,
                product_id=products[sku],
                sku=sku,
                name=sku,
                quantity=qty,
                unit_price=price,
                line_total=price * qty,
                unit_cost=cost,
            )
            for no, (sku, qty, price, cost) in enumerate(
                [
                    ("OFF-0001", 4, Decimal("10.00"), Decimal("7.50")),
                    ("OFF-0002", 1, Decimal("60.00"), Decimal("40.00")),
                ],
                1,
            )
        )
        uow.session.add_all([pens, desk])
        uow.commit()
        return order.id, pens.id, desk.id


def test_a_partial_shipment_carries_the_cost_of_the_units_it_holds(uow):
    order_id, pens, desk = make_order(uow)
    with uow:
        # when: two of the four pens leave, then the rest
        first = shipment_value(uow, order_id=order_id, shipped_before={}, shipping_now={pens: 2})
        rest = shipment_value(
            uow, order_id=order_id, shipped_before={pens: 2}, shipping_now={pens: 2, desk: 1}
        )
    # then: 2 x 7.50 of cost and 2 x 10.00 of revenue first; together exactly the order's totals
    assert (first.cost, first.revenue, first.vat) == (
        Decimal("15.00"),
        Decimal("20.00"),
        Decimal("2.60"),
    )
    assert first.shipping_fee == Decimal("8.00") and rest.shipping_fee == Decimal("0.00")
    assert first.cost + rest.cost == Decimal("70.00")
    assert first.revenue + rest.revenue == Decimal("100.00")
    assert first.vat + rest.vat == Decimal("13.00")
