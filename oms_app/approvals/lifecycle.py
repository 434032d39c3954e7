"""Binds ApprovalRequest to its machine, its history table and its event."""

from __future__ import annotations

from oms_app.approvals.events import ApprovalStatusChanged
from oms_app.approvals.models import ApprovalEvent, ApprovalRequest
from oms_app.approvals.status import APPROVAL_MACHINE
from oms_app.core.state_machine import Lifecycle, Transition, history_fields, register_lifecycle


def _history_row(t: Transition) -> ApprovalEvent:
    return ApprovalEvent(
        request_id=t.entity.id,
        order_id=t.entity.order_id,
        **history_fields(t, with_params=False),
    )


def _event(t: Transition) -> ApprovalStatusChanged:
    r = t.entity
    return ApprovalStatusChanged(
        request_id=r.id,
        order_id=r.order_id,
        role=r.role,
        level_no=r.level_no,
        from_status=t.from_status,
        to_status=t.to_status,
        actor=t.actor.username,
        reason=t.reason,
        occurred_at=t.at,
    )


register_lifecycle(
    ApprovalRequest, Lifecycle(machine=APPROVAL_MACHINE, history_row=_history_row, event=_event)
)
