"""Read side of approvals."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from oms_app.approvals.models import ApprovalRequest, ApprovalRule
from oms_app.approvals.queue_filters import APPROVAL_ROLES, QueueQuery
from oms_app.approvals.rules import may_decide
from oms_app.core.clock import format_local
from oms_app.core.config import get_settings
from oms_app.core.i18n import one_language
from oms_app.core.permissions import Actor, Permission, require


def list_levels(uow, *, order_id: int, tz: str) -> list[dict]:
    """Every approval level of an order, round by round."""
    with uow:
        rows = uow.session.scalars(
            sa.select(ApprovalRequest)
            .where(ApprovalRequest.order_id == order_id)
            .order_by(ApprovalRequest.round, ApprovalRequest.level_no)
        ).all()
        return level_rows(rows, tz=tz)


def level_rows(requests: list[ApprovalRequest], *, tz: str) -> list[dict]:
    """Approval levels as the order page and the API show them."""
    return [
        {
            "round": r.round,
            "level": r.level_no,
            "role": r.role,
            "status": str(r.status),
            "decided_by": r.decided_by,
            "comment": r.comment,
            "reasons": r.reasons,
            "due": format_local(r.due_at, tz),
        }
        for r in requests
    ]


# Display facts of orders and customers: read-only table clauses, not the other areas' models.
_ORDERS = sa.table(
    "orders",
    sa.column("id", sa.Integer),
    sa.column("number", sa.String),
    sa.column("grand_total", sa.Numeric),
    sa.column("risk_score", sa.Integer),
    sa.column("customer_id", sa.Integer),
    sa.column("payment_status", sa.String),
)
_CUSTOMERS = sa.table(
    "customers",
    sa.column("id", sa.Integer),
    sa.column("code", sa.String),
    sa.column("name", sa.String),
)
_ANOMALIES = sa.table(
    "order_anomalies", sa.column("order_id", sa.Integer), sa.column("code", sa.String)
)


def count_pending(uow, *, now: datetime) -> dict:
    """How many levels wait, in all and per role, and how many are past their SLA."""
    r = ApprovalRequest
    with uow:
        rows = uow.session.execute(
            sa.select(
                r.role,
                sa.func.count(),
                sa.func.count().filter(r.due_at < now),
            )
            .where(r.status == "pending")
            .group_by(r.role)
        ).all()
    by_role = {role: count for role, count, _overdue in rows}
    return {
        "total": sum(by_role.values()),
        "overdue": sum(overdue for _role, _count, overdue in rows),
        "by_role": {role: by_role.get(role, 0) for role in APPROVAL_ROLES},
    }


def _queue_roles(actor: Actor, role: str) -> list[str] | None:
    """The levels a queue shows: None for every level."""
    if role == "all" or (role == "mine" and "admin" in actor.roles):
        return None
    if role == "mine":
        return [level for level in APPROVAL_ROLES if level in actor.roles]
    return [role]


def _queue_filters(query: QueueQuery, actor: Actor, now: datetime) -> list:
    r, o, c = ApprovalRequest, _ORDERS.c, _CUSTOMERS.c
    where: list = [r.status == "pending"]
    roles = _queue_roles(actor, query.role)
    if roles is not None:
        where.append(r.role.in_(roles))
    if query.min_amount is not None:
        where.append(o.grand_total >= query.min_amount)
    if query.max_amount is not None:
        where.append(o.grand_total <= query.max_amount)
    if query.customer:
        pattern = "%" + query.customer.replace("\\", "").replace("%", "").replace("_", "") + "%"
        where.append(sa.or_(c.name.ilike(pattern), c.code.ilike(pattern)))
    if query.min_risk is not None:
        where.append(o.risk_score >= query.min_risk)
    if query.anomalies_only:
        where.append(sa.exists().where(_ANOMALIES.c.order_id == r.order_id))
    if query.overdue_only:
        where.append(r.due_at < now)
    return where


def _queue_order(query: QueueQuery) -> list:
    r, o = ApprovalRequest, _ORDERS.c
    # (column, ascending) in the natural direction of each sort; "reverse" flips them all
    natural = {
        "age": [(r.updated_at, True)],
        "amount": [(o.grand_total, False)],
        "risk": [(o.risk_score, False), (r.updated_at, True)],
        "due": [(r.due_at, True)],
    }[query.sort]
    clauses = [
        (column.asc() if ascending != query.reverse else column.desc()).nulls_last()
        for column, ascending in natural
    ]
    return [*clauses, r.id.asc()]


def list_queue(uow, *, actor: Actor, query: QueueQuery, now: datetime) -> dict:
    """One page of pending levels, filtered and sorted in SQL, with the total that matched."""
    require(actor, Permission.ORDER_APPROVE)
    r = ApprovalRequest
    where = _queue_filters(query, actor, now)
    joined = (
        sa.select(r.id)
        .join(_ORDERS, _ORDERS.c.id == r.order_id)
        .join(_CUSTOMERS, _CUSTOMERS.c.id == _ORDERS.c.customer_id)
        .where(*where)
    )
    with uow:
        total = uow.session.scalar(sa.select(sa.func.count()).select_from(joined.subquery()))
        pages = max(1, -(-total // query.page_size))
        page = min(query.page, pages)
        rows = uow.session.execute(
            joined.with_only_columns(
                r.id,
                r.order_id,
                r.role,
                r.level_no,
                r.reasons,
                r.updated_at,
                r.due_at,
                _ORDERS.c.number,
                _ORDERS.c.grand_total,
                _ORDERS.c.risk_score,
                _ORDERS.c.payment_status,
                _CUSTOMERS.c.name.label("customer"),
            )
            .order_by(*_queue_order(query))
            .offset((page - 1) * query.page_size)
            .limit(query.page_size)
        ).all()
        codes = _anomaly_codes(uow.session, [row.order_id for row in rows])
    step_up = get_settings().approval_step_up_amount
    return {
        "rows": [_queue_row(row, codes, actor, now, step_up) for row in rows],
        "total": total,
        "page": page,
        "pages": pages,
    }


def _anomaly_codes(session, order_ids: list[int]) -> dict[int, list[str]]:
    codes: dict[int, list[str]] = {}
    for order_id, code in session.execute(
        sa.select(_ANOMALIES.c.order_id, _ANOMALIES.c.code).where(
            _ANOMALIES.c.order_id.in_(order_ids)
        )
    ):
        codes.setdefault(order_id, []).append(code)
    return codes


def _queue_row(row, codes: dict, actor: Actor, now: datetime, step_up) -> dict:
    return {
        "request_id": row.id,
        "order_id": row.order_id,
        "number": row.number,
        "role": row.role,
        "level": row.level_no,
        "customer": row.customer,
        "total": f"{row.grand_total:,.2f}",
        "risk": row.risk_score or 0,
        "payment": row.payment_status or "",
        "anomalies": sorted(codes.get(row.order_id, [])),
        "reasons": [one_language(str(reason), actor.locale) for reason in row.reasons or []],
        "waiting_hours": int((now - row.updated_at).total_seconds() // 3600),
        "due": format_local(row.due_at, actor.tz, "%m-%d %H:%M"),
        "overdue": bool(row.due_at and row.due_at < now),
        "step_up": row.grand_total >= step_up,
        "can_decide": may_decide(actor.roles, row.role),
    }


def list_policy(uow, *, actor: Actor) -> list[dict]:
    """The decision table as an admin edits it."""
    require(actor, Permission.USER_ADMIN)
    with uow:
        rows = uow.session.scalars(
            sa.select(ApprovalRule).order_by(ApprovalRule.priority, ApprovalRule.id)
        ).all()
        return [
            {
                "id": r.id,
                "priority": r.priority,
                "name": r.name,
                "conditions": dict(r.conditions or {}),
                "levels": list(r.levels or []),
                "sla_hours": r.sla_hours,
                "active": r.is_active,
            }
            for r in rows
        ]
