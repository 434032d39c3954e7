"""Read side of returns: lists, one return with its history, what an order may still send back,
and the return-rate figures for the approver's review and the dashboard."""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa

from oms_app.core.errors import NotFound, PermissionDenied
from oms_app.core.paging import PageRequest, run_page
from oms_app.core.permissions import Actor, Permission
from oms_app.fulfillment import queries as fulfilment_queries
from oms_app.orders import returnable
from oms_app.orders.status import OrderStatus
from oms_app.returns import customer_view, rules
from oms_app.returns.models import Return, ReturnEvent, ReturnLine
from oms_app.returns.status import CAME_BACK, CLAIMING, RETURN_MACHINE, ReturnStatus

# Read-only views of other areas' tables for the aggregates (never written here).
CUSTOMERS = sa.table("customers", sa.column("id", sa.Integer), sa.column("name", sa.String))
USERS = sa.table("users", sa.column("id", sa.Integer), sa.column("customer_id", sa.Integer))
ORDERS = sa.table(
    "orders",
    sa.column("id", sa.Integer),
    sa.column("number", sa.String),
    sa.column("customer_id", sa.Integer),
    sa.column("status", sa.String),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("subtotal", sa.Numeric(18, 2)),
    sa.column("discount_total", sa.Numeric(18, 2)),
)
ORDER_LINES = sa.table(
    "order_lines",
    sa.column("id", sa.Integer),
    sa.column("quantity", sa.Integer),
    sa.column("unit_price", sa.Numeric(18, 2)),
    sa.column("discount_pct", sa.Numeric(5, 2)),
)
SHIPMENTS = sa.table(
    "shipments",
    sa.column("id", sa.Integer),
    sa.column("order_id", sa.Integer),
    sa.column("status", sa.String),
    sa.column("shipped_at", sa.DateTime(timezone=True)),
)
SHIPMENT_LINES = sa.table(
    "shipment_lines",
    sa.column("shipment_id", sa.Integer),
    sa.column("order_line_id", sa.Integer),
    sa.column("quantity", sa.Integer),
)
LEFT_WAREHOUSE = ("shipped", "delivered")  # shipment statuses whose goods are with the customer
NOT_BOOKED = (
    OrderStatus.DRAFT.value,
    OrderStatus.PENDING_APPROVAL.value,
    OrderStatus.REJECTED.value,
    OrderStatus.CANCELLED.value,
)
SORTS = {
    "created": Return.created_at,
    "number": Return.number,
    "order": Return.order_number,
    "status": Return.status,
}
RATE_PLACES = Decimal("0.0001")


def _staff(actor: Actor) -> bool:
    return actor.can(Permission.RETURN_MANAGE) or actor.can(Permission.ORDER_VIEW)


def _customer_scope(actor: Actor) -> int | None:
    """None for staff who see every return; the customer's id for a customer; else refused."""
    if _staff(actor) and actor.customer_id is None:
        return None
    if actor.customer_id is not None and actor.can(Permission.RETURN_REQUEST):
        return actor.customer_id
    raise PermissionDenied(permission=Permission.RETURN_MANAGE.value)


def _value_of_lines():
    return sa.func.coalesce(sa.func.sum(ReturnLine.quantity * ReturnLine.unit_net_price), 0)


def list_returns(
    uow, *, actor: Actor, request: PageRequest, status: str = "", order_number: str = ""
) -> dict:
    """Returns filtered by status (and order), sorted and paged in SQL; customers see theirs."""
    scope = _customer_scope(actor)
    value = (
        sa.select(_value_of_lines())
        .where(ReturnLine.return_id == Return.id)
        .scalar_subquery()
        .label("value")
    )
    stmt = sa.select(Return, CUSTOMERS.c.name, value).join(
        CUSTOMERS, CUSTOMERS.c.id == Return.customer_id
    )
    count = sa.select(Return.id)
    conditions = []
    if status in {s.value for s in ReturnStatus}:
        conditions.append(Return.status == status)
    if order_number.strip():
        conditions.append(Return.order_number == order_number.strip())
    if scope is not None:
        conditions.append(Return.customer_id == scope)
    if request.search.strip():
        like = f"%{request.search.strip()}%"
        conditions.append(sa.or_(Return.number.ilike(like), Return.order_number.ilike(like)))
    with uow:
        rows, total = run_page(
            uow.session,
            stmt.where(*conditions),
            request,
            SORTS,
            "created",
            Return.id,
            count_stmt=count.where(*conditions),
        )
        rows = [_row(r, customer, amount) for r, customer, amount in rows]
    if scope is not None:
        rows = [customer_view.row_view(r) for r in rows]
    return {"rows": rows, "total": total}


def list_order_returns(uow, *, actor: Actor, order_number: str) -> list[dict]:
    """An order's returns, newest first (for its page); an order a customer may not see is not
    found, as the order itself is not."""
    scope = _customer_scope(actor)
    with uow:
        owner = uow.session.scalar(
            sa.select(ORDERS.c.customer_id).where(ORDERS.c.number == order_number.strip())
        )
    if owner is None or (scope is not None and owner != scope):
        raise NotFound(entity="order", field="number")
    return list_returns(
        uow,
        actor=actor,
        request=PageRequest(page=1, page_size=200, sort="created", descending=True),
        order_number=order_number,
    )["rows"]


def _row(r: Return, customer: str, amount) -> dict:
    return {
        "number": r.number,
        "order_number": r.order_number,
        "customer": customer,
        "status": str(r.status),
        "reason_code": r.reason_code,
        "note": r.note,
        "requested_by": r.requested_by_name,
        "value": str(Decimal(amount or 0).quantize(Decimal("0.01"))),
        "created_at": r.created_at.isoformat(),
        "received_at": r.received_at.isoformat() if r.received_at else "",
        "actions": [str(a) for a in RETURN_MACHINE.allowed_actions(r.status)],
    }


def get_return(uow, *, actor: Actor, number: str) -> dict:
    """One return with its lines and its history (who, when, why), oldest first."""
    scope = _customer_scope(actor)
    with uow:
        row = uow.session.execute(
            sa.select(Return, CUSTOMERS.c.name)
            .join(CUSTOMERS, CUSTOMERS.c.id == Return.customer_id)
            .where(Return.number == (number or "").strip())
        ).first()
        if row is None or (scope is not None and row[0].customer_id != scope):
            raise NotFound(entity="return", field="number", value=number)
        ret, customer = row
        lines = uow.session.scalars(
            sa.select(ReturnLine).where(ReturnLine.return_id == ret.id).order_by(ReturnLine.id)
        ).all()
        history = uow.session.scalars(
            sa.select(ReturnEvent)
            .where(ReturnEvent.return_id == ret.id)
            .order_by(ReturnEvent.at, ReturnEvent.id)
        ).all()
        value = sum((ln.quantity * ln.unit_net_price for ln in lines), Decimal("0.00"))
        theirs = set(
            uow.session.scalars(
                sa.select(USERS.c.id).where(USERS.c.customer_id == ret.customer_id)
            ).all()
        )
        view = {
            **_row(ret, customer, value),
            "lines": [
                {
                    "sku": ln.sku,
                    "name": ln.name,
                    "unit": ln.unit,
                    "quantity": ln.quantity,
                    "unit_net_price": str(ln.unit_net_price),
                    "unit_cost": str(ln.unit_cost),
                }
                for ln in lines
            ],
            "history": [
                {
                    "from": h.from_status,
                    "to": h.to_status,
                    "action": h.action,
                    "actor": h.actor_name,
                    "actor_id": h.actor_id,
                    "reason": h.reason,
                    "at": h.at.isoformat(),
                }
                for h in history
            ],
        }
    return view if scope is None else customer_view.return_view(view, theirs)


def _ratio(returned, base) -> Decimal | None:
    base = Decimal(base or 0)
    if base <= 0:
        return None
    return (Decimal(returned or 0) / base).quantize(RATE_PLACES, ROUND_HALF_UP)


def _returned_value(*conditions) -> sa.Select:
    """Net value of the lines of returns whose goods came back (received or closed)."""
    return (
        sa.select(_value_of_lines())
        .select_from(ReturnLine)
        .join(Return, Return.id == ReturnLine.return_id)
        .where(Return.status.in_([s.value for s in CAME_BACK]), *conditions)
    )


def customer_return_rate(uow, customer_id: int, since: datetime) -> Decimal | None:
    """The customer's return rate of the goods shipped since `since` (the review passes 12
    months back), 4 places.

    returned value / shipped value, both of the same goods:
    - shipped value: quantity x the order line's unit net price of the lines of the customer's
      shipments shipped or delivered with `shipped_at` at or after `since`;
    - returned value: quantity x unit net price (unit price less the line discount) of the lines
      of returns received back (status received or closed) of the orders those shipments carried.
    A return counts against the shipment it came from, never against another period's, so the
    rate cannot pass 100 % (no more comes back than was shipped).
    None when nothing shipped in the window (the screen shows "no data yet").
    """
    sl, sh, ol, o = SHIPMENT_LINES, SHIPMENTS, ORDER_LINES, ORDERS
    in_window = (
        o.c.customer_id == customer_id,
        sh.c.status.in_(LEFT_WAREHOUSE),
        sh.c.shipped_at >= since,
    )
    shipped = (
        sa.select(
            sa.func.coalesce(
                sa.func.sum(
                    sa.func.round(ol.c.unit_price * (100 - ol.c.discount_pct) / 100, 2)
                    * sl.c.quantity
                ),
                0,
            )
        )
        .select_from(sl)
        .join(sh, sh.c.id == sl.c.shipment_id)
        .join(ol, ol.c.id == sl.c.order_line_id)
        .join(o, o.c.id == sh.c.order_id)
        .where(*in_window)
    )
    shipped_orders = sa.select(sh.c.order_id).join(o, o.c.id == sh.c.order_id).where(*in_window)
    returned = _returned_value(
        Return.customer_id == customer_id, Return.order_id.in_(shipped_orders)
    )
    with uow:
        row = uow.session.execute(
            sa.select(returned.scalar_subquery(), shipped.scalar_subquery())
        ).one()
    return _ratio(row[0], row[1])


def return_rate_between(uow, start_utc: datetime, end_utc: datetime) -> Decimal | None:
    """The company's return rate for a period `[start_utc, end_utc)`, 4 places (dashboard).

    returned value / net revenue, where
    - returned value: quantity x unit net price of the lines of returns received back (status
      received or closed) with `received_at` in the period, whatever order they belong to;
    - net revenue: `subtotal - discount_total` of the booked orders created in the period
      (status not draft, pending_approval, rejected or cancelled), as the dashboard's revenue.
    None when the period has no net revenue. Both sides are one SQL aggregate each.
    """
    o = ORDERS
    revenue = sa.select(sa.func.coalesce(sa.func.sum(o.c.subtotal - o.c.discount_total), 0)).where(
        o.c.created_at >= start_utc,
        o.c.created_at < end_utc,
        o.c.status.not_in(NOT_BOOKED),
    )
    returned = _returned_value(Return.received_at >= start_utc, Return.received_at < end_utc)
    with uow:
        row = uow.session.execute(
            sa.select(returned.scalar_subquery(), revenue.scalar_subquery())
        ).one()
    return _ratio(row[0], row[1])


def claimed_by_line(
    uow, *, order_id: int, statuses=CLAIMING, exclude: int | None = None
) -> dict[int, int]:
    """Quantities per order line id held by the order's returns in `statuses`."""
    rows = uow.session.execute(
        sa.select(ReturnLine.order_line_id, sa.func.sum(ReturnLine.quantity))
        .join(Return, Return.id == ReturnLine.return_id)
        .where(
            Return.order_id == order_id,
            Return.status.in_([s.value for s in statuses]),
            Return.id != (exclude or 0),
        )
        .group_by(ReturnLine.order_line_id)
    )
    return {line_id: int(qty) for line_id, qty in rows}


def allowances(uow, order: returnable.ReturnableOrder) -> dict[str, rules.LineAllowance]:
    """Per SKU of the order: what shipped and what returns not rejected or cancelled claim."""
    shipped = fulfilment_queries.shipped_quantities(uow, order_id=order.order_id)
    claimed = claimed_by_line(uow, order_id=order.order_id)
    return {
        ln.sku: rules.LineAllowance(
            shipped=sum(shipped.get(ln.order_line_id, {}).values()),
            returned=claimed.get(ln.order_line_id, 0),
        )
        for ln in order.lines
    }


def may_request(actor: Actor, order: returnable.ReturnableOrder) -> None:
    """Customers return their own orders; staff need to see orders."""
    if not actor.can(Permission.RETURN_REQUEST):
        raise PermissionDenied(permission=Permission.RETURN_REQUEST.value)
    if actor.customer_id is not None:
        allowed = actor.customer_id == order.customer_id
    else:
        allowed = actor.can(Permission.ORDER_VIEW)
    if not allowed:
        raise PermissionDenied(field="order", permission=Permission.RETURN_REQUEST.value)


def returnable_lines(uow, *, actor: Actor, order_number: str) -> dict:
    """The request form of an order: may it return goods, and per line what shipped, what
    returns claim and what may still come back."""
    with uow:
        order = returnable.returnable_order(uow, number=(order_number or "").strip())
        may_request(actor, order)
        allowed = allowances(uow, order)
        return {
            "order_number": order.number,
            "returnable": rules.is_returnable_order(order.status),
            "reasons": list(rules.REASON_CODES),
            "lines": [
                {
                    "sku": ln.sku,
                    "name": ln.name,
                    "unit": ln.unit,
                    "shipped": allowed[ln.sku].shipped,
                    "returned": allowed[ln.sku].returned,
                    "returnable": allowed[ln.sku].returnable,
                    "unit_net_price": str(ln.unit_net_price),
                }
                for ln in order.lines
            ],
        }
