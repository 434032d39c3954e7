"""Read side of webhooks: subscriptions and the paged delivery log for the admin."""

from __future__ import annotations

import sqlalchemy as sa

from oms_app.core.clock import format_local
from oms_app.core.errors import NotFound, ValidationFailed
from oms_app.core.paging import MAX_PAGE_SIZE
from oms_app.core.permissions import Actor, Permission, require
from oms_app.webhooks.models import WebhookDelivery, WebhookSubscription
from oms_app.webhooks.rules import DeliveryState
from oms_app.webhooks.service import subscription_view

STATES = [s.value for s in DeliveryState]


def list_subscriptions(uow, *, actor: Actor, include_inactive: bool = True) -> list[dict]:
    """Every subscription, newest first; secrets are never listed, only a hint."""
    require(actor, Permission.WEBHOOK_ADMIN)
    stmt = sa.select(WebhookSubscription).order_by(WebhookSubscription.id.desc())
    if not include_inactive:
        stmt = stmt.where(WebhookSubscription.is_active.is_(True))
    with uow:
        rows = uow.session.scalars(stmt).all()
        return [
            subscription_view(r) | {"created": format_local(r.created_at, actor.tz)} for r in rows
        ]


def _delivery_row(d: WebhookDelivery, name: str, tz: str) -> dict:
    return {
        "id": d.id,
        "subscription_id": d.subscription_id,
        "subscription": name,
        "event_id": d.event_id,
        "event_type": d.event_type,
        "state": d.state,
        "attempts": d.attempts,
        "last_status_code": d.last_status_code,
        "last_error": d.last_error,
        "next_attempt_at": d.next_attempt_at.isoformat() if d.next_attempt_at else None,
        "created_at": d.created_at.isoformat() if d.created_at else None,
        "delivered_at": d.delivered_at.isoformat() if d.delivered_at else None,
        "created": format_local(d.created_at, tz, "%Y-%m-%d %H:%M:%S"),
        "delivered": format_local(d.delivered_at, tz, "%Y-%m-%d %H:%M:%S"),
    }


def list_deliveries(
    uow,
    *,
    actor: Actor,
    subscription_id: int | None = None,
    state: str = "",
    page: int = 1,
    page_size: int = 25,
) -> dict:
    """The delivery log, newest first, filtered by subscription and state, paged in SQL."""
    require(actor, Permission.WEBHOOK_ADMIN)
    if state and state not in STATES:
        raise ValidationFailed("state", "error.choice", choices=", ".join(STATES))
    page, page_size = max(page, 1), min(max(page_size, 1), MAX_PAGE_SIZE)
    stmt = sa.select(WebhookDelivery, WebhookSubscription.name).join(
        WebhookSubscription, WebhookSubscription.id == WebhookDelivery.subscription_id
    )
    if subscription_id is not None:
        stmt = stmt.where(WebhookDelivery.subscription_id == subscription_id)
    if state:
        stmt = stmt.where(WebhookDelivery.state == state)
    with uow:
        s = uow.session
        if subscription_id is not None and s.get(WebhookSubscription, subscription_id) is None:
            raise NotFound(entity="webhook", id=subscription_id)
        total = s.scalar(sa.select(sa.func.count()).select_from(stmt.subquery())) or 0
        rows = s.execute(
            stmt.order_by(WebhookDelivery.id.desc()).offset((page - 1) * page_size).limit(page_size)
        ).all()
        items = [_delivery_row(d, name, actor.tz) for d, name in rows]
    return {"rows": items, "total": total, "page": page, "page_size": page_size}
