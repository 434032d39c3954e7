"""Write to the audit log inside the caller's transaction."""

from __future__ import annotations

import sqlalchemy as sa

from oms_app.audit.models import AuditEntry
from oms_app.core.permissions import Actor


def record(
    uow, *, actor: Actor, action: str, entity: str = "", entity_id: object = "", **detail: object
) -> None:
    """Append an audit entry (committed with the change it describes)."""
    uow.session.add(
        AuditEntry(
            actor_id=actor.user_id,
            actor_name=actor.username,
            action=action,
            entity=entity,
            entity_id=str(entity_id),
            detail={k: str(v) for k, v in detail.items()},
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
