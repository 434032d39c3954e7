"""The report's own read-only SQL: sales by business day and the best-selling products.

Orders count as in the KPIs (`analytics.kpis`): booked (not draft, pending approval, rejected or
cancelled) and created on the period's business days, so the daily lines add up to the KPI
revenue. Other areas' tables are read through table clauses, never their models.
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from oms_app.analytics.kpis import NOT_BOOKED, period_bounds
from oms_app.core.clock import business_zone
from oms_app.core.money import to_money

ORDERS = sa.table(
    "orders",
    sa.column("id", sa.Integer),
    sa.column("status", sa.String),
    sa.column("subtotal", sa.Numeric(18, 2)),
    sa.column("discount_total", sa.Numeric(18, 2)),
    sa.column("cost_total", sa.Numeric(18, 2)),
    sa.column("created_at", sa.DateTime(timezone=True)),
)
ORDER_LINES = sa.table(
    "order_lines",
    sa.column("order_id", sa.Integer),
    sa.column("product_id", sa.Integer),
    sa.column("sku", sa.String),
    sa.column("quantity", sa.Integer),
    sa.column("line_total", sa.Numeric(18, 2)),
    sa.column("discount_pct", sa.Numeric(5, 2)),
)
PRODUCTS = sa.table(
    "products",
    sa.column("id", sa.Integer),
    sa.column("name_zh", sa.String),
    sa.column("name_en", sa.String),
)
TOP_PRODUCTS = 10


def _booked(date_from: date, date_to: date) -> list:
    start, end = period_bounds(date_from, date_to)
    o = ORDERS
    return [o.c.status.not_in(NOT_BOOKED), o.c.created_at >= start, o.c.created_at < end]


def sales_by_day(session, date_from: date, date_to: date) -> list[dict]:
    """Orders, revenue and gross profit of each business day of the period, zeros included."""
    o = ORDERS
    day = sa.cast(sa.func.timezone(business_zone().key, o.c.created_at), sa.Date).label("day")
    revenue = sa.func.sum(o.c.subtotal - o.c.discount_total)
    stmt = (
        sa.select(
            day,
            sa.func.count(o.c.id).label("orders"),
            revenue.label("revenue"),
            (revenue - sa.func.sum(o.c.cost_total)).label("profit"),
        )
        .where(*_booked(date_from, date_to))
        .group_by(day)
    )
    found = {row.day: row for row in session.execute(stmt)}
    rows, day_ = [], date_from
    while day_ <= date_to:
        row = found.get(day_)
        rows.append(
            {
                "day": day_.isoformat(),
                "orders": int(row.orders) if row else 0,
                "revenue": str(to_money(row.revenue if row else 0)),
                "gross_profit": str(to_money(row.profit if row else 0)),
            }
        )
        day_ += timedelta(days=1)
    return rows


def top_products(session, date_from: date, date_to: date, locale: str) -> list[dict]:
    """The best-selling products of the period by line revenue (net of line discounts)."""
    lines, p = ORDER_LINES, PRODUCTS
    line_revenue = lines.c.line_total - sa.func.round(
        lines.c.line_total * lines.c.discount_pct / 100, 2
    )
    name = p.c.name_en if locale == "en" else p.c.name_zh
    stmt = (
        sa.select(
            lines.c.sku,
            sa.func.max(name).label("name"),
            sa.func.sum(lines.c.quantity).label("quantity"),
            sa.func.sum(line_revenue).label("revenue"),
        )
        .select_from(
            lines.join(ORDERS, ORDERS.c.id == lines.c.order_id).outerjoin(
                p, p.c.id == lines.c.product_id
            )
        )
        .where(*_booked(date_from, date_to))
        .group_by(lines.c.sku)
        .order_by(sa.desc("revenue"), lines.c.sku)
        .limit(TOP_PRODUCTS)
    )
    return [
        {
            "sku": row.sku,
            "name": row.name or row.sku,
            "quantity": int(row.quantity or 0),
            "revenue": str(to_money(row.revenue or 0)),
        }
        for row in session.execute(stmt)
    ]
