"""Executive KPI figures for a period of business days, all aggregated in SQL.

Days are business days in the company's zone (`business_zone()`, Asia/Shanghai): the period
`[date_from, date_to]` is `[date_from 00:00 local, date_to + 1 day 00:00 local)` in UTC, compared
with `orders.created_at`. The warehouse filter matches `orders.warehouse_id` by warehouse code.

- booked orders: created in the period, status not draft, pending_approval, rejected or cancelled.
- revenue: sum of `subtotal - discount_total` over booked orders (net of VAT and shipping).
- orders: the number of booked orders; average order value: revenue / orders (None when 0).
- gross profit: revenue - sum of `cost_total`; margin: gross profit / revenue, 4 places
  (None when revenue is 0).
- pending approvals: orders pending approval right now, company-wide (a point-in-time count: it
  ignores the period and the warehouse, as orders get a warehouse only once allocated); None for
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

from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa

from oms_app.core.clock import business_zone, utcnow
from oms_app.core.errors import ValidationFailed
from oms_app.core.money import to_money
from oms_app.core.permissions import Actor, Permission, require

MAX_PERIOD_DAYS = 366
NOT_BOOKED = ("draft", "pending_approval", "rejected", "cancelled")
NO_DATA = ["return_rate", "satisfaction"]

# Read-only table clauses: analytics reads other areas' tables but never imports their models.
ORDERS = sa.table(
    "orders",
    sa.column("id", sa.Integer),
    sa.column("status", sa.String),
    sa.column("warehouse_id", sa.Integer),
    sa.column("subtotal", sa.Numeric(18, 2)),
    sa.column("discount_total", sa.Numeric(18, 2)),
    sa.column("cost_total", sa.Numeric(18, 2)),
    sa.column("requested_date", sa.Date),
    sa.column("created_at", sa.DateTime(timezone=True)),
)
ORDER_EVENTS = sa.table(
    "order_events",
    sa.column("order_id", sa.Integer),
    sa.column("to_status", sa.String),
    sa.column("at", sa.DateTime(timezone=True)),
)
WAREHOUSES = sa.table("warehouses", sa.column("id", sa.Integer), sa.column("code", sa.String))


def validate_period(date_from: date, date_to: date) -> None:
    """Refuse a reversed period or one longer than MAX_PERIOD_DAYS days."""
    if date_from > date_to:
        raise ValidationFailed("to", "error.period.invalid")
    if (date_to - date_from).days + 1 > MAX_PERIOD_DAYS:
        raise ValidationFailed("from", "error.period.too_long", max=MAX_PERIOD_DAYS)


def previous_period(date_from: date, date_to: date) -> tuple[date, date]:
    """The period of the same length just before."""
    length = (date_to - date_from).days + 1
    return date_from - timedelta(days=length), date_from - timedelta(days=1)


def year_before(day: date) -> date:
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


def _first_event(to_status: str):
    e = ORDER_EVENTS
    return (
        sa.select(e.c.order_id, sa.func.min(e.c.at).label("at"))
        .where(e.c.to_status == to_status)
        .group_by(e.c.order_id)
        .subquery(f"first_{to_status}")
    )


def _period_statement(date_from: date, date_to: date, warehouse: str, today: date):
    o = ORDERS
    approved, shipped = _first_event("approved"), _first_event("shipped")
    ship_day = sa.cast(sa.func.timezone(business_zone().key, shipped.c.at), sa.Date)
    late = sa.and_(
        o.c.requested_date.is_not(None),
        sa.or_(
            sa.and_(shipped.c.at.is_(None), o.c.requested_date < today),
            ship_day > o.c.requested_date,
        ),
    )
    hours = sa.func.extract("epoch", shipped.c.at - approved.c.at) / 3600
    start, end = period_bounds(date_from, date_to)
    stmt = (
        sa.select(
            sa.func.count(o.c.id).label("orders"),
            sa.func.coalesce(sa.func.sum(o.c.subtotal - o.c.discount_total), 0).label("revenue"),
            sa.func.coalesce(sa.func.sum(o.c.cost_total), 0).label("cost"),
            sa.func.count(o.c.id).filter(late).label("late"),
            sa.func.avg(hours).label("lead_hours"),
        )
        .select_from(
            o.outerjoin(approved, approved.c.order_id == o.c.id).outerjoin(
                shipped, shipped.c.order_id == o.c.id
            )
        )
        .where(o.c.status.not_in(NOT_BOOKED), o.c.created_at >= start, o.c.created_at < end)
    )
    if warehouse:
        stmt = stmt.where(
            o.c.warehouse_id.in_(sa.select(WAREHOUSES.c.id).where(WAREHOUSES.c.code == warehouse))
        )
    return stmt


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
    today: date | None = None,
) -> dict:
    """KPI figures of a period, the period just before and the same period a year earlier."""
    require(actor, Permission.DASHBOARD_VIEW)
    validate_period(date_from, date_to)
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
            name: uow.session.execute(_period_statement(*span, warehouse, today)).one()
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
