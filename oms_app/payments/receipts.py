"""Money that does not pass through a provider: bank transfers recorded by finance, cash
collected on delivery, and balances written off (see write_offs.py). Each is a payment with its
own history."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from oms_app.accounts import service as accounts_service
from oms_app.audit import service as audit
from oms_app.core.clock import utcnow
from oms_app.core.errors import ValidationFailed
from oms_app.core.permissions import Actor, Permission, require
from oms_app.core.state_machine import apply_transition
from oms_app.orders import billing
from oms_app.payments.models import Payment
from oms_app.payments.order_status import refresh_order_payment_status
from oms_app.payments.posting import book_money_in
from oms_app.payments.rules import UNPAYABLE_ORDER_STATUSES, claimable
from oms_app.payments.service import (
    _amount,
    _claimed,
    _new_payment,
    cancel_intent_quietly,
    supersede_unstarted,
)
from oms_app.payments.status import PaymentAction, PaymentStatus
from oms_app.payments.store import get_payment

MAX_REFERENCE = 64


def record_bank_receipt(
    uow,
    *,
    actor: Actor,
    order_number: str,
    amount: Decimal | str,
    reference: str,
    totp_code: str,
) -> dict:
    """Finance records a bank transfer with its bank reference (once), after a fresh TOTP."""
    require(actor, Permission.PAYMENT_MANAGE)
    reference = (reference or "").strip()
    if not reference:
        raise ValidationFailed("reference", "error.required")
    if len(reference) > MAX_REFERENCE:
        raise ValidationFailed("reference", "error.too_long", max=MAX_REFERENCE)
    money = _amount(amount)
    accounts_service.verify_step_up(uow, actor=actor, code=totp_code)
    with uow:
        facts = billing.billing_facts(uow, number=order_number, lock=True)
        if facts.status in UNPAYABLE_ORDER_STATUSES:
            raise ValidationFailed("order", "payment.error.order_not_payable", status=facts.status)
        if _reference_used(uow, reference):
            raise ValidationFailed("reference", "payment.error.reference_used")
        payment = _waiting(uow, facts.order_id, "bank_transfer")
        left = _receivable_left(uow, facts, payment)
        replaced = []
        if money > left:  # the customer paid by transfer instead of the way first asked
            keep = payment.id if payment is not None else None
            replaced = supersede_unstarted(uow, facts.order_id, actor, keep=keep)
            left = _receivable_left(uow, facts, payment)
        if money > left:
            raise ValidationFailed("amount", "payment.error.exceeds_outstanding", outstanding=left)
        if payment is None:
            payment = _new_payment(uow, facts, "bank_transfer", money, "automatic", None, actor)
        payment.amount, payment.reference = money, reference
        _succeed(uow, payment, actor, reason="bank receipt", params={"reference": reference})
        audit.record(
            uow,
            actor=actor,
            action="payment.receipt",
            entity="payment",
            entity_id=payment.id,
            order=order_number,
            amount=money,
            reference=reference,
        )
        uow.commit()
        payment_id = payment.id
    for method, ref, old_id in replaced:
        cancel_intent_quietly(None, method, ref, old_id)
    return get_payment(uow, payment_id=payment_id, actor=actor)


def _receivable_left(uow, facts, waiting: Payment | None) -> Decimal:
    """What a receipt may still cover: the unclaimed rest, plus the transfer it settles."""
    left = claimable(facts.total, _claimed(uow, facts.order_id))
    return left + (waiting.amount if waiting is not None else Decimal("0.00"))


def collect_on_delivery(uow, *, order_id: int, actor: Actor) -> int:
    """The goods reached the customer: their cash-on-delivery payments are collected."""
    waiting = uow.session.scalars(
        sa.select(Payment)
        .where(
            Payment.order_id == order_id,
            Payment.method == "cod",
            Payment.status == PaymentStatus.PENDING.value,
        )
        .with_for_update()
    ).all()
    for payment in waiting:
        _succeed(uow, payment, actor, reason="collected on delivery", params={"cod": True})
    return len(waiting)


def _succeed(uow, payment: Payment, actor: Actor, *, reason: str, params: dict) -> None:
    payment.succeeded_at = utcnow()
    apply_transition(uow, payment, PaymentAction.SUCCEED, actor=actor, reason=reason, params=params)
    book_money_in(uow, payment)
    refresh_order_payment_status(uow, order_id=payment.order_id)


def _waiting(uow, order_id: int, method: str) -> Payment | None:
    return uow.session.scalar(
        sa.select(Payment)
        .where(
            Payment.order_id == order_id,
            Payment.method == method,
            Payment.status == PaymentStatus.PENDING.value,
        )
        .order_by(Payment.id)
        .limit(1)
        .with_for_update()
    )


def _reference_used(uow, reference: str) -> bool:
    return (
        uow.session.scalar(
            sa.select(sa.func.count()).where(
                Payment.method == "bank_transfer", Payment.reference == reference
            )
        )
        > 0
    )
