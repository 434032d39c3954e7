"""Order intake reads its facts once and writes in one transaction: what it answers and finds."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from oms_app.api.orders import SUMMARY_FIELDS
from oms_app.catalog.models import PriceList, PriceListItem, Product
from oms_app.core.db import get_engine
from oms_app.orders import queries, service
from oms_app.orders.models import Order, OrderAnomaly
from oms_app.orders.rules import LineInput, OrderInput
from tests.factories.sales import make_world


def pens(quantity: int = 10, **kw) -> OrderInput:
    return OrderInput(customer_code="C10001", lines=[LineInput("OFF-0001", quantity, **kw)])


def anomalies_of(uow, number: str) -> dict[str, dict]:
    with uow:
        rows = uow.session.execute(
            sa.select(OrderAnomaly.code, OrderAnomaly.params)
            .join(Order, Order.id == OrderAnomaly.order_id)
            .where(Order.number == number)
        ).all()
    return dict(rows)


def test_the_answer_to_a_placed_order_is_what_reading_it_back_shows(uow):
    # given an order with a discount, a price outside the list and more than the credit allows
    world = make_world(uow, credit_limit=Decimal("300.00"), stock=20)
    cmd = OrderInput(
        customer_code="C10001",
        lines=[
            LineInput("OFF-0001", 40, unit_price=Decimal("19.00"), price_reason="框架协议价"),
            LineInput("OFF-0002", 3, discount_pct=Decimal("5")),
        ],
    )
    # when it is placed
    answer = service.place_order(uow, actor=world.rep, cmd=cmd, idempotency_key="po-1")
    # then the answer, built without reading the order back, is what the order page reads
    stored = queries.get_order(uow, actor=world.rep, number=answer["number"])
    assert answer == {field: stored[field] for field in SUMMARY_FIELDS}
    assert {a["code"] for a in answer["anomalies"]} == {
        "price_mismatch",
        "insufficient_stock",
        "credit_exceeded",
    }


def test_a_replayed_key_answers_with_the_order_it_made_first(uow):
    world = make_world(uow)
    first = service.place_order(uow, actor=world.rep, cmd=pens(), idempotency_key="po-2")
    again = service.place_order(uow, actor=world.rep, cmd=pens(), idempotency_key="po-2")
    assert {field: again[field] for field in SUMMARY_FIELDS} == first


def test_an_order_is_written_in_one_transaction_and_its_events_published_in_a_second(uow):
    # given the world, and a count of the transactions the database begins
    world = make_world(uow)
    begun: list[object] = []
    engine = get_engine()

    def count(conn) -> None:
        begun.append(conn)

    sa.event.listen(engine, "begin", count)
    try:
        # when an order is entered and submitted
        service.place_order(uow, actor=world.rep, cmd=pens(), idempotency_key="po-3")
    finally:
        sa.event.remove(engine, "begin", count)
    # then the order, its history, approval and notification were one transaction, and the
    # publishing of its events after commit the other
    assert len(begun) == 2


def test_a_tier_price_list_replaces_the_general_one_and_its_quantity_breaks_apply(uow):
    # given tier B (the world's customer) has its own list with a break from 20 pens
    world = make_world(uow)
    with uow:
        pen = uow.session.scalar(sa.select(Product).where(Product.sku == "OFF-0001"))
        tier_list = PriceList(code="B-2026", name="B 类客户价", customer_tier="B")
        uow.session.add(tier_list)
        uow.session.flush()
        uow.session.add_all(
            [
                PriceListItem(price_list_id=tier_list.id, product_id=pen.id, price=Decimal("23")),
                PriceListItem(
                    price_list_id=tier_list.id, product_id=pen.id, min_qty=20, price=Decimal("21")
                ),
            ]
        )
        uow.commit()
    # when orders of 10 and of 20 pens are placed
    small = service.place_order(uow, actor=world.rep, cmd=pens(10))
    large = service.place_order(uow, actor=world.rep, cmd=pens(20))
    # then the tier's prices apply, by quantity
    assert small["lines"][0]["unit_price"] == "23.00"
    assert large["lines"][0]["unit_price"] == "21.00"


def test_a_quantity_far_above_the_customers_usual_is_flagged(uow):
    # given five past orders of 10 pens
    world = make_world(uow)
    for _ in range(5):
        service.create_order(uow, actor=world.rep, cmd=pens(10), submit=True)
    # when 200 are ordered
    number = service.create_order(uow, actor=world.rep, cmd=pens(200), submit=True)
    # then the order is flagged, with the usual quantity
    assert anomalies_of(uow, number)["unusual_quantity"] == {
        "sku": "OFF-0001",
        "quantity": 200,
        "typical": 10,
    }


def test_open_orders_count_against_the_credit_limit_of_the_next(uow):
    # given an open order of the customer
    world = make_world(uow, credit_limit=Decimal("400.00"))
    first = service.place_order(uow, actor=world.rep, cmd=pens(10))
    # when a second order fits the limit alone but not with the first
    second = service.create_order(uow, actor=world.rep, cmd=pens(12), submit=True)
    # then the second is flagged with the first as exposure
    assert "credit_exceeded" not in anomalies_of(uow, first["number"])
    assert anomalies_of(uow, second)["credit_exceeded"]["exposure"] == first["total"]
