"""The SQL statements of the operations report: one aggregate per family of figures.

Each statement reads one kind of fact (a submitted order, an approval, a decision, a picked or
shipped shipment, a finished pick task) anchored at one instant, names the group of each fact
with a text key "<kind>:<name>", and aggregates per key. The rules are documented in
`oms_app.analytics.operations`.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from oms_app.core.clock import business_zone

# Read-only table clauses: analytics reads other areas' tables but never imports their models.
ORDERS = sa.table(
    "orders",
    sa.column("id", sa.Integer),
    sa.column("warehouse_id", sa.Integer),
    sa.column("created_by", sa.Integer),
)
ORDER_EVENTS = sa.table(
    "order_events",
    sa.column("order_id", sa.Integer),
    sa.column("action", sa.String),
    sa.column("at", sa.DateTime(timezone=True)),
)
USER_ROLES = sa.table("user_roles", sa.column("user_id", sa.Integer), sa.column("role_code"))
APPROVAL_REQUESTS = sa.table(
    "approval_requests", sa.column("id", sa.Integer), sa.column("role", sa.String)
)
APPROVAL_EVENTS = sa.table(
    "approval_events",
    sa.column("request_id", sa.Integer),
    sa.column("order_id", sa.Integer),
    sa.column("action", sa.String),
    sa.column("at", sa.DateTime(timezone=True)),
)
SHIPMENTS = sa.table(
    "shipments",
    sa.column("id", sa.Integer),
    sa.column("order_id", sa.Integer),
    sa.column("warehouse_id", sa.Integer),
)
SHIPMENT_EVENTS = sa.table(
    "shipment_events",
    sa.column("shipment_id", sa.Integer),
    sa.column("to_status", sa.String),
    sa.column("actor_name", sa.String),
    sa.column("at", sa.DateTime(timezone=True)),
)
PICK_TASKS = sa.table(
    "pick_tasks",
    sa.column("shipment_id", sa.Integer),
    sa.column("state", sa.String),
    sa.column("picked_by", sa.String),
    sa.column("picked_at", sa.DateTime(timezone=True)),
)
WAREHOUSES = sa.table("warehouses", sa.column("id", sa.Integer), sa.column("code", sa.String))

# A rep with several roles counts in the first of these they hold.
ROLE_PRECEDENCE = (
    "sales",
    "sales_manager",
    "customer",
    "admin",
    "executive",
    "finance",
    "warehouse",
)
PERIOD_UNITS = ("day", "week", "month")


class Scope:
    """The period (UTC bounds), the grouping and the warehouse filter of one report."""

    def __init__(self, start: datetime, end: datetime, group_by: str, warehouse: str):
        self.start, self.end, self.group_by, self.warehouse = start, end, group_by, warehouse

    def within(self, at) -> sa.ColumnElement:
        return sa.and_(at >= self.start, at < self.end)

    def period_key(self, at) -> sa.ColumnElement:
        """'day:2026-03-02' (the local day, week Monday or month start), or 'all:' for totals."""
        if self.group_by not in PERIOD_UNITS:
            return sa.literal("all:")
        local = sa.func.timezone(business_zone().key, at)
        start = sa.func.to_char(sa.func.date_trunc(self.group_by, local), "YYYY-MM-DD")
        return sa.func.concat(f"{self.group_by}:", start)

    def in_warehouse(self, warehouse_id) -> sa.ColumnElement:
        if not self.warehouse:
            return sa.true()
        codes = sa.select(WAREHOUSES.c.id).where(WAREHOUSES.c.code == self.warehouse)
        return warehouse_id.in_(codes)

    @property
    def by_team(self) -> bool:
        return self.group_by == "team"


def _hours(later, earlier) -> sa.ColumnElement:
    return sa.func.extract("epoch", later - earlier) / 3600


def _duration_columns(hours) -> list:
    return [
        sa.func.count().label("n"),
        sa.func.avg(hours).label("avg_hours"),
        sa.func.percentile_cont(0.5).within_group(hours).label("median_hours"),
    ]


def first_order_event(action: str):
    """The first event of each order with this action."""
    e = ORDER_EVENTS
    return (
        sa.select(e.c.order_id, sa.func.min(e.c.at).label("at"))
        .where(e.c.action == action)
        .group_by(e.c.order_id)
        .subquery(f"first_{action}")
    )


def _rep_role():
    """Each user's role group: the first role of ROLE_PRECEDENCE they hold ('none' if no user)."""
    ur = USER_ROLES
    ranks = {role: i for i, role in enumerate(ROLE_PRECEDENCE)}
    rank = sa.case(ranks, value=ur.c.role_code, else_=len(ROLE_PRECEDENCE))
    best = sa.select(ur.c.user_id, sa.func.min(rank).label("rank")).group_by(ur.c.user_id)
    best = best.subquery("rep_rank")
    names = [(best.c.rank == i, role) for i, role in enumerate(ROLE_PRECEDENCE)]
    return best, sa.case((best.c.rank.is_(None), "none"), *names, else_="other")


def submitted_statement(scope: Scope):
    """Orders first submitted in the period, and how many of them were sent back."""
    o, submitted = ORDERS, first_order_event("submit")
    revise = ORDER_EVENTS.alias("revise")
    corrected = sa.exists().where(
        revise.c.order_id == o.c.id, revise.c.action == "revise", revise.c.at > submitted.c.at
    )
    joined = o.join(submitted, submitted.c.order_id == o.c.id)
    key = scope.period_key(submitted.c.at)
    if scope.by_team:
        ranks, role = _rep_role()
        joined = joined.outerjoin(ranks, ranks.c.user_id == o.c.created_by)
        key = sa.func.concat("sales:", role)
    facts = (
        sa.select(key.label("key"), corrected.label("corrected"))
        .select_from(joined)
        .where(scope.within(submitted.c.at), scope.in_warehouse(o.c.warehouse_id))
        .subquery("submitted_facts")
    )
    return sa.select(
        facts.c.key,
        sa.func.count().label("submitted"),
        sa.func.count().filter(facts.c.corrected).label("corrected"),
    ).group_by(facts.c.key)


def _decision_rows(scope: Scope, actions: tuple[str, ...]):
    """(order_id, key, action, at, submitted_at) per decision event in the period."""
    o, submitted = ORDERS, first_order_event("submit")
    if scope.by_team:
        e, r = APPROVAL_EVENTS, APPROVAL_REQUESTS
        source = e.join(r, r.c.id == e.c.request_id)
        key = sa.func.concat("approval:", r.c.role)
    else:
        e = ORDER_EVENTS
        source, key = e, scope.period_key(e.c.at)
    return (
        sa.select(
            e.c.order_id, key.label("key"), e.c.action, e.c.at, submitted.c.at.label("submitted_at")
        )
        .select_from(
            source.join(o, o.c.id == e.c.order_id).outerjoin(
                submitted, submitted.c.order_id == e.c.order_id
            )
        )
        .where(e.c.action.in_(actions), scope.within(e.c.at), scope.in_warehouse(o.c.warehouse_id))
        .subquery("decisions")
    )


def approval_statement(scope: Scope):
    """Hours from an order's first submit to its approval (per approving role by team)."""
    rows = _decision_rows(scope, ("approve",))
    if not scope.by_team:  # an order is approved once; keep its first approval only
        first = sa.select(rows).distinct(rows.c.order_id).order_by(rows.c.order_id, rows.c.at)
        rows = first.subquery("first_approvals")
    hours = _hours(rows.c.at, rows.c.submitted_at)
    return (
        sa.select(rows.c.key, *_duration_columns(hours))
        .where(rows.c.submitted_at.is_not(None))
        .group_by(rows.c.key)
    )


def decision_statement(scope: Scope):
    """Orders decided per group, and how many of them were rejected."""
    rows = _decision_rows(scope, ("approve", "reject"))
    per_order = (
        sa.select(
            rows.c.key,
            sa.func.bool_or(rows.c.action == "reject").label("rejected"),
        )
        .group_by(rows.c.order_id, rows.c.key)
        .subquery("decided_orders")
    )
    return sa.select(
        per_order.c.key,
        sa.func.count().label("decided"),
        sa.func.count().filter(per_order.c.rejected).label("rejected"),
    ).group_by(per_order.c.key)


def _first_shipment_event(to_status: str):
    """The first event of each shipment reaching this status, with who did it."""
    e = SHIPMENT_EVENTS
    return (
        sa.select(e.c.shipment_id, e.c.at, e.c.actor_name)
        .where(e.c.to_status == to_status)
        .distinct(e.c.shipment_id)
        .order_by(e.c.shipment_id, e.c.at)
        .subquery(f"first_{to_status}_shipment")
    )


def _stage_statement(scope: Scope, name: str, later, earlier, picked, joined):
    if scope.by_team:
        key = sa.func.concat("picker:", picked.c.actor_name)
    else:
        key = scope.period_key(later.c.at)
    hours = _hours(later.c.at, earlier.c.at)
    facts = (
        sa.select(key.label("key"), hours.label("hours"))
        .select_from(joined)
        .where(scope.within(later.c.at), scope.in_warehouse(SHIPMENTS.c.warehouse_id))
        .subquery(name)
    )
    return sa.select(facts.c.key, *_duration_columns(facts.c.hours)).group_by(facts.c.key)


def approval_to_pick_statement(scope: Scope):
    """Hours from the order's approval to each of its shipments being picked."""
    s, picked, approved = SHIPMENTS, _first_shipment_event("picked"), first_order_event("approve")
    joined = s.join(picked, picked.c.shipment_id == s.c.id).join(
        approved, approved.c.order_id == s.c.order_id
    )
    return _stage_statement(scope, "picked_facts", picked, approved, picked, joined)


def pick_to_ship_statement(scope: Scope):
    """Hours from a shipment being picked to it being shipped."""
    s, picked, shipped = (
        SHIPMENTS,
        _first_shipment_event("picked"),
        _first_shipment_event("shipped"),
    )
    joined = s.join(picked, picked.c.shipment_id == s.c.id).join(
        shipped, shipped.c.shipment_id == s.c.id
    )
    return _stage_statement(scope, "shipped_facts", shipped, picked, picked, joined)


def pick_task_statement(scope: Scope):
    """Pick tasks finished (done or short) in the period, and how many were short."""
    p, s = PICK_TASKS, SHIPMENTS
    if scope.by_team:
        key = sa.func.concat("picker:", p.c.picked_by)
    else:
        key = scope.period_key(p.c.picked_at)
    facts = (
        sa.select(key.label("key"), (p.c.state == "short").label("short"))
        .select_from(p.join(s, s.c.id == p.c.shipment_id))
        .where(
            p.c.state.in_(("done", "short")),
            scope.within(p.c.picked_at),
            scope.in_warehouse(s.c.warehouse_id),
        )
        .subquery("pick_facts")
    )
    return sa.select(
        facts.c.key,
        sa.func.count().label("pick_tasks"),
        sa.func.count().filter(facts.c.short).label("short_picks"),
    ).group_by(facts.c.key)
