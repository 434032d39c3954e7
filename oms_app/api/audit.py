"""REST endpoints for the audit log (read-only) and master-data change requests."""

from __future__ import annotations

import asyncio
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from oms_app.api.auth import api_actor
from oms_app.api.errors import request_locale
from oms_app.api.master_data import NO_NUL, plain
from oms_app.api.params import Day, Page, PageSize, RowId
from oms_app.audit import export as audit_export
from oms_app.audit import queries as audit_queries
from oms_app.changes import queries as change_queries
from oms_app.changes import service as change_service
from oms_app.core.clock import format_local, utcnow
from oms_app.core.db import UnitOfWork
from oms_app.core.paging import PageRequest
from oms_app.core.permissions import Actor

router = APIRouter(prefix="/api/v1")
ActorDep = Annotated[Actor, Depends(api_actor)]
Text = Annotated[str, Query(max_length=64, pattern=NO_NUL)]


def audit_filter(
    who: Text = "",
    action: Text = "",
    entity: Text = "",
    entity_id: Text = "",
    date_from: Day | None = None,
    date_to: Day | None = None,
) -> audit_queries.AuditFilter:
    """who: username; action: "customer.updated" or an area ("customer"); days in your zone."""
    return audit_queries.AuditFilter(
        who=who,
        action=action,
        entity=entity,
        entity_id=entity_id,
        date_from=date_from,
        date_to=date_to,
    )


FilterDep = Annotated[audit_queries.AuditFilter, Depends(audit_filter)]
AuditSort = Literal["at", "actor", "action", "entity"]


@router.get("/audit", tags=["audit"])
async def list_audit(
    actor: ActorDep,
    flt: FilterDep,
    page: Page = 1,
    page_size: PageSize = 50,
    sort: AuditSort = "at",
    descending: bool = True,
) -> dict:
    """Audit entries (admin and finance: `audit.view`), newest first, times in the key owner's
    zone; each has `changes`: [{field, old, new}] for master-data edits."""
    request = PageRequest(page=page, page_size=page_size, sort=sort, descending=descending)
    result = await asyncio.to_thread(
        audit_queries.list_audit_entries, UnitOfWork(), actor=actor, request=request, flt=flt
    )
    return {"items": result["rows"], "total": result["total"], "page": page, "page_size": page_size}


def _export_file(
    actor: Actor, flt: audit_queries.AuditFilter, fmt: str, locale: str, sort: str, desc: bool
) -> tuple[bytes, str]:
    rows = audit_queries.export_audit_entries(
        UnitOfWork(), actor=actor, flt=flt, sort=sort, descending=desc
    )
    return audit_export.render(rows, fmt, locale)


@router.get("/audit/export", tags=["audit"])
async def export_audit(
    request: Request,
    actor: ActorDep,
    flt: FilterDep,
    fmt: Annotated[Literal["csv", "xlsx"], Query(alias="format")] = "csv",
    sort: AuditSort = "at",
    descending: bool = True,
) -> Response:
    """The filtered audit entries as a CSV or XLSX file for people (at most 50,000, in the
    list's sort): each action and entity kind in words, followed by its code."""
    locale = request_locale(request) if request.headers.get("accept-language") else actor.locale
    data, media_type = await asyncio.to_thread(
        _export_file, actor, flt, fmt, locale, sort, descending
    )
    filename = f"audit-{format_local(utcnow(), actor.tz, '%Y-%m-%d')}.{fmt}"
    return Response(
        data,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


class DecisionBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(default="", max_length=500, pattern=NO_NUL)


@router.get("/master-data/change-requests", tags=["master data changes"])
async def list_change_requests(
    actor: ActorDep,
    status: Literal["", "proposed", "approved", "rejected"] = "",
    entity: Literal["", "customer", "product"] = "",
    page: Page = 1,
    page_size: PageSize = 50,
) -> dict:
    """Proposed changes of guarded fields (credit limit, payment terms, tier, prices) made by
    someone without the field's right; needs `masterdata.approve`."""
    request = PageRequest(page=page, page_size=page_size)
    result = await asyncio.to_thread(
        change_queries.list_change_requests,
        UnitOfWork(),
        actor=actor,
        request=request,
        status=status,
        entity=entity,
    )
    items = plain(result["rows"])
    return {"items": items, "total": result["total"], "page": page, "page_size": page_size}


@router.post("/master-data/change-requests/{change_id}/approve", tags=["master data changes"])
async def approve_change_request(
    change_id: RowId, actor: ActorDep, body: DecisionBody | None = None
) -> dict:
    """Apply the proposed value (audited old/new). Needs `masterdata.approve` and the field's
    right (`customer.credit.edit`, `customer.tier.edit`, `price.edit`); never the proposer."""
    reason = body.reason if body else ""
    row = await asyncio.to_thread(
        change_service.approve_change_request,
        UnitOfWork(),
        change_id=change_id,
        actor=actor,
        reason=reason,
    )
    return plain(row)


@router.post("/master-data/change-requests/{change_id}/reject", tags=["master data changes"])
async def reject_change_request(change_id: RowId, body: DecisionBody, actor: ActorDep) -> dict:
    """Close the proposal with a reason (required); the record keeps its value."""
    row = await asyncio.to_thread(
        change_service.reject_change_request,
        UnitOfWork(),
        change_id=change_id,
        actor=actor,
        reason=body.reason,
    )
    return plain(row)
