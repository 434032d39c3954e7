"""Past-tense report events: a run changed status (a finished report can be announced)."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from oms_app.core.events import DomainEvent


@dataclasses.dataclass(frozen=True, kw_only=True)
class ReportRunStatusChanged(DomainEvent):
    name: ClassVar[str] = "report.status_changed"
    run_id: int
    kind: str
    requested_by: int | None
    from_status: str
    to_status: str
    action: str
    actor: str
