"""The order page tells an approver up front why the four-eyes rule keeps them from deciding
(the state's handlers called directly; the service refuses the click anyway)."""

from __future__ import annotations

import pytest
import reflex as rx
from reflex.istate.data import RouterData

import oms_app.oms_app  # noqa: F401  (every state registered, as in the app)
from oms_app.orders import service
from oms_app.orders.rules import LineInput, OrderInput
from state.base import SessionState
from state.order_detail import OrderDetailState
from tests.factories.accounts import make_admin
from tests.factories.sales import make_world

pytestmark = pytest.mark.asyncio
BIG = OrderInput(customer_code="C10001", lines=[LineInput("OFF-0002", 2500)])  # manager, finance


@pytest.fixture
def acting(monkeypatch):
    who = {}

    async def actor(self):
        return who["actor"]

    monkeypatch.setattr(SessionState, "_actor", actor)
    return who


async def order_page(number: str) -> OrderDetailState:
    root = rx.State(_reflex_internal_init=True)
    path = f"/orders/{number}"
    root.router = RouterData.from_router_data(
        {"pathname": path, "asPath": path, "query": {"number": number}}
    )
    return await root.get_state(OrderDetailState)


async def test_the_order_page_says_why_its_creator_or_a_second_level_may_not_decide(uow, acting):
    world = make_world(uow, stock=5000)
    admin = make_admin(uow)
    own = service.create_order(uow, actor=world.manager, submit=True, cmd=BIG)
    # the manager opens the order they entered: the page explains instead of offering buttons
    acting["actor"] = world.manager
    page = await order_page(own)
    await page.load()
    assert page.t[page.decision_block] == "你创建了此订单，不能审批"
    # an admin standing in for the manager's level may decide it, then no other level of it
    acting["actor"] = admin
    page = await order_page(own)
    await page.load()
    assert page.decision_block == ""
    page.set_comment("经理不能审批自己的订单，代为审批")
    await page.approve({"totp_code": ""})
    assert page.error == ""
    assert page.t[page.decision_block] == "你已审批过此订单的另一级，本级须由他人审批"
