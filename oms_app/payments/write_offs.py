"""Write-offs: closing an unpaid balance nobody will pay, with four eyes.

A finance user proposes the write-off; it holds its amount against the order's unpaid balance at
once. When a different finance user releases it, the write-off payment is made and succeeds
(booked as an expense against the receivable), and the order's payment status follows.
"""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from oms_app.audit import service as audit
from oms_app.core.errors import ValidationFailed
from oms_app.core.permissions import Actor, Permission, require
from oms_app.orders import billing
from oms_app.payments.models import PaymentRefund
from oms_app.payments.proposals import (
    WRITE_OFF,
    lock_proposal,
    move_proposal,
    note_decision,
    proposal_view,
    record_step,
    required_reason,
)
from oms_app.payments.receipts import _succeed
from oms_app.payments.rules import claimable
from oms_app.payments.service import _amount, _claimed, _new_payment
from oms_app.payments.status import ProposalAction
from oms_app.payments.store import get_payment


def propose_write_off(
    uow, *, actor: Actor, order_number: str, amount: Decimal | str, reason: str
) -> dict:
    """Propose writing off (part of) an order's unpaid balance; another finance user releases
    it."""
    require(actor, Permission.PAYMENT_MANAGE)
    reason = required_reason(reason)
    money = _amount(amount)
    with uow:
        facts = billing.billing_facts(uow, number=order_number, lock=True)
        _check_outstanding(uow, facts, money)
        number = 1 + uow.session.scalar(
            sa.select(sa.func.count()).where(
                PaymentRefund.order_id == facts.order_id, PaymentRefund.kind == WRITE_OFF
            )
        )
        row = PaymentRefund(
            kind=WRITE_OFF,
            order_id=facts.order_id,
            order_number=facts.number,
            amount=money,
            reason=reason,
            idempotency_key=f"oms-write-off-{facts.order_id}-{number}",
            outcome="proposed",
            actor_id=actor.user_id,
            actor_name=actor.username,
        )
        record_step(uow, row, actor, "proposed")
        uow.commit()
        return proposal_view(row, actor)


def _check_outstanding(uow, facts, money: Decimal, besides: int | None = None) -> None:
    left = claimable(facts.total, _claimed(uow, facts.order_id, besides=besides))
    if money > left:
        raise ValidationFailed("amount", "payment.error.exceeds_outstanding", outstanding=left)


def release_write_off(uow, *, actor: Actor, proposal_id: int) -> dict:
    """Write the proposed balance off (the caller checked four eyes and the second factor)."""
    with uow:
        row = lock_proposal(uow, proposal_id)
        move_proposal(row, ProposalAction.RELEASE)
        facts = billing.billing_facts(uow, order_id=row.order_id, lock=True)
        # payments may have come in since it was proposed: check again under the lock
        _check_outstanding(uow, facts, row.amount, besides=row.id)
        payment = _new_payment(uow, facts, "write_off", row.amount, "automatic", None, actor)
        _succeed(
            uow,
            payment,
            actor,
            reason=row.reason,
            params={"write_off": True, "proposed_by": row.actor_name},
        )
        row.payment_id = payment.id
        note_decision(row, actor)
        move_proposal(row, ProposalAction.COMPLETE)
        record_step(uow, row, actor, "released", released_by=actor.username)
        audit.record(
            uow,
            actor=actor,
            action="payment.write_off",
            entity="payment",
            entity_id=payment.id,
            order=facts.number,
            amount=row.amount,
            reason=row.reason,
            proposed_by=row.actor_name,
            released_by=actor.username,
        )
        uow.commit()
        return {
            "proposal": proposal_view(row, actor),
            "payment": get_payment(uow, payment_id=payment.id, actor=actor),
        }
