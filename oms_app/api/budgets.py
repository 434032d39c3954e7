"""Budgets over HTTP: execution figures, budgets, adjustment requests and their decisions,
expenses checked against their budget."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from oms_app.api.auth import api_actor
from oms_app.api.params import Day, RowId
from oms_app.budgets import queries, service
from oms_app.core.clock import business_zone, utcnow
from oms_app.core.db import UnitOfWork
from oms_app.core.errors import NotFound
from oms_app.core.permissions import Actor
from oms_app.ledger.facts import ExpenseFacts

router = APIRouter(prefix="/api/v1", tags=["budgets"])
ActorDep = Annotated[Actor, Depends(api_actor)]
Money = Annotated[Decimal, Field(gt=0, max_digits=16, decimal_places=2)]
MonthAmount = Annotated[Decimal, Field(ge=0, max_digits=16, decimal_places=2)]
Month = Annotated[int, Field(ge=1, le=12)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BudgetBody(Strict):
    cost_centre: str = Field(min_length=1, max_length=32)
    account_code: str = Field(min_length=4, max_length=8)
    year: int = Field(ge=2000, le=2100)
    policy: Literal["warn", "block"] = "warn"
    method: Literal["hand", "even", "last_year"] | None = None
    annual: MonthAmount | None = None
    months: list[MonthAmount] | None = Field(default=None, min_length=12, max_length=12)


class AdjustmentBody(Strict):
    kind: Literal["increase", "decrease", "transfer"]
    amount: Money
    month: Month
    to_budget: int | None = None
    reason: str = Field(min_length=1, max_length=300)


class DecisionBody(Strict):
    comment: str = Field(default="", max_length=300)


class BudgetedExpenseBody(Strict):
    # required when the account has budgets in the entry's year: one of their cost centres
    cost_centre: str = Field(default="", max_length=32)
    expense_account: str = Field(min_length=4, max_length=8)
    amount: Money
    paid_from: str = Field(default="1002", min_length=4, max_length=8)
    entry_date: Day | None = None
    memo: str = Field(default="", max_length=300)
    reference: str = Field(default="", max_length=64)
    override_totp: str = Field(default="", max_length=8)


def _today() -> date:
    return utcnow().astimezone(business_zone()).date()


@router.get("/budgets")
async def list_budgets(
    actor: ActorDep, year: Annotated[int | None, Query(ge=2000, le=2100)] = None
) -> dict:
    """Budgets of a year (default this one) with budget, actual, % used and forecast per month."""
    today = _today()
    rows = await asyncio.to_thread(
        queries.list_budget_execution,
        UnitOfWork(),
        actor=actor,
        year=year or today.year,
        today=today,
    )
    return {"year": year or today.year, "items": rows}


@router.get("/forecasts")
async def get_forecast(
    actor: ActorDep,
    kind: Literal["revenue", "cash_in"] = "revenue",
    horizon: Annotated[int, Query(ge=3, le=6)] = 6,
) -> dict:
    """Monthly revenue (6001) or cash-in (1001 + 1002) forecast with interval and backtest MAPE."""
    return await asyncio.to_thread(
        queries.get_ledger_forecast,
        UnitOfWork(),
        actor=actor,
        kind=kind,
        horizon=horizon,
        today=_today(),
    )


@router.get("/budgets/{budget_id}")
async def get_budget(budget_id: RowId, actor: ActorDep) -> dict:
    """One budget's execution figures."""
    row = await asyncio.to_thread(
        queries.get_budget_execution,
        UnitOfWork(),
        actor=actor,
        budget_id=budget_id,
        today=_today(),
    )
    if row is None:
        raise NotFound(field="budget_id", id=budget_id)
    return row


@router.post("/budgets", status_code=201)
async def create_budget(body: BudgetBody, actor: ActorDep) -> dict:
    """Open a budget and, with `method`, allocate its months (hand, even or last_year)."""
    budget_id = await asyncio.to_thread(
        service.create_budget,
        UnitOfWork(),
        cost_centre=body.cost_centre,
        account_code=body.account_code,
        year=body.year,
        policy=body.policy,
        actor=actor,
    )
    if body.method:
        await asyncio.to_thread(
            service.allocate_budget,
            UnitOfWork(),
            budget_id=budget_id,
            method=body.method,
            annual=body.annual,
            months=body.months,
            actor=actor,
        )
    return await get_budget(budget_id, actor)


@router.post("/budgets/{budget_id}/adjustments", status_code=201)
async def request_adjustment(budget_id: RowId, body: AdjustmentBody, actor: ActorDep) -> dict:
    """Ask for an increase, a decrease or a transfer; another finance manager decides."""
    adjustment_id = await asyncio.to_thread(
        service.request_adjustment,
        UnitOfWork(),
        budget_id=budget_id,
        kind=body.kind,
        amount=body.amount,
        month=body.month,
        to_budget_id=body.to_budget,
        reason=body.reason,
        actor=actor,
    )
    return {"id": adjustment_id, "budget_id": budget_id, "status": "requested"}


@router.get("/budget-adjustments")
async def list_adjustments(actor: ActorDep, status: str | None = None) -> list[dict]:
    """Adjustment requests, newest first (`status`: requested, approved or rejected)."""
    return await asyncio.to_thread(
        queries.list_adjustments, UnitOfWork(), actor=actor, status=status
    )


@router.post("/budget-adjustments/{adjustment_id}/approve")
async def approve_adjustment(
    adjustment_id: RowId, actor: ActorDep, body: DecisionBody | None = None
) -> dict:
    """Approve another person's request and apply it."""
    await asyncio.to_thread(
        service.approve_adjustment,
        UnitOfWork(),
        adjustment_id=adjustment_id,
        actor=actor,
        comment=(body or DecisionBody()).comment,
    )
    return {"id": adjustment_id, "status": "approved"}


@router.post("/budget-adjustments/{adjustment_id}/reject")
async def reject_adjustment(
    adjustment_id: RowId, actor: ActorDep, body: DecisionBody | None = None
) -> dict:
    """Refuse another person's request."""
    await asyncio.to_thread(
        service.reject_adjustment,
        UnitOfWork(),
        adjustment_id=adjustment_id,
        actor=actor,
        comment=(body or DecisionBody()).comment,
    )
    return {"id": adjustment_id, "status": "rejected"}


@router.post("/budgets/expenses", status_code=201)
async def post_budgeted_expense(body: BudgetedExpenseBody, actor: ActorDep) -> dict:
    """Enter an expense checked against its cost centre's budget (409 when a block budget
    would be exceeded, unless a finance manager sends `override_totp`)."""
    facts = ExpenseFacts(
        reference=body.reference or f"API-{uuid.uuid4().hex[:12]}",
        entry_date=body.entry_date or _today(),
        expense_account=body.expense_account,
        amount=body.amount,
        paid_from=body.paid_from,
        memo=body.memo,
        cost_centre=body.cost_centre,
    )
    entry_id = await asyncio.to_thread(
        service.post_budgeted_expense,
        UnitOfWork(),
        facts=facts,
        actor=actor,
        override_totp=body.override_totp,
    )
    return {"entry_id": entry_id, "reference": facts.reference}
