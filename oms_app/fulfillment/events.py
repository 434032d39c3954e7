"""Past-tense warehouse events: what the picking board, bells and webhooks react to."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from oms_app.core.events import DomainEvent


@dataclasses.dataclass(frozen=True, kw_only=True)
class ShipmentStatusChanged(DomainEvent):
    name: ClassVar[str] = "shipment.status_changed"
    shipment_id: int
    number: str
    order_id: int
    order_number: str
    warehouse_id: int
    from_status: str
    to_status: str
    action: str
    actor: str
    reason: str = ""


@dataclasses.dataclass(frozen=True, kw_only=True)
class WaveStatusChanged(DomainEvent):
    name: ClassVar[str] = "wave.status_changed"
    wave_id: int
    number: str
    warehouse_id: int
    from_status: str
    to_status: str
    actor: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class PickConfirmed(DomainEvent):
    """A picker took goods from a bin (the board's progress bars move)."""

    name: ClassVar[str] = "pick.confirmed"
    pick_id: int
    shipment_id: int
    warehouse_id: int
    sku: str
    quantity: int
    short: int = 0


@dataclasses.dataclass(frozen=True, kw_only=True)
class StockReceived(DomainEvent):
    name: ClassVar[str] = "stock.received"
    warehouse_id: int
    product_id: int
    sku: str
    quantity: int


@dataclasses.dataclass(frozen=True, kw_only=True)
class OrderBackordered(DomainEvent):
    """Not enough stock anywhere: the order waits for goods."""

    name: ClassVar[str] = "order.backordered"
    order_id: int
    number: str
    skus: list[str]
