"""Writing a master-data record some of whose fields the actor may only propose.

Customers and products share these two steps: set what the actor may set, then audit it and
turn the rest into proposals, all inside the caller's transaction (no commit here).
"""

from __future__ import annotations

from oms_app.audit import service as audit
from oms_app.changes import rights
from oms_app.changes.requests import propose_changes
from oms_app.core.permissions import Actor

Changes = dict[str, tuple[object, object]]


def set_permitted_fields(
    actor: Actor, entity: str, record, before: dict, values: dict
) -> tuple[Changes, Changes]:
    """Set on the record the changed values the actor may set; a guarded field keeps its value.

    Returns (applied, proposed), each as {field: (old, new)}.
    """
    changes = audit.changed_fields(before, values)
    proposed = rights.held_back(actor, entity, changes)
    for name, value in values.items():
        if name not in proposed:
            setattr(record, name, value)
    applied = {k: pair for k, pair in changes.items() if k not in proposed}
    return applied, proposed


def record_write(
    uow,
    *,
    actor: Actor,
    entity: str,
    entity_id: int,
    key: tuple[str, str],
    created: bool,
    applied: Changes,
    proposed: Changes,
) -> None:
    """Audit what was applied (per field, old and new) and file a proposal per held-back field.

    `key` names the record for people, e.g. ("sku", "SKU-1") or ("code", "C00001").
    """
    key_name, key_value = key
    if created or applied:
        audit.record(
            uow,
            actor=actor,
            action=f"{entity}.created" if created else f"{entity}.updated",
            entity=entity,
            entity_id=entity_id,
            changes=applied,
            **{key_name: key_value},
        )
    propose_changes(
        uow,
        actor=actor,
        entity=entity,
        entity_id=entity_id,
        entity_key=key_value,
        changes=proposed,
    )
