"""Orders, their lines and their history (one row per transition)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from oms_app.core.db import json_field, money_field, utc_field
from oms_app.orders.status import OrderStatus


class Order(SQLModel, table=True):
    __tablename__ = "orders"
    __table_args__ = (sa.Index("ix_orders_status_created", "status", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(max_length=32, unique=True, index=True)
    customer_id: int = Field(foreign_key="customers.id", index=True)
    status: OrderStatus = Field(default=OrderStatus.DRAFT, sa_type=sa.String(24))
    channel: str = Field(default="sales", max_length=16, description="sales, portal, api, shop")
    currency: str = Field(default="CNY", max_length=3)
    warehouse_id: int | None = Field(default=None, foreign_key="warehouses.id")
    ship_province: str = Field(default="", max_length=32)
    ship_city: str = Field(default="", max_length=32)
    ship_district: str = Field(default="", max_length=32)
    ship_street: str = Field(default="", max_length=200)
    ship_receiver: str = Field(default="", max_length=80)
    ship_phone: str = Field(default="", max_length=32)
    delivery_method: str = Field(
        default="express", max_length=16, description="express, freight, pickup"
    )
    subtotal: Decimal = money_field()
    discount_total: Decimal = money_field()
    tax_total: Decimal = money_field()
    shipping_fee: Decimal = money_field()
    grand_total: Decimal = money_field()
    cost_total: Decimal = money_field()
    payment_status: str = Field(
        default="unpaid",
        max_length=16,
        index=True,
        sa_column_kwargs={"server_default": "unpaid"},  # bulk loaders may leave it out
        description="derived from the payments",
    )
    requested_date: date | None = Field(default=None)
    allow_split: bool = Field(
        default=True, description="may ship from several warehouses when one cannot fill it"
    )
    risk_score: int = Field(default=0, description="0-100, from the anomalies and the customer")
    notes: str = Field(default="", max_length=1000)
    created_by: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = utc_field(default_now=True, index=True)
    updated_at: datetime = utc_field(default_now=True)
    version: int = Field(default=1)


class OrderLine(SQLModel, table=True):
    __tablename__ = "order_lines"

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="orders.id", index=True)
    line_no: int
    product_id: int = Field(foreign_key="products.id", index=True)
    sku: str = Field(max_length=32)
    name: str = Field(max_length=200)
    unit: str = Field(default="pcs", max_length=16)
    quantity: int
    unit_price: Decimal = money_field()
    discount_pct: Decimal = Field(default=Decimal("0"), sa_type=sa.Numeric(5, 2))
    line_total: Decimal = money_field()
    unit_cost: Decimal = money_field()
    price_reason: str = Field(default="", max_length=200)


class OrderEvent(SQLModel, table=True):
    """One row per status change: from, to, action, who, when, why."""

    __tablename__ = "order_events"
    # An order's first event of a status (dashboard lead times, late orders) is one index probe.
    __table_args__ = (sa.Index("ix_order_events_order_status_at", "order_id", "to_status", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="orders.id", index=True)
    from_status: str = Field(max_length=24)
    to_status: str = Field(max_length=24)
    action: str = Field(max_length=24)
    actor_id: int | None = Field(default=None)
    actor_name: str = Field(max_length=64)
    reason: str = Field(default="", max_length=500)
    params: dict = json_field()
    at: datetime = utc_field(default_now=True, index=True)


class OrderAnomaly(SQLModel, table=True):
    """Something unusual found on submit or by a re-check; it decides the approval route."""

    __tablename__ = "order_anomalies"
    __table_args__ = (sa.UniqueConstraint("order_id", "code", name="uq_order_anomaly_code"),)

    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="orders.id", index=True)
    code: str = Field(max_length=32, description="price_mismatch, insufficient_stock, ...")
    params: dict = json_field()
    found_at: datetime = utc_field(default_now=True)


class IdempotencyKey(SQLModel, table=True):
    """A client's retry key: the same key from the same user yields the same order."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (sa.UniqueConstraint("user_id", "key", name="uq_idempotency_user_key"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id")
    key: str = Field(max_length=128)
    # SHA-256 of the canonical request: the same key with another request is refused.
    # Empty for keys stored before the check existed (they replay as before).
    request_hash: str = Field(default="", max_length=64)
    order_id: int = Field(foreign_key="orders.id")
    created_at: datetime = utc_field(default_now=True)


class OrderNumberCounter(SQLModel, table=True):
    """The last order number issued per year (SO-2026-000123)."""

    __tablename__ = "order_number_counters"

    year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    last: int = Field(default=0)


class OrderTemplate(SQLModel, table=True):
    """A saved order to start from: for one customer or shared, optionally recurring."""

    __tablename__ = "order_templates"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    owner_id: int = Field(foreign_key="users.id", index=True)
    customer_id: int | None = Field(default=None, foreign_key="customers.id", index=True)
    lines: list = Field(default_factory=list, sa_type=sa.JSON)
    delivery_method: str = Field(default="express", max_length=16)
    notes: str = Field(default="", max_length=1000)
    recurrence: str = Field(default="", max_length=8, description="'', weekly or monthly")
    next_run_on: date | None = Field(default=None, index=True)
    is_active: bool = Field(default=True)
    created_at: datetime = utc_field(default_now=True)
