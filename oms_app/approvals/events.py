"""Past-tense approval events."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from oms_app.core.events import DomainEvent


@dataclasses.dataclass(frozen=True, kw_only=True)
class ApprovalStatusChanged(DomainEvent):
    name: ClassVar[str] = "approval.status_changed"
    request_id: int
    order_id: int
    role: str
    level_no: int
    from_status: str
    to_status: str
    actor: str
    reason: str = ""
