"""Read side of payments: an order's payments and balance, and finance's attention board."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa

from oms_app.core.clock import business_zone, utcnow
from oms_app.core.config import get_settings
from oms_app.core.paging import PageRequest, run_page
from oms_app.core.permissions import Actor, Permission, require, sees_customer_view
from oms_app.orders import billing
from oms_app.payments import customer_view
from oms_app.payments.access import may_pay
from oms_app.payments.models import Invoice, Payment, PaymentEvent, PaymentRefund
from oms_app.payments.order_status import order_payments
from oms_app.payments.proposals import proposal_view
from oms_app.payments.rules import net_paid
from oms_app.payments.status import STUCK_CANDIDATES, PaymentStatus
from oms_app.payments.views import payment_view

CUSTOMERS = sa.table("customers", sa.column("id", sa.Integer), sa.column("name", sa.String))


def order_payment_summary(uow, *, actor: Actor, order_number: str) -> dict:
    """The order's payments, newest first, with what is paid and what is still owed."""
    with uow:
        facts = billing.billing_facts(uow, number=order_number)
        may_pay(actor, facts)
        rows = uow.session.scalars(
            sa.select(Payment).where(Payment.order_id == facts.order_id).order_by(Payment.id.desc())
        ).all()
        paid = net_paid(order_payments(uow, facts.order_id))
        invoice = uow.session.scalar(sa.select(Invoice).where(Invoice.order_id == facts.order_id))
        summary = {
            "order_number": facts.number,
            "payment_status": facts.payment_status,
            "total": str(facts.total),
            "paid": str(paid),
            "outstanding": str(max(facts.total - paid, Decimal("0.00"))),
            "currency": facts.currency,
            "payments": [payment_view(p) for p in rows],
            "invoice": _invoice_view(invoice) if invoice else None,
        }
    return customer_view.summary_view(summary) if sees_customer_view(actor) else summary


def payment_history(uow, *, actor: Actor, payment_id: int) -> list[dict]:
    """Every status change of a payment, oldest first (who, when, why)."""
    with uow:
        payment = uow.session.get(Payment, payment_id)
        if payment is None:
            return []
        may_pay(actor, billing.billing_facts(uow, order_id=payment.order_id))
        rows = uow.session.scalars(
            sa.select(PaymentEvent)
            .where(PaymentEvent.payment_id == payment_id)
            .order_by(PaymentEvent.at, PaymentEvent.id)
        ).all()
        history = [
            {
                "from": r.from_status,
                "to": r.to_status,
                "action": r.action,
                "actor": r.actor_name,
                "reason": r.reason,
                "at": r.at.isoformat(),
            }
            for r in rows
        ]
    return customer_view.history_view(history) if sees_customer_view(actor) else history


# Why a payment is on finance's board (finance.reason.<why> in the catalogues).
ATTENTION_REASONS = (
    "provider_unreachable",
    "provider_error",
    "stuck_requires_action",
    "stuck_processing",
    "stuck",
    "failed",
)
ATTENTION_SORTS = {
    "updated": Payment.updated_at,
    "amount": Payment.amount,
    "order": Payment.order_number,
    "status": Payment.status,
}


def list_payments_needing_attention(
    uow, *, actor: Actor, request: PageRequest, now: datetime | None = None
) -> dict:
    """Payments finance must look at: stuck with the provider, flagged, or failed lately."""
    require(actor, Permission.FINANCE_VIEW)
    now = now or utcnow()
    stuck_before = now - timedelta(minutes=get_settings().payment_stuck_minutes)
    failed_since = now - timedelta(days=7)
    waiting = [s.value for s in STUCK_CANDIDATES]
    reason = sa.case(
        (Payment.needs_attention != "", Payment.needs_attention),
        (Payment.status.in_(waiting), sa.literal("stuck")),
        else_=sa.literal("failed"),
    ).label("reason")
    where = sa.or_(
        Payment.needs_attention != "",
        sa.and_(Payment.status.in_(waiting), Payment.updated_at < stuck_before),
        sa.and_(Payment.status == PaymentStatus.FAILED.value, Payment.updated_at >= failed_since),
    )
    stmt = (
        sa.select(Payment, CUSTOMERS.c.name.label("customer"), reason)
        .join(CUSTOMERS, CUSTOMERS.c.id == Payment.customer_id)
        .where(where)
    )
    if request.search.strip():
        stmt = stmt.where(Payment.order_number.ilike(f"%{request.search.strip()}%"))
    with uow:
        rows, total = run_page(uow.session, stmt, request, ATTENTION_SORTS, "updated", Payment.id)
        return {
            "rows": [
                {
                    **payment_view(p),
                    "customer": c,
                    "reason": r,
                    "updated_at": p.updated_at.isoformat(),
                }
                for p, c, r in rows
            ],
            "total": total,
        }


def list_open_proposals(uow, *, actor: Actor, limit: int = 200) -> list[dict]:
    """Refunds and write-offs waiting for a second person, oldest first (finance)."""
    require(actor, Permission.PAYMENT_MANAGE)
    with uow:
        rows = uow.session.scalars(
            sa.select(PaymentRefund)
            .where(PaymentRefund.outcome == "proposed")
            .order_by(PaymentRefund.id)
            .limit(limit)
        ).all()
        return [proposal_view(r, actor) for r in rows]


OVERDUE_SORTS = {"due": Invoice.due_date, "amount": Invoice.amount}


def list_overdue_invoices(
    uow, *, actor: Actor, request: PageRequest | None = None, now: datetime | None = None
) -> dict:
    """One page of the unpaid invoices past their due date (the oldest first unless sorted
    otherwise), with days overdue, and how many there are."""
    require(actor, Permission.FINANCE_VIEW)
    today = (now or utcnow()).astimezone(business_zone()).date()
    stmt = (
        sa.select(Invoice, CUSTOMERS.c.name)
        .join(CUSTOMERS, CUSTOMERS.c.id == Invoice.customer_id)
        .where(Invoice.paid_at.is_(None), Invoice.due_date < today)
    )
    with uow:
        rows, total = run_page(
            uow.session,
            stmt,
            request or PageRequest(sort="due", page_size=20),
            OVERDUE_SORTS,
            "due",
            Invoice.id,
        )
        return {
            "rows": [
                {**_invoice_view(i), "customer": name, "days_overdue": (today - i.due_date).days}
                for i, name in rows
            ],
            "total": total,
        }


def _invoice_view(invoice: Invoice) -> dict:
    return {
        "number": invoice.number,
        "order_number": invoice.order_number,
        "amount": str(invoice.amount),
        "currency": invoice.currency,
        "due_date": invoice.due_date.isoformat(),
        "paid": invoice.paid_at is not None,
    }


def customer_payment_record(uow, *, actor: Actor, customer_id: int, now: datetime) -> dict:
    """How the customer paid its invoices over the last 12 months, for the approver's review:
    invoices, how many were paid late and by how many days on average, what is overdue now."""
    require(actor, Permission.ORDER_VIEW)
    zone = business_zone()
    today = now.astimezone(zone).date()
    with uow:
        rows = uow.session.execute(
            sa.select(Invoice.due_date, Invoice.paid_at, Invoice.amount).where(
                Invoice.customer_id == customer_id, Invoice.issued_at >= now - timedelta(days=365)
            )
        ).all()
    late_days = []
    overdue_amount = Decimal("0.00")
    for due, paid_at, amount in rows:
        settled_on = paid_at.astimezone(zone).date() if paid_at else today
        if settled_on > due:
            late_days.append((settled_on - due).days)
        if paid_at is None and today > due:
            overdue_amount += amount
    return {
        "invoices": len(rows),
        "paid_late": sum(
            1 for due, paid_at, _ in rows if paid_at and paid_at.astimezone(zone).date() > due
        ),
        "avg_days_late": f"{sum(late_days) / len(late_days):.1f}" if late_days else "0.0",
        "overdue_now": sum(1 for due, paid_at, _ in rows if paid_at is None and today > due),
        "overdue_amount": f"{overdue_amount:,.2f}",
    }
