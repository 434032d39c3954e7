"""Warehouses, bins and stock movements. On-hand and reserved are sums of movements."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from oms_app.core.db import utc_field


class Warehouse(SQLModel, table=True):
    __tablename__ = "warehouses"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=16, unique=True)
    name: str = Field(max_length=120)
    province: str = Field(default="", max_length=32)
    city: str = Field(default="", max_length=32)


class BinLocation(SQLModel, table=True):
    __tablename__ = "bin_locations"
    __table_args__ = (sa.UniqueConstraint("warehouse_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    warehouse_id: int = Field(foreign_key="warehouses.id", index=True)
    code: str = Field(max_length=32)
    zone: str = Field(default="A", max_length=8)


class StockMovement(SQLModel, table=True):
    """One change of on-hand and/or reserved quantity; never updated, only appended."""

    __tablename__ = "stock_movements"
    __table_args__ = (
        sa.Index("ix_stock_movements_ref", "ref_type", "ref_id"),
        # Balances are sums of movements per product x warehouse x bin: with the deltas in the
        # index they are index-only scans, however long the history.
        sa.Index(
            "ix_stock_movements_balance",
            "product_id",
            "warehouse_id",
            "bin_id",
            postgresql_include=["on_hand_delta", "reserved_delta"],
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(foreign_key="products.id", index=True)
    warehouse_id: int = Field(foreign_key="warehouses.id", index=True)
    bin_id: int | None = Field(default=None, foreign_key="bin_locations.id")
    kind: str = Field(
        max_length=16,
        description="receipt, adjust, reserve, release, pick, ship, restock, return",
    )
    on_hand_delta: int = Field(default=0)
    reserved_delta: int = Field(default=0)
    ref_type: str = Field(default="", max_length=32)
    ref_id: str = Field(default="", max_length=64)
    actor_id: int | None = Field(default=None)
    at: datetime = utc_field(default_now=True, index=True)


class ReorderRule(SQLModel, table=True):
    """When available stock of a SKU in a warehouse falls to `reorder_point`, order more."""

    __tablename__ = "reorder_rules"
    __table_args__ = (sa.UniqueConstraint("product_id", "warehouse_id"),)

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(foreign_key="products.id", index=True)
    warehouse_id: int = Field(foreign_key="warehouses.id")
    reorder_point: int = Field(default=0)
    reorder_qty: int = Field(default=0)
    lead_time_days: int = Field(default=7)
    source: str = Field(default="manual", max_length=8, description="manual or computed")
    updated_at: datetime = utc_field(default_now=True)


class ReplenishmentSuggestion(SQLModel, table=True):
    """A proposal to buy: accepted it becomes an expected receipt, or it is dismissed."""

    __tablename__ = "replenishment_suggestions"

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(foreign_key="products.id", index=True)
    warehouse_id: int = Field(foreign_key="warehouses.id", index=True)
    quantity: int
    available: int = Field(default=0)
    reorder_point: int = Field(default=0)
    state: str = Field(default="open", max_length=10, description="open, accepted, dismissed")
    created_at: datetime = utc_field(default_now=True)
    decided_by: str = Field(default="", max_length=64)
    decided_at: datetime | None = utc_field()


class ExpectedReceipt(SQLModel, table=True):
    """Goods on their way to a warehouse (an accepted suggestion or a purchase)."""

    __tablename__ = "expected_receipts"

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(foreign_key="products.id", index=True)
    warehouse_id: int = Field(foreign_key="warehouses.id", index=True)
    quantity: int
    received_qty: int = Field(default=0)
    expected_on: date | None = Field(default=None)
    state: str = Field(default="open", max_length=10, description="open, received, cancelled")
    suggestion_id: int | None = Field(default=None, foreign_key="replenishment_suggestions.id")
    created_at: datetime = utc_field(default_now=True)
