"""Write to the audit log inside the caller's transaction."""

from __future__ import annotations

import json
from decimal import Decimal

import sqlalchemy as sa

from oms_app.audit.models import AuditEntry
from oms_app.core.permissions import Actor


def shown(value: object) -> str:
    """A value as the audit log keeps it: money with two decimals, dicts as sorted JSON."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return str(value)


def changed_fields(before: dict, after: dict) -> dict[str, tuple[object, object]]:
    """(old, new) of each key whose shown value differs; a key missing before counts as empty."""
    return {k: (before.get(k), v) for k, v in after.items() if shown(before.get(k)) != shown(v)}


def entry(
    *,
    actor: Actor,
    action: str,
    entity: str = "",
    entity_id: object = "",
    changes: dict[str, tuple[object, object]] | None = None,
    **detail: object,
) -> AuditEntry:
    """An audit row, not yet added: plain detail as text, each change as {"old", "new"}."""
    values: dict = {k: str(v) for k, v in detail.items()}
    for field, (old, new) in (changes or {}).items():
        values[field] = {"old": shown(old), "new": shown(new)}
    return AuditEntry(
        actor_id=actor.user_id,
        actor_name=actor.username,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        detail=values,
    )


def record(
    uow,
    *,
    actor: Actor,
    action: str,
    entity: str = "",
    entity_id: object = "",
    changes: dict[str, tuple[object, object]] | None = None,
    **detail: object,
) -> None:
    """Append an audit entry (committed with the change it describes)."""
    uow.session.add(
        entry(
            actor=actor,
            action=action,
            entity=entity,
            entity_id=entity_id,
            changes=changes,
            **detail,
        )
    )


def actor_ids(uow, *, action: str, entity: str, entity_id: object) -> set[int]:
    """Everyone who did `action` to one entity (an order's draft editors, say)."""
    return set(
        uow.session.scalars(
            sa.select(AuditEntry.actor_id).where(
                AuditEntry.action == action,
                AuditEntry.entity == entity,
                AuditEntry.entity_id == str(entity_id),
                AuditEntry.actor_id.is_not(None),
            )
        )
    )
