"""Binds Order to its machine, its history table and its event."""

from __future__ import annotations

from oms_app.core.state_machine import Lifecycle, Transition, history_fields, register_lifecycle
from oms_app.orders.events import OrderStatusChanged
from oms_app.orders.models import Order, OrderEvent
from oms_app.orders.status import ORDER_MACHINE


def _history_row(t: Transition) -> OrderEvent:
    return OrderEvent(order_id=t.entity.id, **history_fields(t))


def _event(t: Transition) -> OrderStatusChanged:
    return OrderStatusChanged(
        order_id=t.entity.id,
        number=t.entity.number,
        from_status=t.from_status,
        to_status=t.to_status,
        action=t.action,
        actor=t.actor.username,
        reason=t.reason,
        occurred_at=t.at,
    )


register_lifecycle(Order, Lifecycle(machine=ORDER_MACHINE, history_row=_history_row, event=_event))
