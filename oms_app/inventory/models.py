"""Warehouses, bins and stock movements. On-hand and reserved are sums of movements."""

from __future__ import annotations

from datetime import datetime

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

    id: int | None = Field(default=None, primary_key=True)
    warehouse_id: int = Field(foreign_key="warehouses.id", index=True)
    code: str = Field(max_length=32)
    zone: str = Field(default="A", max_length=8)


class StockMovement(SQLModel, table=True):
    """One change of on-hand and/or reserved quantity; never updated, only appended."""

    __tablename__ = "stock_movements"

    id: int | None = Field(default=None, primary_key=True)
    product_id: int = Field(foreign_key="products.id", index=True)
    warehouse_id: int = Field(foreign_key="warehouses.id", index=True)
    bin_id: int | None = Field(default=None, foreign_key="bin_locations.id")
    kind: str = Field(max_length=16, description="receipt, reserve, release, issue, adjust")
    on_hand_delta: int = Field(default=0)
    reserved_delta: int = Field(default=0)
    ref_type: str = Field(default="", max_length=32)
    ref_id: str = Field(default="", max_length=64)
    actor_id: int | None = Field(default=None)
    at: datetime = utc_field(default_now=True, index=True)
