"""Daily rollups of booked orders: how they are computed, kept current, rebuilt and read.

One SQL aggregate (`sales_rows` / `category_rows`) defines a day's rows. Keeping them current
is rewriting whole days with it: the days of the orders an event names (`refresh_orders`, run
by the rollup pump after commit), any span of days (`refresh_days`) or all of history
(`rebuild`, the `rebuild-rollups` command). So a refreshed day always equals a full recompute.

Readers (`sales_source`) take stored rows for the days before today and the same aggregate
computed from the orders for today onwards: today's orders are few and change by the second,
so the live dashboard never waits for the pump. Past days an event touched (an old order
shipped late) catch up when the pump rewrites them and announces `analytics.rollups_refreshed`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta

import sqlalchemy as sa

from oms_app.analytics.events import RollupsRefreshed
from oms_app.analytics.models import SalesDaily, SalesDailyCategory
from oms_app.analytics.scope import (
    CATEGORIES,
    NOT_BOOKED,
    ORDER_EVENTS,
    ORDER_LINES,
    ORDERS,
    PRODUCTS,
    USERS,
    WAREHOUSES,
    DashboardFilter,
    created_between,
    line_revenue,
    local_day,
    net_revenue,
)
from oms_app.core.clock import business_zone, utcnow

SALES = SalesDaily.__table__
BY_CATEGORY = SalesDailyCategory.__table__
KEYS = ("day", "warehouse_id", "channel", "rep_id", "open_due")
MEASURES = ("orders", "revenue", "cost", "shipped_late", "lead_orders", "lead_seconds")
# Rewrites take this transaction-level lock, so two pumps never rewrite a day at once (a
# concurrent delete cannot see the other's fresh rows and both inserts would stay).
REWRITE_LOCK = 0x5A1E5_D41
REBUILD_CHUNK_DAYS = 31

Progress = Callable[[int, int], None]


def business_today() -> date:
    return utcnow().astimezone(business_zone()).date()


def _first_event_at(to_status: str):
    """The order's first event to `to_status` (an index lookup per order)."""
    e = ORDER_EVENTS
    return (
        sa.select(sa.func.min(e.c.at))
        .where(e.c.order_id == ORDERS.c.id, e.c.to_status == to_status)
        .scalar_subquery()
    )


def _booked_orders(first: date, last: date):
    """One row per booked order created on the business days [first, last]."""
    o = ORDERS
    return (
        sa.select(
            o.c.id.label("order_id"),
            local_day(o.c.created_at).label("day"),
            o.c.warehouse_id,
            o.c.channel,
            o.c.created_by.label("rep_id"),
            o.c.requested_date,
            net_revenue().label("revenue"),
            o.c.cost_total.label("cost"),
            _first_event_at("approved").label("approved_at"),
            _first_event_at("shipped").label("shipped_at"),
        )
        .where(o.c.status.not_in(NOT_BOOKED), *created_between(first, last))
        .cte("booked_orders")
    )


def _keys(b) -> list:
    open_due = sa.case((b.c.shipped_at.is_(None), b.c.requested_date), else_=None)
    return [b.c.day, b.c.warehouse_id, b.c.channel, b.c.rep_id, open_due.label("open_due")]


def _measures(b) -> list:
    late = sa.and_(
        b.c.shipped_at.is_not(None),
        b.c.requested_date.is_not(None),
        local_day(b.c.shipped_at) > b.c.requested_date,
    )
    lead = sa.func.extract("epoch", b.c.shipped_at - b.c.approved_at)
    return [
        sa.func.count().label("orders"),
        sa.func.coalesce(sa.func.sum(b.c.revenue), 0).label("revenue"),
        sa.func.coalesce(sa.func.sum(b.c.cost), 0).label("cost"),
        sa.func.count().filter(late).label("shipped_late"),
        sa.func.count(lead).label("lead_orders"),
        sa.func.coalesce(sa.func.sum(lead), 0).label("lead_seconds"),
    ]


def sales_rows(first: date, last: date) -> sa.Select:
    """The `sales_daily` rows of the business days [first, last], computed from the orders."""
    b = _booked_orders(first, last)
    keys = _keys(b)
    return sa.select(*keys, *_measures(b)).group_by(*keys)


def category_rows(first: date, last: date) -> sa.Select:
    """The `sales_daily_category` rows of [first, last], computed from the orders and lines."""
    b = _booked_orders(first, last)
    lines = ORDER_LINES
    per_category = (
        sa.select(
            lines.c.order_id,
            PRODUCTS.c.category_id,
            sa.func.sum(line_revenue()).label("line_revenue"),
        )
        .select_from(
            b.join(lines, lines.c.order_id == b.c.order_id).join(
                PRODUCTS, PRODUCTS.c.id == lines.c.product_id
            )
        )
        .where(PRODUCTS.c.category_id.is_not(None))
        .group_by(lines.c.order_id, PRODUCTS.c.category_id)
        .subquery("order_categories")
    )
    keys = [*_keys(b), per_category.c.category_id]
    return (
        sa.select(
            *keys, *_measures(b), sa.func.sum(per_category.c.line_revenue).label("line_revenue")
        )
        .select_from(b.join(per_category, per_category.c.order_id == b.c.order_id))
        .group_by(*keys)
    )


def _spans(days: Iterable[date]) -> list[tuple[date, date]]:
    """Consecutive runs of the given days, as (first, last)."""
    spans: list[tuple[date, date]] = []
    for day in sorted(set(days)):
        if spans and day == spans[-1][1] + timedelta(days=1):
            spans[-1] = (spans[-1][0], day)
        else:
            spans.append((day, day))
    return spans


def _rewrite(session, first: date, last: date) -> int:
    written = 0
    for table, rows in ((SALES, sales_rows), (BY_CATEGORY, category_rows)):
        session.execute(sa.delete(table).where(table.c.day.between(first, last)))
        select = rows(first, last)
        columns = [c.name for c in select.selected_columns]
        session.execute(sa.insert(table).from_select(columns, select))
        # (the driver reports no row count for a WITH ... INSERT)
        in_span = table.c.day.between(first, last)
        written += session.scalar(sa.select(sa.func.count()).select_from(table).where(in_span))
    return written


def refresh_days(uow, days: Iterable[date]) -> int:
    """Rewrite the rollup rows of these business days in one transaction; rows written."""
    return _refresh_spans(uow, _spans(days))


def _refresh_spans(uow, spans: list[tuple[date, date]]) -> int:
    if not spans:
        return 0
    with uow:
        session = uow.session
        session.execute(sa.select(sa.func.pg_advisory_xact_lock(REWRITE_LOCK)))
        written = sum(_rewrite(session, first, last) for first, last in spans)
        days = sum((last - first).days + 1 for first, last in spans)
        uow.add_event(RollupsRefreshed(first=spans[0][0], last=spans[-1][1], days=days))
        uow.commit()
    return written


def days_of_orders(uow, order_ids: Iterable[int]) -> list[date]:
    """The business days the given orders were created on."""
    ids = sorted(set(order_ids))
    if not ids:
        return []
    day = local_day(ORDERS.c.created_at)
    with uow:
        return list(uow.session.scalars(sa.select(day).where(ORDERS.c.id.in_(ids)).distinct()))


def refresh_orders(uow, order_ids: Iterable[int]) -> int:
    """Rewrite the days of these orders: what an order event may have changed."""
    return refresh_days(uow, days_of_orders(uow, order_ids))


def order_day_range(uow) -> tuple[date, date] | None:
    """The first and last business day holding an order, or None without orders."""
    day = local_day(ORDERS.c.created_at)
    with uow:
        first, last = uow.session.execute(sa.select(sa.func.min(day), sa.func.max(day))).one()
    return None if first is None else (first, last)


def rebuild(
    uow, *, first: date | None = None, last: date | None = None, progress: Progress | None = None
) -> int:
    """Recompute the rollups of [first, last] (default: all history) a month per transaction.

    Without bounds, rows of days outside the orders' range go too (their orders are gone).
    Readers see each month switch whole; the dashboard stays usable while it runs.
    """
    whole = order_day_range(uow)
    if first is None and last is None:
        _drop_outside(uow, whole)
    if whole is None and (first is None or last is None):
        return 0
    first = first or whole[0]
    last = last or whole[1]
    chunks = []
    start = first
    while start <= last:
        end = min(start + timedelta(days=REBUILD_CHUNK_DAYS - 1), last)
        chunks.append((start, end))
        start = end + timedelta(days=1)
    written = 0
    for done, (start, end) in enumerate(chunks, 1):
        written += _refresh_spans(uow, [(start, end)])
        if progress:
            progress(done, len(chunks))
    return written


def build_if_missing(uow) -> int:
    """Build the rollups of a database that has booked orders but no rollup rows yet (one just
    upgraded to them, or loaded without them); rows written."""
    booked = sa.select(ORDERS.c.id).where(ORDERS.c.status.not_in(NOT_BOOKED)).limit(1)
    with uow:
        has_rows = uow.session.scalar(sa.select(sa.exists(sa.select(SALES.c.id))))
        has_orders = uow.session.scalar(sa.select(sa.exists(booked)))
    return 0 if has_rows or not has_orders else rebuild(uow)


def _drop_outside(uow, whole: tuple[date, date] | None) -> None:
    with uow:
        for table in (SALES, BY_CATEGORY):
            stmt = sa.delete(table)
            if whole is not None:
                stmt = stmt.where(sa.not_(table.c.day.between(*whole)))
            uow.session.execute(stmt)
        uow.commit()


# -- reading --------------------------------------------------------------------------------


def _narrowing(columns, flt: DashboardFilter, *, by_category: bool) -> list:
    """The filter's warehouse, channel, rep (and category) as WHERE clauses on rollup columns."""
    where = []
    if flt.warehouse:
        ids = sa.select(WAREHOUSES.c.id).where(WAREHOUSES.c.code == flt.warehouse)
        where.append(columns.warehouse_id.in_(ids.scalar_subquery()))
    if flt.channel:
        where.append(columns.channel == flt.channel)
    if rep := flt.rep.strip().lower():  # usernames are stored lower-case
        ids = sa.select(USERS.c.id).where(USERS.c.username == rep)
        where.append(columns.rep_id.in_(ids.scalar_subquery()))
    if by_category and flt.category:
        ids = sa.select(CATEGORIES.c.id).where(CATEGORIES.c.code == flt.category)
        where.append(columns.category_id.in_(ids.scalar_subquery()))
    return where


def sales_source(
    flt: DashboardFilter,
    first: date,
    last: date,
    *,
    today: date | None = None,
    by_category: bool | None = None,
):
    """Rollup rows of [first, last] narrowed by the filter, as a subquery named "sales".

    Stored rows before `today`, computed ones from `today` on. `by_category` (default: whether
    the filter names a category) reads the per-category rows, which also carry `category_id`
    and `line_revenue`.
    """
    today = today or business_today()
    if by_category is None:
        by_category = bool(flt.category)
    table, rows = (BY_CATEGORY, category_rows) if by_category else (SALES, sales_rows)
    columns = [*KEYS, *MEASURES, *(("category_id", "line_revenue") if by_category else ())]
    parts = []
    stored_last = min(last, today - timedelta(days=1))
    if first <= stored_last:
        parts.append(
            sa.select(*(table.c[name] for name in columns)).where(
                table.c.day.between(first, stored_last),
                *_narrowing(table.c, flt, by_category=by_category),
            )
        )
    live_first = max(first, today)
    if live_first <= last or not parts:
        live = rows(live_first, last).subquery("live_rows")
        parts.append(
            sa.select(*(live.c[name] for name in columns)).where(
                *_narrowing(live.c, flt, by_category=by_category)
            )
        )
    return (parts[0] if len(parts) == 1 else sa.union_all(*parts)).subquery("sales")
