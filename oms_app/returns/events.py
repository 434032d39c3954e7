"""What the returns area tells the rest of the system after commit."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from oms_app.core.events import DomainEvent


@dataclasses.dataclass(frozen=True, kw_only=True)
class ReturnStatusChanged(DomainEvent):
    """A return was requested (from_status "") or moved on."""

    name: ClassVar[str] = "return.status_changed"
    return_id: int
    number: str
    order_id: int
    order_number: str
    customer_id: int
    from_status: str
    to_status: str
    action: str
    actor: str
    reason: str = ""
