"""Order templates: save an order to start from, reorder, and recurring drafts."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa

from oms_app.accounts import service as accounts_service
from oms_app.core.errors import DomainError, NotFound, ValidationFailed
from oms_app.core.permissions import SYSTEM_ACTOR, Actor, Permission, require
from oms_app.notifications import service as notifications_service
from oms_app.orders import facts, rules
from oms_app.orders.models import Order, OrderLine, OrderTemplate

RECURRENCES = ("", "weekly", "monthly")


def next_run(after: date, recurrence: str) -> date | None:
    """The next day a recurring template makes a draft: a week, or a calendar month, later."""
    if recurrence == "weekly":
        return after + timedelta(days=7)
    if recurrence == "monthly":
        year, month = (after.year + 1, 1) if after.month == 12 else (after.year, after.month + 1)
        return date(year, month, min(after.day, calendar.monthrange(year, month)[1]))
    return None


def _lines_of(session, order_id: int) -> list[dict]:
    rows = session.execute(
        sa.select(OrderLine.sku, OrderLine.quantity, OrderLine.discount_pct)
        .where(OrderLine.order_id == order_id)
        .order_by(OrderLine.line_no)
    ).all()
    return [{"sku": sku, "quantity": qty, "discount_pct": str(disc)} for sku, qty, disc in rows]


def save_template(
    uow,
    *,
    actor: Actor,
    name: str,
    from_number: str,
    shared: bool = False,
    recurrence: str = "",
    first_run: date | None = None,
) -> int:
    """Keep an order's lines as a template for its customer (or for everyone's use)."""
    require(actor, Permission.ORDER_CREATE)
    if not name.strip():
        raise ValidationFailed("name", "error.required")
    if recurrence not in RECURRENCES:
        raise ValidationFailed("recurrence", "error.choice", choices="weekly, monthly")
    if recurrence and first_run is None:
        raise ValidationFailed("first_run", "error.required")
    with uow:
        order = uow.session.scalar(sa.select(Order).where(Order.number == from_number))
        if order is None:
            raise NotFound(entity="order", field="number", value=from_number)
        template = OrderTemplate(
            name=name.strip()[:120],
            owner_id=actor.user_id,
            customer_id=None if shared else order.customer_id,
            lines=_lines_of(uow.session, order.id),
            delivery_method=order.delivery_method,
            notes=order.notes,
            recurrence=recurrence,
            next_run_on=first_run,
        )
        uow.session.add(template)
        uow.commit()
        return template.id


def list_templates(uow, *, actor: Actor) -> list[dict]:
    """Every active template: the shared ones and those of each customer."""
    require(actor, Permission.ORDER_CREATE)
    customers = sa.table("customers", sa.column("id"), sa.column("code"), sa.column("name"))
    with uow:
        rows = uow.session.execute(
            sa.select(OrderTemplate, customers.c.code, customers.c.name)
            .outerjoin(customers, customers.c.id == OrderTemplate.customer_id)
            .where(OrderTemplate.is_active.is_(True))
            .order_by(OrderTemplate.name)
        ).all()
        return [
            {
                "id": t.id,
                "name": t.name,
                "customer_code": code or "",
                "customer": name or "",
                "lines": len(t.lines),
                "recurrence": t.recurrence,
                "next_run_on": t.next_run_on.isoformat() if t.next_run_on else "",
            }
            for t, code, name in rows
        ]


def order_input_from_template(
    uow, *, actor: Actor, template_id: int, customer_code: str = ""
) -> rules.OrderInput:
    """A new order's input from a template (a shared one needs the customer)."""
    require(actor, Permission.ORDER_CREATE)
    with uow:
        template = uow.session.get(OrderTemplate, template_id)
        if template is None or not template.is_active:
            raise NotFound(entity="template", field="template", id=template_id)
        code = customer_code
        if template.customer_id:
            code = facts.customer(uow, customer_id=template.customer_id)["code"]
        return _input(template.lines, code, template.delivery_method, template.notes)


def reorder_input(uow, *, actor: Actor, number: str) -> rules.OrderInput:
    """The same customer and lines as a past order, at today's prices."""
    require(actor, Permission.ORDER_CREATE)
    with uow:
        order = uow.session.scalar(sa.select(Order).where(Order.number == number))
        if order is None:
            raise NotFound(entity="order", field="number", value=number)
        code = facts.customer(uow, customer_id=order.customer_id)["code"]
        return _input(_lines_of(uow.session, order.id), code, order.delivery_method, "")


def _input(lines: list[dict], code: str, method: str, notes: str) -> rules.OrderInput:
    return rules.OrderInput(
        customer_code=code,
        delivery_method=method,
        notes=notes,
        lines=[
            rules.LineInput(
                sku=ln["sku"],
                quantity=int(ln["quantity"]),
                discount_pct=Decimal(ln.get("discount_pct") or "0"),
            )
            for ln in lines
        ],
    )


def _draft_from(uow, template: OrderTemplate, today: date, order_service) -> str:
    """One recurring draft in a savepoint: a template that no longer validates is reported to
    its owner and skipped, without stopping the others."""
    owner = accounts_service.actor_by_id(uow, user_id=template.owner_id)
    savepoint = uow.session.begin_nested()
    try:
        cmd = order_input_from_template(uow, actor=owner, template_id=template.id)
        number = order_service.create_order(
            uow, actor=owner, cmd=cmd, idempotency_key=f"template:{template.id}:{today}"
        )
    except DomainError:
        savepoint.rollback()
        number, title, kind = "", "notify.recurring_failed", "warning"
    else:
        savepoint.commit()
        title, kind = "notify.recurring_draft", "info"
    notifications_service.notify_users(
        uow,
        actor=SYSTEM_ACTOR,
        user_ids=[template.owner_id],
        kind=kind,
        title=title,
        body="notify.recurring_draft_body",
        params={"number": number, "template": template.name},
        link=f"/orders/{number}" if number else "/orders/new",
    )
    return number


def run_recurring(uow, *, today: date) -> list[str]:
    """Turn due recurring templates into drafts for their owners, with a notification each.

    The idempotency key (template, day) makes a re-run the same day create nothing new.
    """
    from oms_app.orders import service as order_service  # service uses templates' neighbours

    with uow:
        due = uow.session.scalars(
            sa.select(OrderTemplate)
            .where(
                OrderTemplate.is_active.is_(True),
                OrderTemplate.recurrence != "",
                OrderTemplate.next_run_on <= today,
            )
            .with_for_update(skip_locked=True)
        ).all()
        numbers = []
        for template in due:
            number = _draft_from(uow, template, today, order_service)
            template.next_run_on = next_run(template.next_run_on, template.recurrence)
            if number:
                numbers.append(number)
        uow.commit()
        return numbers
