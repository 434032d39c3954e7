"""Customers see their orders through allow-listed views (issue 14, finding 12).

An order priced below the list, flagged and approved with a comment, is read by its customer
over the API and on the order page: the keys are exactly the customer views' (a new internal
field fails here), and nothing internal appears anywhere in what they receive.
"""

from __future__ import annotations

import json
from decimal import Decimal

import httpx
import pyotp
import pytest
import sqlalchemy as sa

from oms_app.accounts import admin as accounts_admin
from oms_app.api.app import create_api
from oms_app.orders import service as order_service
from oms_app.orders.rules import LineInput, OrderInput
from oms_app.payments import service as payment_service
from state.order_detail import (
    live_token,
    load_customer_page_for_push,
    load_order_for_push,
    load_order_page,
    order_token,
)
from tests.factories.accounts import actor_of, make_admin, make_user
from tests.factories.sales import FINANCE_SECRET, make_world

COMMENT = "thin margin, approved once"
PRICE_REASON = "matching a competitor"
ADDRESS = {"province", "city", "district", "street", "receiver", "phone"}
LINE = {"line_no", "sku", "name", "unit", "quantity", "unit_price", "discount_pct", "line_total"}
ORDER_KEYS = {
    "number",
    "customer",
    "status",
    "currency",
    "delivery_method",
    "requested_date",
    "subtotal",
    "discount_total",
    "tax_total",
    "shipping_fee",
    "total",
    "created",
    *(f"address.{k}" for k in ADDRESS),
    *(f"lines[].{k}" for k in LINE),
}
HISTORY_KEYS = {"[].status", "[].by", "[].at", "[].at_utc"}
PAYMENT = {
    "id",
    "order_number",
    "method",
    "status",
    "amount",
    "refunded_amount",
    "currency",
    "client_secret",
    "redirect_url",
    "qr_code",
    "failure_code",
    "succeeded_at",
    "created_at",
}
SUMMARY_KEYS = {
    "order_number",
    "payment_status",
    "total",
    "paid",
    "outstanding",
    "currency",
    "invoice",
    *(f"payments[].{k}" for k in PAYMENT),
}
SHIPMENT_KEYS = {
    "[].number",
    "[].status",
    "[].warehouse",
    "[].delivery_method",
    "[].carrier",
    "[].service",
    "[].tracking_no",
    "[].shipped_at",
    "[].delivered_at",
    *(f"[].lines[].{k}" for k in ("sku", "name", "unit", "quantity", "picked", "packed")),
}


def key_paths(value, prefix: str = "") -> set[str]:
    """Every key of a JSON value, as dotted paths ("lines[].sku"); lists merge their items."""
    if isinstance(value, dict):
        paths = set()
        for key, item in value.items():
            path = f"{prefix}.{key}" if prefix else key
            inner = key_paths(item, path)
            paths |= inner or {path}
        return paths
    if isinstance(value, list):
        return set().union(*(key_paths(item, f"{prefix}[]") for item in value))
    return set()


def internal_words(world) -> list[str]:
    """What must never reach a customer: staff names, risk, anomalies, our prices and notes."""
    people = [world.rep, world.manager]
    return [
        *(f'"{p.username}"' for p in people),
        "risk",
        "anomal",
        "approv",
        "margin",
        "cost",
        "deviation",  # from our list price
        "32.50",  # the list price of OFF-0002
        "26.00",  # its standard cost
        COMMENT,
        PRICE_REASON,
    ]


def assert_nothing_internal(value, world) -> None:
    text = json.dumps(value, ensure_ascii=False, default=str)
    leaked = [word for word in internal_words(world) if word in text]
    assert leaked == [], f"internal data reached the customer: {leaked}"


@pytest.fixture
def flagged_order(uow):
    """An order priced under the list (price_mismatch), approved with a comment, and its buyer."""
    world = make_world(uow)
    cmd = OrderInput(
        customer_code=world.customer_code,
        lines=[LineInput("OFF-0002", 10, unit_price=Decimal("28.00"), price_reason=PRICE_REASON)],
    )
    number = order_service.create_order(uow, actor=world.rep, cmd=cmd, submit=True)
    order_service.approve_order(uow, actor=world.manager, number=number, comment=COMMENT)
    code = pyotp.TOTP(FINANCE_SECRET).now()
    order_service.approve_order(uow, actor=world.finance, number=number, totp_code=code)
    with uow:
        customer_id = uow.session.scalar(
            sa.text("select customer_id from orders where number = :n"), {"n": number}
        )
    buyer = make_user(uow, username="buyer", roles=["customer"], customer_id=customer_id)
    payment_service.create_payment(
        uow, actor=actor_of(uow, buyer), order_number=number, method="bank_transfer"
    )
    return world, number, buyer


def test_the_staff_view_of_the_order_does_hold_the_internal_data(uow, flagged_order):
    # guards the test below: the order really carries what customers must not see
    world, number, _ = flagged_order
    staff = load_order_for_push(number)
    text = json.dumps([staff.order, staff.history], ensure_ascii=False, default=str)
    assert staff.order["risk_score"] > 0 and staff.order["anomaly_codes"] == ["price_mismatch"]
    assert COMMENT in text
    assert f'"{world.manager.username}"' in text
    assert "deviation" in text  # how far under our list price they buy


@pytest.mark.asyncio
async def test_a_customer_reading_their_order_over_the_api_gets_only_the_customer_view(
    uow, flagged_order
):
    world, number, buyer = flagged_order
    key = accounts_admin.create_api_key(uow, actor=make_admin(uow), name="buyer", user_id=buyer)
    headers = {"X-API-Key": key}
    transport = httpx.ASGITransport(app=create_api())
    async with httpx.AsyncClient(transport=transport, base_url="http://oms") as http:
        order = await http.get(f"/api/v1/orders/{number}", headers=headers)
        history = await http.get(f"/api/v1/orders/{number}/history", headers=headers)
        listed = await http.get("/api/v1/orders", headers=headers)
        paying = await http.post(
            f"/api/v1/orders/{number}/payments", json={"method": "bank_transfer"}, headers=headers
        )
        payments = await http.get(f"/api/v1/orders/{number}/payments", headers=headers)
    assert [r.status_code for r in (order, history, listed, payments)] == [200] * 4
    assert paying.status_code == 201, paying.text
    assert key_paths(order.json()) == ORDER_KEYS
    assert order.json()["status"] == "preparing"  # approved and allocated: our steps
    assert key_paths(history.json()) == {"number", *(f"history{k}" for k in HISTORY_KEYS)}
    assert {h["by"] for h in history.json()["history"]} == {"us"}
    assert key_paths(listed.json()["items"]) == {
        f"[].{k}" for k in ("number", "customer", "status", "total", "currency", "payment")
    } | {"[].created"}
    assert key_paths(payments.json()) == SUMMARY_KEYS
    for answer in (order, history, listed, paying, payments):
        assert_nothing_internal(answer.json(), world)


def test_the_order_page_a_customer_opens_holds_only_the_customer_views(uow, flagged_order):
    world, number, buyer = flagged_order
    customer = actor_of(uow, buyer)
    for page in (
        load_order_page(customer, number),
        load_customer_page_for_push(number, customer.customer_id),
    ):
        # what the page's shared state is filled with (Reflex sends it to the browser)
        assert key_paths(page.order) == ORDER_KEYS
        assert key_paths(page.history) == HISTORY_KEYS
        assert key_paths(page.shipments) == SHIPMENT_KEYS
        assert key_paths(page.payments) == SUMMARY_KEYS
        assert page.pickup_codes == {} and page.preview == {}
        assert_nothing_internal([page.order, page.history, page.shipments, page.payments], world)
    # and the customer's page is a copy of its own, never the staff's shared one
    assert live_token(customer, 7) != order_token(7)
    assert live_token(world.rep, 7) == order_token(7)
