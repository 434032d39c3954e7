"""Refunds: money back on a kept payment, part or all, with four eyes.

A finance user proposes the refund; the row holds its amount at once, so two proposals (or two
clerks) can never give back more than was paid. A different finance user releases it with a
fresh second factor: the row is claimed (with its idempotency key) before the provider is asked.
"""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from oms_app.audit import service as audit
from oms_app.core.errors import ValidationFailed
from oms_app.core.permissions import Actor, Permission, require
from oms_app.core.state_machine import apply_transition
from oms_app.payments.errors import PaymentConflict
from oms_app.payments.models import Payment, PaymentRefund
from oms_app.payments.order_status import refresh_order_payment_status
from oms_app.payments.posting import book_money_back
from oms_app.payments.proposals import (
    REFUND,
    held_refunds,
    lock_proposal,
    move_proposal,
    note_decision,
    proposal_view,
    record_step,
    required_reason,
)
from oms_app.payments.provider import PaymentProvider, ProviderError
from oms_app.payments.providers import require_provider
from oms_app.payments.rules import refund_key
from oms_app.payments.service import _amount
from oms_app.payments.status import SETTLED, PaymentAction, PaymentStatus, ProposalAction
from oms_app.payments.store import get_payment, lock_payment


def propose_refund(
    uow, *, actor: Actor, payment_id: int, amount: Decimal | str, reason: str
) -> dict:
    """Propose giving back part or all of a kept payment; nothing leaves until another finance
    user releases it."""
    require(actor, Permission.PAYMENT_MANAGE)
    reason = required_reason(reason)
    money = _amount(amount)
    with uow:
        p = lock_payment(uow, payment_id)
        _check_refundable(uow, p, money)
        number = 1 + uow.session.scalar(
            sa.select(sa.func.count()).where(PaymentRefund.payment_id == p.id)
        )
        row = PaymentRefund(
            kind=REFUND,
            payment_id=p.id,
            order_id=p.order_id,
            order_number=p.order_number,
            amount=money,
            reason=reason,
            idempotency_key=refund_key(p.id, number),
            outcome="proposed",
            actor_id=actor.user_id,
            actor_name=actor.username,
        )
        record_step(uow, row, actor, "proposed")
        uow.commit()
        return proposal_view(row, actor)


def _check_refundable(uow, p: Payment, money: Decimal, besides: int | None = None) -> None:
    if p.status not in SETTLED or p.status == PaymentStatus.REFUNDED:
        raise PaymentConflict("not_refundable", status=str(p.status))
    left = p.amount - p.refunded_amount - held_refunds(uow, p.id, besides=besides)
    if money > left:
        raise ValidationFailed("amount", "payment.error.exceeds_refundable", refundable=left)


def release_refund(
    uow, *, actor: Actor, proposal_id: int, provider: PaymentProvider | None = None
) -> dict:
    """Give the proposed money back (the caller checked four eyes and the second factor)."""
    key, ref, method, currency, money, reason = _claim_refund(uow, actor, proposal_id)
    if ref:
        try:
            state = require_provider(provider, method).refund(
                ref=ref, amount=money, currency=currency, reason=reason, key=key
            )
        except ProviderError as err:
            _refund_failed(uow, actor, proposal_id, err.message or err.code)
            raise PaymentConflict("refund_refused", reason=err.message or err.code) from err
        provider_ref = state.ref
    else:
        provider_ref = ""  # an offline payment is paid back by hand; we record it
    with uow:
        row = lock_proposal(uow, proposal_id)
        p = lock_payment(uow, row.payment_id)
        move_proposal(row, ProposalAction.COMPLETE)
        row.provider_ref = provider_ref
        add_refunded(uow, p, money, refund_id=row.id, actor=actor, reason=reason)
        record_step(uow, row, actor, "released", released_by=actor.username)
        audit.record(
            uow,
            actor=actor,
            action="payment.refund",
            entity="payment",
            entity_id=p.id,
            amount=money,
            reason=reason,
            refund=provider_ref,
            proposed_by=row.actor_name,
            released_by=actor.username,
        )
        uow.commit()
        return {
            "proposal": proposal_view(row, actor),
            "payment": get_payment(uow, payment_id=p.id, actor=actor),
        }


def _claim_refund(uow, actor, proposal_id) -> tuple[str, str, str, str, Decimal, str]:
    with uow:
        row = lock_proposal(uow, proposal_id)
        p = lock_payment(uow, row.payment_id)
        move_proposal(row, ProposalAction.RELEASE)
        # the payment may have moved since (refunded at Stripe): check again under the lock
        _check_refundable(uow, p, row.amount, besides=row.id)
        note_decision(row, actor)
        uow.session.add(row)
        uow.commit()
        return row.idempotency_key, p.provider_ref, p.method, p.currency, row.amount, row.reason


def _refund_failed(uow, actor: Actor, proposal_id: int, message: str) -> None:
    with uow:
        row = lock_proposal(uow, proposal_id)
        move_proposal(row, ProposalAction.FAIL)
        row.failure_message = message[:300]
        record_step(uow, row, actor, "failed", failure=message[:300])
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
