"""The report centre over HTTP: ask for a report, follow its progress, download its files."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from oms_app.api.auth import api_actor, api_or_session_actor
from oms_app.api.params import Day, Page, PageSize, RowId
from oms_app.core.db import UnitOfWork
from oms_app.core.paging import PageRequest
from oms_app.core.permissions import Actor
from oms_app.reports import queries as report_queries
from oms_app.reports import service as reports_service
from tasks.reports import enqueue_report

router = APIRouter(prefix="/api/v1", tags=["reports"])
ActorDep = Annotated[Actor, Depends(api_actor)]
# Files open in the browser from the report centre's links, so the session cookie works there.
ViewerDep = Annotated[Actor, Depends(api_or_session_actor)]


class ReportBody(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    kind: str = Field(min_length=1, max_length=24)
    date_from: Day | None = Field(default=None, alias="from")
    date_to: Day | None = Field(default=None, alias="to")
    email_to: str = Field(default="", max_length=500)


@router.post("/reports", status_code=202)
async def request_report(body: ReportBody, actor: ActorDep) -> JSONResponse:
    """Queue a report (kind: daily_operations, weekly_sales or monthly_management)."""
    run_id = await asyncio.to_thread(
        reports_service.request_report,
        UnitOfWork(),
        actor=actor,
        kind=body.kind,
        date_from=body.date_from,
        date_to=body.date_to,
        email_to=body.email_to,
    )
    await asyncio.to_thread(enqueue_report, run_id)
    run = await asyncio.to_thread(report_queries.get_run, UnitOfWork(), actor=actor, run_id=run_id)
    return JSONResponse(run, status_code=202, headers={"Location": f"/api/v1/reports/{run_id}"})


@router.get("/reports")
async def list_reports(
    actor: ActorDep,
    kind: Annotated[str, Query(max_length=24)] = "",
    status: Annotated[str, Query(max_length=16)] = "",
    page: Page = 1,
    page_size: PageSize = 25,
) -> dict:
    """Report runs, newest first, without their files."""
    rows, total = await asyncio.to_thread(
        report_queries.list_runs,
        UnitOfWork(),
        actor=actor,
        page=PageRequest(page=page, page_size=page_size),
        kind=kind.strip(),
        status=status.strip(),
    )
    return {"items": rows, "total": total, "page": page, "page_size": page_size}


@router.get("/reports/{run_id}")
async def get_report(run_id: RowId, actor: ActorDep) -> dict:
    """One run's status, progress and file links."""
    return await asyncio.to_thread(report_queries.get_run, UnitOfWork(), actor=actor, run_id=run_id)


async def _file(run_id: int, fmt: str, actor: Actor) -> Response:
    name, content, media_type = await asyncio.to_thread(
        report_queries.get_report_file, UnitOfWork(), actor=actor, run_id=run_id, fmt=fmt
    )
    return Response(
        content=content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/reports/{run_id}/file.pdf")
async def report_pdf(run_id: RowId, actor: ViewerDep) -> Response:
    """A finished run's PDF."""
    return await _file(run_id, "pdf", actor)


@router.get("/reports/{run_id}/file.xlsx")
async def report_xlsx(run_id: RowId, actor: ViewerDep) -> Response:
    """A finished run's workbook."""
    return await _file(run_id, "xlsx", actor)
