"""Decide proposed master-data changes: approving applies the change through its owning area."""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from oms_app.catalog import service as catalog_service
from oms_app.changes import (
    lifecycle,  # noqa: F401  (registers the machine)
    rights,
)
from oms_app.changes.models import MasterDataChangeRequest
from oms_app.changes.requests import change_row
from oms_app.changes.status import ChangeAction
from oms_app.core.clock import utcnow
from oms_app.core.errors import DomainError, NotFound, ValidationFailed
from oms_app.core.permissions import Actor, Permission, require
from oms_app.core.state_machine import apply_transition
from oms_app.customers import service as customers_service


class OwnProposal(DomainError):
    """Four eyes: whoever proposed a change may not decide it."""

    code = "error.change_request.own"
    status_code = 403


def _apply_customer(uow, actor: Actor, c: MasterDataChangeRequest) -> None:
    customers_service.apply_approved_change(
        uow, actor=actor, customer_id=c.entity_id, field=c.field, value=c.new_value, change_id=c.id
    )


def _apply_product(uow, actor: Actor, c: MasterDataChangeRequest) -> None:
    catalog_service.apply_approved_change(
        uow, actor=actor, product_id=c.entity_id, field=c.field, value=c.new_value, change_id=c.id
    )


APPLIERS: dict[str, Callable[..., None]] = {"customer": _apply_customer, "product": _apply_product}


def _load_for_decision(uow, change_id: int, actor: Actor) -> MasterDataChangeRequest:
    change = uow.session.scalar(
        sa.select(MasterDataChangeRequest)
        .where(MasterDataChangeRequest.id == change_id)
        .with_for_update()
    )
    if change is None:
        raise NotFound(field="id", entity="change_request", value=change_id)
    needed = rights.right_for(change.entity, change.field)
    if needed is not None:
        require(actor, needed)
    if change.proposed_by_id is not None and change.proposed_by_id == actor.user_id:
        raise OwnProposal(field="id")
    return change


def _decide(uow, change: MasterDataChangeRequest, action, actor: Actor, reason: str) -> None:
    change.decided_by_id, change.decided_by = actor.user_id, actor.username
    change.decided_at, change.reason = utcnow(), reason
    apply_transition(uow, change, action, actor=actor, reason=reason)


def approve_change_request(uow, *, change_id: int, actor: Actor, reason: str = "") -> dict:
    """Apply a proposed change and close it as approved (its applying is audited old/new)."""
    require(actor, Permission.MASTERDATA_APPROVE)
    reason = reason.strip()[:500] if isinstance(reason, str) else ""
    with uow:
        change = _load_for_decision(uow, change_id, actor)
        _decide(uow, change, ChangeAction.APPROVE, actor, reason)
        APPLIERS[change.entity](uow, actor, change)
        row = change_row(change)
        uow.commit()
    return row


def reject_change_request(uow, *, change_id: int, actor: Actor, reason: str) -> dict:
    """Close a proposed change as rejected; the record keeps its value. A reason is required."""
    require(actor, Permission.MASTERDATA_APPROVE)
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason:
        raise ValidationFailed("reason", "error.required")
    if len(reason) > 500:
        raise ValidationFailed("reason", "error.too_long", max=500)
    with uow:
        change = _load_for_decision(uow, change_id, actor)
        _decide(uow, change, ChangeAction.REJECT, actor, reason)
        row = change_row(change)
        uow.commit()
    return row
