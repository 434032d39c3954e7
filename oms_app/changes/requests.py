"""Proposals of guarded field changes, made inside the caller's transaction (no commit here).

The owning areas (customers, catalog) call this when an actor changes a field they may only
propose; deciding a proposal lives in changes.service.
"""

from __future__ import annotations

import sqlalchemy as sa

from oms_app.audit import service as audit
from oms_app.changes.models import MasterDataChangeRequest
from oms_app.changes.status import ChangeStatus
from oms_app.core.permissions import Actor


def propose_changes(
    uow,
    *,
    actor: Actor,
    entity: str,
    entity_id: int,
    entity_key: str,
    changes: dict[str, tuple[object, object]],
) -> None:
    """Record one open proposal per field; the same open proposal is not made twice (an
    integration re-sending the whole record must not pile them up)."""
    s = uow.session
    for field, (old, new) in changes.items():
        waiting = s.scalar(
            sa.select(MasterDataChangeRequest.id).where(
                MasterDataChangeRequest.entity == entity,
                MasterDataChangeRequest.entity_id == entity_id,
                MasterDataChangeRequest.field == field,
                MasterDataChangeRequest.new_value == audit.shown(new),
                MasterDataChangeRequest.status == ChangeStatus.PROPOSED,
            )
        )
        if waiting is not None:
            continue
        request = MasterDataChangeRequest(
            entity=entity,
            entity_id=entity_id,
            entity_key=entity_key,
            field=field,
            old_value=audit.shown(old),
            new_value=audit.shown(new),
            status=ChangeStatus.PROPOSED,
            proposed_by_id=actor.user_id,
            proposed_by=actor.username,
        )
        s.add(request)
        s.flush()
        audit.record(
            uow,
            actor=actor,
            action="change_request.proposed",
            entity="change_request",
            entity_id=request.id,
            changes={field: (old, new)},
            target=f"{entity}:{entity_key or entity_id}",
        )


def open_changes(session, *, entity: str, entity_id: int) -> list[dict]:
    """The proposals still waiting for a decision on one record, oldest first."""
    rows = session.scalars(
        sa.select(MasterDataChangeRequest)
        .where(
            MasterDataChangeRequest.entity == entity,
            MasterDataChangeRequest.entity_id == entity_id,
            MasterDataChangeRequest.status == ChangeStatus.PROPOSED,
        )
        .order_by(MasterDataChangeRequest.id)
    )
    return [change_row(c) for c in rows]


def change_row(c: MasterDataChangeRequest) -> dict:
    return {
        "id": c.id,
        "entity": c.entity,
        "entity_id": c.entity_id,
        "entity_key": c.entity_key,
        "field": c.field,
        "old": c.old_value,
        "new": c.new_value,
        "status": str(c.status),
        "proposed_by": c.proposed_by,
        "proposed_at": c.proposed_at.isoformat() if c.proposed_at else "",
        "decided_by": c.decided_by,
        "decided_at": c.decided_at.isoformat() if c.decided_at else "",
        "reason": c.reason,
    }
