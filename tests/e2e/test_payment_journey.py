"""A customer pays by card on the order's payment link: a declined card shows its reason, a
retry succeeds, and the rep's open order page turns paid without a reload."""

from __future__ import annotations

import sqlalchemy as sa
from playwright.sync_api import expect

from oms_app.core.db import UnitOfWork
from oms_app.orders.rules import LineInput
from tests.e2e.ordering import place_approved_order
from tests.e2e.test_journeys import TIMEOUT, log_in
from tests.factories.orders import make_customer
from tests.factories.sales import add_default_address


def approved_order(people) -> str:
    """A fresh approved order of customer C00089 (made once per run: other journeys reuse it)."""
    uow = UnitOfWork()
    with uow:
        known = uow.session.execute(
            sa.text("select 1 from customers where code = 'C00089'")
        ).first()
    if known is None:
        add_default_address(uow, make_customer(uow, code="C00089", name="西南建材有限公司"))
    return place_approved_order(people, "C00089", [LineInput("OFF-0002", 3)])


def type_card(page, number: str) -> None:
    """Into the Stripe.js form (localstripe's stand-in: plain inputs named by placeholder)."""
    form = page.locator("#card-element")
    for field, value in (
        ("number", number),
        ("exp_month", "12"),
        ("exp_year", "30"),
        ("cvc", "123"),
        ("postal_code", "20000"),
    ):
        form.locator(f"input[placeholder={field}]").fill(value)


def test_a_declined_card_shows_why_a_retry_pays_and_the_rep_sees_it_live(
    browser, oms_app_url, people, live_worker
):
    number = approved_order(people)
    # the rep has the order open and copies its payment link
    rep = browser.new_context().new_page()
    log_in(rep, oms_app_url, "sales")
    rep.goto(f"{oms_app_url}/orders/{number}")
    status = rep.locator("#order-payment-status")
    expect(status).to_contain_text("未付款", timeout=TIMEOUT)
    link = rep.locator("#pay-link").input_value()
    assert f"/pay/{number}." in link

    # the customer opens it (no log-in) and pays by card
    payer = browser.new_context().new_page()
    payer.goto(oms_app_url + "/pay/" + link.split("/pay/", 1)[1])
    expect(payer.locator("#pay-order")).to_contain_text(number, timeout=TIMEOUT)
    payer.locator("#pay-method-card").click()
    expect(payer.locator("#card-element input[placeholder=number]")).to_be_visible(timeout=TIMEOUT)
    type_card(payer, "4000000000000341")  # declined when confirmed
    payer.locator("#pay-card-submit").click()
    expect(payer.locator("#pay-error")).to_contain_text("您的卡被拒绝", timeout=TIMEOUT)
    expect(status).to_contain_text("未付款")

    type_card(payer, "4242424242424242")
    payer.locator("#pay-card-submit").click()
    expect(payer.locator("#pay-done")).to_be_visible(timeout=TIMEOUT)

    # the rep's page turns paid by itself
    expect(status).to_contain_text("已付款", timeout=15_000)
    expect(rep.locator(".payment-row")).to_have_count(1)
