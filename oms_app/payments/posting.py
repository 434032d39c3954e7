"""What the books hear from payments, in the same transaction as the payment itself: money in
(or a write-off) and money back. The ledger posts each source once, so a replay is harmless."""

from __future__ import annotations

from decimal import Decimal

from oms_app.core.clock import utcnow
from oms_app.core.permissions import SYSTEM_ACTOR
from oms_app.ledger import service as ledger
from oms_app.ledger.facts import PaymentFacts, RefundFacts
from oms_app.payments.models import Payment


def book_money_in(uow, p: Payment) -> None:
    """A payment succeeded (or was captured): bank or till against receivable or advance."""
    ledger.post_payment(
        uow,
        facts=PaymentFacts(
            payment_id=p.id,
            order_id=p.order_id,
            order_number=p.order_number,
            customer_id=p.customer_id,
            method=p.method,
            amount=p.amount,
            received_at=p.succeeded_at or utcnow(),
        ),
        actor=SYSTEM_ACTOR,
    )


def book_money_back(uow, p: Payment, *, refund_id: int, amount: Decimal) -> None:
    """Money went back on a payment: out of advance receipts first, then receivables."""
    ledger.post_refund(
        uow,
        facts=RefundFacts(
            refund_id=refund_id,
            payment_id=p.id,
            order_id=p.order_id,
            order_number=p.order_number,
            customer_id=p.customer_id,
            method=p.method,
            amount=amount,
            refunded_at=utcnow(),
        ),
        actor=SYSTEM_ACTOR,
    )
