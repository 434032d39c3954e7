"""Notification tasks: thin wrappers around the notifications service."""

from __future__ import annotations

from sqlalchemy.exc import OperationalError

from oms_app.core.db import UnitOfWork
from oms_app.core.permissions import SYSTEM_ACTOR
from oms_app.notifications import service as notifications_service
from tasks.celery_app import celery_app


@celery_app.task(
    name="tasks.notifications.notify_role",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def notify_role(
    role: str, title: str, body: str = "", kind: str = "info", link: str = ""
) -> list[int]:
    """Notify every user with a role (their bells ring live)."""
    return notifications_service.notify_role(
        UnitOfWork(), actor=SYSTEM_ACTOR, role=role, title=title, body=body, kind=kind, link=link
    )


@celery_app.task(
    name="tasks.notifications.notify_users",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def notify_users(
    user_ids: list[int], title: str, body: str = "", kind: str = "info", link: str = ""
) -> list[int]:
    """Notify the given users."""
    return notifications_service.notify_users(
        UnitOfWork(),
        actor=SYSTEM_ACTOR,
        user_ids=user_ids,
        title=title,
        body=body,
        kind=kind,
        link=link,
    )
