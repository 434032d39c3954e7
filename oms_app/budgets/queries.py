"""Read side of budgets: execution per budget x month (budget, actual from the ledger, % used,
run-rate forecast), adjustment requests, and monthly ledger series for the forecasts.

Actuals are read from the ledger's tables with read-only `sa.table` clauses (never its models):
debits less credits of the lines with the budget's expense account AND cost centre, in the month
of `journal_entries.entry_date`, so two budgets of one account in one year (SALES and ADMIN on
6601) each see only their own expenses. An expense entered by hand carries its cost centre on
the expense line (required when its account has budgets that year) and a reversal copies it;
lines without a cost centre (postings made by business events, expenses of accounts without
budgets) count toward no budget.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from oms_app.budgets import rules
from oms_app.budgets.models import Budget, BudgetAdjustment, BudgetAlert, BudgetMonth
from oms_app.core.permissions import Actor, Permission, require

LINES = sa.table(
    "journal_lines",
    sa.column("entry_id", sa.Integer),
    sa.column("account_code", sa.String),
    sa.column("cost_centre", sa.String),
    sa.column("debit", sa.Numeric),
    sa.column("credit", sa.Numeric),
)
ENTRIES = sa.table(
    "journal_entries",
    sa.column("id", sa.Integer),
    sa.column("entry_date", sa.Date),
    sa.column("source_type", sa.String),
    sa.column("source_key", sa.String),
)
ACCOUNTS = sa.table(
    "ledger_accounts",
    sa.column("code", sa.String),
    sa.column("kind", sa.String),
    sa.column("active", sa.Boolean),
    sa.column("name_en", sa.String),
    sa.column("name_zh", sa.String),
)
ZERO = rules.ZERO


def expense_account(session, code: str) -> dict | None:
    """The active expense account of the chart with this code, or None."""
    row = session.execute(
        sa.select(ACCOUNTS.c.code, ACCOUNTS.c.name_en, ACCOUNTS.c.name_zh).where(
            ACCOUNTS.c.code == code, ACCOUNTS.c.kind == "expense", ACCOUNTS.c.active
        )
    ).first()
    return dict(row._mapping) if row else None


def is_expense_posted(session, reference: str) -> bool:
    """Whether an expense with this reference is already in the ledger (a repeat posts nothing)."""
    found = sa.select(ENTRIES.c.id).where(
        ENTRIES.c.source_type == "expense", ENTRIES.c.source_key == reference
    )
    return session.scalar(found) is not None


def budgeted_cost_centres(session, *, account_code: str, year: int) -> set[str]:
    """The cost centres with a budget of this expense account in `year`."""
    return set(
        session.scalars(
            sa.select(Budget.cost_centre).where(
                Budget.account_code == account_code, Budget.year == year
            )
        )
    )


def list_budgeted_cost_centres(uow, *, actor: Actor, account_code: str, year: int) -> list[str]:
    """The cost centres an expense of this account in `year` may be charged to (none: free)."""
    require(actor, Permission.FINANCE_VIEW)
    with uow:
        return sorted(budgeted_cost_centres(uow.session, account_code=account_code, year=year))


Actuals = dict[tuple[str, str | None, int], Decimal]


def month_actuals(session, *, account_codes: list[str], year: int) -> Actuals:
    """Debits less credits per (account, cost centre, month) of `year`; the cost centre is None
    for lines that carry none."""
    if not account_codes:
        return {}
    month = sa.extract("month", ENTRIES.c.entry_date).label("month")
    rows = session.execute(
        sa.select(
            LINES.c.account_code,
            LINES.c.cost_centre,
            month,
            sa.func.sum(LINES.c.debit - LINES.c.credit),
        )
        .join(ENTRIES, ENTRIES.c.id == LINES.c.entry_id)
        .where(LINES.c.account_code.in_(account_codes))
        .where(ENTRIES.c.entry_date.between(date(year, 1, 1), date(year, 12, 31)))
        .group_by(LINES.c.account_code, LINES.c.cost_centre, month)
    ).all()
    return {(code, cc, int(m)): rules.to_cents(total) for code, cc, m, total in rows}


def month_actual(session, *, account_code: str, cost_centre: str, year: int, month: int) -> Decimal:
    """Debits less credits of one account and cost centre in one month."""
    start, end = rules.month_bounds(year, month)
    total = session.scalar(
        sa.select(sa.func.sum(LINES.c.debit - LINES.c.credit))
        .join(ENTRIES, ENTRIES.c.id == LINES.c.entry_id)
        .where(LINES.c.account_code == account_code, LINES.c.cost_centre == cost_centre)
        .where(ENTRIES.c.entry_date.between(start, end))
    )
    return rules.to_cents(total or 0)


def account_profile(actuals: Actuals, account_code: str) -> list[Decimal]:
    """An account's twelve month actuals over every cost centre (and lines without one)."""
    months = [ZERO] * 12
    for (code, _, month), amount in actuals.items():
        if code == account_code:
            months[month - 1] += amount
    return months


def _month_row(year: int, month: int, budget: Decimal, actual: Decimal, today: date) -> dict:
    forecast = rules.month_forecast(actual, year=year, month=month, today=today)
    pct = rules.percent_used(budget, actual)
    return {
        "month": month,
        "budget": str(budget),
        "actual": str(actual),
        "percent_used": None if pct is None else str(pct),
        "forecast": str(forecast),
        "over_forecast": forecast > budget,
    }


def _budget_row(
    b: Budget, months: dict[int, Decimal], actuals: Actuals, alerts, today: date
) -> dict:
    spent = [actuals.get((b.account_code, b.cost_centre, m), ZERO) for m in rules.MONTHS]
    month_rows = [
        _month_row(b.year, m, months.get(m, ZERO), spent[m - 1], today) for m in rules.MONTHS
    ]
    total = sum(months.values(), ZERO)
    actual = sum(spent, ZERO)
    start, end = date(b.year, 1, 1), date(b.year, 12, 31)
    forecast = rules.run_rate_forecast(actual, start=start, end=end, today=today)
    pct = rules.percent_used(total, actual)
    return {
        "id": b.id,
        "cost_centre": b.cost_centre,
        "account_code": b.account_code,
        "year": b.year,
        "policy": b.policy,
        "owner": b.owner_name,
        "budget": str(total),
        "actual": str(actual),
        "percent_used": None if pct is None else str(pct),
        "forecast": str(forecast),
        "over_forecast": forecast > total,
        "alerts": sorted(alerts.get(b.id, set())),
        "months": month_rows,
    }


def list_budget_execution(uow, *, actor: Actor, year: int, today: date) -> list[dict]:
    """Every budget of `year` with its months: budget, actual, % used, forecast, alerts sent."""
    require(actor, Permission.FINANCE_VIEW)
    with uow:
        s = uow.session
        budgets = s.scalars(
            sa.select(Budget).where(Budget.year == year).order_by(Budget.cost_centre, Budget.id)
        ).all()
        ids = [b.id for b in budgets]
        months: dict[int, dict[int, Decimal]] = defaultdict(dict)
        for row in s.scalars(sa.select(BudgetMonth).where(BudgetMonth.budget_id.in_(ids))):
            months[row.budget_id][row.month] = row.amount
        alerts: dict[int, set[str]] = defaultdict(set)
        current = today.month if today.year == year else 0
        for a in s.scalars(sa.select(BudgetAlert).where(BudgetAlert.budget_id.in_(ids))):
            if a.month == current:
                alerts[a.budget_id].add(a.threshold)
        codes = sorted({b.account_code for b in budgets})
        actuals = month_actuals(s, account_codes=codes, year=year)
        return [_budget_row(b, months[b.id], actuals, alerts, today) for b in budgets]


def get_budget_execution(uow, *, actor: Actor, budget_id: int, today: date) -> dict | None:
    """One budget's execution row (as in the list), or None."""
    with uow:
        budget = uow.session.get(Budget, budget_id)
        if budget is None:
            return None
        rows = list_budget_execution(uow, actor=actor, year=budget.year, today=today)
    return next((r for r in rows if r["id"] == budget_id), None)


def list_adjustments(uow, *, actor: Actor, status: str | None = None) -> list[dict]:
    """Adjustment requests, newest first, optionally of one status."""
    require(actor, Permission.FINANCE_VIEW)
    with uow:
        query = sa.select(BudgetAdjustment).order_by(BudgetAdjustment.id.desc())
        if status:
            query = query.where(BudgetAdjustment.status == status)
        return [
            {
                "id": a.id,
                "budget_id": a.budget_id,
                "to_budget_id": a.to_budget_id,
                "kind": a.kind,
                "month": a.month,
                "amount": str(a.amount),
                "reason": a.reason,
                "status": str(a.status),
                "requested_by": a.requested_by,
                "created_at": a.created_at.isoformat(),
            }
            for a in uow.session.scalars(query.limit(200))
        ]


SERIES_ACCOUNTS = {
    # revenue: main business revenue, credits net of debits (returns reverse it)
    "revenue": ("6001",),
    # cash in: money received into cash on hand and bank deposits (their debits)
    "cash_in": ("1001", "1002"),
}


def monthly_series(uow, *, actor: Actor, kind: str, until: date) -> list[tuple[str, Decimal]]:
    """Monthly totals ('YYYY-MM', amount) of the ledger up to the month before `until`,
    every month from the first one with postings, empty months as zero."""
    require(actor, Permission.FINANCE_VIEW)
    codes = SERIES_ACCOUNTS[kind]
    amount = LINES.c.debit if kind == "cash_in" else LINES.c.credit - LINES.c.debit
    period = sa.func.to_char(ENTRIES.c.entry_date, "YYYY-MM").label("period")
    with uow:
        rows = uow.session.execute(
            sa.select(period, sa.func.sum(amount))
            .join(ENTRIES, ENTRIES.c.id == LINES.c.entry_id)
            .where(LINES.c.account_code.in_(codes), ENTRIES.c.entry_date < until.replace(day=1))
            .group_by(period)
            .order_by(period)
        ).all()
    found = {p: rules.to_cents(v) for p, v in rows}
    if not found:
        return []
    year, month = map(int, min(found).split("-"))
    series = []
    while (year, month) < (until.year, until.month):
        key = f"{year:04d}-{month:02d}"
        series.append((key, found.get(key, ZERO)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return series


def get_ledger_forecast(uow, *, actor: Actor, kind: str, horizon: int, today: date) -> dict:
    """Monthly revenue or cash-in: the last two years, the next 3-6 months with a 90 % interval,
    and the backtest MAPE of the last six months."""
    from oms_app.budgets import forecast

    series = monthly_series(uow, actor=actor, kind=kind, until=today)
    result = forecast.forecast_months(series, horizon=horizon)
    return {
        "kind": kind,
        "method": result.method,
        "mape": None if result.mape is None else str(result.mape),
        "history": [{"period": p, "amount": str(v)} for p, v in series[-24:]],
        "forecast": [
            {"period": p, "mean": str(m), "lower": str(lo), "upper": str(hi)}
            for p, m, lo, hi in zip(
                result.periods, result.mean, result.lower, result.upper, strict=True
            )
        ],
    }
