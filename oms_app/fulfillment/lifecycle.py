"""Binds Shipment and Wave to their machines, history tables and events."""

from __future__ import annotations

from oms_app.core.state_machine import Lifecycle, Transition, history_fields, register_lifecycle
from oms_app.fulfillment.events import ShipmentStatusChanged, WaveStatusChanged
from oms_app.fulfillment.models import Shipment, ShipmentEvent, Wave, WaveEvent
from oms_app.fulfillment.status import SHIPMENT_MACHINE, WAVE_MACHINE


def _shipment_row(t: Transition) -> ShipmentEvent:
    return ShipmentEvent(shipment_id=t.entity.id, **history_fields(t))


def _shipment_event(t: Transition) -> ShipmentStatusChanged:
    s = t.entity
    return ShipmentStatusChanged(
        shipment_id=s.id,
        number=s.number,
        order_id=s.order_id,
        order_number=s.order_number,
        warehouse_id=s.warehouse_id,
        from_status=t.from_status,
        to_status=t.to_status,
        action=t.action,
        actor=t.actor.username,
        reason=t.reason,
        occurred_at=t.at,
    )


def _wave_row(t: Transition) -> WaveEvent:
    return WaveEvent(wave_id=t.entity.id, **history_fields(t, with_params=False))


def _wave_event(t: Transition) -> WaveStatusChanged:
    w = t.entity
    return WaveStatusChanged(
        wave_id=w.id,
        number=w.number,
        warehouse_id=w.warehouse_id,
        from_status=t.from_status,
        to_status=t.to_status,
        actor=t.actor.username,
        occurred_at=t.at,
    )


register_lifecycle(
    Shipment,
    Lifecycle(machine=SHIPMENT_MACHINE, history_row=_shipment_row, event=_shipment_event),
)
register_lifecycle(Wave, Lifecycle(machine=WAVE_MACHINE, history_row=_wave_row, event=_wave_event))
