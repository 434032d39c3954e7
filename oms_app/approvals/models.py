"""The approval policy (a decision table) and the approval requests of orders."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from oms_app.approvals.status import ApprovalStatus
from oms_app.core.db import json_field, utc_field


class ApprovalRule(SQLModel, table=True):
    """One row of the decision table: when its conditions hold, its levels are required."""

    __tablename__ = "approval_rules"

    id: int | None = Field(default=None, primary_key=True)
    priority: int = Field(default=100, description="display and evaluation order")
    name: str = Field(max_length=120)
    conditions: dict = json_field()
    levels: list = Field(default_factory=list, sa_type=sa.JSON)
    sla_hours: int = Field(default=24)
    is_active: bool = Field(default=True)
    updated_at: datetime = utc_field(default_now=True)


class ApprovalRequest(SQLModel, table=True):
    """One level of approval of one order, decided by someone holding its role."""

    __tablename__ = "approval_requests"
    __table_args__ = (
        sa.Index("ix_approval_requests_role_status", "role", "status"),
        sa.UniqueConstraint("order_id", "round", "level_no", name="uq_approval_level"),
    )

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="orders.id", index=True)
    round: int = Field(default=1, description="1 for the first submission, +1 per resubmit")
    level_no: int
    role: str = Field(max_length=32)
    status: ApprovalStatus = Field(default=ApprovalStatus.WAITING, sa_type=sa.String(16))
    reasons: list = Field(default_factory=list, sa_type=sa.JSON)
    decided_by: str = Field(default="", max_length=64)
    comment: str = Field(default="", max_length=500)
    due_at: datetime | None = utc_field()
    escalated_at: datetime | None = utc_field()
    created_at: datetime = utc_field(default_now=True)
    updated_at: datetime = utc_field(default_now=True)


class ApprovalEvent(SQLModel, table=True):
    """One row per status change of an approval request."""

    __tablename__ = "approval_events"

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="approval_requests.id", index=True)
    order_id: int = Field(index=True)
    from_status: str = Field(max_length=16)
    to_status: str = Field(max_length=16)
    action: str = Field(max_length=16)
    actor_id: int | None = Field(default=None)
    actor_name: str = Field(max_length=64)
    reason: str = Field(default="", max_length=500)
    at: datetime = utc_field(default_now=True)
