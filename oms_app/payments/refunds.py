"""Refunds: money back on a kept payment, part or all, after a fresh second factor.

The refund row is claimed (with its idempotency key) before the provider is asked, so two finance
clerks refunding at once can never give back more than was paid.
"""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from oms_app.accounts import service as accounts_service
from oms_app.audit import service as audit
from oms_app.core.errors import ValidationFailed
from oms_app.core.permissions import Actor, Permission, require
from oms_app.core.state_machine import apply_transition
from oms_app.payments.errors import PaymentConflict
from oms_app.payments.models import Payment, PaymentRefund
from oms_app.payments.order_status import refresh_order_payment_status
from oms_app.payments.posting import book_money_back
from oms_app.payments.provider import PaymentProvider, ProviderError
from oms_app.payments.providers import require_provider
from oms_app.payments.rules import refund_key
from oms_app.payments.service import _amount
from oms_app.payments.status import SETTLED, PaymentAction, PaymentStatus
from oms_app.payments.store import get_payment, lock_payment


def refund_payment(
    uow,
    *,
    actor: Actor,
    payment_id: int,
    amount: Decimal | str,
    reason: str,
    totp_code: str,
    provider: PaymentProvider | None = None,
) -> dict:
    """Give back part or all of a kept payment (finance, with TOTP); the order follows."""
    require(actor, Permission.PAYMENT_MANAGE)
    if not reason.strip():
        raise ValidationFailed("reason", "error.required")
    money = _amount(amount)
    accounts_service.verify_step_up(uow, actor=actor, code=totp_code)
    refund_id, key, ref, method, currency = _claim_refund(uow, actor, payment_id, money, reason)
    if ref:
        try:
            state = require_provider(provider, method).refund(
                ref=ref,
                amount=money,
                currency=currency,
                reason=reason,
                key=key,
            )
        except ProviderError as err:
            _refund_failed(uow, refund_id, err.message or err.code)
            raise PaymentConflict("refund_refused", reason=err.message or err.code) from err
        provider_ref = state.ref
    else:
        provider_ref = ""  # an offline payment is paid back by hand; we record it
    with uow:
        p = lock_payment(uow, payment_id)
        refund = uow.session.get(PaymentRefund, refund_id)
        refund.outcome, refund.provider_ref = "done", provider_ref
        add_refunded(uow, p, money, refund_id=refund_id, actor=actor, reason=reason)
        audit.record(
            uow,
            actor=actor,
            action="payment.refund",
            entity="payment",
            entity_id=p.id,
            amount=money,
            reason=reason,
            refund=provider_ref,
        )
        uow.commit()
    return get_payment(uow, payment_id=payment_id, actor=actor)


def _claim_refund(uow, actor, payment_id, money, reason) -> tuple[int, str, str, str, str]:
    with uow:
        p = lock_payment(uow, payment_id)
        if p.status not in SETTLED or p.status == PaymentStatus.REFUNDED:
            raise PaymentConflict("not_refundable", status=str(p.status))
        pending = uow.session.scalar(
            sa.select(sa.func.coalesce(sa.func.sum(PaymentRefund.amount), 0)).where(
                PaymentRefund.payment_id == p.id, PaymentRefund.outcome == "requested"
            )
        )
        left = p.amount - p.refunded_amount - Decimal(pending)
        if money > left:
            raise ValidationFailed("amount", "payment.error.exceeds_refundable", refundable=left)
        number = 1 + uow.session.scalar(
            sa.select(sa.func.count()).where(PaymentRefund.payment_id == p.id)
        )
        refund = PaymentRefund(
            payment_id=p.id,
            amount=money,
            reason=reason[:300],
            idempotency_key=refund_key(p.id, number),
            actor_id=actor.user_id,
            actor_name=actor.username,
        )
        uow.session.add(refund)
        uow.commit()
        return refund.id, refund.idempotency_key, p.provider_ref, p.method, p.currency


def _refund_failed(uow, refund_id: int, message: str) -> None:
    with uow:
        refund = uow.session.get(PaymentRefund, refund_id)
        refund.outcome, refund.failure_message = "failed", message[:300]
        uow.commit()


def add_refunded(
    uow, p: Payment, money: Decimal, *, refund_id: int, actor: Actor, reason: str
) -> None:
    """Count money given back on the payment, book it, and move the payment to partially or
    fully refunded."""
    p.refunded_amount += money
    book_money_back(uow, p, refund_id=refund_id, amount=money)
    action = (
        PaymentAction.REFUND_ALL if p.refunded_amount >= p.amount else PaymentAction.REFUND_PART
    )
    apply_transition(
        uow,
        p,
        action,
        actor=actor,
        reason=reason[:300],
        params={"amount": str(money), "refunded": str(p.refunded_amount)},
    )
    refresh_order_payment_status(uow, order_id=p.order_id)
