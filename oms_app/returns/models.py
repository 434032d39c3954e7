"""Tables of the returns area: returns, their lines, their history and the number counter."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from oms_app.core.db import json_field, money_field, utc_field
from oms_app.returns.status import ReturnStatus


class Return(SQLModel, table=True):
    """A request to send (part of) an order's shipped goods back (RMA-2026-000123)."""

    __tablename__ = "returns"
    __table_args__ = (
        sa.Index("ix_returns_status_created", "status", "created_at"),
        sa.Index("ix_returns_customer_received", "customer_id", "received_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=32, unique=True)
    order_id: int = Field(foreign_key="orders.id", index=True)
    order_number: str = Field(max_length=32)
    customer_id: int = Field(foreign_key="customers.id")
    status: ReturnStatus = Field(default=ReturnStatus.REQUESTED, sa_type=sa.String(16))
    reason_code: str = Field(
        max_length=24, description="damaged wrong_item not_as_described no_longer_needed other"
    )
    note: str = Field(default="", max_length=1000)
    requested_by: int | None = Field(default=None, foreign_key="users.id")
    requested_by_name: str = Field(default="", max_length=64)
    warehouse_id: int | None = Field(default=None, foreign_key="warehouses.id")
    received_at: datetime | None = utc_field(index=True)
    created_at: datetime = utc_field(default_now=True)
    updated_at: datetime = utc_field(default_now=True)


class ReturnLine(SQLModel, table=True):
    """Goods of one order line coming back, valued as they were sold."""

    __tablename__ = "return_lines"

    id: int | None = Field(default=None, primary_key=True)
    return_id: int = Field(foreign_key="returns.id", index=True)
    order_line_id: int = Field(foreign_key="order_lines.id", index=True)
    product_id: int = Field(foreign_key="products.id")
    sku: str = Field(max_length=32)
    name: str = Field(default="", max_length=200)
    unit: str = Field(default="pcs", max_length=16)
    quantity: int
    unit_net_price: Decimal = money_field(description="unit price net of the line discount")
    unit_cost: Decimal = money_field(description="the order line's standard cost per unit")


class ReturnEvent(SQLModel, table=True):
    """One row per status change of a return: from, to, action, who, when, why."""

    __tablename__ = "return_events"

    id: int | None = Field(default=None, primary_key=True)
    return_id: int = Field(foreign_key="returns.id", index=True)
    from_status: str = Field(max_length=16)
    to_status: str = Field(max_length=16)
    action: str = Field(max_length=16)
    actor_id: int | None = Field(default=None)
    actor_name: str = Field(max_length=64)
    reason: str = Field(default="", max_length=500)
    params: dict = json_field()
    at: datetime = utc_field(default_now=True)


class ReturnNumberCounter(SQLModel, table=True):
    """The last return number issued per year (RMA-2026-000123)."""

    __tablename__ = "return_number_counters"

    year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    last: int = Field(default=0)
