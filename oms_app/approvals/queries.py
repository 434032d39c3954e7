"""Read side of approvals."""

from __future__ import annotations

import sqlalchemy as sa

from oms_app.approvals.models import ApprovalRequest, ApprovalRule
from oms_app.core.clock import format_local
from oms_app.core.permissions import Actor, Permission, require


def list_levels(uow, *, order_id: int, tz: str) -> list[dict]:
    """Every approval level of an order, round by round."""
    with uow:
        rows = uow.session.scalars(
            sa.select(ApprovalRequest)
            .where(ApprovalRequest.order_id == order_id)
            .order_by(ApprovalRequest.round, ApprovalRequest.level_no)
        ).all()
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
            for r in rows
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
_CUSTOMERS = sa.table("customers", sa.column("id", sa.Integer), sa.column("name", sa.String))
_ANOMALIES = sa.table(
    "order_anomalies", sa.column("order_id", sa.Integer), sa.column("code", sa.String)
)


def list_board(uow, *, now) -> list[dict]:
    """Every pending level as a card: the same rows for every viewer (no per-user data)."""
    r = ApprovalRequest
    with uow:
        rows = uow.session.execute(
            sa.select(
                r.id,
                r.order_id,
                r.role,
                r.level_no,
                r.created_at,
                r.updated_at,
                r.due_at,
                r.escalated_at,
                _ORDERS.c.number,
                _ORDERS.c.grand_total,
                _ORDERS.c.risk_score,
                _ORDERS.c.payment_status,
                _CUSTOMERS.c.name.label("customer"),
            )
            .join(_ORDERS, _ORDERS.c.id == r.order_id)
            .join(_CUSTOMERS, _CUSTOMERS.c.id == _ORDERS.c.customer_id)
            .where(r.status == "pending")
            .order_by(r.due_at, r.id)
            .limit(300)
        ).all()
        codes: dict[int, list[str]] = {}
        for order_id, code in uow.session.execute(
            sa.select(_ANOMALIES.c.order_id, _ANOMALIES.c.code).where(
                _ANOMALIES.c.order_id.in_([row.order_id for row in rows])
            )
        ):
            codes.setdefault(order_id, []).append(code)
    return [
        {
            "request_id": row.id,
            "order_id": row.order_id,
            "number": row.number,
            "role": row.role,
            "level": row.level_no,
            "customer": row.customer,
            "total": f"{row.grand_total:,.2f}",
            "risk": row.risk_score,
            "payment": row.payment_status,
            "anomalies": sorted(codes.get(row.order_id, [])),
            "waiting_hours": int((now - row.updated_at).total_seconds() // 3600),
            "overdue": bool(row.due_at and row.due_at < now),
        }
        for row in rows
    ]


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
