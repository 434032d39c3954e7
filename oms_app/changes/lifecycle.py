"""Binds a change request to its machine; its history is the audit log."""

from __future__ import annotations

from oms_app.audit import service as audit
from oms_app.changes.events import MasterDataChangeDecided
from oms_app.changes.models import MasterDataChangeRequest
from oms_app.changes.status import CHANGE_MACHINE
from oms_app.core.state_machine import Lifecycle, Transition, register_lifecycle


def _history_row(t: Transition):
    c = t.entity
    return audit.entry(
        actor=t.actor,
        action=f"change_request.{t.to_status}",
        entity="change_request",
        entity_id=c.id,
        changes={"status": (t.from_status, t.to_status)},
        target=f"{c.entity}:{c.entity_key or c.entity_id}",
        field=c.field,
        reason=t.reason,
    )


def _event(t: Transition) -> MasterDataChangeDecided:
    c = t.entity
    return MasterDataChangeDecided(
        change_id=c.id,
        entity=c.entity,
        entity_id=c.entity_id,
        field=c.field,
        from_status=t.from_status,
        to_status=t.to_status,
        actor=t.actor.username,
        reason=t.reason,
        occurred_at=t.at,
    )


register_lifecycle(
    MasterDataChangeRequest,
    Lifecycle(machine=CHANGE_MACHINE, history_row=_history_row, event=_event),
)
