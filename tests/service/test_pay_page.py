"""The customer's pay page: a payment left waiting (a QR code nobody scanned, an Alipay page or a
3-D Secure check nobody finished) can be given up there, so the amount can be paid another way.
Real Stripe SDK against localstripe."""

from __future__ import annotations

import pytest
import reflex as rx

import oms_app.oms_app  # noqa: F401  (every state registered, as in the app)
from oms_app.core.config import reset_settings_cache
from oms_app.core.errors import ValidationFailed
from oms_app.payments import attempts, links, service
from state.pay import PayState
from tests.factories.payments import order_total, payable_order, payment_rows
from tests.stripe_infra import card_payment_method

pytestmark = pytest.mark.asyncio
THREE_D_SECURE = "4000002500003155"


async def test_a_payer_gives_up_a_waiting_payment_and_pays_another_way(uow, stripe_on):
    # given a card payment waiting for a 3-D Secure check the payer never finished
    world, number = payable_order(uow)
    payer = links.payer_actor(number)
    card = service.create_payment(uow, actor=payer, order_number=number, method="card")
    waiting = attempts.pay_by_card(
        uow,
        actor=payer,
        payment_id=card["id"],
        payment_method=card_payment_method(stripe_on, THREE_D_SECURE),
    )
    assert waiting["status"] == "requires_action"
    # while it waits it claims the whole amount: no other way can be started
    with pytest.raises(ValidationFailed) as refused:
        service.create_payment(uow, actor=payer, order_number=number, method="cod")
    assert refused.value.code == "payment.error.nothing_outstanding"
    # when the payer, on the pay page, cancels it
    page = await rx.State(_reflex_internal_init=True).get_state(PayState)
    page.order_number, page.payment = number, waiting
    await page.abandon_waiting()
    # then it is cancelled with no error shown, the page shows the whole amount still owed
    assert (page.payment["status"], page.message) == ("cancelled", "")
    assert page.summary["payment_status"] == "unpaid"
    assert {r.id: r.status for r in payment_rows(uow, number)} == {card["id"]: "cancelled"}
    # and another way can be chosen for the whole amount
    again = service.create_payment(uow, actor=payer, order_number=number, method="cod")
    assert again["amount"] == str(order_total(uow, number))


async def test_only_a_waiting_payment_is_given_up_from_the_pay_page(uow, stripe_on):
    world, number = payable_order(uow)
    payer = links.payer_actor(number)
    card = service.create_payment(uow, actor=payer, order_number=number, method="card")
    page = await rx.State(_reflex_internal_init=True).get_state(PayState)
    page.order_number, page.payment = number, card  # pending: nothing was tried yet
    await page.abandon_waiting()
    assert page.payment["status"] == "pending"
    assert {r.id: r.status for r in payment_rows(uow, number)} == {card["id"]: "pending"}


async def open_pay_page(monkeypatch, number: str) -> PayState:
    token = links.make_pay_token(number)
    monkeypatch.setattr(PayState, "_token", lambda self: token)
    page = await rx.State(_reflex_internal_init=True).get_state(PayState)
    await page.load()
    return page


async def test_without_online_payment_the_pay_page_says_so_and_shows_where_to_transfer(
    uow, monkeypatch
):
    # given a shop with no card, Alipay or WeChat Pay set up, and no bank details yet
    world, number = payable_order(uow)
    for name in ("OMS_BANK_ACCOUNT_NAME", "OMS_BANK_NAME", "OMS_BANK_ACCOUNT_NO"):
        monkeypatch.delenv(name, raising=False)
    reset_settings_cache()
    page = await open_pay_page(monkeypatch, number)
    # then only the transfer is offered, and the page says its details are missing
    assert page.methods == ["bank"] and page.bank == {}
    # once finance sets the bank details, the payer sees them with the order as reference
    monkeypatch.setenv("OMS_BANK_ACCOUNT_NAME", "上海某某贸易有限公司")
    monkeypatch.setenv("OMS_BANK_NAME", "招商银行上海分行")
    monkeypatch.setenv("OMS_BANK_ACCOUNT_NO", "1219 0000 0000 0001")
    reset_settings_cache()
    page = await open_pay_page(monkeypatch, number)
    assert page.bank == {
        "payee": "上海某某贸易有限公司",
        "bank": "招商银行上海分行",
        "account": "1219 0000 0000 0001",
    }
    assert page.order_number == number
    reset_settings_cache()
