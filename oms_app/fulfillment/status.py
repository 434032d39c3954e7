"""Lifecycles of the warehouse: a shipment (one order's goods from one warehouse) and a wave."""

from __future__ import annotations

from enum import StrEnum

from oms_app.core.state_machine import StateMachine


class ShipmentStatus(StrEnum):
    ALLOCATED = "allocated"  # stock reserved in bins; waiting for a wave (待拣货)
    PICKING = "picking"  # its wave is being picked (拣货中)
    PICKED = "picked"  # every line is in the packing area (已拣货)
    PACKING = "packing"  # items are being scanned into parcels (打包中)
    PACKED = "packed"  # parcels closed and weighed; ready for the carrier (待发货)
    SHIPPED = "shipped"  # handed to the carrier or the customer (已发货)
    DELIVERED = "delivered"  # the carrier reported delivery (已签收)
    CANCELLED = "cancelled"  # the order was cancelled; stock released and put back


class ShipmentAction(StrEnum):
    START_PICKING = "start_picking"
    FINISH_PICKING = "finish_picking"
    START_PACKING = "start_packing"
    PACK = "pack"
    SHIP = "ship"
    DELIVER = "deliver"
    CANCEL = "cancel"


S, A = ShipmentStatus, ShipmentAction
SHIPMENT_TRANSITIONS: dict[tuple[ShipmentStatus, ShipmentAction], ShipmentStatus] = {
    (S.ALLOCATED, A.START_PICKING): S.PICKING,
    (S.PICKING, A.FINISH_PICKING): S.PICKED,
    (S.PICKED, A.START_PACKING): S.PACKING,
    (S.PACKING, A.PACK): S.PACKED,
    (S.PACKED, A.SHIP): S.SHIPPED,
    (S.SHIPPED, A.DELIVER): S.DELIVERED,
    **{(s, A.CANCEL): S.CANCELLED for s in (S.ALLOCATED, S.PICKING, S.PICKED, S.PACKING, S.PACKED)},
}
SHIPMENT_MACHINE: StateMachine[ShipmentStatus, ShipmentAction] = StateMachine(
    "shipment", SHIPMENT_TRANSITIONS
)
# Shipments whose goods are still in the warehouse.
IN_WAREHOUSE = frozenset({S.ALLOCATED, S.PICKING, S.PICKED, S.PACKING, S.PACKED})


class WaveStatus(StrEnum):
    PLANNED = "planned"  # built and printed; nobody picks it yet
    PICKING = "picking"  # a picker is walking it
    DONE = "done"  # every pick task confirmed or short-picked
    CANCELLED = "cancelled"  # dissolved; its shipments wait for another wave


class WaveAction(StrEnum):
    START = "start"
    FINISH = "finish"
    CANCEL = "cancel"


W, WA = WaveStatus, WaveAction
WAVE_TRANSITIONS: dict[tuple[WaveStatus, WaveAction], WaveStatus] = {
    (W.PLANNED, WA.START): W.PICKING,
    (W.PICKING, WA.FINISH): W.DONE,
    (W.PLANNED, WA.CANCEL): W.CANCELLED,
}
WAVE_MACHINE: StateMachine[WaveStatus, WaveAction] = StateMachine("wave", WAVE_TRANSITIONS)
