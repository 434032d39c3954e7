"""Stripe webhooks in the wrong order (defect 8): a decline heard before or after the charge on
the same intent never leaves a charged payment failed, and the money is booked once."""

from __future__ import annotations

import json
import time

import pytest
import sqlalchemy as sa
import stripe

from oms_app.ledger.models import JournalEntry
from oms_app.payments import inbox, service
from oms_app.payments.models import PaymentEvent
from oms_app.payments.tracking import LATE_SUCCESS
from tests.factories.payments import history, order_payment_status, payable_order
from tests.stripe_infra import WEBHOOK_SECRET


def signature(payload: bytes) -> str:
    stamp = int(time.time())
    mac = stripe.WebhookSignature._compute_signature(f"{stamp}.{payload.decode()}", WEBHOOK_SECRET)
    return f"t={stamp},v1={mac}"


def intent_event(kind: str, pi: dict) -> dict:
    obj = {**pi, "status": "succeeded"}
    if kind == "payment_failed":
        obj = {**pi, "status": "requires_payment_method"}
        obj["last_payment_error"] = {"code": "card_declined"}
    return {
        "id": f"evt_{kind}",
        "object": "event",
        "type": f"payment_intent.{kind}",
        "data": {"object": obj},
    }


def receive_and_process(uow, event: dict) -> str:
    """What the webhook endpoint and then the worker do with one delivery."""
    payload = json.dumps(event).encode()
    event_id, _ = inbox.receive_stripe_event(uow, payload=payload, signature=signature(payload))
    return inbox.process_stripe_event(uow, event_id=event_id)


def journal_entries(uow, payment_id: int) -> int:
    with uow:
        return uow.session.scalar(
            sa.select(sa.func.count()).where(
                JournalEntry.source_type == "payment", JournalEntry.source_key == str(payment_id)
            )
        )


@pytest.fixture
def card_payment(uow, stripe_on):
    world, number = payable_order(uow)
    payment = service.create_payment(uow, actor=world.rep, order_number=number, method="card")
    pi = {
        "id": payment["client_secret"].split("_secret_")[0],
        "object": "payment_intent",
        "amount": int(float(payment["amount"]) * 100),
        "currency": "cny",
    }
    return number, payment["id"], pi


def test_a_decline_delivered_after_the_success_is_ignored_and_the_payment_stays_paid(
    uow, card_payment
):
    number, payment_id, pi = card_payment
    # when
    receive_and_process(uow, intent_event("succeeded", pi))
    outcome = receive_and_process(uow, intent_event("payment_failed", pi))
    # then
    assert outcome == "ignored: payment is succeeded"
    assert history(uow, payment_id) == [("", "pending"), ("pending", "succeeded")]
    assert journal_entries(uow, payment_id) == 1
    assert order_payment_status(uow, number) == "paid"


def test_a_success_delivered_after_the_decline_turns_the_failed_payment_paid_once(
    uow, card_payment
):
    number, payment_id, pi = card_payment
    # when
    receive_and_process(uow, intent_event("payment_failed", pi))
    failed_status = order_payment_status(uow, number)
    outcome = receive_and_process(uow, intent_event("succeeded", pi))
    replayed = receive_and_process(uow, {**intent_event("succeeded", pi), "id": "evt_again"})
    # then: an audited move from failed, the money booked once, the order paid
    assert failed_status == "unpaid"
    assert outcome == "failed -> succeeded"
    assert replayed == "ignored: payment is succeeded"
    assert history(uow, payment_id) == [
        ("", "pending"),
        ("pending", "failed"),
        ("failed", "succeeded"),
    ]
    with uow:
        last = uow.session.scalars(
            sa.select(PaymentEvent)
            .where(PaymentEvent.payment_id == payment_id)
            .order_by(PaymentEvent.id.desc())
        ).first()
        assert (last.action, last.reason) == ("succeed", LATE_SUCCESS)
        assert last.params["overrides_failure"] == "declined"
    assert journal_entries(uow, payment_id) == 1
    assert order_payment_status(uow, number) == "paid"
