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
- return rate and satisfaction: None and listed under `no_data` (those areas do not exist yet).

Money is returned as strings with two places ("123.45"), the margin as a string with four.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa

from oms_app.analytics.scope import (
    MAX_PERIOD_DAYS,
    NOT_BOOKED,
    ORDER_EVENTS,
    ORDERS,
    DashboardFilter,
    booked,
    local_day,
    period_bounds,
    validate_period,
    year_before,
)
from oms_app.core.clock import business_zone, utcnow
from oms_app.core.money import to_money
from oms_app.core.permissions import Actor, Permission, require

__all__ = ["MAX_PERIOD_DAYS", "NOT_BOOKED", "compute_kpis", "period_bounds", "validate_period"]
NO_DATA = ["return_rate", "satisfaction"]


def previous_period(date_from: date, date_to: date) -> tuple[date, date]:
    """The period of the same length just before."""
    length = (date_to - date_from).days + 1
    return date_from - timedelta(days=length), date_from - timedelta(days=1)


def _first_event_at(to_status: str):
    """The order's first event to `to_status`: an index lookup per booked order, so the cost
    follows the period's orders rather than the whole history table."""
    e = ORDER_EVENTS
    return (
        sa.select(sa.func.min(e.c.at))
        .where(e.c.order_id == ORDERS.c.id, e.c.to_status == to_status)
        .scalar_subquery()
    )


def _period_statement(flt: DashboardFilter, span: tuple[date, date], today: date):
    o = ORDERS
    per_order = (
        sa.select(
            o.c.subtotal,
            o.c.discount_total,
            o.c.cost_total,
            o.c.requested_date,
            _first_event_at("approved").label("approved_at"),
            _first_event_at("shipped").label("shipped_at"),
        )
        .where(*booked(flt, *span))
        .subquery("booked_orders")
    )
    b = per_order.c
    late = sa.and_(
        b.requested_date.is_not(None),
        sa.or_(
            sa.and_(b.shipped_at.is_(None), b.requested_date < today),
            local_day(b.shipped_at) > b.requested_date,
        ),
    )
    hours = sa.func.extract("epoch", b.shipped_at - b.approved_at) / 3600
    return sa.select(
        sa.func.count().label("orders"),
        sa.func.coalesce(sa.func.sum(b.subtotal - b.discount_total), 0).label("revenue"),
        sa.func.coalesce(sa.func.sum(b.cost_total), 0).label("cost"),
        sa.func.count().filter(late).label("late"),
        sa.func.avg(hours).label("lead_hours"),
    ).select_from(per_order)


def _figures(row, pending: int | None) -> dict:
    revenue = to_money(row.revenue)
    profit = revenue - to_money(row.cost)
    margin = (profit / revenue).quantize(Decimal("0.0001"), ROUND_HALF_UP) if revenue else None
    lead = None if row.lead_hours is None else round(float(row.lead_hours), 2)
    return {
        "revenue": str(revenue),
        "orders": int(row.orders),
        "average_order_value": str(to_money(revenue / row.orders)) if row.orders else None,
        "gross_profit": str(profit),
        "margin": None if margin is None else str(margin),
        "pending_approvals": pending,
        "late_orders": int(row.late),
        "fulfilment_lead_time_hours": lead,
        "return_rate": None,
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
