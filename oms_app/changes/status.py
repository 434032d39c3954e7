"""The lifecycle of a proposed master-data change."""

from __future__ import annotations

from enum import StrEnum

from oms_app.core.state_machine import StateMachine


class ChangeStatus(StrEnum):
    PROPOSED = "proposed"  # asked for by someone without the field's right; waits (待审批)
    APPROVED = "approved"  # applied to the record by someone holding the right (已批准)
    REJECTED = "rejected"  # refused with a reason; the record kept its value (已驳回)


class ChangeAction(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"


S, A = ChangeStatus, ChangeAction
CHANGE_MACHINE: StateMachine[ChangeStatus, ChangeAction] = StateMachine(
    "master_data_change",
    {(S.PROPOSED, A.APPROVE): S.APPROVED, (S.PROPOSED, A.REJECT): S.REJECTED},
)
