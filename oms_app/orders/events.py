"""Past-tense order events."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from oms_app.core.events import DomainEvent


@dataclasses.dataclass(frozen=True, kw_only=True)
class OrderStatusChanged(DomainEvent):
    name: ClassVar[str] = "order.status_changed"
    order_id: int
    number: str
    from_status: str
    to_status: str
    action: str
    actor: str
    reason: str = ""


@dataclasses.dataclass(frozen=True, kw_only=True)
class OrderApproved(DomainEvent):
    """The last approval level agreed: the warehouse may reserve and pick."""

    name: ClassVar[str] = "order.approved"
    order_id: int
    number: str
    customer_id: int
    grand_total: str
