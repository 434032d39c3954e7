"""Payments over HTTP: ask for a card payment, see it on the order, refund it with four eyes
(one finance user proposes, another releases with a second factor), propose and decline a
write-off, record a bank transfer once, and clear refusals for bad input."""

from __future__ import annotations

import pytest

from oms_app.accounts import admin as accounts_admin
from oms_app.payments import attempts
from tests.api.test_fulfilment_api import client
from tests.factories.accounts import make_admin
from tests.factories.payments import (
    order_total,
    payable_order,
    second_finance,
    second_totp,
    totp_now,
)
from tests.stripe_infra import card_payment_method

pytestmark = pytest.mark.asyncio


def key_for(uow, user_id: int, name: str) -> dict[str, str]:
    key = accounts_admin.create_api_key(
        uow, actor=make_admin(uow, username=f"admin-{name}"), name=name, user_id=user_id
    )
    return {"X-API-Key": key}


async def test_a_shop_asks_for_a_card_payment_and_finance_refunds_part_of_it(uow, stripe_on):
    world, number = payable_order(uow)
    shop = key_for(uow, world.rep.user_id, "shop")
    finance = key_for(uow, world.finance.user_id, "erp")
    checker = key_for(uow, second_finance(uow).user_id, "erp-checker")
    async with client() as http:
        created = await http.post(
            f"/api/v1/orders/{number}/payments", json={"method": "card"}, headers=shop
        )
        again = await http.post(
            f"/api/v1/orders/{number}/payments", json={"method": "card"}, headers=shop
        )
        payment = created.json()
        attempts.pay_by_card(
            uow,
            actor=world.rep,
            payment_id=payment["id"],
            payment_method=card_payment_method(stripe_on, "4242424242424242"),
        )
        by_rep = await http.post(
            f"/api/v1/payments/{payment['id']}/refund",
            json={"amount": "5.00", "reason": "damaged"},
            headers=shop,
        )
        proposed = await http.post(
            f"/api/v1/payments/{payment['id']}/refund",
            json={"amount": "5.00", "reason": "damaged"},
            headers=finance,
        )
        proposal = proposed.json()
        waiting = (await http.get("/api/v1/finance/proposals", headers=checker)).json()
        release = f"/api/v1/finance/proposals/{proposal['id']}/release"
        own = await http.post(release, json={"totp_code": totp_now()}, headers=finance)
        no_code = await http.post(release, json={}, headers=checker)
        refunded = await http.post(release, json={"totp_code": second_totp()}, headers=checker)
        left_open = (await http.get("/api/v1/finance/proposals", headers=checker)).json()
        listed = (await http.get(f"/api/v1/orders/{number}/payments", headers=shop)).json()
        trail = (await http.get(f"/api/v1/payments/{payment['id']}/history", headers=shop)).json()
    assert created.status_code == 201 and payment["client_secret"].startswith("pi_")
    assert payment["pay_url"].split("/pay/")[1].startswith(number)
    assert payment["publishable_key"] == "pk_test_oms_local"
    assert again.json()["id"] == payment["id"]
    assert by_rep.status_code == 403
    assert proposed.status_code == 202 and proposal["outcome"] == "proposed"
    assert [(p["id"], p["kind"], p["mine"]) for p in waiting] == [(proposal["id"], "refund", False)]
    assert own.status_code == 403 and own.json()["error"]["code"] == "payment.error.own_proposal"
    assert no_code.status_code == 401 and no_code.json()["error"]["field"] == "totp_code"
    assert refunded.status_code == 200
    assert refunded.json()["payment"]["status"] == "partially_refunded"
    assert left_open == []
    assert listed["payment_status"] == "partially_paid"
    assert listed["paid"] == str(order_total(uow, number) - 5)
    assert [t["to"] for t in trail] == ["pending", "succeeded", "partially_refunded"]


async def test_a_write_off_is_proposed_then_declined_or_withdrawn_and_nothing_is_written_off(uow):
    world, number = payable_order(uow)
    finance = key_for(uow, world.finance.user_id, "wo")
    checker = key_for(uow, second_finance(uow).user_id, "wo-checker")
    body = {"amount": "3.00", "reason": "bad debt"}
    async with client() as http:
        first = await http.post(f"/api/v1/orders/{number}/write-offs", json=body, headers=finance)
        path = f"/api/v1/finance/proposals/{first.json()['id']}"
        own = await http.post(f"{path}/decline", json={"reason": "no"}, headers=finance)
        declined = await http.post(f"{path}/decline", json={"reason": "paid"}, headers=checker)
        second = await http.post(f"/api/v1/orders/{number}/write-offs", json=body, headers=finance)
        not_theirs = await http.post(
            f"/api/v1/finance/proposals/{second.json()['id']}/withdraw", headers=checker
        )
        withdrawn = await http.post(
            f"/api/v1/finance/proposals/{second.json()['id']}/withdraw", headers=finance
        )
        listed = (await http.get(f"/api/v1/orders/{number}/payments", headers=finance)).json()
    assert first.status_code == 202 and first.json()["kind"] == "write_off"
    assert own.status_code == 403
    assert declined.status_code == 200 and declined.json()["outcome"] == "declined"
    assert second.status_code == 202
    assert not_theirs.status_code == 403 and withdrawn.json()["outcome"] == "withdrawn"
    assert listed["payments"] == [] and listed["payment_status"] == "unpaid"


async def test_finance_records_a_bank_transfer_once_and_the_order_is_paid(uow):
    world, number = payable_order(uow)
    finance = key_for(uow, world.finance.user_id, "bank")
    total = str(order_total(uow, number))
    async with client() as http:
        body = {"amount": total, "reference": "ICBC-20261127-0001", "totp_code": totp_now()}
        recorded = await http.post(f"/api/v1/orders/{number}/receipts", json=body, headers=finance)
        twice = await http.post(
            f"/api/v1/orders/{number}/receipts",
            json={**body, "totp_code": totp_now()},
            headers=finance,
        )
        listed = (await http.get(f"/api/v1/orders/{number}/payments", headers=finance)).json()
    assert recorded.status_code == 201 and recorded.json()["method"] == "bank_transfer"
    assert twice.status_code == 422 and twice.json()["errors"][0]["field"] == "reference"
    assert listed["payment_status"] == "paid" and listed["outstanding"] == "0.00"


async def test_bad_payment_requests_get_a_field_and_a_reason(uow):
    world, number = payable_order(uow)
    shop = key_for(uow, world.rep.user_id, "shop2")
    async with client() as http:
        unknown = await http.post(
            f"/api/v1/orders/{number}/payments", json={"method": "bitcoin"}, headers=shop
        )
        too_much = await http.post(
            f"/api/v1/orders/{number}/payments",
            json={"method": "cod", "amount": "999999.00"},
            headers=shop,
        )
        no_stripe = await http.post(
            f"/api/v1/orders/{number}/payments", json={"method": "card"}, headers=shop
        )
        no_order = await http.post(
            "/api/v1/orders/SO-NOPE/payments", json={"method": "cod"}, headers=shop
        )
        cod = await http.post(
            f"/api/v1/orders/{number}/payments", json={"method": "cod"}, headers=shop
        )
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "method"
    assert too_much.status_code == 422 and too_much.json()["errors"][0]["field"] == "amount"
    assert no_stripe.status_code == 422
    assert no_stripe.json()["errors"][0]["code"] == "payment.error.method_unavailable"
    assert no_order.status_code == 404
    assert cod.status_code == 201 and cod.json()["status"] == "pending"
    assert cod.json()["client_secret"] is None
