"""Card payments through the real Stripe SDK against localstripe: success, a decline at confirm
with its reason and a retry, 3-D Secure, manual capture, and partial and full refunds."""

from __future__ import annotations

import json
import time
from decimal import Decimal

import httpx
import pytest
import stripe

from oms_app.core.errors import SecondFactorRequired, ValidationFailed
from oms_app.payments import attempts, inbox, refunds, release, service, settlement
from oms_app.payments.errors import PaymentConflict
from tests.factories.payments import (
    history,
    order_payment_status,
    order_total,
    payable_order,
    payment_rows,
    refund_with_four_eyes,
    second_finance,
)
from tests.stripe_infra import WEBHOOK_SECRET, card_payment_method

GOOD_CARD = "4242424242424242"
DECLINED_AT_CONFIRM = "4000000000000341"
THREE_D_SECURE = "4000002500003155"


def test_a_card_payment_succeeds_and_the_order_turns_paid(uow, stripe_on):
    world, number = payable_order(uow)
    # when
    payment = service.create_payment(uow, actor=world.rep, order_number=number, method="card")
    card = card_payment_method(stripe_on, GOOD_CARD)
    paid = attempts.pay_by_card(uow, actor=world.rep, payment_id=payment["id"], payment_method=card)
    # then
    assert payment["client_secret"].startswith("pi_") and payment["status"] == "pending"
    assert paid["status"] == "succeeded"
    assert Decimal(paid["amount"]) == order_total(uow, number)
    assert order_payment_status(uow, number) == "paid"
    assert history(uow, payment["id"]) == [("", "pending"), ("pending", "succeeded")]


def test_a_card_declined_at_confirm_shows_its_reason_and_a_retry_succeeds(uow, stripe_on):
    world, number = payable_order(uow)
    payment = service.create_payment(uow, actor=world.rep, order_number=number, method="card")
    declined = card_payment_method(stripe_on, DECLINED_AT_CONFIRM)
    # when
    failed = attempts.pay_by_card(
        uow, actor=world.rep, payment_id=payment["id"], payment_method=declined
    )
    retried = attempts.pay_by_card(
        uow,
        actor=world.rep,
        payment_id=payment["id"],
        payment_method=card_payment_method(stripe_on, GOOD_CARD),
    )
    # then
    assert failed["status"] == "failed" and failed["failure_code"] == "declined"
    assert "retry" in failed["allowed_actions"]
    assert retried["status"] == "succeeded" and retried["attempt"] == 2
    assert order_payment_status(uow, number) == "paid"
    (row,) = payment_rows(uow, number)  # one payment, one charge
    assert row.refunded_amount == 0
    assert history(uow, payment["id"])[1:] == [
        ("pending", "failed"),
        ("failed", "pending"),
        ("pending", "succeeded"),
    ]


def test_three_d_secure_waits_for_the_payer_then_completes(uow, stripe_on):
    world, number = payable_order(uow)
    payment = service.create_payment(uow, actor=world.rep, order_number=number, method="card")
    card = card_payment_method(stripe_on, THREE_D_SECURE)
    # when
    waiting = attempts.pay_by_card(
        uow, actor=world.rep, payment_id=payment["id"], payment_method=card
    )
    # the payer authenticates in Stripe.js (localstripe's stand-in calls this endpoint)
    pi = payment["client_secret"].split("_secret_")[0]
    httpx.post(
        f"{stripe_on}/v1/payment_intents/{pi}/_authenticate?success=true",
        json={"key": "pk_test_oms_local", "client_secret": payment["client_secret"]},
    ).raise_for_status()
    done = settlement.sync_payment(uow, actor=world.rep, payment_id=payment["id"])
    # then
    assert waiting["status"] == "requires_action"
    assert order_payment_status(uow, number) == "paid" and done["status"] == "succeeded"


def test_a_held_card_is_captured_for_less_and_the_order_is_partly_paid(uow, stripe_on):
    world, number = payable_order(uow)
    total = order_total(uow, number)
    payment = service.create_payment(
        uow, actor=world.rep, order_number=number, method="card", capture_method="manual"
    )
    card = card_payment_method(stripe_on, GOOD_CARD)
    held = attempts.pay_by_card(uow, actor=world.rep, payment_id=payment["id"], payment_method=card)
    # when: a rep may not capture; finance captures part
    with pytest.raises(Exception, match="permission"):
        settlement.capture_payment(uow, actor=world.rep, payment_id=payment["id"])
    captured = settlement.capture_payment(
        uow, actor=world.finance, payment_id=payment["id"], amount="10.00"
    )
    # then
    assert held["status"] == "authorized" and order_payment_status(uow, number) == "partially_paid"
    assert captured["status"] == "succeeded" and captured["amount"] == "10.00"
    assert total > Decimal("10.00")


def test_partial_then_full_refund_needs_a_second_persons_totp_and_never_exceeds_the_payment(
    uow, stripe_on
):
    world, number = payable_order(uow)
    checker = second_finance(uow)
    payment = service.create_payment(uow, actor=world.rep, order_number=number, method="card")
    card = card_payment_method(stripe_on, GOOD_CARD)
    attempts.pay_by_card(uow, actor=world.rep, payment_id=payment["id"], payment_method=card)
    amount = Decimal(payment["amount"])
    # when / then
    proposal = refunds.propose_refund(
        uow, actor=world.finance, payment_id=payment["id"], amount="1.00", reason="damaged"
    )
    with pytest.raises(SecondFactorRequired):
        release.release_proposal(uow, actor=checker, proposal_id=proposal["id"], totp_code="000000")
    release.withdraw_proposal(uow, actor=world.finance, proposal_id=proposal["id"])
    part = refund_with_four_eyes(
        uow, world, checker, payment_id=payment["id"], amount="5.00", reason="one pen damaged"
    )
    assert part["status"] == "partially_refunded" and part["refunded_amount"] == "5.00"
    assert order_payment_status(uow, number) == "partially_paid"
    with pytest.raises(ValidationFailed) as too_much:
        refunds.propose_refund(
            uow, actor=world.finance, payment_id=payment["id"], amount=str(amount), reason="all"
        )
    assert too_much.value.code == "payment.error.exceeds_refundable"
    rest = refund_with_four_eyes(
        uow, world, checker, payment_id=payment["id"], amount=amount - 5, reason="order returned"
    )
    assert rest["status"] == "refunded" and order_payment_status(uow, number) == "refunded"
    with pytest.raises(PaymentConflict):
        refunds.propose_refund(
            uow, actor=world.finance, payment_id=payment["id"], amount="1.00", reason="again"
        )


def test_bad_amounts_are_refused_and_create_nothing(uow, stripe_on):
    world, number = payable_order(uow)
    total = order_total(uow, number)
    for amount, code in [
        ("0", "payment.error.amount_positive"),
        ("-5", "payment.error.amount_positive"),
        ("1.234", "error.money.decimals"),
        ("abc", "error.money.invalid"),
        (str(total + 1), "payment.error.exceeds_outstanding"),
    ]:
        with pytest.raises(ValidationFailed) as refused:
            service.create_payment(
                uow, actor=world.rep, order_number=number, method="card", amount=amount
            )
        assert (refused.value.field, refused.value.code) == ("amount", code)
    assert payment_rows(uow, number) == []


def test_a_deposit_and_a_balance_make_the_order_paid(uow, stripe_on):
    world, number = payable_order(uow)
    total = order_total(uow, number)
    deposit = service.create_payment(
        uow, actor=world.rep, order_number=number, method="card", amount="10.00"
    )
    balance = service.create_payment(uow, actor=world.rep, order_number=number, method="card")
    assert Decimal(balance["amount"]) == total - Decimal("10.00")
    for payment in (deposit, balance):
        card = card_payment_method(stripe_on, GOOD_CARD)
        attempts.pay_by_card(uow, actor=world.rep, payment_id=payment["id"], payment_method=card)
        if payment is deposit:
            assert order_payment_status(uow, number) == "partially_paid"
    assert order_payment_status(uow, number) == "paid"
    with pytest.raises(ValidationFailed) as nothing_left:
        service.create_payment(uow, actor=world.rep, order_number=number, method="card")
    assert nothing_left.value.code == "payment.error.nothing_outstanding"


def test_choosing_another_way_to_pay_replaces_a_failed_or_unstarted_payment(uow, stripe_on):
    world, number = payable_order(uow)
    card = service.create_payment(uow, actor=world.rep, order_number=number, method="card")
    declined = card_payment_method(stripe_on, DECLINED_AT_CONFIRM)
    attempts.pay_by_card(uow, actor=world.rep, payment_id=card["id"], payment_method=declined)
    # when the customer gives up on the card and asks for cash on delivery instead
    cod = service.create_payment(uow, actor=world.rep, order_number=number, method="cod")
    # then the failed card payment is cancelled (it can no longer be retried) and COD asks all
    rows = {r.id: r for r in payment_rows(uow, number)}
    assert rows[card["id"]].status == "cancelled"
    assert Decimal(cod["amount"]) == order_total(uow, number)
    with pytest.raises(PaymentConflict):
        attempts.pay_by_card(
            uow,
            actor=world.rep,
            payment_id=card["id"],
            payment_method=card_payment_method(stripe_on, GOOD_CARD),
        )


def test_news_of_an_abandoned_attempt_never_undoes_the_retry_that_paid(uow, stripe_on):
    world, number = payable_order(uow)
    payment = service.create_payment(uow, actor=world.rep, order_number=number, method="card")
    first_intent = payment["client_secret"].split("_secret_")[0]
    declined = card_payment_method(stripe_on, DECLINED_AT_CONFIRM)
    attempts.pay_by_card(uow, actor=world.rep, payment_id=payment["id"], payment_method=declined)
    paid = attempts.pay_by_card(
        uow,
        actor=world.rep,
        payment_id=payment["id"],
        payment_method=card_payment_method(stripe_on, GOOD_CARD),
    )
    # when the first attempt's failure arrives late by webhook
    late = {
        "id": "evt_late_failure",
        "object": "event",
        "type": "payment_intent.payment_failed",
        "data": {
            "object": {
                "id": first_intent,
                "object": "payment_intent",
                "amount": 100,
                "currency": "cny",
                "status": "requires_payment_method",
                "last_payment_error": {"code": "card_declined"},
            }
        },
    }
    payload = json.dumps(late).encode()
    stamp = int(time.time())
    signature = stripe.WebhookSignature._compute_signature(
        f"{stamp}.{payload.decode()}", WEBHOOK_SECRET
    )
    event_id, _ = inbox.receive_stripe_event(
        uow, payload=payload, signature=f"t={stamp},v1={signature}"
    )
    outcome = inbox.process_stripe_event(uow, event_id=event_id)
    # then it is recorded and ignored: the payment stays paid, on its second intent
    assert paid["client_secret"] is None and paid["status"] == "succeeded"
    assert outcome.startswith("ignored")
    assert order_payment_status(uow, number) == "paid"
    assert history(uow, payment["id"])[-1] == ("pending", "succeeded")
