"""What the ledger tells the rest of the system after commit (live finance screens refresh)."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from oms_app.core.events import DomainEvent


@dataclasses.dataclass(frozen=True, kw_only=True)
class LedgerEntryPosted(DomainEvent):
    name: ClassVar[str] = "ledger.entry_posted"
    entry_id: int
    number: str
    entry_date: str
    period: str
    source_type: str
    source_key: str
    order_number: str
    amount: str
    actor: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class LedgerPeriodClosed(DomainEvent):
    name: ClassVar[str] = "ledger.period_closed"
    period: str
    actor: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class LedgerPeriodReopened(DomainEvent):
    name: ClassVar[str] = "ledger.period_reopened"
    period: str
    actor: str
    reason: str
