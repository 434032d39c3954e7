"""The live finance panel's figures, all summed in SQL from the ledger (and invoice due dates).

- sales: operating revenue (6001, 6051 and their sub-accounts, credits less debits); cost of
  goods: operating cost (6401, 6402, debits less credits); gross profit = sales - cost; margin =
  gross profit / sales, 4 places (None without sales). Today and this month to date, in
  business days (Asia/Shanghai).
- cash received: the debits of cash on hand (1001) and bank (1002) over the same days.
- open receivables: per order, the receivable (1122) balance when above zero, aged from its
  invoice's due date or, without an invoice, the date of its first shipment entry (or its first
  receivable line), into 0-30, 31-60, 61-90 and over 90 days; an order not yet due is 0-30.
- overdue alerts: unpaid invoices past their due date.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa

from oms_app.core.clock import business_zone, utcnow
from oms_app.core.permissions import Actor, Permission, require
from oms_app.ledger.chart import BANK, CASH, RECEIVABLES
from oms_app.ledger.facts import ZERO
from oms_app.ledger.models import JournalEntry, JournalLine

# Read-only view of the payments area's invoices: only the due date and whether it is paid.
INVOICES = sa.table(
    "invoices",
    sa.column("order_id", sa.Integer),
    sa.column("due_date", sa.Date),
    sa.column("paid_at", sa.DateTime(timezone=True)),
)
SALES_CODES = ("6001", "6051")
COST_CODES = ("6401", "6402")
BUCKETS = ("0_30", "31_60", "61_90", "over_90")


def _under(codes: tuple[str, ...]):
    """Lines of these accounts or their sub-accounts (660201 belongs to 6602)."""
    return sa.or_(*(JournalLine.account_code.like(f"{code}%") for code in codes))


def _money(value: Decimal | None) -> str:
    return str((value or ZERO).quantize(Decimal("0.01")))


def _period_flows(uow, today: date, month_start: date) -> dict[str, dict[str, Decimal]]:
    """Sales, cost and cash received of today and of the month to date, in one pass."""
    day = JournalEntry.entry_date
    measures = {
        "revenue": (_under(SALES_CODES), JournalLine.credit - JournalLine.debit),
        "cost": (_under(COST_CODES), JournalLine.debit - JournalLine.credit),
        "cash": (JournalLine.account_code.in_((CASH, BANK)), JournalLine.debit),
    }
    columns = []
    for name, (which, amount) in measures.items():
        columns.append(sa.func.sum(amount).filter(which, day == today).label(f"today_{name}"))
        columns.append(sa.func.sum(amount).filter(which).label(f"month_{name}"))
    row = uow.session.execute(
        sa.select(*columns)
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .where(day >= month_start, day <= today)
    ).one()
    return {
        span: {name: getattr(row, f"{span}_{name}") or ZERO for name in measures}
        for span in ("today", "month")
    }


def _profit_view(flows: dict[str, Decimal]) -> dict:
    revenue, cost = flows["revenue"], flows["cost"]
    gross = revenue - cost
    margin = (gross / revenue).quantize(Decimal("0.0001")) if revenue else None
    return {
        "revenue": _money(revenue),
        "cost": _money(cost),
        "gross_profit": _money(gross),
        "margin": str(margin) if margin is not None else None,
        "cash": _money(flows["cash"]),
    }


def _ageing(uow, today: date) -> list:
    """Open receivables per age bucket: (bucket, orders, amount)."""
    day = JournalEntry.entry_date
    per_order = (
        sa.select(
            JournalLine.order_id,
            sa.func.sum(JournalLine.debit - JournalLine.credit).label("balance"),
            sa.func.min(day).filter(JournalEntry.source_type == "shipment").label("shipped_on"),
            sa.func.min(day).label("first_on"),
        )
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .where(JournalLine.account_code == RECEIVABLES, day <= today)
        .group_by(JournalLine.order_id)
        .having(sa.func.sum(JournalLine.debit - JournalLine.credit) > 0)
        .subquery()
    )
    since = sa.func.coalesce(INVOICES.c.due_date, per_order.c.shipped_on, per_order.c.first_on)
    age = sa.literal(today, sa.Date) - since
    bucket = sa.case(
        (age <= 30, "0_30"), (age <= 60, "31_60"), (age <= 90, "61_90"), else_="over_90"
    ).label("bucket")
    aged = (
        sa.select(bucket, per_order.c.balance)
        .select_from(per_order)
        .outerjoin(INVOICES, INVOICES.c.order_id == per_order.c.order_id)
        .subquery()
    )
    return uow.session.execute(
        sa.select(aged.c.bucket, sa.func.count(), sa.func.sum(aged.c.balance)).group_by(
            aged.c.bucket
        )
    ).all()


def _overdue_invoices(uow, today: date) -> int:
    return uow.session.scalar(
        sa.select(sa.func.count())
        .select_from(INVOICES)
        .where(INVOICES.c.paid_at.is_(None), INVOICES.c.due_date < today)
    )


def finance_panel(uow, *, actor: Actor, now: datetime | None = None) -> dict:
    """Sales, cost, gross profit, margin and cash of today and this month; receivables by age;
    the number of overdue invoices."""
    require(actor, Permission.FINANCE_VIEW)
    today = (now or utcnow()).astimezone(business_zone()).date()
    with uow:
        flows = _period_flows(uow, today, today.replace(day=1))
        ageing = {row[0]: (row[1], row[2]) for row in _ageing(uow, today)}
        overdue = _overdue_invoices(uow, today)
    buckets = [
        {
            "key": key,
            "orders": ageing.get(key, (0, ZERO))[0],
            "amount": _money(ageing.get(key, (0, ZERO))[1]),
        }
        for key in BUCKETS
    ]
    return {
        "as_of": today.isoformat(),
        "today": _profit_view(flows["today"]),
        "month": _profit_view(flows["month"]),
        "receivables": {
            "total": _money(sum((Decimal(b["amount"]) for b in buckets), ZERO)),
            "orders": sum(b["orders"] for b in buckets),
            "buckets": buckets,
        },
        "overdue_invoices": overdue,
    }
