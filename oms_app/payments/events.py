"""What the payments area tells the rest of the system after commit."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from oms_app.core.events import DomainEvent


@dataclasses.dataclass(frozen=True, kw_only=True)
class PaymentStatusChanged(DomainEvent):
    name: ClassVar[str] = "payment.status_changed"
    payment_id: int
    order_id: int
    order_number: str
    method: str
    amount: str
    currency: str
    from_status: str
    to_status: str
    action: str
    actor: str
    reason: str = ""


@dataclasses.dataclass(frozen=True, kw_only=True)
class OrderPaymentStatusChanged(DomainEvent):
    name: ClassVar[str] = "order.payment_status_changed"
    order_id: int
    order_number: str
    payment_status: str
    paid: str
    outstanding: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class InvoiceOverdue(DomainEvent):
    name: ClassVar[str] = "invoice.overdue"
    invoice_id: int
    number: str
    order_number: str
    customer_id: int
    amount: str
    due_date: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class MoneyOutProposalChanged(DomainEvent):
    """A refund or write-off was proposed, released, declined or withdrawn."""

    name: ClassVar[str] = "payment.proposal_changed"
    proposal_id: int
    kind: str
    order_number: str
    payment_id: int | None
    amount: str
    outcome: str
    proposed_by: str
    decided_by: str = ""
