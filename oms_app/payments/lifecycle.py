"""Binds Payment to its machine, its history table and its event."""

from __future__ import annotations

from oms_app.core.state_machine import Lifecycle, Transition, history_fields, register_lifecycle
from oms_app.payments.events import PaymentStatusChanged
from oms_app.payments.models import Payment, PaymentEvent
from oms_app.payments.status import PAYMENT_MACHINE


def _history_row(t: Transition) -> PaymentEvent:
    return PaymentEvent(payment_id=t.entity.id, **history_fields(t))


def _event(t: Transition) -> PaymentStatusChanged:
    p = t.entity
    return PaymentStatusChanged(
        payment_id=p.id,
        order_id=p.order_id,
        order_number=p.order_number,
        method=p.method,
        amount=str(p.amount),
        currency=p.currency,
        from_status=t.from_status,
        to_status=t.to_status,
        action=t.action,
        actor=t.actor.username,
        reason=t.reason,
        occurred_at=t.at,
    )


register_lifecycle(
    Payment, Lifecycle(machine=PAYMENT_MACHINE, history_row=_history_row, event=_event)
)
