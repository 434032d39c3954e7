"""Read side of proposed master-data changes."""

from __future__ import annotations

import sqlalchemy as sa

from oms_app.changes.models import MasterDataChangeRequest
from oms_app.changes.requests import change_row
from oms_app.changes.status import ChangeStatus
from oms_app.core.errors import ValidationFailed
from oms_app.core.paging import PageRequest, run_page
from oms_app.core.permissions import Actor, Permission, require

C = MasterDataChangeRequest
SORTS = {"proposed_at": C.proposed_at, "entity": C.entity, "field": C.field}


def list_change_requests(
    uow, *, actor: Actor, request: PageRequest, status: str = "", entity: str = ""
) -> dict:
    """A page of change requests, newest first by default, filtered by status and entity."""
    require(actor, Permission.MASTERDATA_APPROVE)
    stmt = sa.select(C)
    if status:
        if status not in set(ChangeStatus):
            choices = ", ".join(s.value for s in ChangeStatus)
            raise ValidationFailed("status", "error.choice", choices=choices)
        stmt = stmt.where(C.status == status)
    if entity:
        stmt = stmt.where(C.entity == entity)
    with uow:
        rows, total = run_page(uow.session, stmt, request, SORTS, "proposed_at", C.id.desc())
        return {"rows": [change_row(c) for (c,) in rows], "total": total}
