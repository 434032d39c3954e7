"""Create and read notifications."""

from __future__ import annotations

import sqlalchemy as sa

from oms_app.accounts import service as accounts_service
from oms_app.core.clock import utcnow
from oms_app.core.errors import NotFound, ValidationFailed
from oms_app.core.permissions import Actor, Permission, require
from oms_app.notifications.events import NotificationCreated
from oms_app.notifications.models import Notification

KINDS = ("info", "warning", "alert")
REPEATS = "repeats"  # in params: how many times an unread notification was sent again


def notify_users(
    uow,
    *,
    actor: Actor,
    user_ids: list[int],
    title: str,
    body: str = "",
    kind: str = "info",
    link: str = "",
    params: dict | None = None,
) -> list[int]:
    """Send a notification to each user; their bells ring after commit.

    `title` and `body` may be translation keys with `params`: each reader sees their language.
    """
    require(actor, Permission.NOTIFY_SEND)
    if not title.strip():
        raise ValidationFailed("title", "error.required")
    if kind not in KINDS:
        raise ValidationFailed("kind", "error.choice", choices=", ".join(KINDS))
    with uow:
        ids = []
        for user_id in user_ids:
            row = _unread_same(uow, user_id, title.strip()[:200], link)
            if row is None:
                row = Notification(
                    user_id=user_id,
                    title=title.strip()[:200],
                    body=body[:1000],
                    kind=kind,
                    link=link,
                    params=dict(params or {}),
                )
            else:  # the same news again while the first is unread: one entry, counted
                repeats = int(row.params.get(REPEATS, 1)) + 1
                row.body, row.kind, row.created_at = body[:1000], kind, utcnow()
                row.params = {**dict(params or {}), REPEATS: repeats}
            uow.session.add(row)
            uow.session.flush()
            uow.add_event(
                NotificationCreated(
                    notification_id=row.id, user_id=user_id, title=row.title, kind=kind
                )
            )
            ids.append(row.id)
        uow.commit()
    return ids


def _unread_same(uow, user_id: int, title: str, link: str) -> Notification | None:
    """The user's unread notification of the same kind of news about the same place."""
    return uow.session.scalar(
        sa.select(Notification)
        .where(
            Notification.user_id == user_id,
            Notification.read_at.is_(None),
            Notification.title == title,
            Notification.link == link,
        )
        .order_by(Notification.id.desc())
        .limit(1)
        .with_for_update()
    )


def notify_role(
    uow,
    *,
    actor: Actor,
    role: str,
    title: str,
    body: str = "",
    kind: str = "info",
    link: str = "",
    params: dict | None = None,
) -> list[int]:
    """Send a notification to every active user holding `role`."""
    user_ids = accounts_service.user_ids_with_role(uow, role=role)
    return notify_users(
        uow,
        actor=actor,
        user_ids=user_ids,
        title=title,
        body=body,
        kind=kind,
        link=link,
        params=params,
    )


def mark_read(uow, *, actor: Actor, notification_id: int | None = None) -> int:
    """Mark one (or, with no id, all) of the actor's notifications read."""
    if actor.user_id is None:
        raise NotFound(entity="notification")
    with uow:
        stmt = sa.update(Notification).where(
            Notification.user_id == actor.user_id, Notification.read_at.is_(None)
        )
        if notification_id is not None:
            stmt = stmt.where(Notification.id == notification_id)
        count = uow.session.execute(stmt.values(read_at=utcnow())).rowcount
        uow.commit()
    return count
