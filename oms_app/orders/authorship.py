"""Who made an order what it is: the people the four-eyes rule keeps from approving it."""

from __future__ import annotations

import sqlalchemy as sa

from oms_app.approvals import service as approvals_service
from oms_app.approvals.rules import OrderAuthors
from oms_app.audit import service as audit
from oms_app.core.permissions import Actor
from oms_app.orders.models import Order, OrderEvent
from oms_app.orders.status import OrderAction

DRAFT_EDITED = "order.draft_edited"


def record_draft_edit(uow, *, actor: Actor, order: Order) -> None:
    """Remember who edited a draft besides its creator (once per person; saves are frequent)."""
    if actor.user_id is None or actor.user_id == order.created_by:
        return
    if actor.user_id in audit.actor_ids(
        uow, action=DRAFT_EDITED, entity="order", entity_id=order.id
    ):
        return
    audit.record(
        uow,
        actor=actor,
        action=DRAFT_EDITED,
        entity="order",
        entity_id=order.id,
        number=order.number,
    )


def order_authors(uow, order: Order) -> OrderAuthors:
    """The creator, whoever edited a draft of it and whoever sent it for approval this time.

    Editors of any earlier draft count too: they shaped what is now being approved.
    """
    submitter = uow.session.scalar(
        sa.select(OrderEvent.actor_id)
        .where(OrderEvent.order_id == order.id, OrderEvent.action == OrderAction.SUBMIT)
        .order_by(OrderEvent.id.desc())
        .limit(1)
    )
    changed = audit.actor_ids(uow, action=DRAFT_EDITED, entity="order", entity_id=order.id)
    if submitter is not None:
        changed.add(submitter)
    return OrderAuthors(created_by=order.created_by, changed_by=frozenset(changed))


def decision_refusal(uow, *, actor: Actor, number: str) -> str:
    """The four-eyes reason (an error code) this person may not decide the order, or ""."""
    with uow:
        order = uow.session.scalar(sa.select(Order).where(Order.number == number))
        if order is None:
            return ""
        authors = order_authors(uow, order)
        refusal = approvals_service.four_eyes_refusal(
            uow, order_id=order.id, actor=actor, authors=authors
        )
        return refusal or ""
