"""The lifecycle of one approval request (one level of one order)."""

from __future__ import annotations

from enum import StrEnum

from oms_app.core.state_machine import StateMachine


class ApprovalStatus(StrEnum):
    WAITING = "waiting"  # a later level: its turn has not come
    PENDING = "pending"  # in the queue of its role, waiting for a decision
    APPROVED = "approved"  # the approver agreed
    REJECTED = "rejected"  # the approver refused; the order goes back to draft
    CANCELLED = "cancelled"  # no longer needed (an earlier level refused, the order ended)


class ApprovalAction(StrEnum):
    ACTIVATE = "activate"
    APPROVE = "approve"
    REJECT = "reject"
    CANCEL = "cancel"


S, A = ApprovalStatus, ApprovalAction
APPROVAL_TRANSITIONS = {
    (S.WAITING, A.ACTIVATE): S.PENDING,
    (S.PENDING, A.APPROVE): S.APPROVED,
    (S.PENDING, A.REJECT): S.REJECTED,
    (S.WAITING, A.CANCEL): S.CANCELLED,
    (S.PENDING, A.CANCEL): S.CANCELLED,
}
APPROVAL_MACHINE: StateMachine[ApprovalStatus, ApprovalAction] = StateMachine(
    "approval", APPROVAL_TRANSITIONS
)
# Approval levels are worked in this order whatever order the matching rules list them in.
LEVEL_ORDER = ("sales_manager", "finance", "warehouse")
