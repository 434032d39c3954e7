"""Read side of notifications."""

from __future__ import annotations

import sqlalchemy as sa

from oms_app.core.clock import format_local
from oms_app.core.i18n import translate
from oms_app.core.permissions import Actor
from oms_app.notifications.models import Notification
from oms_app.notifications.service import REPEATS


def list_recent(uow, *, actor: Actor, limit: int = 10) -> list[dict]:
    """The actor's newest notifications as rows for the bell."""
    if actor.user_id is None:
        return []
    with uow:
        rows = uow.session.scalars(
            sa.select(Notification)
            .where(Notification.user_id == actor.user_id)
            .order_by(Notification.id.desc())
            .limit(limit)
        ).all()
        return [
            {
                "id": r.id,
                "title": _title(r, actor.locale),
                "body": translate(r.body, actor.locale, **_shown(r.params, actor.locale))
                if r.body
                else "",
                "kind": r.kind,
                "link": r.link,
                "unread": r.read_at is None,
                "at": format_local(r.created_at, actor.tz),
            }
            for r in rows
        ]


def _shown(params: dict | None, locale: str) -> dict:
    """Params as a person reads them: role and anomaly names, not their keys."""
    shown = dict(params or {})
    if "role" in shown:
        shown["role"] = translate(f"role.{shown['role']}", locale)
    if "codes" in shown:
        codes = [c.strip() for c in str(shown["codes"]).split(",") if c.strip()]
        shown["codes"] = "、".join(translate(f"anomaly.{c}", locale) for c in codes)
    return shown


def _title(row: Notification, locale: str) -> str:
    title = translate(row.title, locale, **_shown(row.params, locale))
    repeats = int((row.params or {}).get(REPEATS, 1))
    return title + translate("notify.repeated", locale, count=repeats) if repeats > 1 else title


def count_unread(uow, *, actor: Actor) -> int:
    if actor.user_id is None:
        return 0
    with uow:
        return (
            uow.session.scalar(
                sa.select(sa.func.count())
                .select_from(Notification)
                .where(Notification.user_id == actor.user_id, Notification.read_at.is_(None))
            )
            or 0
        )
