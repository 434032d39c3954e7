"""Read side of orders: the filtered, sorted, paged order list and status counts."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa

from oms_app.approvals import queries as approval_queries
from oms_app.approvals import rules as approval_rules
from oms_app.core.clock import format_local
from oms_app.core.errors import NotFound, ValidationFailed
from oms_app.core.paging import PageRequest, run_page
from oms_app.core.permissions import Actor, Permission, require
from oms_app.orders.facts import EXPOSURE_STATUSES
from oms_app.orders.models import Order, OrderAnomaly, OrderEvent, OrderLine
from oms_app.orders.status import OrderStatus

SORTS = {
    "number": Order.number,
    "created": Order.created_at,
    "total": Order.grand_total,
    "status": Order.status,
}


# The customer's name for display: a read-only table clause, not the customers area's model.
CUSTOMER_TIERS = sa.table("customers", sa.column("id", sa.Integer), sa.column("tier", sa.String))
CUSTOMER_NAMES = sa.table(
    "customers",
    sa.column("id", sa.Integer),
    sa.column("code", sa.String),
    sa.column("name", sa.String),
)


def list_orders(
    uow,
    *,
    actor: Actor,
    request: PageRequest,
    status: str = "",
    customer_id: int | None = None,
    customer_code: str = "",
) -> dict:
    """Orders visible to the actor; customers see only their own."""
    if actor.can(Permission.ORDER_VIEW):
        pass
    elif actor.can(Permission.PORTAL_USE) and actor.customer_id:
        customer_id = actor.customer_id
    else:
        require(actor, Permission.ORDER_VIEW)
    if status and status not in OrderStatus.__members__.values():
        raise ValidationFailed("status", "error.choice", choices=", ".join(OrderStatus))
    customers = CUSTOMER_NAMES
    filters = []
    if status:
        filters.append(Order.status == status)
    if customer_id:
        filters.append(Order.customer_id == customer_id)
    if customer_code.strip():
        code_to_id = sa.select(CUSTOMER_NAMES.c.id).where(CUSTOMER_NAMES.c.code == customer_code)
        filters.append(Order.customer_id.in_(code_to_id.scalar_subquery()))
    if request.search.strip():
        like = f"%{request.search.strip()}%"
        filters.append(sa.or_(Order.number.ilike(like), customers.c.name.ilike(like)))
    joined = sa.select(
        Order.id,
        Order.number,
        Order.status,
        Order.grand_total,
        Order.currency,
        Order.created_at,
        Order.channel,
        customers.c.name.label("customer_name"),
    ).join(customers, customers.c.id == Order.customer_id)
    # Counting needs the customers join only when the search reads their names.
    count_stmt = (joined if request.search.strip() else sa.select(Order.id)).where(*filters)
    with uow:
        rows, total = run_page(
            uow.session,
            joined.where(*filters),
            request,
            SORTS,
            "created",
            Order.id.desc(),
            count_stmt=count_stmt,
        )
    return {
        "rows": [
            {
                "id": r.id,
                "number": r.number,
                "status": str(r.status),
                "customer": r.customer_name,
                "total": f"{r.grand_total:,.2f}",
                "currency": r.currency,
                "channel": r.channel,
                "created": format_local(r.created_at, actor.tz),
            }
            for r in rows
        ],
        "total": total,
    }


def count_by_status(uow, *, actor: Actor) -> dict[str, int]:
    require(actor, Permission.ORDER_VIEW)
    with uow:
        return {
            str(s): n
            for s, n in uow.session.execute(
                sa.select(Order.status, sa.func.count()).group_by(Order.status)
            )
        }


def list_order_history(uow, *, actor: Actor, number: str) -> list[dict]:
    """An order's transitions, oldest first, with who, when and why."""
    with uow:
        order = uow.session.scalar(sa.select(Order).where(Order.number == number))
        if order is None or not _may_see(actor, order):
            raise NotFound(entity="order", field="number", value=number)
        rows = uow.session.scalars(
            sa.select(OrderEvent)
            .where(OrderEvent.order_id == order.id)
            .order_by(OrderEvent.at, OrderEvent.id)
        ).all()
        return [
            {
                "from": r.from_status,
                "to": r.to_status,
                "action": r.action,
                "actor": r.actor_name,
                "reason": r.reason,
                "at": format_local(r.at, actor.tz),
                "at_utc": r.at.isoformat(),  # live pages format it in each viewer's zone
            }
            for r in rows
        ]


def get_order(uow, *, actor: Actor, number: str) -> dict:
    """One order with lines, anomalies, approval levels and history; customers see only theirs."""
    with uow:
        order = uow.session.scalar(sa.select(Order).where(Order.number == number))
        if order is None or not _may_see(actor, order):
            raise NotFound(entity="order", field="number", value=number)
        lines = uow.session.scalars(
            sa.select(OrderLine).where(OrderLine.order_id == order.id).order_by(OrderLine.line_no)
        ).all()
        anomalies = uow.session.scalars(
            sa.select(OrderAnomaly).where(OrderAnomaly.order_id == order.id)
        ).all()
        approvals = approval_queries.list_levels(uow, order_id=order.id, tz=actor.tz)
        customer = uow.session.execute(
            sa.select(CUSTOMER_NAMES.c.name).where(CUSTOMER_NAMES.c.id == order.customer_id)
        ).scalar_one()
        pending = next((a["role"] for a in approvals if a["status"] == "pending"), "")
        return {
            "id": order.id,
            "pending_role": pending,
            "risk_factors": _risk_factors(order, [a.code for a in anomalies], uow),
            "number": order.number,
            "status": str(order.status),
            "customer": customer,
            "customer_id": order.customer_id,
            "channel": order.channel,
            "currency": order.currency,
            "delivery_method": order.delivery_method,
            "address": {
                "province": order.ship_province,
                "city": order.ship_city,
                "district": order.ship_district,
                "street": order.ship_street,
                "receiver": order.ship_receiver,
                "phone": order.ship_phone,
            },
            "requested_date": order.requested_date.isoformat() if order.requested_date else None,
            "subtotal": str(order.subtotal),
            "discount_total": str(order.discount_total),
            "tax_total": str(order.tax_total),
            "shipping_fee": str(order.shipping_fee),
            "total": str(order.grand_total),
            "risk_score": order.risk_score,
            "notes": order.notes,
            "created": format_local(order.created_at, actor.tz),
            "lines": [
                {
                    "line_no": ln.line_no,
                    "sku": ln.sku,
                    "name": ln.name,
                    "unit": ln.unit,
                    "quantity": ln.quantity,
                    "unit_price": str(ln.unit_price),
                    "discount_pct": str(ln.discount_pct),
                    "line_total": str(ln.line_total),
                }
                for ln in lines
            ],
            "anomalies": [{"code": a.code, "params": a.params} for a in anomalies],
            "anomaly_codes": sorted(a.code for a in anomalies),
            "approvals": approvals,
        }


def _may_see(actor: Actor, order: Order) -> bool:
    if actor.can(Permission.ORDER_VIEW):
        return True
    return actor.can(Permission.PORTAL_USE) and actor.customer_id == order.customer_id


def _risk_factors(order: Order, codes: list[str], uow) -> list[dict]:
    tier = uow.session.execute(
        sa.select(CUSTOMER_TIERS.c.tier).where(CUSTOMER_TIERS.c.id == order.customer_id)
    ).scalar_one()
    net = order.subtotal - order.discount_total
    margin = (net - order.cost_total) / net * 100 if net > 0 else Decimal("0")
    _, factors = approval_rules.risk_score(frozenset(codes), tier, margin)
    return [{"factor": name, "weight": weight} for name, weight in factors]


def customer_summary(uow, *, actor: Actor, customer_id: int, now: datetime) -> dict:
    """The customer's last 12 months, for the approver's review."""
    require(actor, Permission.ORDER_VIEW)
    since = now - timedelta(days=365)
    with uow:
        row = uow.session.execute(
            sa.select(
                sa.func.count(),
                sa.func.coalesce(sa.func.avg(Order.grand_total), 0),
                sa.func.count().filter(Order.status == OrderStatus.CANCELLED),
            ).where(
                Order.customer_id == customer_id,
                Order.created_at >= since,
                Order.status != OrderStatus.DRAFT,
            )
        ).one()
        exposure = uow.session.scalar(
            sa.select(sa.func.coalesce(sa.func.sum(Order.grand_total), 0)).where(
                Order.customer_id == customer_id, Order.status.in_(EXPOSURE_STATUSES)
            )
        )
    count, average, cancelled = row
    return {
        "orders": count,
        "average": f"{Decimal(average):,.2f}",
        "cancel_rate": f"{(cancelled / count * 100) if count else 0:.1f}",
        "open_exposure": f"{Decimal(exposure):,.2f}",
    }


def order_number_of(uow, *, order_id: int) -> str:
    """The number of an order by id (events of other areas carry only the id)."""
    with uow:
        return uow.session.scalar(sa.select(Order.number).where(Order.id == order_id)) or ""
