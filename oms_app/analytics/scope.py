"""What the dashboard looks at: the period, the narrowing filters and the tables it reads.

Analytics reads other areas' tables through read-only table clauses and never imports their
models. A filter narrows orders by warehouse (code), channel, rep (username) and category (code:
orders holding at least one line of a product of that category); line-level figures (products,
categories) keep only that category's lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from oms_app.core.clock import business_zone, check_business_day
from oms_app.core.errors import ValidationFailed

MAX_PERIOD_DAYS = 366
NOT_BOOKED = ("draft", "pending_approval", "rejected", "cancelled")

ORDERS = sa.table(
    "orders",
    sa.column("id", sa.Integer),
    sa.column("status", sa.String),
    sa.column("channel", sa.String),
    sa.column("warehouse_id", sa.Integer),
    sa.column("ship_province", sa.String),
    sa.column("subtotal", sa.Numeric(18, 2)),
    sa.column("discount_total", sa.Numeric(18, 2)),
    sa.column("cost_total", sa.Numeric(18, 2)),
    sa.column("requested_date", sa.Date),
    sa.column("created_by", sa.Integer),
    sa.column("created_at", sa.DateTime(timezone=True)),
)
ORDER_LINES = sa.table(
    "order_lines",
    sa.column("order_id", sa.Integer),
    sa.column("product_id", sa.Integer),
    sa.column("sku", sa.String),
    sa.column("line_total", sa.Numeric(18, 2)),
    sa.column("discount_pct", sa.Numeric(5, 2)),
)
ORDER_EVENTS = sa.table(
    "order_events",
    sa.column("order_id", sa.Integer),
    sa.column("to_status", sa.String),
    sa.column("at", sa.DateTime(timezone=True)),
)
RETURNS = sa.table(
    "returns",
    sa.column("id", sa.Integer),
    sa.column("order_id", sa.Integer),
    sa.column("status", sa.String),
    sa.column("received_at", sa.DateTime(timezone=True)),
)
RETURN_LINES = sa.table(
    "return_lines",
    sa.column("return_id", sa.Integer),
    sa.column("quantity", sa.Integer),
    sa.column("unit_net_price", sa.Numeric(18, 2)),
)
RETURNS_BACK = ("received", "closed")  # returns whose goods came back
PRODUCTS = sa.table(
    "products",
    sa.column("id", sa.Integer),
    sa.column("sku", sa.String),
    sa.column("name_zh", sa.String),
    sa.column("name_en", sa.String),
    sa.column("category_id", sa.Integer),
)
CATEGORIES = sa.table(
    "categories",
    sa.column("id", sa.Integer),
    sa.column("code", sa.String),
    sa.column("name_zh", sa.String),
    sa.column("name_en", sa.String),
)
WAREHOUSES = sa.table(
    "warehouses", sa.column("id", sa.Integer), sa.column("code", sa.String), sa.column("name")
)
USERS = sa.table(
    "users",
    sa.column("id", sa.Integer),
    sa.column("username", sa.String),
    sa.column("display_name", sa.String),
    sa.column("is_active", sa.Boolean),
)
USER_ROLES = sa.table("user_roles", sa.column("user_id", sa.Integer), sa.column("role_code"))
REP_ROLES = ("sales", "sales_manager")


def validate_period(date_from: date, date_to: date) -> None:
    """Refuse a reversed period, one longer than MAX_PERIOD_DAYS days, or days out of range."""
    check_business_day("from", date_from)
    check_business_day("to", date_to)
    if date_from > date_to:
        raise ValidationFailed("to", "error.period.invalid")
    if (date_to - date_from).days + 1 > MAX_PERIOD_DAYS:
        raise ValidationFailed("from", "error.period.too_long", max=MAX_PERIOD_DAYS)


def year_before(day: date) -> date:
    """The same day a year earlier (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def period_bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    """The UTC instants of [date_from 00:00, date_to + 1 00:00) in the business zone."""
    zone = business_zone()
    start = datetime.combine(date_from, time(), tzinfo=zone)
    end = datetime.combine(date_to + timedelta(days=1), time(), tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def local_day(moment):
    """The business day of a timestamptz column or expression."""
    return sa.cast(sa.func.timezone(business_zone().key, moment), sa.Date)


@dataclass(frozen=True)
class DashboardFilter:
    """A period of business days and what narrows it; empty fields do not narrow."""

    date_from: date
    date_to: date
    warehouse: str = ""  # warehouse code
    category: str = ""  # category code
    channel: str = ""  # orders.channel
    rep: str = ""  # username of the user who entered the order

    def validate(self) -> None:
        """Refuse a reversed or too long period."""
        validate_period(self.date_from, self.date_to)


def net_revenue():
    """An order's revenue: subtotal less discounts (net of VAT and shipping)."""
    return ORDERS.c.subtotal - ORDERS.c.discount_total


def line_revenue():
    """A line's revenue: its total less its line discount, in cents as order entry rounds it."""
    lines = ORDER_LINES
    return lines.c.line_total - sa.func.round(lines.c.line_total * lines.c.discount_pct / 100, 2)


def category_of_line(code: str, lines=ORDER_LINES):
    """Lines whose product belongs to the category `code`."""
    ids = (
        sa.select(PRODUCTS.c.id)
        .join(CATEGORIES, CATEGORIES.c.id == PRODUCTS.c.category_id)
        .where(CATEGORIES.c.code == code)
    )
    return lines.c.product_id.in_(ids.scalar_subquery().correlate(None))


def narrowing(flt: DashboardFilter) -> list:
    """WHERE clauses on orders for the warehouse, channel, rep and category filters."""
    o, where = ORDERS, []
    if flt.warehouse:
        ids = sa.select(WAREHOUSES.c.id).where(WAREHOUSES.c.code == flt.warehouse)
        where.append(o.c.warehouse_id.in_(ids.scalar_subquery()))
    if flt.channel:
        where.append(o.c.channel == flt.channel)
    if rep := flt.rep.strip().lower():  # usernames are stored lower-case
        ids = sa.select(USERS.c.id).where(USERS.c.username == rep)
        where.append(o.c.created_by.in_(ids.scalar_subquery()))
    if flt.category:
        held = ORDER_LINES.alias("held_lines")  # apart from any lines the query itself reads
        where.append(
            sa.exists().where(held.c.order_id == o.c.id, category_of_line(flt.category, held))
        )
    return where


def created_between(date_from: date, date_to: date) -> list:
    """Orders created on the business days [date_from, date_to]."""
    start, end = period_bounds(date_from, date_to)
    return [ORDERS.c.created_at >= start, ORDERS.c.created_at < end]


def booked(flt: DashboardFilter, date_from: date | None = None, date_to: date | None = None):
    """WHERE clauses of the booked orders of the filter (or of another span of days)."""
    first, last = date_from or flt.date_from, date_to or flt.date_to
    return [ORDERS.c.status.not_in(NOT_BOOKED), *created_between(first, last), *narrowing(flt)]
