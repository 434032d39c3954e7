"""Tables of the budgets area: budgets, their month amounts, adjustment requests with their
history, and the alerts already sent (so each fires once)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from oms_app.budgets.status import AdjustmentStatus
from oms_app.core.db import json_field, money_field, utc_field


class Budget(SQLModel, table=True):
    """What a cost centre may spend on one expense account in one year (预算)."""

    __tablename__ = "budgets"
    __table_args__ = (
        sa.UniqueConstraint("cost_centre", "account_code", "year", name="uq_budgets_scope"),
    )

    id: int | None = Field(default=None, primary_key=True)
    cost_centre: str = Field(max_length=32, description="department or cost centre label")
    # not a foreign key on purpose: the budgets area never writes the ledger's tables
    account_code: str = Field(max_length=8, index=True)
    year: int = Field(index=True)
    policy: str = Field(default="warn", max_length=8, description="warn or block")
    owner_id: int | None = Field(default=None, foreign_key="users.id")
    owner_name: str = Field(default="", max_length=64)
    created_at: datetime = utc_field(default_now=True)
    updated_at: datetime = utc_field(default_now=True)


class BudgetMonth(SQLModel, table=True):
    """The amount of one month of a budget; the year's amount is their sum."""

    __tablename__ = "budget_months"
    __table_args__ = (sa.UniqueConstraint("budget_id", "month", name="uq_budget_months"),)

    id: int | None = Field(default=None, primary_key=True)
    budget_id: int = Field(foreign_key="budgets.id", index=True)
    month: int = Field(description="1 to 12")
    amount: Decimal = money_field()


class BudgetAdjustment(SQLModel, table=True):
    """A request to increase, decrease or transfer part of a budget, approved by another person."""

    __tablename__ = "budget_adjustments"

    id: int | None = Field(default=None, primary_key=True)
    budget_id: int = Field(foreign_key="budgets.id", index=True)
    to_budget_id: int | None = Field(default=None, foreign_key="budgets.id")
    kind: str = Field(max_length=10, description="increase decrease transfer")
    month: int
    amount: Decimal = money_field()
    reason: str = Field(default="", max_length=300)
    status: AdjustmentStatus = Field(default=AdjustmentStatus.REQUESTED, sa_type=sa.String(12))
    requested_by_id: int | None = Field(default=None)
    requested_by: str = Field(max_length=64)
    created_at: datetime = utc_field(default_now=True, index=True)
    updated_at: datetime = utc_field(default_now=True)


class BudgetAdjustmentEvent(SQLModel, table=True):
    """One row per status change of an adjustment request: from, to, action, who, when, why."""

    __tablename__ = "budget_adjustment_events"

    id: int | None = Field(default=None, primary_key=True)
    adjustment_id: int = Field(foreign_key="budget_adjustments.id", index=True)
    from_status: str = Field(max_length=12)
    to_status: str = Field(max_length=12)
    action: str = Field(max_length=12)
    actor_id: int | None = Field(default=None)
    actor_name: str = Field(max_length=64)
    reason: str = Field(default="", max_length=500)
    params: dict = json_field()
    at: datetime = utc_field(default_now=True)


class BudgetAlert(SQLModel, table=True):
    """An alert already sent for a budget's month and threshold (80, 100 or forecast)."""

    __tablename__ = "budget_alerts"
    __table_args__ = (
        sa.UniqueConstraint("budget_id", "month", "threshold", name="uq_budget_alerts_once"),
    )

    id: int | None = Field(default=None, primary_key=True)
    budget_id: int = Field(foreign_key="budgets.id", index=True)
    month: int
    threshold: str = Field(max_length=10)
    percent_used: Decimal | None = Field(default=None, sa_type=sa.Numeric(9, 1))
    sent_at: datetime = utc_field(default_now=True)
