"""The Stripe webhook inbox: verify, store once by event id, answer fast; Celery processes.

Processing is idempotent and order-proof: an event is handled once, an event that would move a
payment backwards is recorded and ignored, and news of an earlier attempt never fails a retry.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from oms_app.core.clock import utcnow
from oms_app.core.permissions import SYSTEM_ACTOR
from oms_app.integrations.stripe_gateway import intent_state
from oms_app.payments.models import Payment, PaymentRefund, StripeEvent
from oms_app.payments.provider import InvalidWebhook, PaymentProvider
from oms_app.payments.providers import online_provider
from oms_app.payments.refunds import add_refunded
from oms_app.payments.store import payment_by_provider_ref
from oms_app.payments.tracking import apply_intent

HANDLED = (
    "payment_intent.succeeded",
    "payment_intent.payment_failed",
    "payment_intent.processing",
    "payment_intent.requires_action",
    "payment_intent.amount_capturable_updated",
    "payment_intent.canceled",
    "charge.refunded",
)


def receive_stripe_event(
    uow, *, payload: bytes, signature: str, provider: PaymentProvider | None = None
) -> tuple[str, bool]:
    """Verify and store an event; (event id, True when it is new). Raises InvalidWebhook."""
    provider = provider or online_provider()
    if provider is None:
        raise InvalidWebhook("stripe is not configured")
    event = provider.parse_webhook(payload, signature)
    event_id, event_type = event.get("id"), event.get("type")
    if not event_id or not event_type:
        raise InvalidWebhook("an event needs an id and a type")
    with uow:
        stored = uow.session.execute(
            insert(StripeEvent)
            .values(id=event_id, type=event_type, payload=event, received_at=utcnow())
            .on_conflict_do_nothing(index_elements=["id"])
            .returning(StripeEvent.id)
        ).scalar()
        uow.commit()
    return event_id, stored is not None


def process_stripe_event(uow, *, event_id: str) -> str:
    """Apply one stored event to its payment, once; returns what was done (for the log)."""
    with uow:
        event = uow.session.scalar(
            sa.select(StripeEvent).where(StripeEvent.id == event_id).with_for_update()
        )
        if event is None or event.processed_at is not None:
            return "already processed" if event else "unknown event"
        event.outcome = _apply(uow, event.type, event.payload["data"]["object"])[:200]
        event.processed_at = utcnow()
        uow.commit()
        return event.outcome


def _apply(uow, event_type: str, obj: dict) -> str:
    if event_type not in HANDLED:
        return "ignored: not handled"
    ref = obj.get("payment_intent") if event_type == "charge.refunded" else obj.get("id")
    payment = payment_by_provider_ref(uow, ref or "")
    if payment is None:
        return f"ignored: no payment for {ref}"
    if event_type == "charge.refunded":
        return _refunded_outside(uow, payment, obj)
    before = payment.status
    state = intent_state(obj)
    moved = apply_intent(uow, payment, state, actor=SYSTEM_ACTOR, source="webhook")
    return f"{before} -> {payment.status}" if moved else f"ignored: payment is {before}"


def _refunded_outside(uow, payment: Payment, charge: dict) -> str:
    """A refund made at Stripe (its dashboard): count what we did not record ourselves."""
    state = intent_state(
        {
            "id": payment.provider_ref,
            "amount": charge.get("amount") or 0,
            "currency": charge.get("currency"),
            "latest_charge": charge,
        }
    )

    # our own refunds in flight are counted when they finish, not here
    requested = uow.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(PaymentRefund.amount), 0)).where(
            PaymentRefund.payment_id == payment.id, PaymentRefund.outcome == "requested"
        )
    )
    # a partial capture shows the released rest as refunded on the charge: that was never ours
    uncaptured = max(state.amount - payment.amount, Decimal("0.00"))
    missing = state.amount_refunded - uncaptured - payment.refunded_amount - requested
    if missing <= 0:
        return "ignored: refund already recorded"
    refund = PaymentRefund(
        payment_id=payment.id,
        amount=missing,
        reason="refunded at Stripe",
        provider_ref=str(charge.get("id") or ""),
        idempotency_key=f"stripe-outside-{payment.id}-{state.amount_refunded}",
        outcome="done",
        actor_id=None,
        actor_name=SYSTEM_ACTOR.username,
    )
    uow.session.add(refund)
    uow.session.flush()
    add_refunded(
        uow, payment, missing, refund_id=refund.id, actor=SYSTEM_ACTOR, reason="refunded at Stripe"
    )
    return f"refunded {missing}"


def unprocessed_event_ids(uow, *, older_than_seconds: int = 60, limit: int = 500) -> list[str]:
    """Stored events still unprocessed a while after they arrived (their task was lost)."""
    cutoff = utcnow() - timedelta(seconds=older_than_seconds)
    with uow:
        return list(
            uow.session.scalars(
                sa.select(StripeEvent.id)
                .where(StripeEvent.processed_at.is_(None), StripeEvent.received_at < cutoff)
                .order_by(StripeEvent.received_at)
                .limit(limit)
            )
        )
