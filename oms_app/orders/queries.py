"""Read side of orders: the filtered, sorted, paged order list and status counts."""

from __future__ import annotations

import sqlalchemy as sa

from oms_app.core.clock import format_local
from oms_app.core.errors import ValidationFailed
from oms_app.core.paging import PageRequest, run_page
from oms_app.core.permissions import Actor, Permission, require
from oms_app.orders.models import Order, OrderEvent
from oms_app.orders.status import OrderStatus

SORTS = {
    "number": Order.number,
    "created": Order.created_at,
    "total": Order.grand_total,
    "status": Order.status,
}


# The customer's name for display: a read-only table clause, not the customers area's model.
CUSTOMER_NAMES = sa.table("customers", sa.column("id", sa.Integer), sa.column("name", sa.String))


def list_orders(
    uow, *, actor: Actor, request: PageRequest, status: str = "", customer_id: int | None = None
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


def list_order_history(uow, *, actor: Actor, order_id: int) -> list[dict]:
    require(actor, Permission.ORDER_VIEW)
    with uow:
        rows = uow.session.scalars(
            sa.select(OrderEvent)
            .where(OrderEvent.order_id == order_id)
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
            }
            for r in rows
        ]
