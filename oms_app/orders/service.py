"""Order use cases: enter, submit (with anomalies and approval routing), decide, cancel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from oms_app.accounts import service as accounts_service
from oms_app.approvals import rules as approval_rules
from oms_app.approvals import service as approvals_service
from oms_app.core.clock import business_zone, utcnow
from oms_app.core.config import get_settings
from oms_app.core.errors import IllegalTransition, NotFound, ValidationErrors, ValidationFailed
from oms_app.core.permissions import Actor, Permission, require, sees_customer_view
from oms_app.core.state_machine import apply_transition
from oms_app.fulfillment import allocation, release
from oms_app.orders import (
    assessment,
    authorship,
    facts,
    idempotency,
    lifecycle,  # noqa: F401  (registers the order machine)
    receipt,
    rules,
)
from oms_app.orders import queries as order_queries
from oms_app.orders.events import OrderApproved
from oms_app.orders.models import Order, OrderAnomaly, OrderLine
from oms_app.orders.numbering import next_order_number, provisional_number
from oms_app.orders.status import OrderAction, OrderStatus


def _checked(uow, cmd: rules.OrderInput, today):
    """Everything wrong with the input (all fields at once), and what it was checked against."""
    errors = rules.header_errors(cmd)
    customer = facts.customer(uow, cmd.customer_code) if cmd.customer_code.strip() else None
    if cmd.customer_code.strip() and (customer is None or not customer["active"]):
        errors.append(
            ValidationFailed("customer", "error.customer.unknown", value=cmd.customer_code)
        )
    lines = rules.merge_duplicate_lines(cmd.lines)
    products = facts.products(uow, lines, customer["tier"] if customer else "", today)
    tolerance = get_settings().price_tolerance_pct
    for index, line in enumerate(lines):
        errors += rules.line_errors(index, line, products.get(line.sku), tolerance)
    address = cmd.address or rules.AddressInput(**((customer or {}).get("address") or {}))
    errors += rules.address_errors(address, cmd.delivery_method)
    return errors, customer, lines, products, address


def _validated(uow, cmd: rules.OrderInput, today) -> tuple[dict, list, dict, rules.AddressInput]:
    """Raise every field error together, before any write."""
    errors, customer, lines, products, address = _checked(uow, cmd, today)
    if errors:
        raise ValidationErrors(errors)
    return customer, lines, products, address


def preview_order(uow, *, actor: Actor, cmd: rules.OrderInput, now: datetime | None = None) -> dict:
    """Validate and price without saving: the entry screen's instant feedback."""
    require(actor, Permission.ORDER_CREATE)
    today = (now or utcnow()).astimezone(business_zone()).date()
    errors, _, lines, products, _ = _checked(uow, cmd, today)
    known = [line for line in lines if line.sku in products]
    priced = rules.price_lines(known, products)
    totals = (
        rules.totals(priced, cmd.delivery_method)
        if cmd.delivery_method in rules.DELIVERY_METHODS
        else None
    )
    return {
        "errors": [{"field": e.field, "code": e.code, "params": e.params} for e in errors],
        "lines": [
            {
                "sku": p.product.sku,
                "name": p.product.name,
                "unit": p.product.unit,
                "specs": "; ".join(f"{k}: {v}" for k, v in p.product.specs.items()),
                "list_price": str(p.product.list_price),
                "unit_price": str(p.unit_price),
                "line_total": str(p.line_total - p.discount),
            }
            for p in priced
        ],
        "totals": {} if totals is None else {k: str(v) for k, v in _money(totals).items()},
        "allow_split": cmd.allow_split,
    }


def create_order(
    uow,
    *,
    actor: Actor,
    cmd: rules.OrderInput,
    submit: bool = False,
    idempotency_key: str = "",
    now: datetime | None = None,
) -> str:
    """Enter an order (and submit it); the same idempotency key returns the same order."""
    entered = _enter(
        uow, actor=actor, cmd=cmd, submit=submit, idempotency_key=idempotency_key, now=now
    )
    return entered.number


def place_order(
    uow,
    *,
    actor: Actor,
    cmd: rules.OrderInput,
    submit: bool = True,
    idempotency_key: str = "",
    now: datetime | None = None,
) -> dict:
    """Enter (and submit) an order; its summary as written, without reading it back."""
    entered = _enter(
        uow, actor=actor, cmd=cmd, submit=submit, idempotency_key=idempotency_key, now=now
    )
    if entered.summary is not None and not sees_customer_view(actor):
        return entered.summary
    # A replay returns an order made earlier; customers see their own view of it.
    return order_queries.get_order(uow, actor=actor, number=entered.number)


@dataclass(frozen=True)
class _Assessed:
    found: list
    policy: approval_rules.OrderFacts
    route: approval_rules.Route


def _enter(uow, *, actor: Actor, cmd, submit: bool, idempotency_key: str, now) -> receipt.Entered:
    """One transaction: read every fact first, decide, then write in a few batched statements."""
    require(actor, Permission.ORDER_CREATE)
    if submit:
        require(actor, Permission.ORDER_SUBMIT)
    now = now or utcnow()
    fingerprint = idempotency.request_hash(cmd, submit=submit)
    with uow:
        customer, lines, products, address = _validated(
            uow, cmd, now.astimezone(business_zone()).date()
        )
        if idempotency_key and (
            number := idempotency.replay(
                uow, actor=actor, key=idempotency_key, fingerprint=fingerprint
            )
        ):
            return receipt.Entered(number=number)
        priced = rules.price_lines(lines, products)
        totals = rules.totals(priced, cmd.delivery_method)
        assessed = _assess(uow, customer, priced, totals, now) if submit else None
        risk = assessed.policy.risk if assessed else 0
        order = _new_order(uow, actor, cmd, customer, address, totals, now, risk)
        line_rows = _add_lines(uow, order, cmd, priced)
        if idempotency_key:
            idempotency.remember(
                uow, actor=actor, key=idempotency_key, fingerprint=fingerprint, order_id=order.id
            )
        levels = _open_levels(uow, order, assessed, now) if assessed else []
        uow.session.flush()
        # Numbered last: the counter row stays locked until commit, so only the writes that
        # need the number (status change, its event, the approver's bell) follow it.
        order.number = next_order_number(uow.session, year=now.astimezone(business_zone()).year)
        if assessed:
            _record_submit(uow, order, actor, assessed.found)
            if assessed.route.levels:
                approvals_service.notify_level(uow, assessed.route.levels[0], order.number)
        uow.commit()
        found = assessed.found if assessed else []
        return receipt.Entered(
            number=order.number,
            summary=receipt.summary(order, line_rows, found, levels, tz=actor.tz),
        )


def _assess(uow, customer, priced, totals, now) -> _Assessed:
    """Anomalies, risk and approval route of a new order, from the facts read once."""
    found, policy = assessment.assess_priced(
        uow, customer=customer, priced=priced, totals=totals, now=now
    )
    return _Assessed(found, policy, approvals_service.plan_route(uow, facts=policy))


def _open_levels(uow, order: Order, assessed: _Assessed, now: datetime) -> list:
    _add_anomalies(uow, order, assessed.found, now)
    return approvals_service.open_approvals(
        uow,
        order_id=order.id,
        number="",  # not numbered yet: `_enter` rings the bell once it is
        facts=assessed.policy,
        now=now,
        route=assessed.route,
        first_round=True,
        notify=False,
    )


def _new_order_fields(cmd, customer, address, totals: rules.Totals) -> dict:
    """The header columns an order takes from its input (shared by create and draft edits)."""
    return {
        "customer_id": customer["id"],
        "channel": cmd.channel,
        "delivery_method": cmd.delivery_method,
        "allow_split": cmd.allow_split,
        "ship_province": address.province,
        "ship_city": address.city,
        "ship_district": address.district,
        "ship_street": address.street,
        "ship_receiver": address.receiver,
        "ship_phone": address.phone,
        "requested_date": cmd.requested_date,
        "notes": cmd.notes.strip(),
        **_money(totals),
    }


def _new_order(uow, actor, cmd, customer, address, totals: rules.Totals, now, risk) -> Order:
    """The order header as a draft under a provisional number (see `_enter`), inserted."""
    order = Order(
        number=provisional_number(),
        created_by=actor.user_id,
        created_at=now,
        updated_at=now,
        risk_score=risk,
        **_new_order_fields(cmd, customer, address, totals),
    )
    uow.session.add(order)
    uow.session.flush()
    return order


def _add_lines(uow, order: Order, cmd, priced) -> list[OrderLine]:
    """Queue the lines; the next flush inserts them in one statement."""
    reasons = {line.sku: line.price_reason for line in cmd.lines if line.price_reason}
    rows = [
        OrderLine(
            order_id=order.id,
            line_no=p.line_no,
            product_id=p.product.product_id,
            sku=p.product.sku,
            name=p.product.name,
            unit=p.product.unit,
            quantity=p.quantity,
            unit_price=p.unit_price,
            discount_pct=p.discount_pct,
            line_total=p.line_total,
            unit_cost=p.product.standard_cost,
            price_reason=reasons.get(p.product.sku, ""),
        )
        for p in priced
    ]
    uow.session.add_all(rows)
    return rows


def _money(totals: rules.Totals) -> dict:
    return {
        "subtotal": totals.subtotal,
        "discount_total": totals.discount_total,
        "tax_total": totals.tax_total,
        "shipping_fee": totals.shipping_fee,
        "grand_total": totals.grand_total,
        "cost_total": totals.cost_total,
    }


def _submit(uow, order: Order, actor: Actor, now: datetime) -> None:
    """Find anomalies, score the risk, route the approvals and move a saved draft on."""
    found, facts_for_policy = assessment.assess(uow, order, now)
    uow.session.execute(sa.delete(OrderAnomaly).where(OrderAnomaly.order_id == order.id))
    _add_anomalies(uow, order, found, now)
    order.risk_score = facts_for_policy.risk
    _record_submit(uow, order, actor, found)
    approvals_service.open_approvals(
        uow, order_id=order.id, number=order.number, facts=facts_for_policy, now=now
    )


def _record_submit(uow, order: Order, actor: Actor, found) -> None:
    apply_transition(
        uow,
        order,
        OrderAction.SUBMIT,
        actor=actor,
        params={"anomalies": [a.code for a in found], "risk": order.risk_score},
    )


def _add_anomalies(uow, order: Order, found, now: datetime) -> None:
    uow.session.add_all(
        OrderAnomaly(order_id=order.id, code=a.code, params=a.params, found_at=now) for a in found
    )


def _load(uow, number: str, *, for_update: bool = True) -> Order:
    stmt = sa.select(Order).where(Order.number == number)
    order = uow.session.scalar(stmt.with_for_update() if for_update else stmt)
    if order is None:
        raise NotFound(entity="order", field="number", value=number)
    return order


def submit_order(uow, *, actor: Actor, number: str, now: datetime | None = None) -> str:
    """Submit a saved draft for approval."""
    require(actor, Permission.ORDER_SUBMIT)
    with uow:
        order = _load(uow, number)
        _submit(uow, order, actor, now or utcnow())
        uow.commit()
        return order.status


def approve_order(
    uow,
    *,
    actor: Actor,
    number: str,
    comment: str = "",
    totp_code: str = "",
    now: datetime | None = None,
) -> str:
    """Approve the pending level; the last level approves the order (step-up above a limit)."""
    require(actor, Permission.ORDER_APPROVE)
    with uow:
        order = _load(uow, number)
        if order.status != OrderStatus.PENDING_APPROVAL:
            raise IllegalTransition(order.status, OrderAction.APPROVE)
        authors = authorship.order_authors(uow, order)
        if order.grand_total >= get_settings().approval_step_up_amount:
            approvals_service.check_decider(
                uow, order_id=order.id, actor=actor, authors=authors, comment=comment
            )
            accounts_service.verify_step_up(uow, actor=actor, code=totp_code)
        decision = approvals_service.decide(
            uow,
            order_id=order.id,
            number=number,
            actor=actor,
            authors=authors,
            approve=True,
            comment=comment,
            now=now,
        )
        if decision.outcome == "approved":
            apply_transition(uow, order, OrderAction.APPROVE, actor=actor, reason=comment)
            uow.add_event(
                OrderApproved(
                    order_id=order.id,
                    number=order.number,
                    customer_id=order.customer_id,
                    grand_total=str(order.grand_total),
                )
            )
            allocation.allocate_order(uow, order_id=order.id, actor=actor, now=now)
        uow.commit()
        return order.status


def reject_order(
    uow, *, actor: Actor, number: str, comment: str, now: datetime | None = None
) -> str:
    """Refuse the pending level: the order goes back to draft with the reason."""
    require(actor, Permission.ORDER_APPROVE)
    if not comment.strip():
        raise ValidationFailed("comment", "error.reject.reason_required")
    with uow:
        order = _load(uow, number)
        if order.status != OrderStatus.PENDING_APPROVAL:
            raise IllegalTransition(order.status, OrderAction.REJECT)
        approvals_service.decide(
            uow,
            order_id=order.id,
            number=number,
            actor=actor,
            authors=authorship.order_authors(uow, order),
            approve=False,
            comment=comment,
            now=now,
        )
        apply_transition(uow, order, OrderAction.REJECT, actor=actor, reason=comment)
        apply_transition(
            uow, order, OrderAction.REVISE, actor=actor, reason=f"returned to draft: {comment}"
        )
        uow.commit()
        return order.status


def cancel_order(uow, *, actor: Actor, number: str, reason: str) -> str:
    """Cancel an order that has not shipped; open approval levels close with it."""
    require(actor, Permission.ORDER_CANCEL)
    if not reason.strip():
        raise ValidationFailed("reason", "error.required")
    with uow:
        order = _load(uow, number)
        apply_transition(uow, order, OrderAction.CANCEL, actor=actor, reason=reason)
        approvals_service.cancel_open(uow, order_id=order.id, actor=actor, reason=reason)
        release.release_order(uow, order_id=order.id, actor=actor, reason=reason)
        uow.commit()
        return order.status


def update_draft(
    uow, *, actor: Actor, number: str, cmd: rules.OrderInput, now: datetime | None = None
) -> str:
    """Replace a draft's customer, lines, delivery and notes (entry screens save as you type)."""
    require(actor, Permission.ORDER_CREATE)
    now = now or utcnow()
    customer, lines, products, address = _validated(
        uow, cmd, now.astimezone(business_zone()).date()
    )
    with uow:
        order = _load(uow, number)
        if order.status != OrderStatus.DRAFT:
            raise IllegalTransition(order.status, "edit")
        priced = rules.price_lines(lines, products)
        uow.session.execute(sa.delete(OrderLine).where(OrderLine.order_id == order.id))
        fresh = _new_order_fields(cmd, customer, address, rules.totals(priced, cmd.delivery_method))
        for key, value in fresh.items():
            setattr(order, key, value)
        order.updated_at = now
        _add_lines(uow, order, cmd, priced)
        authorship.record_draft_edit(uow, actor=actor, order=order)
        uow.commit()
        return order.number


def finish_draft(uow, *, actor: Actor, number: str, cmd: rules.OrderInput, submit: bool) -> str:
    """Save the entry screen's last edits into its draft and submit it, in one transaction."""
    with uow:
        update_draft(uow, actor=actor, number=number, cmd=cmd)
        if submit:
            submit_order(uow, actor=actor, number=number)
        uow.commit()
    return number
