"""How the period's orders flow: the status funnel, the hours spent in each stage, how they paid.

Orders of the period are those created on its business days (any status), narrowed by the
filter. An order reached a funnel stage when its history (`order_events.to_status`) holds one of
that stage's statuses or of any later stage, so the funnel never widens. Stage times run from the
first event of one stage to the first of the next; box statistics (quartiles by
`percentile_cont`, Tukey whiskers at 1.5 IQR) are computed in SQL.
"""

from __future__ import annotations

import sqlalchemy as sa

from oms_app.analytics.scope import (
    ORDER_EVENTS,
    ORDERS,
    DashboardFilter,
    created_between,
    narrowing,
    period_bounds,
)
from oms_app.core.permissions import Actor, Permission, require

# (stage, statuses that mark it), in the order an order moves through them.
FUNNEL_STAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("submitted", ("pending_approval",)),
    ("approved", ("approved", "allocated", "picking", "on_hold")),
    ("picked", ("packed",)),
    ("shipped", ("partially_shipped", "shipped")),
    ("delivered", ("delivered", "completed")),
)
# (stage, from the first event of, to the first event of)
STAGE_TIMES: tuple[tuple[str, str, str], ...] = (
    ("submit_to_approval", "submitted", "approved"),
    ("approval_to_ship", "approved", "shipped"),
    ("ship_to_delivery", "shipped", "delivered"),
)
FIRST_OF = {
    "submitted": ("pending_approval",),
    "approved": ("approved",),
    "shipped": ("partially_shipped", "shipped"),
    "delivered": ("delivered", "completed"),
}
PAYMENTS = sa.table(
    "payments",
    sa.column("order_id", sa.Integer),
    sa.column("method", sa.String),
    sa.column("status", sa.String),
    sa.column("amount", sa.Numeric(18, 2)),
    sa.column("succeeded_at", sa.DateTime(timezone=True)),
)
PAYMENT_METHODS = ("card", "alipay", "wechat_pay", "bank_transfer", "cod", "credit")
COUNTED_PAYMENTS = ("succeeded", "partially_refunded", "refunded")
WHISKER_IQR = 1.5


def _allowed(actor: Actor, flt: DashboardFilter) -> None:
    require(actor, Permission.DASHBOARD_VIEW)
    flt.validate()


def reached_statuses(stage: str) -> tuple[str, ...]:
    """The statuses whose event shows an order reached `stage` (it or any later stage)."""
    names = [name for name, _ in FUNNEL_STAGES]
    later = FUNNEL_STAGES[names.index(stage) :]
    return tuple(status for _, statuses in later for status in statuses)


def _per_order(flt: DashboardFilter, *aggregates):
    """One row per order of the period with aggregates over its own events; a lookup by the
    events' order_id index per order, so the cost follows the period, not the whole history."""
    o, e = ORDERS, ORDER_EVENTS
    own = sa.select(*aggregates).where(e.c.order_id == o.c.id).lateral("own_events")
    return (
        sa.select(o.c.id.label("order_id"), *own.c)
        .select_from(o.join(own, sa.true()))
        .where(*created_between(flt.date_from, flt.date_to), *narrowing(flt))
    )


def status_funnel(uow, *, actor: Actor, flt: DashboardFilter) -> list[dict]:
    """How many of the period's orders reached each stage, in stage order."""
    _allowed(actor, flt)
    rank = sa.case(
        {status: n for n, (_, statuses) in enumerate(FUNNEL_STAGES, 1) for status in statuses},
        value=ORDER_EVENTS.c.to_status,
        else_=0,
    )
    per_order = _per_order(flt, sa.func.max(rank).label("reached")).subquery("per_order")
    counts = [
        sa.func.count().filter(per_order.c.reached >= n).label(name)
        for n, (name, _) in enumerate(FUNNEL_STAGES, 1)
    ]
    with uow:
        row = uow.session.execute(sa.select(*counts).select_from(per_order)).one()
    return [{"stage": name, "orders": int(row._mapping[name])} for name, _ in FUNNEL_STAGES]


def _first_events(flt: DashboardFilter):
    e = ORDER_EVENTS
    firsts = [
        sa.func.min(e.c.at).filter(e.c.to_status.in_(statuses)).label(name)
        for name, statuses in FIRST_OF.items()
    ]
    return _per_order(flt, *firsts).cte("first_events")


def _durations(flt: DashboardFilter):
    firsts = _first_events(flt)
    parts = []
    for stage, start, end in STAGE_TIMES:
        begin, finish = firsts.c[start], firsts.c[end]
        hours = sa.cast(sa.func.extract("epoch", finish - begin) / 3600, sa.Float)
        parts.append(
            sa.select(sa.literal(stage).label("stage"), hours.label("hours")).where(
                begin.is_not(None), finish.is_not(None)
            )
        )
    return sa.union_all(*parts).cte("durations")


def stage_times(uow, *, actor: Actor, flt: DashboardFilter) -> list[dict]:
    """Box statistics of the hours in each stage: n, mean, q1, median, q3 and the whiskers."""
    _allowed(actor, flt)
    d = _durations(flt)

    def quartile(fraction: float):
        return sa.func.percentile_cont(fraction).within_group(d.c.hours)

    q = (
        sa.select(
            d.c.stage,
            sa.func.count().label("n"),
            sa.func.avg(d.c.hours).label("mean"),
            quartile(0.25).label("q1"),
            quartile(0.5).label("median"),
            quartile(0.75).label("q3"),
        )
        .group_by(d.c.stage)
        .subquery("quartiles")
    )
    reach = WHISKER_IQR * (q.c.q3 - q.c.q1)
    stmt = (
        sa.select(
            q,
            sa.func.min(d.c.hours).filter(d.c.hours >= q.c.q1 - reach).label("lowerfence"),
            sa.func.max(d.c.hours).filter(d.c.hours <= q.c.q3 + reach).label("upperfence"),
        )
        .select_from(q.join(d, d.c.stage == q.c.stage))
        .group_by(*q.c)
    )
    with uow:
        found = {r.stage: r._asdict() for r in uow.session.execute(stmt)}
    return [found[stage] for stage, _, _ in STAGE_TIMES if stage in found]


def payments_table_exists(session) -> bool:
    """Whether the payments table has been created yet."""
    return session.scalar(sa.text("SELECT to_regclass('payments')")) is not None


def payment_mix(uow, *, actor: Actor, flt: DashboardFilter) -> list[dict]:
    """Amount and count of payments per method that succeeded on the period's days (even if
    refunded since), of the filter's orders; no rows while the payments table does not exist."""
    _allowed(actor, flt)
    p, o = PAYMENTS, ORDERS
    start, end = period_bounds(flt.date_from, flt.date_to)
    amount = sa.func.sum(p.c.amount).label("amount")
    stmt = (
        sa.select(p.c.method, amount, sa.func.count().label("payments"))
        .select_from(p.join(o, o.c.id == p.c.order_id))
        .where(
            p.c.status.in_(COUNTED_PAYMENTS),
            p.c.succeeded_at >= start,
            p.c.succeeded_at < end,
            *narrowing(flt),
        )
        .group_by(p.c.method)
        .order_by(amount.desc(), p.c.method)
    )
    with uow:
        if not payments_table_exists(uow.session):
            return []
        return [r._asdict() for r in uow.session.execute(stmt)]
