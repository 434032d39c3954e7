"""The lifecycle of a budget adjustment request: requested, then approved or rejected."""

from __future__ import annotations

from enum import StrEnum

from oms_app.core.state_machine import StateMachine


class AdjustmentStatus(StrEnum):
    REQUESTED = "requested"  # waiting for a finance manager other than the requester (待审批)
    APPROVED = "approved"  # applied to the budget's month amounts (已批准)
    REJECTED = "rejected"  # refused; the budget did not change (已驳回)


class AdjustmentAction(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"


class AdjustmentKind(StrEnum):
    INCREASE = "increase"  # add to one month of the budget
    DECREASE = "decrease"  # take from one month of the budget (never below zero)
    TRANSFER = "transfer"  # move from one month of this budget to the same month of another


class BudgetPolicy(StrEnum):
    WARN = "warn"  # postings beyond the budget go through and raise alerts
    BLOCK = "block"  # postings beyond the budget are refused unless overridden with TOTP


S, A = AdjustmentStatus, AdjustmentAction
ADJUSTMENT_TRANSITIONS: dict[tuple[AdjustmentStatus, AdjustmentAction], AdjustmentStatus] = {
    (S.REQUESTED, A.APPROVE): S.APPROVED,
    (S.REQUESTED, A.REJECT): S.REJECTED,
}
ADJUSTMENT_MACHINE: StateMachine[AdjustmentStatus, AdjustmentAction] = StateMachine(
    "budget_adjustment", ADJUSTMENT_TRANSITIONS
)
