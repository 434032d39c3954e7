"""Parallel double submits: one payment, one charge (real threads, real PostgreSQL, localstripe)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx

from oms_app.core.db import UnitOfWork
from oms_app.core.errors import DomainError
from oms_app.payments import attempts, service
from tests.factories.payments import order_payment_status, payable_order, payment_rows
from tests.stripe_infra import API_KEY, card_payment_method

CLICKS = 8


def succeeded_charges(localstripe_url: str) -> int:
    charges = httpx.get(
        f"{localstripe_url}/v1/charges",
        params={"limit": 100},
        headers={"Authorization": f"Bearer {API_KEY}"},
    ).json()["data"]
    return sum(1 for c in charges if c["status"] == "succeeded")


def test_eight_simultaneous_pay_clicks_make_one_payment_and_one_charge(uow, stripe_on):
    world, number = payable_order(uow)

    def ask(_):
        return service.create_payment(
            UnitOfWork(), actor=world.rep, order_number=number, method="card"
        )["id"]

    with ThreadPoolExecutor(CLICKS) as pool:
        ids = set(pool.map(ask, range(CLICKS)))
    assert len(ids) == 1 and len(payment_rows(uow, number)) == 1
    (payment_id,) = ids
    cards = [card_payment_method(stripe_on, "4242424242424242") for _ in range(CLICKS)]

    def pay(card):
        try:
            return attempts.pay_by_card(
                UnitOfWork(), actor=world.rep, payment_id=payment_id, payment_method=card
            )["status"]
        except DomainError as err:
            return err.code

    with ThreadPoolExecutor(CLICKS) as pool:
        outcomes = list(pool.map(pay, cards))
    # then exactly one confirm went through; the rest were told why not
    assert outcomes.count("succeeded") == 1
    assert set(outcomes) - {"succeeded"} <= {
        "payment.error.attempt_in_progress",
        "payment.error.already_paid",
    }
    assert succeeded_charges(stripe_on) == 1
    assert order_payment_status(uow, number) == "paid"
