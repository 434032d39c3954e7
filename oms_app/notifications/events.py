"""Past-tense notification events."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from oms_app.core.events import DomainEvent


@dataclasses.dataclass(frozen=True, kw_only=True)
class NotificationCreated(DomainEvent):
    name: ClassVar[str] = "notification.created"
    notification_id: int
    user_id: int
    title: str
    kind: str
