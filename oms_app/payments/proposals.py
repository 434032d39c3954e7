"""Proposals of money going out (refunds and write-offs): the row, its outcome machine, the
four-eyes check, and what is recorded each time one moves. Refunds and write-offs share it."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from oms_app.audit import service as audit
from oms_app.core.clock import utcnow
from oms_app.core.errors import IllegalTransition, NotFound, ValidationFailed
from oms_app.core.permissions import Actor
from oms_app.payments.errors import FourEyesRefused, PaymentConflict
from oms_app.payments.events import MoneyOutProposalChanged
from oms_app.payments.models import PaymentRefund
from oms_app.payments.rules import four_eyes_refusal
from oms_app.payments.status import (
    HELD_OUTCOMES,
    PROPOSAL_MACHINE,
    ProposalAction,
    ProposalOutcome,
)

REFUND, WRITE_OFF = "refund", "write_off"


def required_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("reason", "error.required")
    return reason[:300]


def lock_proposal(uow, proposal_id: int) -> PaymentRefund:
    row = uow.session.scalar(
        sa.select(PaymentRefund).where(PaymentRefund.id == proposal_id).with_for_update()
    )
    if row is None:
        raise NotFound(entity="proposal", field="id", value=str(proposal_id))
    return row


def check_can_move(row: PaymentRefund, action: ProposalAction) -> None:
    """Refuse early (before a second factor is spent) what the machine would refuse."""
    if not PROPOSAL_MACHINE.can(ProposalOutcome(row.outcome), action):
        raise PaymentConflict("proposal_closed", outcome=row.outcome)


def move_proposal(row: PaymentRefund, action: ProposalAction) -> None:
    """The one writer of a proposal's outcome: only the machine's transitions."""
    try:
        row.outcome = PROPOSAL_MACHINE.next(ProposalOutcome(row.outcome), action).value
    except IllegalTransition:
        raise PaymentConflict("proposal_closed", outcome=row.outcome) from None


def check_four_eyes(actor: Actor, row: PaymentRefund, order_created_by: int | None) -> None:
    refusal = four_eyes_refusal(
        actor_id=actor.user_id, proposed_by=row.actor_id, order_created_by=order_created_by
    )
    if refusal is not None:
        raise FourEyesRefused(refusal, proposed_by=row.actor_name)


def note_decision(row: PaymentRefund, actor: Actor, reason: str = "") -> None:
    row.released_by_id, row.released_by_name = actor.user_id, actor.username
    row.decided_at, row.decision_reason = utcnow(), reason[:300]


def held_refunds(uow, payment_id: int, *, besides: int | None = None) -> Decimal:
    """Refunds proposed or under way on a payment: they hold part of what may go back."""
    return _held(uow, PaymentRefund.payment_id == payment_id, REFUND, besides)


def held_write_offs(uow, order_id: int, *, besides: int | None = None) -> Decimal:
    """Write-offs proposed on an order: they hold part of its unpaid balance."""
    return _held(uow, PaymentRefund.order_id == order_id, WRITE_OFF, besides)


def _held(uow, where, kind: str, besides: int | None) -> Decimal:
    total = uow.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(PaymentRefund.amount), 0)).where(
            where,
            PaymentRefund.kind == kind,
            PaymentRefund.outcome.in_([o.value for o in HELD_OUTCOMES]),
            PaymentRefund.id != (besides or 0),
        )
    )
    return Decimal(total)


def record_step(uow, row: PaymentRefund, actor: Actor, step: str, **detail: object) -> None:
    """Audit who did what to the proposal and queue its event (published after commit)."""
    uow.session.add(row)
    uow.session.flush()
    audit.record(
        uow,
        actor=actor,
        action=f"payment.{row.kind}_{step}",
        entity="payment_proposal",
        entity_id=row.id,
        order=row.order_number,
        amount=row.amount,
        reason=row.reason,
        proposed_by=row.actor_name,
        **detail,
    )
    uow.add_event(
        MoneyOutProposalChanged(
            proposal_id=row.id,
            kind=row.kind,
            order_number=row.order_number,
            payment_id=row.payment_id,
            amount=str(row.amount),
            outcome=row.outcome,
            proposed_by=row.actor_name,
            decided_by=row.released_by_name,
        )
    )


def proposal_view(row: PaymentRefund, actor: Actor | None = None) -> dict:
    """The proposal as the UI and the API show it; `mine` for the viewer who proposed it."""
    return {
        "id": row.id,
        "kind": row.kind,
        "order_number": row.order_number,
        "payment_id": row.payment_id,
        "amount": str(row.amount),
        "reason": row.reason,
        "outcome": row.outcome,
        "proposed_by": row.actor_name,
        "decided_by": row.released_by_name,
        "decision_reason": row.decision_reason,
        "failure_message": row.failure_message,
        "created_at": row.created_at.isoformat() if row.created_at else None,
        "decided_at": row.decided_at.isoformat() if row.decided_at else None,
        "mine": actor is not None and actor.user_id is not None and actor.user_id == row.actor_id,
    }
