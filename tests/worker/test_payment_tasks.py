"""Payment work on a real Celery worker: signed webhooks replayed and out of order make one
payment, and reconciliation fixes or flags payments stuck with Stripe."""

from __future__ import annotations

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


def wait_until_processed(uow, count: int) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        with uow:
            done = uow.session.scalar(
                sa.select(sa.func.count()).where(StripeEvent.processed_at.is_not(None))
            )
        if done >= count:
            return
        time.sleep(0.2)
    raise AssertionError(f"only {done} of {count} events processed")


@pytest.mark.asyncio
async def test_webhooks_replayed_ten_times_and_out_of_order_make_one_payment(
    uow, stripe_on, celery_worker
):
    world, number = payable_order(uow)
    payment = service.create_payment(uow, actor=world.rep, order_number=number, method="card")
    pi = {
        "id": payment["client_secret"].split("_secret_")[0],
        "object": "payment_intent",
        "amount": int(float(payment["amount"]) * 100),
        "currency": "cny",
        "metadata": {"attempt": "1"},
    }
    events = (
        [intent_event(1, "processing", pi, "processing")]
        + [intent_event(2, "succeeded", pi, "succeeded")]
        + [
            intent_event(3, "payment_failed", pi, "requires_payment_method")
            | {
                "data": {
                    "object": {
                        **pi,
                        "status": "requires_payment_method",
                        "last_payment_error": {"code": "card_declined"},
                    }
                }
            }
        ]
    )
    deliveries = [e for e in events for _ in range(10)]
    random.Random(7).shuffle(deliveries)
    deliveries.insert(0, events[1])  # the success arrives before everything else
    # when
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_api()), base_url="http://oms"
    ) as http:
        answers = []
        for event in deliveries:
            payload, headers = signed(event)
            answers.append(
                await http.post("/api/v1/webhooks/stripe", content=payload, headers=headers)
            )
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
    # (the worker may apply "processing" before "succeeded": both orders are forward moves)
    moves = history(uow, payment["id"])
    assert [to for _, to in moves].count("succeeded") == 1 and moves[-1][1] == "succeeded"
    assert "failed" not in {to for _, to in moves}
    assert order_payment_status(uow, number) == "paid"
    with uow:
        assert uow.session.scalar(sa.select(sa.func.count()).select_from(StripeEvent)) == 3


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
