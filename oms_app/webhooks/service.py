"""Webhook use cases: manage subscriptions, queue events as deliveries, attempt and log them."""

from __future__ import annotations

import functools
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert

from oms_app.audit import service as audit
from oms_app.core.clock import utcnow
from oms_app.core.config import get_settings
from oms_app.core.errors import NotFound, ValidationFailed
from oms_app.core.permissions import Actor, Permission, require
from oms_app.core.text import text_problem
from oms_app.webhooks import rules, sender
from oms_app.webhooks.models import WebhookDelivery, WebhookSubscription
from oms_app.webhooks.rules import DeliveryState

SECRET_PREFIX = "whsec_"
# A claimed delivery is left alone this long: longer than any send (sender.TIMEOUT_SECONDS).
CLAIM_LEASE = timedelta(seconds=120)
OPEN = {s.value for s in rules.OPEN_STATES}


@dataclass(frozen=True)
class StreamEvent:
    event_id: str
    event_type: str
    payload: dict


@dataclass(frozen=True)
class DeliveryJob:
    """What one attempt sends: read in one short transaction, sent outside any."""

    delivery_id: int
    url: str
    secret: str
    event_id: str
    event_type: str
    body: bytes


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def subscription_view(row: WebhookSubscription, *, with_secret: bool = False) -> dict:
    view = {
        "id": row.id,
        "name": row.name,
        "url": row.url,
        "event_types": list(row.event_types),
        "is_active": row.is_active,
        "secret_hint": row.secret[: len(SECRET_PREFIX) + 4] + "…",
        "created_at": row.created_at.isoformat() if row.created_at else "",
    }
    if with_secret:
        view["secret"] = row.secret
    return view


def _checked(name: str | None, url: str | None, event_types: list[str] | None) -> dict:
    """Validated, normalised fields (only those given)."""
    fields: dict = {}
    if name is not None:
        if not name.strip():
            raise ValidationFailed("name", "error.required")
        if problem := text_problem(name):
            raise ValidationFailed("name", problem)
        fields["name"] = name.strip()[:80]
    if url is not None:
        if problem := rules.url_problem(url.strip()):
            raise ValidationFailed("url", problem)
        _refuse_forbidden_address(url.strip())
        fields["url"] = url.strip()
    if event_types is not None:
        cleaned = rules.clean_event_types(event_types)
        if problem := rules.event_types_problem(cleaned):
            raise ValidationFailed("event_types", problem)
        fields["event_types"] = cleaned
    return fields


def _refuse_forbidden_address(url: str) -> None:
    """Refuse a receiver whose host resolves to an internal address. A host that does not
    resolve yet is accepted: each delivery resolves and checks again, and that check decides."""
    try:
        sender.checked_address(url, allow_private=get_settings().webhook_allow_private)
    except sender.AddressRefused as refused:
        raise ValidationFailed("url", "error.webhook.url_address", kind=refused.kind) from None
    except (OSError, ValueError):
        pass


def create_subscription(
    uow,
    *,
    actor: Actor,
    name: str,
    url: str,
    event_types: list[str],
    secret: str | None = None,
) -> dict:
    """Subscribe a URL to event types; the answer carries the signing secret, this once."""
    require(actor, Permission.WEBHOOK_ADMIN)
    fields = _checked(name, url, event_types)
    secret = secret.strip() if secret else new_secret()
    if problem := rules.secret_problem(secret):
        raise ValidationFailed(
            "secret", problem, min=rules.SECRET_MIN_CHARS, max=rules.SECRET_MAX_CHARS
        )
    with uow:
        row = WebhookSubscription(**fields, secret=secret, created_by=actor.user_id)
        uow.session.add(row)
        uow.session.flush()
        audit.record(
            uow, actor=actor, action="webhook.created", entity="webhook", entity_id=row.id, url=url
        )
        uow.commit()
        return subscription_view(row, with_secret=True)


def _get_subscription(session, subscription_id: int) -> WebhookSubscription:
    row = session.get(WebhookSubscription, subscription_id, with_for_update=True)
    if row is None:
        raise NotFound(entity="webhook", id=subscription_id)
    return row


def update_subscription(
    uow,
    *,
    actor: Actor,
    subscription_id: int,
    name: str | None = None,
    url: str | None = None,
    event_types: list[str] | None = None,
    is_active: bool | None = None,
) -> dict:
    """Change a subscription's name, URL, event types or active flag (the secret stays)."""
    require(actor, Permission.WEBHOOK_ADMIN)
    fields = _checked(name, url, event_types)
    if is_active is not None:
        fields["is_active"] = is_active
    with uow:
        row = _get_subscription(uow.session, subscription_id)
        for key, value in fields.items():
            setattr(row, key, value)
        audit.record(
            uow,
            actor=actor,
            action="webhook.updated",
            entity="webhook",
            entity_id=row.id,
            fields=",".join(sorted(fields)),
        )
        uow.commit()
        return subscription_view(row)


def deactivate_subscription(uow, *, actor: Actor, subscription_id: int) -> dict:
    """Stop sending to a subscription; its log stays, open deliveries are given up."""
    return update_subscription(uow, actor=actor, subscription_id=subscription_id, is_active=False)


def enqueue_events(uow, *, events: list[StreamEvent]) -> list[int]:
    """Queue a pending delivery per (active matching subscription, event); never one twice."""
    with uow:
        subscriptions = uow.session.execute(
            sa.select(WebhookSubscription.id, WebhookSubscription.event_types).where(
                WebhookSubscription.is_active.is_(True)
            )
        ).all()
        now = utcnow()
        values = [
            {
                "subscription_id": sub_id,
                "event_id": event.event_id,
                "event_type": event.event_type,
                "payload": event.payload,
                "state": DeliveryState.PENDING.value,
                "attempts": 0,
                "last_error": "",
                "next_attempt_at": now,
                "created_at": now,
            }
            for event in events
            for sub_id, wanted in subscriptions
            if rules.matches(wanted, event.event_type)
        ]
        if not values:
            return []
        stmt = (
            insert(WebhookDelivery)
            .values(values)
            .on_conflict_do_nothing(index_elements=["subscription_id", "event_id"])
            .returning(WebhookDelivery.id)
        )
        ids = list(uow.session.scalars(stmt))
        uow.commit()
        return sorted(ids)


def enqueue_event(uow, *, event_id: str, event_type: str, payload: dict) -> list[int]:
    """Queue one event for every active matching subscription; returns the new delivery ids."""
    return enqueue_events(uow, events=[StreamEvent(event_id, event_type, payload)])


def claim_delivery(uow, *, delivery_id: int, now: datetime) -> DeliveryJob | None:
    """Take a due delivery for one attempt (a lease, so a twin task skips); None if not due."""
    with uow:
        row = uow.session.get(WebhookDelivery, delivery_id, with_for_update=True)
        if row is None or row.state not in OPEN or (row.next_attempt_at or now) > now:
            return None
        subscription = uow.session.get(WebhookSubscription, row.subscription_id)
        if not subscription.is_active:
            row.state, row.next_attempt_at = DeliveryState.DEAD.value, None
            row.last_error = "subscription deactivated"
            uow.commit()
            return None
        row.next_attempt_at = now + CLAIM_LEASE
        body = rules.delivery_body(
            event_id=row.event_id,
            event_type=row.event_type,
            created_at=row.created_at,
            data=row.payload,
        )
        uow.commit()
        return DeliveryJob(
            row.id, subscription.url, subscription.secret, row.event_id, row.event_type, body
        )


def record_attempt(
    uow, *, delivery_id: int, ok: bool, status_code: int | None, error: str, now: datetime
) -> dict:
    """Log an attempt: succeeded, failed with the next try due after a backoff, or dead."""
    base = get_settings().webhook_backoff_base_seconds
    with uow:
        row = uow.session.get(WebhookDelivery, delivery_id, with_for_update=True)
        if row is None:
            raise NotFound(entity="webhook_delivery", id=delivery_id)
        if row.state in OPEN:  # a late twin cannot undo a success or a give-up
            row.attempts += 1
            state, next_at = rules.after_attempt(attempts=row.attempts, ok=ok, now=now, base=base)
            row.state, row.next_attempt_at = state.value, next_at
            row.last_status_code = status_code
            row.last_error = "" if ok else rules.truncate_error(error)
            row.delivered_at = now if ok else row.delivered_at
        uow.commit()
        return {
            "id": row.id,
            "state": row.state,
            "attempts": row.attempts,
            "next_attempt_at": row.next_attempt_at,
        }


def deliver(
    uow, *, delivery_id: int, post: Callable[..., tuple[bool, int | None, str]] | None = None
) -> dict:
    """Make one attempt at a due delivery; `retry_in` says when the next is due, if any."""
    job = claim_delivery(uow, delivery_id=delivery_id, now=utcnow())
    if job is None:
        return {"id": delivery_id, "state": "skipped", "retry_in": None}
    headers = rules.delivery_headers(
        secret=job.secret,
        timestamp=int(utcnow().timestamp()),
        body=job.body,
        event_type=job.event_type,
        event_id=job.event_id,
        delivery_id=job.delivery_id,
    )
    allow_private = get_settings().webhook_allow_private
    post = post or functools.partial(sender.post_delivery, allow_private=allow_private)
    ok, status_code, error = post(job.url, job.body, headers)
    now = utcnow()
    result = record_attempt(
        uow, delivery_id=delivery_id, ok=ok, status_code=status_code, error=error, now=now
    )
    next_at = result["next_attempt_at"]
    result["retry_in"] = max((next_at - now).total_seconds(), 0.0) if next_at else None
    return result


def due_delivery_ids(uow, *, now: datetime, overdue: timedelta, limit: int = 500) -> list[int]:
    """Open deliveries whose attempt is overdue (their task was lost): to be queued again."""
    with uow:
        return list(
            uow.session.scalars(
                sa.select(WebhookDelivery.id)
                .where(
                    WebhookDelivery.state.in_(OPEN),
                    WebhookDelivery.next_attempt_at <= now - overdue,
                )
                .order_by(WebhookDelivery.next_attempt_at)
                .limit(limit)
            )
        )


def redeliver(uow, *, actor: Actor, delivery_id: int) -> int:
    """Queue a delivery again from scratch (after a fix on the receiver's side)."""
    require(actor, Permission.WEBHOOK_ADMIN)
    with uow:
        row = uow.session.get(WebhookDelivery, delivery_id, with_for_update=True)
        if row is None:
            raise NotFound(entity="webhook_delivery", id=delivery_id)
        if not uow.session.get(WebhookSubscription, row.subscription_id).is_active:
            raise ValidationFailed("subscription", "error.webhook.inactive")
        audit.record(
            uow,
            actor=actor,
            action="webhook.redelivered",
            entity="webhook_delivery",
            entity_id=row.id,
            previous_state=row.state,
            previous_attempts=row.attempts,
        )
        row.state, row.attempts, row.next_attempt_at = DeliveryState.PENDING.value, 0, utcnow()
        row.last_error, row.last_status_code, row.delivered_at = "", None, None
        uow.commit()
        return row.id
