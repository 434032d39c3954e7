"""Payment work on a real Celery worker: signed webhooks replayed and in any order make one
paid payment with one journal entry, and reconciliation fixes or flags payments stuck with
Stripe. No test here depends on which worker thread wins a race: the orders that matter are
fed one event at a time."""

from __future__ import annotations

import itertools
import json
import random
import time
from datetime import timedelta

import httpx
import pytest
import sqlalchemy as sa
import stripe

from oms_app.api.app import create_api
from oms_app.core.clock import utcnow
from oms_app.ledger.models import JournalEntry
from oms_app.payments import attempts, service
from oms_app.payments.models import Payment, StripeEvent
from tasks import payments as payment_tasks
from tests.factories.payments import history, order_payment_status, payable_order
from tests.stripe_infra import WEBHOOK_SECRET, card_payment_method

WAIT = 30


def signed(event: dict) -> tuple[bytes, dict]:
    payload = json.dumps(event).encode()
    stamp = int(time.time())
    signature = stripe.WebhookSignature._compute_signature(
        f"{stamp}.{payload.decode()}", WEBHOOK_SECRET
    )
    return payload, {
        "Stripe-Signature": f"t={stamp},v1={signature}",
        "Content-Type": "application/json",
    }


def intent_event(n: int, kind: str, pi: dict, status: str) -> dict:
    return {
        "id": f"evt_{kind}_{n}",
        "object": "event",
        "type": f"payment_intent.{kind}",
        "data": {"object": {**pi, "status": status}},
    }


def failed_event(n: int, pi: dict) -> dict:
    declined = {**pi, "status": "requires_payment_method"}
    declined["last_payment_error"] = {"code": "card_declined"}
    return intent_event(n, "payment_failed", pi, "requires_payment_method") | {
        "data": {"object": declined}
    }


def stripe_events(pi: dict) -> dict[str, dict]:
    """The three things Stripe may say about one intent, in the order it says them."""
    return {
        "processing": intent_event(1, "processing", pi, "processing"),
        "succeeded": intent_event(2, "succeeded", pi, "succeeded"),
        "payment_failed": failed_event(3, pi),
    }


def card_payment(uow) -> tuple[str, dict, dict]:
    """An order waiting for a card payment: (order number, payment, the intent as Stripe has it)."""
    world, number = payable_order(uow)
    payment = service.create_payment(uow, actor=world.rep, order_number=number, method="card")
    pi = {
        "id": payment["client_secret"].split("_secret_")[0],
        "object": "payment_intent",
        "amount": int(float(payment["amount"]) * 100),
        "currency": "cny",
        "metadata": {"attempt": "1"},
    }
    return number, payment, pi


def processed_count(uow) -> int:
    with uow:
        return uow.session.scalar(
            sa.select(sa.func.count()).where(StripeEvent.processed_at.is_not(None))
        )


def wait_until_processed(uow, count: int) -> None:
    deadline = time.monotonic() + WAIT
    while (done := processed_count(uow)) < count and time.monotonic() < deadline:
        time.sleep(0.1)
    assert done >= count, f"only {done} of {count} events processed"


def payment_journal_entries(uow, payment_id: int) -> int:
    with uow:
        return uow.session.scalar(
            sa.select(sa.func.count()).where(
                JournalEntry.source_type == "payment", JournalEntry.source_key == str(payment_id)
            )
        )


async def deliver(http: httpx.AsyncClient, event: dict) -> httpx.Response:
    payload, headers = signed(event)
    return await http.post("/api/v1/webhooks/stripe", content=payload, headers=headers)


def api_client() -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=create_api()), base_url="http://oms")


def assert_paid_once(uow, number: str, payment_id: int) -> None:
    """The payment ends succeeded, reached succeeded once, and the books hold one entry."""
    moves = history(uow, payment_id)
    assert moves[-1][1] == "succeeded"
    assert [to for _, to in moves].count("succeeded") == 1
    assert payment_journal_entries(uow, payment_id) == 1
    assert order_payment_status(uow, number) == "paid"


@pytest.mark.asyncio
async def test_webhooks_replayed_ten_times_and_out_of_order_make_one_payment(
    uow, stripe_on, celery_worker
):
    # given: each event delivered ten times, shuffled; two worker threads race on them, so the
    # order they are applied in is not known, and every order must end the same way
    number, payment, pi = card_payment(uow)
    events = list(stripe_events(pi).values())
    deliveries = [e for e in events for _ in range(10)]
    random.Random(7).shuffle(deliveries)
    deliveries.insert(0, events[1])  # the success arrives before everything else
    # when
    async with api_client() as http:
        answers = [await deliver(http, event) for event in deliveries]
        forged = await http.post(
            "/api/v1/webhooks/stripe",
            content=b'{"id": "evt_x"}',
            headers={"Stripe-Signature": "t=1,v1=00"},
        )
    wait_until_processed(uow, len(events))
    # then: every delivery was acknowledged, each event stored once, the payment paid once
    assert {a.status_code for a in answers} == {200}
    assert sum(1 for a in answers if not a.json()["duplicate"]) == len(events)
    assert forged.status_code == 400
    assert_paid_once(uow, number, payment["id"])
    with uow:
        assert uow.session.scalar(sa.select(sa.func.count()).select_from(StripeEvent)) == 3


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "order",
    list(itertools.permutations(("processing", "succeeded", "payment_failed"))),
    ids="-then-".join,
)
async def test_every_order_of_stripe_events_ends_with_the_payment_paid_once(
    uow, stripe_on, celery_worker, order
):
    # given: the worker applies the events in exactly this order (each one, replayed, is
    # processed before the next is delivered), the worst being a decline after the charge
    number, payment, pi = card_payment(uow)
    events = stripe_events(pi)
    # when
    async with api_client() as http:
        for done, name in enumerate(order, start=1):
            answers = [await deliver(http, events[name]) for _ in range(3)]
            assert [a.json()["duplicate"] for a in answers] == [False, True, True]
            wait_until_processed(uow, done)
    # then
    assert_paid_once(uow, number, payment["id"])


def test_reconciliation_completes_a_3ds_payment_and_flags_one_still_waiting(
    uow, stripe_on, celery_worker
):
    world, number = payable_order(uow)
    _, other = payable_order_for_second(uow, world)
    waiting_ids = []
    for order in (number, other):
        payment = service.create_payment(uow, actor=world.rep, order_number=order, method="card")
        card = card_payment_method(stripe_on, "4000002500003155")
        attempts.pay_by_card(uow, actor=world.rep, payment_id=payment["id"], payment_method=card)
        waiting_ids.append(payment)
    # the first payer authenticated, but our page never heard back; both are an hour old
    first = waiting_ids[0]
    httpx.post(
        f"{stripe_on}/v1/payment_intents/{first['client_secret'].split('_secret_')[0]}"
        "/_authenticate?success=true",
        json={"key": "pk_test_oms_local", "client_secret": first["client_secret"]},
    ).raise_for_status()
    with uow:
        uow.session.execute(sa.update(Payment).values(updated_at=utcnow() - timedelta(hours=1)))
        uow.commit()
    # when
    counts = payment_tasks.reconcile_payments_task.delay().get(timeout=WAIT)
    # then
    assert counts == {"fixed": 1, "flagged": 1, "unchanged": 0}
    assert order_payment_status(uow, number) == "paid"
    with uow:
        flagged = uow.session.get(Payment, waiting_ids[1]["id"])
        assert (flagged.status, flagged.needs_attention) == (
            "requires_action",
            "stuck_requires_action",
        )


def payable_order_for_second(uow, world):
    from tests.factories.warehouse import approved_order

    return world, approved_order(uow, world, [("OFF-0002", 1)])
