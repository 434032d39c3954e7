"""The return screens' states, handlers called directly: the order page offers the request form
on a shipped order and lists its returns; the returns list approves and receives; the approver's
review shows the customer's return rate."""

from __future__ import annotations

import pytest
import reflex as rx
from reflex.istate.data import RouterData

import oms_app.oms_app  # noqa: F401  (every state registered, as in the app)
from oms_app.fulfillment import shipping
from state.base import SessionState
from state.order_detail import OrderDetailState
from state.returns import OrderReturnsState, ReturnsState
from tests.factories.sales import make_world
from tests.factories.warehouse import approved_order

pytestmark = pytest.mark.asyncio


@pytest.fixture
def acting(monkeypatch):
    who = {}

    async def actor(self):
        return who["actor"]

    monkeypatch.setattr(SessionState, "_actor", actor)
    return who


def open_order(root, number: str) -> None:
    path = f"/orders/{number}"
    root.router = RouterData.from_router_data(
        {"pathname": path, "asPath": path, "query": {"number": number}}
    )


async def test_a_rep_requests_a_return_on_the_order_page_and_a_manager_receives_it(uow, acting):
    world = make_world(uow)
    number = approved_order(uow, world, [("OFF-0001", 4)])
    root = rx.State(_reflex_internal_init=True)
    open_order(root, number)
    page = await root.get_state(OrderReturnsState)
    acting["actor"] = world.rep
    await page.load()
    assert not page.can_request  # nothing shipped yet
    shipping.ship_order(uow, actor=world.warehouse, number=number, carrier="ZTO")
    await page.load()
    assert page.can_request and page.form_lines[0]["returnable"] == 4
    page.open_form()
    page.set_quantity("OFF-0001", "9")
    await page.submit({"reason": "damaged", "note": ""})
    assert page.form_open and page.errors and page.errors[0].startswith("第 1 行")
    page.set_quantity("OFF-0001", "2")
    await page.submit({"reason": "damaged", "note": "two broken"})
    assert not page.form_open and page.errors == []
    await page.load()  # the handler chains the reload; called directly here
    assert [r["status"] for r in page.rows] == ["requested"]
    # the manager approves and receives it from the returns list
    acting["actor"] = world.manager
    listing = await root.get_state(ReturnsState)
    listing.set_filter("requested")
    await listing.load()
    rma = listing.rows[0]["number"]
    await listing.approve(rma)
    await listing.load()
    assert listing.rows == []  # no longer requested
    listing.ask_reject(rma)
    await listing.reject({"reason": "late"})
    assert listing.reject_error  # an approved return can no longer be rejected
    listing.close_reject()
    acting["actor"] = world.warehouse
    await listing.receive(rma)
    listing.set_filter("all")
    await listing.load()
    assert listing.rows[0]["status"] == "received" and listing.rows[0]["actions"] == ["close"]
    # the approver's review of the customer now shows a real return rate: 2 of 4 pens
    acting["actor"] = world.manager
    review = await root.get_state(OrderDetailState)
    await review.load()
    assert review.summary["return_rate"] == "50.0"
