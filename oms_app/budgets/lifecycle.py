"""Binds BudgetAdjustment to its machine, its history table and its event."""

from __future__ import annotations

from oms_app.budgets.events import BudgetAdjustmentStatusChanged
from oms_app.budgets.models import BudgetAdjustment, BudgetAdjustmentEvent
from oms_app.budgets.status import ADJUSTMENT_MACHINE
from oms_app.core.state_machine import Lifecycle, Transition, history_fields, register_lifecycle


def _history_row(t: Transition) -> BudgetAdjustmentEvent:
    return BudgetAdjustmentEvent(adjustment_id=t.entity.id, **history_fields(t))


def _event(t: Transition) -> BudgetAdjustmentStatusChanged:
    adj = t.entity
    return BudgetAdjustmentStatusChanged(
        adjustment_id=adj.id,
        budget_id=adj.budget_id,
        kind=adj.kind,
        amount=str(adj.amount),
        from_status=t.from_status,
        to_status=t.to_status,
        action=t.action,
        actor=t.actor.username,
        reason=t.reason,
        occurred_at=t.at,
    )


register_lifecycle(
    BudgetAdjustment,
    Lifecycle(machine=ADJUSTMENT_MACHINE, history_row=_history_row, event=_event),
)
