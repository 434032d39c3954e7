"""Read side of orders: the filtered, sorted, paged order list, its export and status counts."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from oms_app.approvals import queries as approval_queries
from oms_app.approvals import rules as approval_rules
from oms_app.core.clock import format_local
from oms_app.core.errors import NotFound, ValidationFailed
from oms_app.core.paging import PageRequest, run_page
from oms_app.core.permissions import Actor, Permission, require, sees_customer_view
from oms_app.orders import customer_view
from oms_app.orders.facts import EXPOSURE_STATUSES
from oms_app.orders.models import Order, OrderAnomaly, OrderEvent, OrderLine
from oms_app.orders.rules import CHANNELS
from oms_app.orders.status import OrderStatus

SORTS = {
    "number": Order.number,
    "created": Order.created_at,
    "total": Order.grand_total,
    "status": Order.status,
    "payment": Order.payment_status,
}
EXPORT_LIMIT = 50_000


# The customer's name for display: a read-only table clause, not the customers area's model.
CUSTOMER_TIERS = sa.table("customers", sa.column("id", sa.Integer), sa.column("tier", sa.String))
CUSTOMER_NAMES = sa.table(
    "customers",
    sa.column("id", sa.Integer),
    sa.column("code", sa.String),
    sa.column("name", sa.String),
)
# The rep who entered the order: a read-only table clause, not the accounts area's model.
USERS = sa.table(
    "users",
    sa.column("id", sa.Integer),
    sa.column("username", sa.String),
    sa.column("customer_id", sa.Integer),
)
# For the category and warehouse filters: read-only clauses of the catalog and inventory tables.
CATALOG_PRODUCTS = sa.table(
    "products",
    sa.column("id", sa.Integer),
    sa.column("sku", sa.String),
    sa.column("category_id", sa.Integer),
)
CATEGORY_CODES = sa.table("categories", sa.column("id", sa.Integer), sa.column("code", sa.String))
WAREHOUSE_CODES = sa.table("warehouses", sa.column("id", sa.Integer), sa.column("code", sa.String))
# Statuses an order is not yet (or no longer) booked in: as the dashboard counts sales.
NOT_BOOKED = (
    OrderStatus.DRAFT,
    OrderStatus.PENDING_APPROVAL,
    OrderStatus.REJECTED,
    OrderStatus.CANCELLED,
)


# The order's derived payment status (the payments area keeps orders.payment_status).
PAYMENT_STATUSES = ("unpaid", "partially_paid", "paid", "refunded")


@dataclass(frozen=True)
class OrderFilter:
    """What the order list is narrowed to; empty fields do not narrow it."""

    status: str = ""
    customer_id: int | None = None
    customer_code: str = ""
    created_by: int | None = None  # the rep's user id
    rep: str = ""  # the rep's username
    created_from: date | None = None  # a day in the actor's zone, inclusive
    created_to: date | None = None  # a day in the actor's zone, inclusive
    min_total: Decimal | None = None
    max_total: Decimal | None = None
    anomaly: str = ""  # one of approval_rules.ANOMALY_CODES
    search: str = ""  # order number or customer name, in part
    channel: str = ""  # one of rules.CHANNELS
    province: str = ""  # the shipping province, exactly
    sku: str = ""  # orders with a line of this product
    category: str = ""  # orders with a line of a product of this category (code)
    warehouse: str = ""  # the fulfilling warehouse (code)
    reached: tuple[str, ...] = ()  # orders whose history reached any of these statuses
    booked: bool = False  # only orders past approval and not cancelled, as sales are counted
    payment_status: str = ""  # unpaid, partially_paid, paid, refunded


def _visible(actor: Actor, flt: OrderFilter) -> OrderFilter:
    """The filter narrowed to what the actor may see; customers see only their own orders."""
    if actor.can(Permission.ORDER_VIEW):
        return flt
    if actor.can(Permission.PORTAL_USE) and actor.customer_id:
        return replace(flt, customer_id=actor.customer_id)
    require(actor, Permission.ORDER_VIEW)
    return flt


def _validate(flt: OrderFilter) -> None:
    if flt.status and flt.status not in OrderStatus.__members__.values():
        raise ValidationFailed("status", "error.choice", choices=", ".join(OrderStatus))
    if flt.anomaly and flt.anomaly not in approval_rules.ANOMALY_CODES:
        choices = ", ".join(approval_rules.ANOMALY_CODES)
        raise ValidationFailed("anomaly", "error.choice", choices=choices)
    if None not in (flt.min_total, flt.max_total) and flt.min_total > flt.max_total:
        raise ValidationFailed("max_total", "error.number.min", min=f"{flt.min_total:.2f}")
    if flt.created_from and flt.created_to and flt.created_from > flt.created_to:
        raise ValidationFailed("created_to", "error.date.order", start=flt.created_from.isoformat())
    if flt.payment_status and flt.payment_status not in PAYMENT_STATUSES:
        raise ValidationFailed(
            "payment_status", "error.choice", choices=", ".join(PAYMENT_STATUSES)
        )
    if flt.channel and flt.channel not in CHANNELS:
        raise ValidationFailed("channel", "error.choice", choices=", ".join(CHANNELS))
    if any(status not in OrderStatus.__members__.values() for status in flt.reached):
        raise ValidationFailed("status", "error.choice", choices=", ".join(OrderStatus))


def _utc_start(day: date, tz: str) -> datetime:
    """The UTC moment a local day begins in the zone `tz`."""
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def _conditions(flt: OrderFilter, tz: str) -> list:
    """WHERE clauses of a valid filter; the search needs the customers join."""
    _validate(flt)
    where: list = []
    if flt.status:
        where.append(Order.status == flt.status)
    if flt.payment_status:
        where.append(Order.payment_status == flt.payment_status)
    if flt.customer_id:
        where.append(Order.customer_id == flt.customer_id)
    if code := flt.customer_code.strip():
        ids = sa.select(CUSTOMER_NAMES.c.id).where(CUSTOMER_NAMES.c.code == code)
        where.append(Order.customer_id.in_(ids.scalar_subquery()))
    if flt.created_by is not None:
        where.append(Order.created_by == flt.created_by)
    if rep := flt.rep.strip().lower():  # usernames are stored lower-case
        ids = sa.select(USERS.c.id).where(USERS.c.username == rep)
        where.append(Order.created_by.in_(ids.scalar_subquery()))
    if flt.created_from:
        where.append(Order.created_at >= _utc_start(flt.created_from, tz))
    if flt.created_to:
        where.append(Order.created_at < _utc_start(flt.created_to + timedelta(days=1), tz))
    if flt.min_total is not None:
        where.append(Order.grand_total >= flt.min_total)
    if flt.max_total is not None:
        where.append(Order.grand_total <= flt.max_total)
    if flt.anomaly:
        found = sa.exists().where(
            OrderAnomaly.order_id == Order.id, OrderAnomaly.code == flt.anomaly
        )
        where.append(found)
    if text := flt.search.strip():
        like = f"%{text}%"
        where.append(sa.or_(Order.number.ilike(like), CUSTOMER_NAMES.c.name.ilike(like)))
    return where + _sales_conditions(flt)


def _sales_conditions(flt: OrderFilter) -> list:
    """The dashboard's drill-down filters: channel, province, product, category, warehouse."""
    where: list = []
    if flt.channel:
        where.append(Order.channel == flt.channel)
    if province := flt.province.strip():
        where.append(Order.ship_province == province)
    products = sa.select(CATALOG_PRODUCTS.c.id)
    if sku := flt.sku.strip():  # the product as the catalogue names it now, as the charts do
        held = OrderLine.product_id.in_(
            products.where(CATALOG_PRODUCTS.c.sku == sku).scalar_subquery()
        )
        where.append(sa.exists().where(OrderLine.order_id == Order.id, held))
    if code := flt.category.strip():
        in_category = products.join(
            CATEGORY_CODES, CATEGORY_CODES.c.id == CATALOG_PRODUCTS.c.category_id
        ).where(CATEGORY_CODES.c.code == code)
        held = OrderLine.product_id.in_(in_category.scalar_subquery())
        where.append(sa.exists().where(OrderLine.order_id == Order.id, held))
    if code := flt.warehouse.strip():
        ids = sa.select(WAREHOUSE_CODES.c.id).where(WAREHOUSE_CODES.c.code == code)
        where.append(Order.warehouse_id.in_(ids.scalar_subquery()))
    if flt.reached:
        where.append(
            sa.exists().where(
                OrderEvent.order_id == Order.id, OrderEvent.to_status.in_(flt.reached)
            )
        )
    if flt.booked:
        where.append(Order.status.not_in(NOT_BOOKED))
    return where


def list_orders(
    uow,
    *,
    actor: Actor,
    request: PageRequest,
    flt: OrderFilter | None = None,
    **filters: Any,
) -> dict:
    """Orders visible to the actor, narrowed by `flt` and/or OrderFilter fields as keywords."""
    flt = replace(flt or OrderFilter(), **filters)
    flt = _visible(actor, replace(flt, search=request.search.strip() or flt.search))
    where = _conditions(flt, actor.tz)
    joined = sa.select(
        Order.id,
        Order.number,
        Order.status,
        Order.grand_total,
        Order.currency,
        Order.created_at,
        Order.channel,
        Order.payment_status,
        CUSTOMER_NAMES.c.name.label("customer_name"),
    ).join(CUSTOMER_NAMES, CUSTOMER_NAMES.c.id == Order.customer_id)
    # Counting needs the customers join only when the search reads their names.
    count_stmt = (joined if flt.search.strip() else sa.select(Order.id)).where(*where)
    with uow:
        rows, total = run_page(
            uow.session,
            joined.where(*where),
            request,
            SORTS,
            "created",
            Order.id.desc(),
            count_stmt=count_stmt,
        )
    rows = [_list_row(r, actor.tz) for r in rows]
    if sees_customer_view(actor):
        rows = [customer_view.list_row(r) for r in rows]
    return {"rows": rows, "total": total}


def _list_row(r, tz: str) -> dict:
    return {
        "id": r.id,
        "number": r.number,
        "status": str(r.status),
        "customer": r.customer_name,
        "total": f"{r.grand_total:,.2f}",
        "currency": r.currency,
        "channel": r.channel,
        "payment": r.payment_status,
        "created": format_local(r.created_at, tz),
    }


def export_orders(
    uow,
    *,
    actor: Actor,
    flt: OrderFilter,
    sort: str = "created",
    descending: bool = True,
    limit: int = EXPORT_LIMIT,
) -> list[dict]:
    """The filtered orders as export rows (money as Decimal strings), in the list's sort."""
    flt = _visible(actor, flt)
    column = SORTS.get(sort) or SORTS["created"]
    stmt = (
        sa.select(
            Order.number,
            Order.created_at,
            CUSTOMER_NAMES.c.name.label("customer"),
            Order.status,
            Order.payment_status,
            Order.channel,
            Order.subtotal,
            Order.discount_total,
            Order.tax_total,
            Order.shipping_fee,
            Order.grand_total,
            USERS.c.username.label("rep"),
        )
        .join(CUSTOMER_NAMES, CUSTOMER_NAMES.c.id == Order.customer_id)
        .outerjoin(USERS, USERS.c.id == Order.created_by)
        .where(*_conditions(flt, actor.tz))
        .order_by(column.desc() if descending else column.asc(), Order.id.desc())
        .limit(max(0, min(limit, EXPORT_LIMIT)))
    )
    with uow:
        rows = uow.session.execute(stmt).all()
    rows = [_export_row(r, actor.tz) for r in rows]
    return [customer_view.export_row(r) for r in rows] if sees_customer_view(actor) else rows


def _export_row(r, tz: str) -> dict:
    return {
        "number": r.number,
        "created": format_local(r.created_at, tz),
        "customer": r.customer,
        "status": str(r.status),
        "payment_status": r.payment_status,
        "channel": r.channel,
        "subtotal": str(r.subtotal),
        "discount": str(r.discount_total),
        "tax": str(r.tax_total),
        "shipping": str(r.shipping_fee),
        "total": str(r.grand_total),
        "rep": r.rep or "",
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
    """An order's transitions, oldest first: with who, when and why for staff; as the customer
    view's status changes for customers."""
    with uow:
        order = uow.session.scalar(sa.select(Order).where(Order.number == number))
        if order is None or not _may_see(actor, order):
            raise NotFound(entity="order", field="number", value=number)
        rows = uow.session.scalars(
            sa.select(OrderEvent)
            .where(OrderEvent.order_id == order.id)
            .order_by(OrderEvent.at, OrderEvent.id)
        ).all()
        if sees_customer_view(actor):
            return customer_history(uow, order, rows, actor.tz)
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


def customer_history(uow, order: Order, rows, tz: str) -> list[dict]:
    """The order's history as its customer is told it (see customer_view.history)."""
    theirs = set(
        uow.session.scalars(
            sa.select(USERS.c.id).where(USERS.c.customer_id == order.customer_id)
        ).all()
    )
    events = [
        {
            "to": r.to_status,
            "by_customer": r.actor_id is not None and r.actor_id in theirs,
            "at": format_local(r.at, tz),
            "at_utc": r.at.isoformat(),
        }
        for r in rows
    ]
    return customer_view.history(events)


def get_order(uow, *, actor: Actor, number: str) -> dict:
    """One order: for staff with lines, anomalies, risk and approval levels; for its customer
    only what customer_view.order_view lists."""
    order = get_staff_view(uow, actor=actor, number=number)
    return customer_view.order_view(order) if sees_customer_view(actor) else order


def get_staff_view(uow, *, actor: Actor, number: str) -> dict:
    """One order with everything staff see; callers show customers only the customer view."""
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
            "allow_split": order.allow_split,
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


def order_id_of(uow, *, number: str) -> int:
    """The id of an order by number (shared screen states are keyed by it)."""
    with uow:
        return uow.session.scalar(sa.select(Order.id).where(Order.number == number)) or 0


def customer_id_of(uow, *, order_id: int) -> int:
    """The customer of an order by id (to rebuild the customer's copy of its page)."""
    with uow:
        return uow.session.scalar(sa.select(Order.customer_id).where(Order.id == order_id)) or 0
