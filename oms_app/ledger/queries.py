"""Read side of the ledger: the journal (filtered, paged), an account's lines, one entry with its
source, the chart and the periods. The statements live in statements.py."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import sqlalchemy as sa

from oms_app.core.errors import NotFound, ValidationFailed
from oms_app.core.paging import PageRequest, run_page
from oms_app.core.permissions import Actor, Permission, require
from oms_app.ledger.books import account_view, period_view
from oms_app.ledger.facts import ZERO
from oms_app.ledger.models import AccountingPeriod, JournalEntry, JournalLine, LedgerAccount
from oms_app.ledger.statements import balance_sheet, income_statement, trial_balance

__all__ = [
    "JournalFilter",
    "account_lines",
    "balance_sheet",
    "entry_detail",
    "income_statement",
    "list_accounts",
    "list_entries",
    "list_periods",
    "trial_balance",
]

# What an entry's source is, for the UI to link to (shipment number, order number, ...).
SOURCE_LINKS = {
    "shipment": "shipment",
    "payment": "payment",
    "refund": "refund",
    "return": "return",
    "goods_receipt": "receipt",
    "stock_adjustment": "stock_adjustment",
    "expense": "expense",
    "reversal": "entry",
}
ENTRY_SORTS = {
    "date": JournalEntry.entry_date,
    "number": JournalEntry.id,
    "amount": JournalEntry.amount,
    "source": JournalEntry.source_type,
}


@dataclass(frozen=True)
class JournalFilter:
    date_from: date | None = None
    date_to: date | None = None
    account: str = ""
    source_type: str = ""
    order_number: str = ""


def _entry_row(entry: JournalEntry, reversed_by: int | None) -> dict:
    return {
        "id": entry.id,
        "number": entry.number,
        "entry_date": entry.entry_date.isoformat(),
        "period": entry.period,
        "source_type": entry.source_type,
        "source_key": entry.source_key,
        "order_number": entry.order_number,
        "memo": entry.memo,
        "amount": str(entry.amount),
        "reverses_entry_id": entry.reverses_entry_id,
        "reversed_by_entry_id": reversed_by,
        "created_by": entry.created_by,
        "posted_at": entry.posted_at.isoformat(),
    }


def list_entries(uow, *, actor: Actor, filters: JournalFilter, request: PageRequest) -> dict:
    """Journal entries matching the filters, one page, newest first by default."""
    require(actor, Permission.FINANCE_VIEW)
    reversal = sa.orm.aliased(JournalEntry)
    reversed_by = (
        sa.select(reversal.id)
        .where(reversal.reverses_entry_id == JournalEntry.id)
        .limit(1)
        .scalar_subquery()
    )
    stmt = sa.select(JournalEntry, reversed_by.label("reversed_by"))
    if filters.date_from:
        stmt = stmt.where(JournalEntry.entry_date >= filters.date_from)
    if filters.date_to:
        stmt = stmt.where(JournalEntry.entry_date <= filters.date_to)
    if filters.account:
        stmt = stmt.where(
            sa.exists().where(
                JournalLine.entry_id == JournalEntry.id,
                JournalLine.account_code == filters.account,
            )
        )
    if filters.source_type:
        stmt = stmt.where(JournalEntry.source_type == filters.source_type)
    if filters.order_number:
        stmt = stmt.where(JournalEntry.order_number == filters.order_number)
    if request.search.strip():
        term = f"%{request.search.strip()}%"
        stmt = stmt.where(
            sa.or_(JournalEntry.number.ilike(term), JournalEntry.source_key.ilike(term))
        )
    request = request if request.sort else replace(request, descending=True)  # newest first
    clamped = request.clamp()
    with uow:
        rows, total = run_page(uow.session, stmt, request, ENTRY_SORTS, "date", JournalEntry.id)
        return {
            "rows": [_entry_row(row.JournalEntry, row.reversed_by) for row in rows],
            "total": total,
            "page": clamped.page,
            "page_size": clamped.page_size,
        }


def entry_detail(uow, *, actor: Actor, entry_id: int) -> dict:
    """One entry with its lines (account names included) and where it came from."""
    require(actor, Permission.FINANCE_VIEW)
    with uow:
        entry = uow.session.get(JournalEntry, entry_id)
        if entry is None:
            raise NotFound(field="entry_id", id=entry_id)
        lines = uow.session.execute(
            sa.select(JournalLine, LedgerAccount.name_zh, LedgerAccount.name_en)
            .join(LedgerAccount, LedgerAccount.code == JournalLine.account_code)
            .where(JournalLine.entry_id == entry_id)
            .order_by(JournalLine.line_no)
        ).all()
        reversed_by = uow.session.scalar(
            sa.select(JournalEntry.id).where(JournalEntry.reverses_entry_id == entry_id)
        )
        return _detail_view(entry, reversed_by, lines)


def _detail_view(entry: JournalEntry, reversed_by: int | None, lines: list) -> dict:
    return {
        **_entry_row(entry, reversed_by),
        "source": {
            "type": entry.source_type,
            "key": entry.source_key,
            "link": SOURCE_LINKS.get(entry.source_type, entry.source_type),
            "order_number": entry.order_number,
        },
        "lines": [
            {
                "line_no": row.JournalLine.line_no,
                "account_code": row.JournalLine.account_code,
                "name_zh": row.name_zh,
                "name_en": row.name_en,
                "debit": str(row.JournalLine.debit),
                "credit": str(row.JournalLine.credit),
                "order_id": row.JournalLine.order_id,
                "customer_id": row.JournalLine.customer_id,
                "cost_centre": row.JournalLine.cost_centre,
            }
            for row in lines
        ],
    }


def _balance(uow, account: str, *conditions) -> object:
    """Debits less credits of the account's lines whose entry dates meet the conditions."""
    return uow.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(JournalLine.debit - JournalLine.credit), ZERO))
        .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
        .where(JournalLine.account_code == account, *conditions)
    )


def account_lines(
    uow,
    *,
    actor: Actor,
    account: str,
    date_from: date,
    date_to: date,
    request: PageRequest | None = None,
) -> dict:
    """An account's lines of [from, to] with opening, running and closing balances
    (debit-positive)."""
    require(actor, Permission.FINANCE_VIEW)
    if date_from > date_to:
        raise ValidationFailed("from", "ledger.error.bad_range")
    request = (request or PageRequest(page_size=100)).clamp()
    order = (JournalEntry.entry_date, JournalEntry.id, JournalLine.line_no)
    with uow:
        found = uow.session.get(LedgerAccount, account)
        if found is None:
            raise NotFound(field="account", code=account)
        opening = _balance(uow, account, JournalEntry.entry_date < date_from)
        closing = _balance(uow, account, JournalEntry.entry_date <= date_to)
        running = sa.func.sum(JournalLine.debit - JournalLine.credit).over(order_by=order)
        in_range = (
            sa.select(JournalLine, JournalEntry, (opening + running).label("running"))
            .join(JournalEntry, JournalEntry.id == JournalLine.entry_id)
            .where(JournalLine.account_code == account)
            .where(JournalEntry.entry_date >= date_from, JournalEntry.entry_date <= date_to)
        )
        total = uow.session.scalar(sa.select(sa.func.count()).select_from(in_range.subquery()))
        # the window runs before OFFSET/LIMIT, so later pages carry the right running balance
        rows = uow.session.execute(
            in_range.order_by(*order)
            .offset((request.page - 1) * request.page_size)
            .limit(request.page_size)
        ).all()
        return {
            "account": account_view(found),
            "from": date_from.isoformat(),
            "to": date_to.isoformat(),
            "opening": str(opening),
            "closing": str(closing),
            "total": total,
            "page": request.page,
            "page_size": request.page_size,
            "rows": [_line_row(row) for row in rows],
        }


def _line_row(row) -> dict:
    entry = row.JournalEntry
    return {
        "entry_id": entry.id,
        "number": entry.number,
        "entry_date": entry.entry_date.isoformat(),
        "source_type": entry.source_type,
        "source_key": entry.source_key,
        "order_number": entry.order_number,
        "memo": entry.memo,
        "debit": str(row.JournalLine.debit),
        "credit": str(row.JournalLine.credit),
        "balance": str(row.running),
    }


def list_accounts(uow, *, actor: Actor) -> list[dict]:
    """The chart of accounts by code."""
    require(actor, Permission.FINANCE_VIEW)
    with uow:
        rows = uow.session.scalars(sa.select(LedgerAccount).order_by(LedgerAccount.code)).all()
        return [account_view(row) for row in rows]


def list_periods(uow, *, actor: Actor) -> list[dict]:
    """The periods the books have touched, newest first, with who closed them."""
    require(actor, Permission.FINANCE_VIEW)
    with uow:
        rows = uow.session.scalars(
            sa.select(AccountingPeriod).order_by(AccountingPeriod.period.desc())
        ).all()
        return [period_view(row) for row in rows]
