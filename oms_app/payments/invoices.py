"""Credit terms: an invoice when the goods leave, due `terms_days` later; finance is alerted
once when it falls overdue. Prepaid customers' orders leave the warehouse only once paid."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa

from oms_app.core.clock import business_zone, utcnow
from oms_app.core.permissions import Actor, Permission, require
from oms_app.notifications import service as notifications
from oms_app.orders import billing
from oms_app.payments.errors import PaymentConflict
from oms_app.payments.events import InvoiceOverdue
from oms_app.payments.models import Invoice, Payment
from oms_app.payments.order_status import order_payments
from oms_app.payments.rules import net_paid
from oms_app.payments.status import PaymentStatus


def issue_invoice(uow, *, order_id: int, now: datetime | None = None) -> Invoice | None:
    """Invoice what a customer on credit terms still owes for an order (once per order)."""
    facts = billing.billing_facts(uow, order_id=order_id)
    if facts.terms_days <= 0:
        return None
    existing = uow.session.scalar(sa.select(Invoice).where(Invoice.order_id == order_id))
    if existing is not None:
        return existing
    owed = facts.total - net_paid(order_payments(uow, order_id))
    if owed <= 0:
        return None
    issued = now or utcnow()
    local_day = issued.astimezone(business_zone()).date()
    invoice = Invoice(
        number=f"INV-{local_day.year}-{order_id:07d}",
        order_id=order_id,
        order_number=facts.number,
        customer_id=facts.customer_id,
        amount=owed,
        currency=facts.currency,
        terms_days=facts.terms_days,
        issued_at=issued,
        due_date=local_day + timedelta(days=facts.terms_days),
    )
    uow.session.add(invoice)
    return invoice


def require_release(uow, *, order_id: int) -> None:
    """Refuse to let a prepaid customer's goods leave before the order is paid (or is COD)."""
    if not may_release(uow, order_id=order_id):
        raise PaymentConflict("prepayment_required")


def may_release(uow, *, order_id: int) -> bool:
    facts = billing.billing_facts(uow, order_id=order_id)
    if facts.terms_days > 0 or facts.payment_status == "paid" or facts.total <= 0:
        return True
    return _has_cod(uow, order_id)


def held_for_payment(uow, *, order_ids: list[int]) -> set[int]:
    """Of these orders, those the warehouse must hold until paid (prepaid, unpaid, not COD)."""
    if not order_ids:
        return set()
    terms = billing.payment_terms(uow, order_ids=order_ids)
    waiting = {
        oid
        for oid, (days, status, total) in terms.items()
        if days <= 0 and status != "paid" and total > 0
    }
    if not waiting:
        return set()
    cod = set(
        uow.session.scalars(
            sa.select(Payment.order_id).where(
                Payment.order_id.in_(waiting),
                Payment.method == "cod",
                Payment.status == PaymentStatus.PENDING.value,
            )
        )
    )
    return waiting - cod


def _has_cod(uow, order_id: int) -> bool:
    return order_id in (
        set(
            uow.session.scalars(
                sa.select(Payment.order_id).where(
                    Payment.order_id == order_id,
                    Payment.method == "cod",
                    Payment.status == PaymentStatus.PENDING.value,
                )
            )
        )
    )


def flag_overdue_invoices(uow, *, actor: Actor, now: datetime | None = None) -> int:
    """Alert finance once about each unpaid invoice past its due date (beat task)."""
    require(actor, Permission.PAYMENT_MANAGE)
    now = now or utcnow()
    today = now.astimezone(business_zone()).date()
    with uow:
        overdue = uow.session.scalars(
            sa.select(Invoice)
            .where(
                Invoice.paid_at.is_(None),
                Invoice.overdue_notified_at.is_(None),
                Invoice.due_date < today,
            )
            .order_by(Invoice.due_date)
            .limit(500)
            .with_for_update(skip_locked=True)
        ).all()
        for invoice in overdue:
            invoice.overdue_notified_at = now
            uow.add_event(
                InvoiceOverdue(
                    invoice_id=invoice.id,
                    number=invoice.number,
                    order_number=invoice.order_number,
                    customer_id=invoice.customer_id,
                    amount=str(invoice.amount),
                    due_date=invoice.due_date.isoformat(),
                )
            )
            notifications.notify_role(
                uow,
                actor=actor,
                role="finance",
                title="payment.alert.invoice_overdue",
                kind="warning",
                link="/finance/payments",
                params={
                    "invoice": invoice.number,
                    "order": invoice.order_number,
                    "amount": str(invoice.amount),
                    "due": invoice.due_date.isoformat(),
                },
            )
        uow.commit()
        return len(overdue)


def outstanding(total: Decimal, paid: Decimal) -> Decimal:
    return max(total - paid, Decimal("0.00"))
