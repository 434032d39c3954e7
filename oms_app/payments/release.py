"""The second pair of eyes on money going out: release a proposed refund or write-off with a
fresh second factor, decline it with a reason, or (its proposer) withdraw it.

Nobody approves their own work: the proposer may not release or decline, and whoever entered
the order may not release money going out on it.
"""

from __future__ import annotations

from oms_app.accounts import service as accounts_service
from oms_app.core.errors import NotFound
from oms_app.core.permissions import Actor, Permission, require
from oms_app.orders import billing
from oms_app.payments import refunds, write_offs
from oms_app.payments.errors import FourEyesRefused
from oms_app.payments.models import PaymentRefund
from oms_app.payments.proposals import (
    WRITE_OFF,
    check_can_move,
    check_four_eyes,
    lock_proposal,
    move_proposal,
    note_decision,
    proposal_view,
    record_step,
    required_reason,
)
from oms_app.payments.provider import PaymentProvider
from oms_app.payments.status import ProposalAction


def release_proposal(
    uow,
    *,
    actor: Actor,
    proposal_id: int,
    totp_code: str,
    provider: PaymentProvider | None = None,
) -> dict:
    """A second finance user lets the proposed money go (after a fresh TOTP code); returns the
    proposal and the payment it moved."""
    require(actor, Permission.PAYMENT_MANAGE)
    with uow:
        row = uow.session.get(PaymentRefund, proposal_id)
        if row is None:
            raise NotFound(entity="proposal", field="id", value=str(proposal_id))
        # refused before the code is spent; the outcome is checked again under the lock
        check_can_move(row, ProposalAction.RELEASE)
        facts = billing.billing_facts(uow, order_id=row.order_id)
        check_four_eyes(actor, row, facts.created_by)
        kind = row.kind
    accounts_service.verify_step_up(uow, actor=actor, code=totp_code)
    if kind == WRITE_OFF:
        return write_offs.release_write_off(uow, actor=actor, proposal_id=proposal_id)
    return refunds.release_refund(uow, actor=actor, proposal_id=proposal_id, provider=provider)


def decline_proposal(uow, *, actor: Actor, proposal_id: int, reason: str) -> dict:
    """A second finance user refuses the proposal, saying why; its amount is free again."""
    require(actor, Permission.PAYMENT_MANAGE)
    reason = required_reason(reason)
    with uow:
        row = lock_proposal(uow, proposal_id)
        check_four_eyes(actor, row, order_created_by=None)
        move_proposal(row, ProposalAction.DECLINE)
        note_decision(row, actor, reason)
        record_step(uow, row, actor, "declined", declined_by=actor.username, why=reason)
        uow.commit()
        return proposal_view(row, actor)


def withdraw_proposal(uow, *, actor: Actor, proposal_id: int) -> dict:
    """The proposer takes their proposal back before anyone decided it."""
    require(actor, Permission.PAYMENT_MANAGE)
    with uow:
        row = lock_proposal(uow, proposal_id)
        if actor.user_id is None or actor.user_id != row.actor_id:
            raise FourEyesRefused("not_your_proposal", proposed_by=row.actor_name)
        move_proposal(row, ProposalAction.WITHDRAW)
        note_decision(row, actor)
        record_step(uow, row, actor, "withdrawn")
        uow.commit()
        return proposal_view(row, actor)
