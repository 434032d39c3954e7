"""Finishing a payment: capture a held card, cancel or void, and ask the provider where it is."""

from __future__ import annotations

from decimal import Decimal

from oms_app.audit import service as audit
from oms_app.core.clock import utcnow
from oms_app.core.errors import ValidationFailed
from oms_app.core.permissions import Actor, Permission, require
from oms_app.core.state_machine import apply_transition
from oms_app.orders import billing
from oms_app.payments.access import may_pay
from oms_app.payments.errors import PaymentConflict
from oms_app.payments.order_status import refresh_order_payment_status
from oms_app.payments.posting import book_money_in
from oms_app.payments.provider import PaymentProvider, ProviderError
from oms_app.payments.providers import require_provider
from oms_app.payments.rules import attempt_key
from oms_app.payments.service import _amount
from oms_app.payments.status import PaymentAction, PaymentStatus
from oms_app.payments.store import get_payment, load_payment, lock_payment
from oms_app.payments.tracking import record_intent


def capture_payment(
    uow,
    *,
    actor: Actor,
    payment_id: int,
    amount: Decimal | str | None = None,
    provider: PaymentProvider | None = None,
) -> dict:
    """Take the held amount (or less: the rest is released to the payer)."""
    require(actor, Permission.PAYMENT_MANAGE)
    with uow:
        p = load_payment(uow, payment_id)
        if p.status != PaymentStatus.AUTHORIZED:
            raise PaymentConflict("not_authorized")
        take = p.amount if amount in (None, "") else _amount(amount)
        if take > p.amount:
            raise ValidationFailed("amount", "payment.error.exceeds_authorized", held=p.amount)
        ref, currency, key = p.provider_ref, p.currency, attempt_key(p.id, p.attempt, "capture")
        method = p.method
    gateway = require_provider(provider, method)
    try:
        state = gateway.capture(ref=ref, amount=take, currency=currency, key=key)
    except ProviderError as err:
        raise PaymentConflict("provider_refused", reason=err.message) from err
    with uow:
        p = lock_payment(uow, payment_id)
        if p.status == PaymentStatus.AUTHORIZED:
            params = {"authorized": str(p.amount), "captured": str(take)}
            p.amount, p.succeeded_at = take, utcnow()
            apply_transition(uow, p, PaymentAction.CAPTURE, actor=actor, params=params)
            book_money_in(uow, p)
            refresh_order_payment_status(uow, order_id=p.order_id)
            audit.record(
                uow,
                actor=actor,
                action="payment.capture",
                entity="payment",
                entity_id=p.id,
                amount=take,
            )
        uow.commit()
    return record_intent(uow, payment_id=payment_id, state=state, actor=actor)


def cancel_payment(
    uow,
    *,
    actor: Actor,
    payment_id: int,
    reason: str = "",
    provider: PaymentProvider | None = None,
) -> dict:
    """Abandon a payment nobody paid, or void a held card; the provider's intent goes too."""
    with uow:
        p = load_payment(uow, payment_id)
        may_pay(actor, billing.billing_facts(uow, order_id=p.order_id))
        if p.status == PaymentStatus.AUTHORIZED:
            require(actor, Permission.PAYMENT_MANAGE)
        if p.status not in (
            PaymentStatus.PENDING,
            PaymentStatus.REQUIRES_ACTION,
            PaymentStatus.AUTHORIZED,
            PaymentStatus.FAILED,
        ):
            raise PaymentConflict("not_cancellable", status=str(p.status))
        ref, method, key = p.provider_ref, p.method, attempt_key(p.id, p.attempt, "cancel")
    if ref:
        try:
            require_provider(provider, method).cancel(ref=ref, key=key)
        except ProviderError as err:
            raise PaymentConflict("provider_refused", reason=err.message) from err
    with uow:
        p = lock_payment(uow, payment_id)
        if p.status not in (PaymentStatus.CANCELLED, PaymentStatus.SUCCEEDED):
            p.next_action = {}
            apply_transition(uow, p, PaymentAction.CANCEL, actor=actor, reason=reason[:300])
            refresh_order_payment_status(uow, order_id=p.order_id)
            audit.record(
                uow,
                actor=actor,
                action="payment.cancel",
                entity="payment",
                entity_id=p.id,
                reason=reason,
            )
        uow.commit()
    return get_payment(uow, payment_id=payment_id, actor=actor)


def sync_payment(
    uow, *, actor: Actor, payment_id: int, provider: PaymentProvider | None = None
) -> dict:
    """Ask the provider where the payment stands and follow it (after Stripe.js, or when stuck)."""
    with uow:
        p = load_payment(uow, payment_id)
        may_pay(actor, billing.billing_facts(uow, order_id=p.order_id))
        ref, method = p.provider_ref, p.method
    if not ref:
        return get_payment(uow, payment_id=payment_id, actor=actor)
    state = require_provider(provider, method).retrieve(ref=ref)
    return record_intent(uow, payment_id=payment_id, state=state, actor=actor, source="sync")
