"""The order's payment status, derived from its payments in the same transaction."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from oms_app.core.clock import utcnow
from oms_app.orders import billing
from oms_app.payments.events import OrderPaymentStatusChanged
from oms_app.payments.models import Invoice, Payment
from oms_app.payments.rules import net_paid, order_payment_status
from oms_app.payments.status import OrderPaymentStatus, PaymentStatus


def order_payments(uow, order_id: int) -> list[tuple[PaymentStatus, Decimal, Decimal]]:
    rows = uow.session.execute(
        sa.select(Payment.status, Payment.amount, Payment.refunded_amount).where(
            Payment.order_id == order_id
        )
    ).all()
    return [(PaymentStatus(s), a, r) for s, a, r in rows]


def refresh_order_payment_status(uow, *, order_id: int) -> OrderPaymentStatus:
    """Recompute and store the order's payment status; settle its invoice once paid."""
    uow.session.flush()
    facts = billing.billing_facts(uow, order_id=order_id)
    payments = order_payments(uow, order_id)
    status = order_payment_status(facts.total, payments)
    paid = net_paid(payments)
    if billing.set_payment_status(uow, order_id=order_id, payment_status=status.value):
        uow.add_event(
            OrderPaymentStatusChanged(
                order_id=order_id,
                order_number=facts.number,
                payment_status=status.value,
                paid=str(paid),
                outstanding=str(max(facts.total - paid, Decimal("0.00"))),
            )
        )
    invoice = uow.session.scalar(sa.select(Invoice).where(Invoice.order_id == order_id))
    if invoice is not None:
        invoice.paid_at = utcnow() if paid >= invoice.amount else None
        uow.session.add(invoice)
    return status
