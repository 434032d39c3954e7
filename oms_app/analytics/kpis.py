"""Executive KPI figures for a period of business days, all aggregated in SQL.

Days are business days in the company's zone (`business_zone()`, Asia/Shanghai): the period
`[date_from, date_to]` is `[date_from 00:00 local, date_to + 1 day 00:00 local)` in UTC, compared
with `orders.created_at`. The warehouse, category, channel and rep filters narrow the orders as
`scope.narrowing` describes (the warehouse matches `orders.warehouse_id` by warehouse code).

- booked orders: created in the period, status not draft, pending_approval, rejected or cancelled.
- revenue: sum of `subtotal - discount_total` over booked orders (net of VAT and shipping).
- orders: the number of booked orders; average order value: revenue / orders (None when 0).
- gross profit: revenue - sum of `cost_total`; margin: gross profit / revenue, 4 places
  (None when revenue is 0).
- pending approvals: orders pending approval right now, company-wide (a point-in-time count: it
  ignores the period and the filters, as orders get a warehouse only once allocated); None for
  the comparison periods, which have no such snapshot.
- late orders: booked orders with a requested date whose first `shipped` event (to_status
  'shipped') is missing while the requested date is before today's business date, or falls on a
  local day after the requested date.
- fulfilment lead time: average hours from the first `approved` to the first `shipped` event, over
  the booked orders that shipped (None when none did).
- return rate: net value (quantity x unit net price) of the lines of returns received back
  (received or closed) in the period, of orders the filter keeps, over the period's revenue;
  4 places, None when revenue is 0.
- satisfaction: None and listed under `no_data` (there is no feedback yet).

The figures are sums over the daily rollups (`analytics.rollups`): stored rows for past days,
the same aggregate over the orders for today, so they equal a computation over the raw tables.

Money is returned as strings with two places ("123.45"), the margin as a string with four.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa

from oms_app.analytics.rollups import sales_source
from oms_app.analytics.scope import (
    MAX_PERIOD_DAYS,
    NOT_BOOKED,
    ORDERS,
    RETURN_LINES,
    RETURNS,
    RETURNS_BACK,
    DashboardFilter,
    narrowing,
    period_bounds,
    validate_period,
    year_before,
)
from oms_app.core.clock import business_zone, utcnow
from oms_app.core.money import to_money
from oms_app.core.permissions import Actor, Permission, require

__all__ = ["MAX_PERIOD_DAYS", "NOT_BOOKED", "compute_kpis", "period_bounds", "validate_period"]
NO_DATA = ["satisfaction"]


def previous_period(date_from: date, date_to: date) -> tuple[date, date]:
    """The period of the same length just before."""
    length = (date_to - date_from).days + 1
    return date_from - timedelta(days=length), date_from - timedelta(days=1)


def _period_statement(flt: DashboardFilter, span: tuple[date, date], today: date):
    """The period's figures summed over its rollup rows (see analytics.rollups)."""
    src = sales_source(flt, *span, today=today)
    late_open = sa.func.sum(src.c.orders).filter(src.c.open_due < today)
    lead = sa.func.sum(src.c.lead_seconds) / sa.func.nullif(sa.func.sum(src.c.lead_orders), 0)
    return sa.select(
        sa.func.coalesce(sa.func.sum(src.c.orders), 0).label("orders"),
        sa.func.coalesce(sa.func.sum(src.c.revenue), 0).label("revenue"),
        sa.func.coalesce(sa.func.sum(src.c.cost), 0).label("cost"),
        (
            sa.func.coalesce(sa.func.sum(src.c.shipped_late), 0) + sa.func.coalesce(late_open, 0)
        ).label("late"),
        lead.label("lead_seconds"),
        _returned_value(flt, span).label("returned"),
    )


def _returned_value(flt: DashboardFilter, span: tuple[date, date]):
    """Net value of the lines of returns received back in the period, of the filter's orders."""
    r, lines = RETURNS, RETURN_LINES
    start, end = period_bounds(*span)
    where = [r.c.status.in_(RETURNS_BACK), r.c.received_at >= start, r.c.received_at < end]
    if narrowed := narrowing(flt):
        where.append(r.c.order_id.in_(sa.select(ORDERS.c.id).where(*narrowed).scalar_subquery()))
    return (
        sa.select(sa.func.coalesce(sa.func.sum(lines.c.quantity * lines.c.unit_net_price), 0))
        .select_from(lines.join(r, r.c.id == lines.c.return_id))
        .where(*where)
        .scalar_subquery()
    )


def _ratio(part: Decimal, whole: Decimal) -> Decimal | None:
    return (part / whole).quantize(Decimal("0.0001"), ROUND_HALF_UP) if whole else None


def _figures(row, pending: int | None) -> dict:
    revenue = to_money(row.revenue)
    profit = revenue - to_money(row.cost)
    margin = _ratio(profit, revenue)
    return_rate = _ratio(to_money(row.returned), revenue)
    lead = None if row.lead_seconds is None else round(float(row.lead_seconds) / 3600, 2)
    return {
        "revenue": str(revenue),
        "orders": int(row.orders),
        "average_order_value": str(to_money(revenue / row.orders)) if row.orders else None,
        "gross_profit": str(profit),
        "margin": None if margin is None else str(margin),
        "pending_approvals": pending,
        "late_orders": int(row.late),
        "fulfilment_lead_time_hours": lead,
        "return_rate": None if return_rate is None else str(return_rate),
        "satisfaction": None,
        "no_data": list(NO_DATA),
    }


def compute_kpis(
    uow,
    *,
    actor: Actor,
    date_from: date,
    date_to: date,
    warehouse: str = "",
    category: str = "",
    channel: str = "",
    rep: str = "",
    today: date | None = None,
) -> dict:
    """KPI figures of a period, the period just before and the same period a year earlier."""
    require(actor, Permission.DASHBOARD_VIEW)
    validate_period(date_from, date_to)
    flt = DashboardFilter(date_from, date_to, warehouse, category, channel, rep)
    today = today or utcnow().astimezone(business_zone()).date()
    periods = {
        "current": (date_from, date_to),
        "previous_period": previous_period(date_from, date_to),
        "same_period_last_year": (year_before(date_from), year_before(date_to)),
    }
    pending_stmt = (
        sa.select(sa.func.count()).select_from(ORDERS).where(ORDERS.c.status == "pending_approval")
    )
    with uow:
        pending = int(uow.session.scalar(pending_stmt))
        rows = {
            name: uow.session.execute(_period_statement(flt, span, today)).one()
            for name, span in periods.items()
        }
    result = {
        "period": {"from": date_from.isoformat(), "to": date_to.isoformat()},
        "warehouse": warehouse,
    }
    for name, row in rows.items():
        result[name] = _figures(row, pending if name == "current" else None)
    result["periods"] = {
        name: {"from": a.isoformat(), "to": b.isoformat()} for name, (a, b) in periods.items()
    }
    return result
