"""The books over HTTP: trial balance, income statement and balance sheet for any dates, the
journal with its entries, expenses entered by hand, reversals and period closing."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from oms_app.api.auth import api_actor, api_or_session_actor
from oms_app.api.params import Day, Page, PageSize, RowId
from oms_app.budgets import service as budgets_service
from oms_app.core.clock import business_zone, utcnow
from oms_app.core.db import UnitOfWork
from oms_app.core.paging import PageRequest
from oms_app.core.permissions import Actor
from oms_app.ledger import exports, queries, service
from oms_app.ledger.facts import ExpenseFacts

router = APIRouter(prefix="/api/v1/finance", tags=["finance"])
ActorDep = Annotated[Actor, Depends(api_actor)]
# Statement files open from links on the statements screen, so the session cookie works there.
ViewerDep = Annotated[Actor, Depends(api_or_session_actor)]
Money = Annotated[Decimal, Field(gt=0, max_digits=16, decimal_places=2)]
PeriodPath = Annotated[str, Path(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
FromQuery = Annotated[Day | None, Query(alias="from")]
ToQuery = Annotated[Day | None, Query(alias="to")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ExpenseBody(Strict):
    expense_account: str = Field(min_length=4, max_length=8)
    amount: Money
    paid_from: str = Field(default="1002", min_length=4, max_length=8)
    entry_date: Day | None = None
    memo: str = Field(default="", max_length=300)
    reference: str = Field(default="", max_length=64)
    # required when the account has budgets in the entry's year: one of their cost centres
    cost_centre: str = Field(default="", max_length=32)
    # a finance manager's TOTP code lets an expense beyond a block budget through (audited)
    override_totp: str = Field(default="", max_length=8)


class ReasonBody(Strict):
    reason: str = Field(min_length=1, max_length=300)


def _today() -> date:
    return utcnow().astimezone(business_zone()).date()


@router.get("/trial-balance")
async def get_trial_balance(
    actor: ActorDep, to: ToQuery = None, date_from: FromQuery = None
) -> dict:
    """Each account's opening balance, debits, credits and closing balance up to `to`
    (default today); the balances sum to zero."""
    return await asyncio.to_thread(
        queries.trial_balance, UnitOfWork(), actor=actor, to=to or _today(), date_from=date_from
    )


@router.get("/income-statement")
async def get_income_statement(
    actor: ActorDep,
    date_from: FromQuery = None,
    date_to: ToQuery = None,
    compare: Annotated[list[str], Query(max_length=2)] = ["previous", "last_year"],  # noqa: B006
) -> dict:
    """The 利润表 of business days [from, to] (default: this month to date) with the period
    before and the same dates last year."""
    date_to = date_to or _today()
    date_from = date_from or date_to.replace(day=1)
    wanted = tuple(c for c in compare if c in ("previous", "last_year"))
    return await asyncio.to_thread(
        queries.income_statement,
        UnitOfWork(),
        actor=actor,
        date_from=date_from,
        date_to=date_to,
        compare=wanted,
    )


@router.get("/balance-sheet")
async def get_balance_sheet(actor: ActorDep, at: Day | None = None) -> dict:
    """The 资产负债表 at the end of a business day (default today)."""
    return await asyncio.to_thread(
        queries.balance_sheet, UnitOfWork(), actor=actor, at=at or _today()
    )


@router.get("/journal")
async def list_journal(
    actor: ActorDep,
    date_from: FromQuery = None,
    date_to: ToQuery = None,
    account: Annotated[str, Query(max_length=8)] = "",
    source_type: Annotated[str, Query(max_length=24)] = "",
    order: Annotated[str, Query(max_length=32)] = "",
    page: Page = 1,
    page_size: PageSize = 25,
    sort: str = "date",
    descending: bool = True,
    search: Annotated[str, Query(max_length=64)] = "",
) -> dict:
    """Journal entries by date, account, source type or order number, one page at a time."""
    filters = queries.JournalFilter(
        date_from=date_from,
        date_to=date_to,
        account=account.strip(),
        source_type=source_type.strip(),
        order_number=order.strip(),
    )
    request = PageRequest(
        page=page, page_size=page_size, sort=sort, descending=descending, search=search
    )
    return await asyncio.to_thread(
        queries.list_entries, UnitOfWork(), actor=actor, filters=filters, request=request
    )


@router.get("/journal/{entry_id}")
async def get_journal_entry(entry_id: RowId, actor: ActorDep) -> dict:
    """One entry with its lines and its source (shipment, payment, order ...)."""
    return await asyncio.to_thread(
        queries.entry_detail, UnitOfWork(), actor=actor, entry_id=entry_id
    )


@router.get("/accounts")
async def list_accounts(actor: ActorDep) -> list[dict]:
    """The chart of accounts."""
    return await asyncio.to_thread(queries.list_accounts, UnitOfWork(), actor=actor)


@router.get("/accounts/{code}/lines")
async def get_account_lines(
    code: str,
    actor: ActorDep,
    date_from: FromQuery = None,
    date_to: ToQuery = None,
    page: Page = 1,
    page_size: PageSize = 100,
) -> dict:
    """An account's lines with opening, running and closing balances (default: this month)."""
    date_to = date_to or _today()
    return await asyncio.to_thread(
        queries.account_lines,
        UnitOfWork(),
        actor=actor,
        account=code,
        date_from=date_from or date_to.replace(day=1),
        date_to=date_to,
        request=PageRequest(page=page, page_size=page_size),
    )


@router.post("/expenses", status_code=201)
async def post_expense(body: ExpenseBody, actor: ActorDep) -> dict:
    """Enter an expense (finance) for a cost centre, checked against its budget; the same
    reference posts once."""
    facts = ExpenseFacts(
        reference=body.reference.strip() or f"EXP-{uuid.uuid4().hex[:12]}",
        entry_date=body.entry_date or _today(),
        expense_account=body.expense_account,
        amount=body.amount,
        paid_from=body.paid_from,
        memo=body.memo,
        cost_centre=body.cost_centre,
    )
    entry_id = await asyncio.to_thread(
        budgets_service.post_budgeted_expense,
        UnitOfWork(),
        facts=facts,
        actor=actor,
        override_totp=body.override_totp,
    )
    return await asyncio.to_thread(
        queries.entry_detail, UnitOfWork(), actor=actor, entry_id=entry_id
    )


@router.post("/journal/{entry_id}/reverse", status_code=201)
async def reverse_entry(entry_id: RowId, body: ReasonBody, actor: ActorDep) -> dict:
    """Post the mirror of an entry today (entries are never edited)."""
    reversal_id = await asyncio.to_thread(
        service.reverse_entry, UnitOfWork(), entry_id=entry_id, reason=body.reason, actor=actor
    )
    return await asyncio.to_thread(
        queries.entry_detail, UnitOfWork(), actor=actor, entry_id=reversal_id
    )


@router.get("/periods")
async def list_periods(actor: ActorDep) -> list[dict]:
    """The accounting periods and whether they are closed."""
    return await asyncio.to_thread(queries.list_periods, UnitOfWork(), actor=actor)


@router.post("/periods/{period}/close")
async def close_period(period: PeriodPath, actor: ActorDep) -> dict:
    """Close a month: nothing posts into it any more."""
    return await asyncio.to_thread(service.close_period, UnitOfWork(), period=period, actor=actor)


@router.post("/periods/{period}/reopen")
async def reopen_period(period: PeriodPath, body: ReasonBody, actor: ActorDep) -> dict:
    """Open a closed month again, with a reason."""
    return await asyncio.to_thread(
        service.reopen_period, UnitOfWork(), period=period, reason=body.reason, actor=actor
    )


def _statement(kind: str, actor: Actor, date_from, date_to, at) -> dict:
    """The statement of a kind for the asked dates (default: this month to date)."""
    today = _today()
    if kind == "balance":
        return queries.balance_sheet(UnitOfWork(), actor=actor, at=at or date_to or today)
    date_to = date_to or today
    date_from = date_from or date_to.replace(day=1)
    if kind == "income":
        return queries.income_statement(
            UnitOfWork(), actor=actor, date_from=date_from, date_to=date_to
        )
    return queries.trial_balance(UnitOfWork(), actor=actor, to=date_to, date_from=date_from)


async def _statement_file(kind: str, fmt: str, actor: Actor, date_from, date_to, at) -> Response:
    if kind not in exports.KINDS:
        raise HTTPException(status_code=404, detail="unknown statement")
    statement = await asyncio.to_thread(_statement, kind, actor, date_from, date_to, at)
    name, content, media_type = await asyncio.to_thread(
        exports.statement_file, kind, fmt, statement, actor.locale
    )
    return Response(
        content=content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/statements/{kind}.pdf")
async def statement_pdf(
    kind: str,
    actor: ViewerDep,
    date_from: FromQuery = None,
    date_to: ToQuery = None,
    at: Day | None = None,
) -> Response:
    """A statement (income, balance or trial) as PDF."""
    return await _statement_file(kind, "pdf", actor, date_from, date_to, at)


@router.get("/statements/{kind}.xlsx")
async def statement_xlsx(
    kind: str,
    actor: ViewerDep,
    date_from: FromQuery = None,
    date_to: ToQuery = None,
    at: Day | None = None,
) -> Response:
    """A statement (income, balance or trial) as an Excel workbook."""
    return await _statement_file(kind, "xlsx", actor, date_from, date_to, at)
