"""Use cases of a return: ask for it, decide on it, receive the goods back, close or withdraw it.

Receiving is one transaction: the status, the goods back on hand (inventory's service) and the
journal entry reversing the sale (the ledger's service) commit together or not at all.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

import sqlalchemy as sa

from oms_app.audit import service as audit
from oms_app.core.clock import utcnow
from oms_app.core.errors import (
    FourEyesRefused,
    NotFound,
    PermissionDenied,
    ValidationErrors,
    ValidationFailed,
)
from oms_app.core.permissions import SYSTEM_ACTOR, Actor, Permission, require
from oms_app.core.state_machine import apply_transition
from oms_app.fulfillment import queries as fulfilment_queries
from oms_app.inventory import service as inventory_service
from oms_app.ledger import service as ledger_service
from oms_app.ledger.facts import ReturnFacts
from oms_app.orders import returnable
from oms_app.returns import (
    lifecycle,  # noqa: F401  (registers the Return lifecycle)
    queries,
    rules,
)
from oms_app.returns.events import ReturnStatusChanged
from oms_app.returns.models import Return, ReturnEvent, ReturnLine
from oms_app.returns.queries import get_return
from oms_app.returns.status import CAME_BACK, ReturnAction, ReturnStatus

_NEXT = sa.text("""
    INSERT INTO return_number_counters (year, last)
    VALUES (:year, COALESCE((SELECT max(substring(number FROM 10)::int) FROM returns
                             WHERE number LIKE :pattern), 0) + 1)
    ON CONFLICT (year) DO UPDATE SET last = return_number_counters.last + 1
    RETURNING last
""")


def next_return_number(session, *, year: int) -> str:
    """RMA-<year>-<6 digits>, gap-free per year; the counter row lock serializes callers."""
    last = session.execute(_NEXT, {"year": year, "pattern": f"RMA-{year}-%"}).scalar_one()
    return f"RMA-{year}-{last:06d}"


def request_return(
    uow,
    *,
    actor: Actor,
    order_number: str,
    lines: list[rules.ReturnLineInput],
    reason: str,
    note: str = "",
) -> dict:
    """Ask to send shipped goods of an order back; every problem is reported at once."""
    require(actor, Permission.RETURN_REQUEST)
    with uow:
        order = returnable.returnable_order(uow, number=(order_number or "").strip(), lock=True)
        queries.may_request(actor, order)
        allowed = queries.allowances(uow, order)
        errors = rules.request_errors(order.status, list(lines), reason, note, allowed)
        if errors:
            raise ValidationErrors(errors)
        number = _new_return(uow, actor, order, lines, reason.strip(), note.strip())
        uow.commit()
    return get_return(uow, actor=actor, number=number)


def approve_return(uow, *, actor: Actor, number: str, comment: str = "") -> dict:
    """Accept a requested return: the customer may send the goods."""
    return _decide(uow, actor, number, ReturnAction.APPROVE, comment, required=False)


def reject_return(uow, *, actor: Actor, number: str, reason: str) -> dict:
    """Refuse a requested return with a reason; its quantities may be asked for again."""
    return _decide(uow, actor, number, ReturnAction.REJECT, reason, required=True)


def close_return(uow, *, actor: Actor, number: str, comment: str = "") -> dict:
    """Close a received return once it is settled."""
    return _decide(uow, actor, number, ReturnAction.CLOSE, comment, required=False)


def cancel_return(uow, *, actor: Actor, number: str, reason: str = "") -> dict:
    """Withdraw one's own return while it waits for a decision."""
    require(actor, Permission.RETURN_REQUEST)
    if errors := rules.decision_reason_errors(reason, required=False):
        raise ValidationErrors(errors)
    with uow:
        ret = _load(uow, number)
        if ret.requested_by is None or ret.requested_by != actor.user_id:
            raise PermissionDenied(field="return", permission=Permission.RETURN_REQUEST.value)
        apply_transition(uow, ret, ReturnAction.CANCEL, actor=actor, reason=reason.strip())
        audit.record(uow, actor=actor, action="return.cancel", entity="return", entity_id=number)
        uow.commit()
    return get_return(uow, actor=actor, number=number)


def receive_return(uow, *, actor: Actor, number: str, now: datetime | None = None) -> dict:
    """The goods came back: restock them where they shipped from and reverse the sale's books."""
    require(actor, Permission.RETURN_MANAGE)
    now = now or utcnow()
    with uow:
        ret = _load(uow, number)
        apply_transition(uow, ret, ReturnAction.RECEIVE, actor=actor)
        order = returnable.returnable_order(uow, order_id=ret.order_id, lock=True)
        lines = _lines_of(uow, ret.id)
        by_warehouse = _restock_plan(uow, order, lines)
        for warehouse_id, items in sorted(by_warehouse.items()):
            inventory_service.restock_returned_goods(
                uow, actor=actor, warehouse_id=warehouse_id, items=items, reference=ret.number
            )
        ret.warehouse_id, ret.received_at = min(by_warehouse), now
        uow.session.add(ret)
        _post_to_ledger(uow, ret, lines, now)
        audit.record(uow, actor=actor, action="return.receive", entity="return", entity_id=number)
        uow.commit()
    return get_return(uow, actor=actor, number=number)


def _decide(uow, actor: Actor, number: str, action: ReturnAction, reason: str, required: bool):
    require(actor, Permission.RETURN_MANAGE)
    if errors := rules.decision_reason_errors(reason, required=required):
        raise ValidationErrors(errors)
    with uow:
        ret = _load(uow, number)
        if action in (ReturnAction.APPROVE, ReturnAction.REJECT):
            _check_four_eyes(uow, ret, actor)
        apply_transition(uow, ret, action, actor=actor, reason=(reason or "").strip())
        audit.record(uow, actor=actor, action=f"return.{action}", entity="return", entity_id=number)
        uow.commit()
    return get_return(uow, actor=actor, number=number)


def _check_four_eyes(uow, ret: Return, actor: Actor) -> None:
    order = returnable.returnable_order(uow, order_id=ret.order_id)
    refusal = rules.four_eyes_refusal(
        actor_id=actor.user_id, requested_by=ret.requested_by, order_created_by=order.created_by
    )
    if refusal:
        raise FourEyesRefused(refusal, field="return")


def _load(uow, number: str) -> Return:
    ret = uow.session.scalar(
        sa.select(Return).where(Return.number == (number or "").strip()).with_for_update()
    )
    if ret is None:
        raise NotFound(entity="return", field="number", value=number)
    return ret


def _new_return(uow, actor, order, lines, reason: str, note: str) -> str:
    by_sku = {ln.sku: ln for ln in order.lines}
    ret = Return(
        number=next_return_number(uow.session, year=utcnow().year),
        order_id=order.order_id,
        order_number=order.number,
        customer_id=order.customer_id,
        reason_code=reason,
        note=note,
        requested_by=actor.user_id,
        requested_by_name=actor.username[:64],
    )
    uow.session.add(ret)
    uow.session.flush()
    for line in lines:
        ol = by_sku[line.sku.strip().upper()]
        uow.session.add(
            ReturnLine(
                return_id=ret.id,
                order_line_id=ol.order_line_id,
                product_id=ol.product_id,
                sku=ol.sku,
                name=ol.name,
                unit=ol.unit,
                quantity=line.quantity,
                unit_net_price=ol.unit_net_price,
                unit_cost=ol.unit_cost,
            )
        )
    _record_request(uow, actor, ret, lines)
    return ret.number


def _record_request(uow, actor: Actor, ret: Return, lines) -> None:
    """The request's history row, its event and the audit entry (a creation, not a transition)."""
    params = {"lines": {ln.sku.strip().upper(): ln.quantity for ln in lines}}
    uow.session.add(
        ReturnEvent(
            return_id=ret.id,
            from_status="",
            to_status=ReturnStatus.REQUESTED,
            action="request",
            actor_id=actor.user_id,
            actor_name=actor.username,
            reason=ret.reason_code,
            params=params,
        )
    )
    uow.add_event(
        ReturnStatusChanged(
            return_id=ret.id,
            number=ret.number,
            order_id=ret.order_id,
            order_number=ret.order_number,
            customer_id=ret.customer_id,
            from_status="",
            to_status=ReturnStatus.REQUESTED.value,
            action="request",
            actor=actor.username,
            reason=ret.reason_code,
        )
    )
    audit.record(
        uow,
        actor=actor,
        action="return.request",
        entity="return",
        entity_id=ret.number,
        order=ret.order_number,
        reason=ret.reason_code,
        lines=params["lines"],
    )


def _lines_of(uow, return_id: int) -> list[ReturnLine]:
    return list(
        uow.session.scalars(
            sa.select(ReturnLine).where(ReturnLine.return_id == return_id).order_by(ReturnLine.id)
        )
    )


def _restock_plan(uow, order, lines: list[ReturnLine]) -> dict[int, list[tuple[int, int]]]:
    """Each line goes back to the warehouse that shipped most of it (else the order's own)."""
    shipped = fulfilment_queries.shipped_quantities(uow, order_id=order.order_id)
    plan: dict[int, list[tuple[int, int]]] = {}
    for line in lines:
        sources = shipped.get(line.order_line_id, {})
        warehouse_id = max(sources, key=lambda w: (sources[w], -w)) if sources else None
        warehouse_id = warehouse_id or order.warehouse_id
        if warehouse_id is None:
            raise ValidationFailed("warehouse", "returns.error.no_warehouse")
        plan.setdefault(warehouse_id, []).append((line.product_id, line.quantity))
    return plan


def _post_to_ledger(uow, ret: Return, lines: list[ReturnLine], at: datetime) -> None:
    """Reverse the returned goods' share of revenue, VAT and cost (the fee stays earned)."""
    now: Counter[int] = Counter()
    for line in lines:
        now[line.order_line_id] += line.quantity
    before = queries.claimed_by_line(uow, order_id=ret.order_id, statuses=CAME_BACK, exclude=ret.id)
    value = returnable.returned_value(
        uow, order_id=ret.order_id, returned_before=before, returning_now=dict(now)
    )
    ledger_service.post_return(
        uow,
        facts=ReturnFacts(
            return_number=ret.number,
            order_id=ret.order_id,
            order_number=ret.order_number,
            customer_id=ret.customer_id,
            received_at=at,
            revenue=value.revenue,
            vat=value.vat,
            cost=value.cost,
        ),
        actor=SYSTEM_ACTOR,
    )
