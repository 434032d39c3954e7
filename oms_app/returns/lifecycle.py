"""Binds Return to its machine, its history table and its event."""

from __future__ import annotations

from oms_app.core.state_machine import Lifecycle, Transition, history_fields, register_lifecycle
from oms_app.returns.events import ReturnStatusChanged
from oms_app.returns.models import Return, ReturnEvent
from oms_app.returns.status import RETURN_MACHINE


def _history_row(t: Transition) -> ReturnEvent:
    return ReturnEvent(return_id=t.entity.id, **history_fields(t))


def _event(t: Transition) -> ReturnStatusChanged:
    r = t.entity
    return ReturnStatusChanged(
        return_id=r.id,
        number=r.number,
        order_id=r.order_id,
        order_number=r.order_number,
        customer_id=r.customer_id,
        from_status=t.from_status,
        to_status=t.to_status,
        action=t.action,
        actor=t.actor.username,
        reason=t.reason,
        occurred_at=t.at,
    )


register_lifecycle(
    Return, Lifecycle(machine=RETURN_MACHINE, history_row=_history_row, event=_event)
)
