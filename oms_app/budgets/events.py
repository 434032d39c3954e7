"""What the budgets area tells the rest of the system after commit."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from oms_app.core.events import DomainEvent


@dataclasses.dataclass(frozen=True, kw_only=True)
class BudgetAdjustmentStatusChanged(DomainEvent):
    name: ClassVar[str] = "budget.adjustment_status_changed"
    adjustment_id: int
    budget_id: int
    kind: str
    amount: str
    from_status: str
    to_status: str
    action: str
    actor: str
    reason: str = ""


@dataclasses.dataclass(frozen=True, kw_only=True)
class BudgetThresholdCrossed(DomainEvent):
    name: ClassVar[str] = "budget.threshold_crossed"
    budget_id: int
    month: int
    threshold: str
    percent_used: str
