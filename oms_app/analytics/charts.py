"""The dashboard's sales series, aggregated in SQL over booked orders (same definitions as kpis.py).

- revenue trend: revenue and orders per business day of the period, preceded by LEAD_DAYS days
  (so a 28-day average is whole on the first day), with the revenue of the same day a year
  earlier (`year_before`) on the days of the period.
- top products / categories: line revenue (`scope.line_revenue`) of booked orders by product or
  category, largest first, with the total over all of them (for the Pareto's cumulative share).
- provinces: order revenue by `orders.ship_province`; reps: by `orders.created_by`.

The trend, categories and reps sum the daily rollups (`analytics.rollups`); products and
provinces, finer than a rollup would pay for, aggregate the orders of the period directly.

Money stays Decimal; the figure builders convert it to float.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa

from oms_app.analytics.rollups import sales_source
from oms_app.analytics.scope import (
    CATEGORIES,
    ORDER_LINES,
    ORDERS,
    PRODUCTS,
    REP_ROLES,
    USER_ROLES,
    USERS,
    WAREHOUSES,
    DashboardFilter,
    booked,
    category_of_line,
    line_revenue,
    net_revenue,
    year_before,
)
from oms_app.core.permissions import Actor, Permission, require

LEAD_DAYS = 27
TOP_N = 20
ZERO = Decimal("0.00")


def _allowed(actor: Actor, flt: DashboardFilter) -> None:
    require(actor, Permission.DASHBOARD_VIEW)
    flt.validate()


def _daily_revenue(session, flt: DashboardFilter, first: date, last: date) -> dict:
    src = sales_source(flt, first, last)
    stmt = sa.select(
        src.c.day, sa.func.sum(src.c.revenue).label("revenue"), sa.func.sum(src.c.orders).label("n")
    ).group_by(src.c.day)
    return {r.day: (r.revenue, int(r.n)) for r in session.execute(stmt)}


def revenue_trend(uow, *, actor: Actor, flt: DashboardFilter) -> list[dict]:
    """Every business day from LEAD_DAYS before the period to its end, oldest first."""
    _allowed(actor, flt)
    first = flt.date_from - timedelta(days=LEAD_DAYS)
    with uow:
        current = _daily_revenue(uow.session, flt, first, flt.date_to)
        earlier = _daily_revenue(
            uow.session, flt, year_before(flt.date_from), year_before(flt.date_to)
        )
    rows = []
    for offset in range((flt.date_to - first).days + 1):
        day = first + timedelta(days=offset)
        revenue, orders = current.get(day, (ZERO, 0))
        in_period = day >= flt.date_from
        last_year = earlier.get(year_before(day), (ZERO, 0))[0] if in_period else None
        rows.append(
            {
                "day": day,
                "revenue": revenue,
                "orders": orders,
                "in_period": in_period,
                "last_year_revenue": last_year,
            }
        )
    return rows


def _line_revenue_by(flt: DashboardFilter, key):
    """Line revenue of the filter's booked orders grouped by `key` (a products/lines column)."""
    lines = ORDER_LINES.join(ORDERS, ORDERS.c.id == ORDER_LINES.c.order_id).join(
        PRODUCTS, PRODUCTS.c.id == ORDER_LINES.c.product_id
    )
    where = booked(flt)
    if flt.category:
        where.append(category_of_line(flt.category))
    return (
        sa.select(key.label("key"), sa.func.sum(line_revenue()).label("revenue"))
        .select_from(lines)
        .where(*where)
        .group_by(key)
        .subquery("by_key")
    )


def _ranked(session, per, join_to, columns, limit: int) -> dict:
    total = sa.func.sum(per.c.revenue).over().label("total")
    stmt = (
        sa.select(*columns, per.c.revenue, total)
        .select_from(per.join(join_to, join_to.c.id == per.c.key))
        .order_by(per.c.revenue.desc(), columns[0])
        .limit(limit)
    )
    rows = session.execute(stmt).all()
    return {
        "rows": [{k: v for k, v in r._asdict().items() if k != "total"} for r in rows],
        "total": rows[0].total if rows else ZERO,
    }


def top_products(uow, *, actor: Actor, flt: DashboardFilter, limit: int = TOP_N) -> dict:
    """The products with the most line revenue, largest first, and the total of all products."""
    _allowed(actor, flt)
    per = _line_revenue_by(flt, ORDER_LINES.c.product_id)
    p = PRODUCTS
    with uow:
        return _ranked(uow.session, per, p, [p.c.sku, p.c.name_zh, p.c.name_en], limit)


def top_categories(uow, *, actor: Actor, flt: DashboardFilter, limit: int = TOP_N) -> dict:
    """The categories with the most line revenue, largest first, and the total of all."""
    _allowed(actor, flt)
    src = sales_source(flt, flt.date_from, flt.date_to, by_category=True)
    per = (
        sa.select(src.c.category_id.label("key"), sa.func.sum(src.c.line_revenue).label("revenue"))
        .group_by(src.c.category_id)
        .subquery("by_key")
    )
    c = CATEGORIES
    with uow:
        return _ranked(uow.session, per, c, [c.c.code, c.c.name_zh, c.c.name_en], limit)


def sales_by_province(uow, *, actor: Actor, flt: DashboardFilter) -> list[dict]:
    """Revenue and orders per shipping province ('' when none was given), largest first."""
    _allowed(actor, flt)
    province = ORDERS.c.ship_province
    revenue = sa.func.sum(net_revenue()).label("revenue")
    stmt = (
        sa.select(province.label("province"), revenue, sa.func.count().label("orders"))
        .where(*booked(flt))
        .group_by(province)
        .order_by(revenue.desc(), province)
    )
    with uow:
        return [r._asdict() for r in uow.session.execute(stmt)]


def sales_by_rep(uow, *, actor: Actor, flt: DashboardFilter) -> list[dict]:
    """Revenue and orders per user who entered them ('' for orders nobody entered)."""
    _allowed(actor, flt)
    src = sales_source(flt, flt.date_from, flt.date_to)
    per = (
        sa.select(
            src.c.rep_id.label("user_id"),
            sa.func.sum(src.c.revenue).label("revenue"),
            sa.func.sum(src.c.orders).label("orders"),
        )
        .group_by(src.c.rep_id)
        .subquery("per_rep")
    )
    stmt = (
        sa.select(
            sa.func.coalesce(USERS.c.username, "").label("username"),
            sa.func.coalesce(USERS.c.display_name, "").label("display_name"),
            per.c.revenue,
            per.c.orders,
        )
        .select_from(per.outerjoin(USERS, USERS.c.id == per.c.user_id))
        .order_by(per.c.revenue.desc(), USERS.c.username)
    )
    with uow:
        return [r._asdict() for r in uow.session.execute(stmt)]


def filter_options(uow, *, actor: Actor) -> dict[str, list[dict]]:
    """The choices of the dashboard's filters: warehouses, categories and reps."""
    require(actor, Permission.DASHBOARD_VIEW)
    reps = (
        sa.select(USERS.c.username, USERS.c.display_name)
        .where(
            USERS.c.is_active.is_(True),
            USERS.c.id.in_(
                sa.select(USER_ROLES.c.user_id).where(USER_ROLES.c.role_code.in_(REP_ROLES))
            ),
        )
        .order_by(USERS.c.username)
    )
    with uow:
        s = uow.session
        houses = s.execute(
            sa.select(WAREHOUSES.c.code, WAREHOUSES.c.name).order_by(WAREHOUSES.c.code)
        )
        cats = s.execute(
            sa.select(CATEGORIES.c.code, CATEGORIES.c.name_zh, CATEGORIES.c.name_en).order_by(
                CATEGORIES.c.code
            )
        )
        return {
            "warehouses": [r._asdict() for r in houses],
            "categories": [r._asdict() for r in cats],
            "reps": [r._asdict() for r in s.execute(reps)],
        }
