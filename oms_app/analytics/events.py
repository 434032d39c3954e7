"""Past-tense analytics events."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import ClassVar

from oms_app.core.events import DomainEvent


@dataclasses.dataclass(frozen=True, kw_only=True)
class RollupsRefreshed(DomainEvent):
    """Rollup days between `first` and `last` were rewritten: dashboards may show new figures."""

    name: ClassVar[str] = "analytics.rollups_refreshed"
    first: date
    last: date
    days: int  # how many days were rewritten (there may be gaps between first and last)
