"""Processing efficiency and error rates of a period, by team or by period, all aggregated in SQL.

Days are business days in the company's zone (Asia/Shanghai): the period `[date_from, date_to]`
is `[date_from 00:00 local, date_to + 1 day 00:00 local)` in UTC. Each figure counts the work
finished in the period, anchored at the instant that finishes it:

- submitted / corrected: orders whose first `submit` event falls in the period; corrected are
  those with a later `revise` event (sent back to draft for correction, which today follows every
  rejection). correction rate = corrected / submitted.
- submit -> approval: hours from the order's first `submit` to its `approve` event (the final
  approval), anchored at the approval.
- decided / rejected: orders with an `approve` or `reject` decision in the period; rejected are
  those with a `reject` among them. rejection rate = rejected / decided.
- approval -> pick: hours from the order's approval to each of its shipments' first `picked`
  event, anchored at the pick; pick -> ship: hours from that pick to the shipment's first `shipped`
  event, anchored at the shipment.
- pick tasks / short picks: pick tasks finished (`done` or `short`) in the period by `picked_at`;
  short-pick rate = short / finished (open and cancelled tasks are not counted).
- durations: count, average and median (percentile_cont 0.5) in hours, rounded to 2 places;
  rates are strings with 4 places, None when the denominator is 0.
- satisfaction: None and listed under `no_data` (there is no feedback yet).

Groups (`group_by`): "day", "week" (ISO, from Monday) or "month" groups every figure by the local
period its anchor falls in. "team" groups each figure by the team that did the work:
- sales:<role>: submitted and correction figures, by the rep's (the order's creator's) role
  group, the first of ROLE_PRECEDENCE the user holds ("none" without a creator or roles);
- approval:<role>: decisions and submit -> approval, by the role of the approval level decided
  (approval_events joined to approval_requests); here each level's approval counts, with hours
  from the order's first submit to that level's approval, and an order counts as rejected by a
  role if that role refused it;
- picker:<username>: approval -> pick and pick -> ship by who finished picking the shipment (the
  actor of its first `picked` event), pick tasks by `picked_by`.
`total` has the company-wide figures of the whole period (by order, as for period groups).

The warehouse filter matches the order's warehouse for order-side figures (orders get one when
allocated, so unallocated orders drop out) and the shipment's warehouse for warehouse figures.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from oms_app.analytics import operations_sql as q
from oms_app.analytics.kpis import period_bounds, validate_period
from oms_app.core.errors import ValidationFailed
from oms_app.core.permissions import Actor, Permission, require

GROUPINGS = ("team", *q.PERIOD_UNITS)
STAGES = ("submit_to_approval", "approval_to_pick", "pick_to_ship")
NO_DATA = ["satisfaction"]
# Teams appear in the order work flows through them.
TEAM_ORDER = {"sales": 0, "approval": 1, "picker": 2}


def _rate(part: int, whole: int) -> str | None:
    if not whole:
        return None
    return str((Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), ROUND_HALF_UP))


def _hours(value) -> float | None:
    return None if value is None else round(float(value), 2)


def _empty_row(key: str) -> dict:
    kind, _, name = key.partition(":")
    row = {"key": key, "kind": kind, "name": name}
    row.update(submitted=0, corrected=0, decided=0, rejected=0, pick_tasks=0, short_picks=0)
    row.update({s: {"count": 0, "avg_hours": None, "median_hours": None} for s in STAGES})
    return row


def _finish(row: dict) -> dict:
    row["correction_rate"] = _rate(row["corrected"], row["submitted"])
    row["rejection_rate"] = _rate(row["rejected"], row["decided"])
    row["short_pick_rate"] = _rate(row["short_picks"], row["pick_tasks"])
    return row


def _collect(session, scope: q.Scope) -> dict[str, dict]:
    """Run each family's aggregate and merge the answers into one row per group key."""
    rows: dict[str, dict] = {}

    def row_of(key: str) -> dict:
        return rows.setdefault(key, _empty_row(key))

    counts = (q.submitted_statement, q.decision_statement, q.pick_task_statement)
    for statement in counts:
        for found in session.execute(statement(scope)).mappings():
            row_of(found["key"]).update({k: int(v) for k, v in found.items() if k != "key"})
    stages = zip(
        STAGES,
        (q.approval_statement, q.approval_to_pick_statement, q.pick_to_ship_statement),
        strict=True,
    )
    for stage, statement in stages:
        for found in session.execute(statement(scope)):
            row_of(found.key)[stage] = {
                "count": int(found.n),
                "avg_hours": _hours(found.avg_hours),
                "median_hours": _hours(found.median_hours),
            }
    return rows


def _sort_key(row: dict) -> tuple:
    return (TEAM_ORDER.get(row["kind"], 9), row["name"])


def compute_operations(
    uow,
    *,
    actor: Actor,
    date_from: date,
    date_to: date,
    group_by: str = "team",
    warehouse: str | None = None,
) -> dict:
    """Stage durations and error rates of a period, one row per team or per local period."""
    require(actor, Permission.DASHBOARD_VIEW)
    validate_period(date_from, date_to)
    if group_by not in GROUPINGS:
        raise ValidationFailed("group_by", "error.operations.group_by", value=group_by)
    warehouse = (warehouse or "").strip()
    start, end = period_bounds(date_from, date_to)
    with uow:
        groups = _collect(uow.session, q.Scope(start, end, group_by, warehouse))
        total = _collect(uow.session, q.Scope(start, end, "all", warehouse))
    return {
        "period": {"from": date_from.isoformat(), "to": date_to.isoformat()},
        "group_by": group_by,
        "warehouse": warehouse,
        "rows": [_finish(row) for row in sorted(groups.values(), key=_sort_key)],
        "total": _finish(total.get("all:", _empty_row("all:"))),
        "satisfaction": None,
        "no_data": list(NO_DATA),
    }
