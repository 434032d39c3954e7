"""The statements, live for any dates: trial balance, income statement (利润表) and balance
sheet (资产负债表). Sums come from SQL, one grouped query per statement."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa

from oms_app.core.clock import check_business_day
from oms_app.core.errors import ValidationFailed
from oms_app.core.i18n import translate
from oms_app.core.permissions import Actor, Permission, require
from oms_app.ledger import figures
from oms_app.ledger.chart import AccountKind
from oms_app.ledger.facts import ZERO
from oms_app.ledger.models import JournalEntry, JournalLine, LedgerAccount

PNL = (AccountKind.REVENUE.value, AccountKind.EXPENSE.value)
ACCOUNT_COLUMNS = (
    LedgerAccount.code,
    LedgerAccount.name_zh,
    LedgerAccount.name_en,
    LedgerAccount.kind,
    LedgerAccount.normal_side,
    LedgerAccount.active,
)


Range = tuple[date | None, date | None]  # inclusive business dates; None is open-ended


def _within(day, lower: date | None, upper: date | None) -> list:
    conditions = []
    if lower is not None:
        conditions.append(day >= lower)
    if upper is not None:
        conditions.append(day <= upper)
    return conditions


def _per_account(uow, columns: dict[str, Range]) -> list:
    """Each account with `<name>_debit` and `<name>_credit`: its sums over each column's dates.

    One pass over the lines of the dates any column needs (SUM ... FILTER), joined to the chart
    so accounts without lines show zeros.
    """
    day = JournalEntry.entry_date
    sums = []
    for name, (lower, upper) in columns.items():
        where = sa.and_(sa.true(), *_within(day, lower, upper))
        sums += [
            sa.func.sum(JournalLine.debit).filter(where).label(f"{name}_debit"),
            sa.func.sum(JournalLine.credit).filter(where).label(f"{name}_credit"),
        ]
    lowers = [lower for lower, _ in columns.values()]
    uppers = [upper for _, upper in columns.values()]
    bounds = _within(
        day,
        None if None in lowers else min(lowers),
        None if None in uppers else max(uppers),
    )
    per_code = (
        sa.select(JournalLine.account_code, *sums)
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .where(*bounds)
        .group_by(JournalLine.account_code)
        .subquery()
    )
    figures_ = [
        sa.func.coalesce(per_code.c[f"{name}_{side}"], ZERO).label(f"{name}_{side}")
        for name in columns
        for side in ("debit", "credit")
    ]
    stmt = (
        sa.select(*ACCOUNT_COLUMNS, *figures_)
        .outerjoin(per_code, per_code.c.account_code == LedgerAccount.code)
        .order_by(LedgerAccount.code)
    )
    return uow.session.execute(stmt).all()


def _check_range(date_from: date | None, date_to: date) -> None:
    check_business_day("from", date_from)
    check_business_day("to", date_to)
    if date_from is not None and date_from > date_to:
        raise ValidationFailed("from", "ledger.error.bad_range")


def _money(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01")))


def _name(account) -> dict:
    return {"code": account.code, "name_zh": account.name_zh, "name_en": account.name_en}


def trial_balance(uow, *, actor: Actor, to: date, date_from: date | None = None) -> dict:
    """Per account: opening balance, debits and credits of [from, to], closing balance.

    Balances are debit-positive, so they sum to zero when the books balance.
    """
    require(actor, Permission.FINANCE_VIEW)
    _check_range(date_from, to)
    opening_end = date_from - timedelta(days=1) if date_from else date.min
    columns = {"opening": (None, opening_end), "period": (date_from, to)}
    with uow:
        rows = _per_account(uow, columns)
    accounts, totals = [], defaultdict(lambda: ZERO)
    for row in rows:
        figures_ = {
            "opening": row.opening_debit - row.opening_credit,
            "debit": row.period_debit,
            "credit": row.period_credit,
        }
        figures_["balance"] = figures_["opening"] + figures_["debit"] - figures_["credit"]
        if not row.active and not any(figures_.values()):
            continue
        for key, value in figures_.items():
            totals[key] += value
        accounts.append(
            {
                **_name(row),
                "kind": row.kind,
                "normal_side": row.normal_side,
                **{key: _money(value) for key, value in figures_.items()},
            }
        )
    return {
        "from": date_from.isoformat() if date_from else None,
        "to": to.isoformat(),
        "accounts": accounts,
        "totals": {key: _money(totals[key]) for key in ("opening", "debit", "credit", "balance")},
        "balanced": totals["debit"] == totals["credit"] and totals["balance"] == 0,
    }


def income_statement(
    uow,
    *,
    actor: Actor,
    date_from: date,
    date_to: date,
    compare: tuple[str, ...] = ("previous", "last_year"),
) -> dict:
    """The 利润表 of [from, to] with the period before and the same dates a year earlier."""
    require(actor, Permission.FINANCE_VIEW)
    _check_range(date_from, date_to)
    ranges = figures.comparison_ranges(date_from, date_to, compare)
    with uow:
        rows = [r for r in _per_account(uow, ranges) if r.kind in PNL]
    values = {}
    for name in ranges:
        sums: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for row in rows:
            line = figures.income_line_of(row.code, row.kind)
            debit, credit = getattr(row, f"{name}_debit"), getattr(row, f"{name}_credit")
            sums[line] += figures.profit_or_loss(row.kind, debit, credit)
        values[name] = figures.income_figures(sums)
    return {
        "columns": [
            {"key": name, "from": a.isoformat(), "to": b.isoformat()}
            for name, (a, b) in ranges.items()
        ],
        "lines": [
            {
                "key": key,
                "total": kind == "total",
                "label": {loc: translate(f"ledger.is.{key}", loc) for loc in ("zh_CN", "en")},
                "values": {name: _money(values[name][key]) for name in ranges},
            }
            for key, kind in figures.LAYOUT
        ],
    }


def _section(rows: list, kind: str) -> tuple[list[dict], Decimal]:
    lines, total = [], ZERO
    for row in rows:
        if row.kind != kind:
            continue
        # assets count debit-positive (a contra asset nets negative), the rest credit-positive
        amount = row.all_debit - row.all_credit
        if kind != AccountKind.ASSET:
            amount = -amount
        if amount or row.active:
            lines.append({**_name(row), "key": row.code, "amount": _money(amount)})
        total += amount
    return lines, total


def _profit_line(key: str, amount: Decimal) -> dict:
    label = {loc: translate(f"ledger.bs.{key}", loc) for loc in ("zh_CN", "en")}
    return {
        "key": key,
        "code": None,
        "name_zh": label["zh_CN"],
        "name_en": label["en"],
        "amount": _money(amount),
    }


def balance_sheet(uow, *, actor: Actor, at: date) -> dict:
    """The 资产负债表 at the end of a day: profit not yet closed into equity is shown as the
    current year's profit and earlier years' undistributed profit, so the sheet balances."""
    require(actor, Permission.FINANCE_VIEW)
    year_start = date(at.year, 1, 1)
    columns = {"all": (None, at), "prior": (None, year_start - timedelta(days=1))}
    with uow:
        rows = _per_account(uow, columns)
    assets, asset_total = _section(rows, AccountKind.ASSET.value)
    liabilities, liability_total = _section(rows, AccountKind.LIABILITY.value)
    equity, equity_total = _section(rows, AccountKind.EQUITY.value)
    pnl = [r for r in rows if r.kind in PNL]
    prior = sum((r.prior_credit - r.prior_debit for r in pnl), ZERO)
    current = sum((r.all_credit - r.all_debit for r in pnl), ZERO) - prior
    equity += [
        _profit_line("prior_years_profit", prior),
        _profit_line("current_year_profit", current),
    ]
    equity_total += prior + current
    return {
        "at": at.isoformat(),
        "assets": {"lines": assets, "total": _money(asset_total)},
        "liabilities": {"lines": liabilities, "total": _money(liability_total)},
        "equity": {"lines": equity, "total": _money(equity_total)},
        "liabilities_and_equity": _money(liability_total + equity_total),
        "balanced": asset_total == liability_total + equity_total,
    }
