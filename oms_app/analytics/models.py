"""The dashboard's daily rollups: booked orders summed per business day and dimension.

A row sums the booked orders created on `day` that share its warehouse, channel, rep and
`open_due` (the requested date of orders not yet shipped, else NULL: whether they are late
depends on the day one looks, so they stay apart). `sales_daily_category` repeats the order
figures per category the orders hold a line of, with that category's own line revenue.

Rows are derived data: `analytics.rollups` deletes and rewrites whole days, never edits a row.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


def _money() -> Decimal:
    return Field(default=Decimal("0.00"), sa_type=sa.Numeric(18, 2))


class SalesDaily(SQLModel, table=True):
    """Booked orders of one business day and one warehouse x channel x rep x open_due."""

    __tablename__ = "sales_daily"

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(index=True)
    warehouse_id: int | None = None
    channel: str = Field(max_length=16)
    rep_id: int | None = None
    open_due: date | None = None  # requested date of the orders not shipped yet
    orders: int = 0
    revenue: Decimal = _money()  # subtotal less discounts
    cost: Decimal = _money()  # standard cost
    shipped_late: int = 0  # shipped on a local day after the requested date
    lead_orders: int = 0  # orders with both a first approval and a first shipment
    lead_seconds: Decimal = Field(default=Decimal("0"), sa_type=sa.Numeric(20, 3))


class SalesDailyCategory(SQLModel, table=True):
    """The same figures over the orders holding a line of `category_id`, and its line revenue."""

    __tablename__ = "sales_daily_category"

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(index=True)
    category_id: int = Field(index=True)
    warehouse_id: int | None = None
    channel: str = Field(max_length=16)
    rep_id: int | None = None
    open_due: date | None = None
    orders: int = 0
    revenue: Decimal = _money()
    cost: Decimal = _money()
    shipped_late: int = 0
    lead_orders: int = 0
    lead_seconds: Decimal = Field(default=Decimal("0"), sa_type=sa.Numeric(20, 3))
    line_revenue: Decimal = _money()  # the category's lines only, net of line discounts
