"""The order's "may ship from several warehouses" switch on real PostgreSQL: stored and read."""

from __future__ import annotations

import sqlalchemy as sa

from oms_app.orders import queries, service
from oms_app.orders.models import Order
from oms_app.orders.rules import LineInput, OrderInput
from tests.factories.sales import make_world


def pens(**fields) -> OrderInput:
    return OrderInput(customer_code="C10001", lines=[LineInput("OFF-0001", 10)], **fields)


def stored_allow_split(uow, number: str) -> bool:
    with uow:
        return uow.session.scalar(sa.select(Order.allow_split).where(Order.number == number))


def test_an_order_that_may_not_be_split_is_stored_and_returned_as_such(uow):
    world = make_world(uow)
    number = service.create_order(uow, actor=world.rep, cmd=pens(allow_split=False), submit=True)
    assert stored_allow_split(uow, number) is False
    assert queries.get_order(uow, actor=world.rep, number=number)["allow_split"] is False


def test_orders_may_be_split_unless_the_entry_says_otherwise(uow):
    world = make_world(uow)
    number = service.create_order(uow, actor=world.rep, cmd=pens())
    assert stored_allow_split(uow, number) is True
    assert queries.get_order(uow, actor=world.rep, number=number)["allow_split"] is True


def test_editing_a_draft_stores_the_switch_as_the_form_now_has_it(uow):
    world = make_world(uow)
    number = service.create_order(uow, actor=world.rep, cmd=pens())
    service.update_draft(uow, actor=world.rep, number=number, cmd=pens(allow_split=False))
    assert stored_allow_split(uow, number) is False
    service.update_draft(uow, actor=world.rep, number=number, cmd=pens(allow_split=True))
    assert stored_allow_split(uow, number) is True


def test_the_entry_preview_echoes_the_switch(uow):
    world = make_world(uow)
    preview = service.preview_order(uow, actor=world.rep, cmd=pens(allow_split=False))
    assert preview["errors"] == [] and preview["allow_split"] is False
