"""Read side of the report centre: runs as rows (never their files) and a run's file."""

from __future__ import annotations

import sqlalchemy as sa

from oms_app.core.errors import NotFound, ValidationFailed
from oms_app.core.paging import PageRequest, run_page
from oms_app.core.permissions import Actor, Permission, require
from oms_app.reports.models import ReportRun
from oms_app.reports.status import ReportKind, ReportStatus

FORMATS = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
R = ReportRun
ROW_COLUMNS = (
    R.id,
    R.kind,
    R.date_from,
    R.date_to,
    R.locale,
    R.requested_by,
    R.requested_by_name,
    R.schedule_key,
    R.status,
    R.progress,
    R.pdf_size,
    R.xlsx_size,
    R.emailed_to,
    R.error,
    R.created_at,
    R.finished_at,
)
SORTS = {"created_at": R.created_at, "kind": R.kind, "status": R.status, "from": R.date_from}


def file_name(run, fmt: str) -> str:
    """The download name of a run's file: <kind>-<from>-<to>.<fmt>."""
    return f"{run.kind}-{run.date_from}-{run.date_to}.{fmt}"


def _row(found) -> dict:
    return {
        "id": found.id,
        "kind": found.kind,
        "from": found.date_from.isoformat(),
        "to": found.date_to.isoformat(),
        "locale": found.locale,
        "requested_by": found.requested_by_name,
        "scheduled": found.schedule_key is not None,
        "status": str(found.status),
        "progress": int(found.progress),
        "pdf_size": found.pdf_size,
        "xlsx_size": found.xlsx_size,
        "emailed_to": found.emailed_to,
        "error": found.error,
        "created_at": found.created_at.isoformat(),
        "finished_at": found.finished_at.isoformat() if found.finished_at else None,
        "files": {fmt: f"/api/v1/reports/{found.id}/file.{fmt}" for fmt in FORMATS}
        if str(found.status) == ReportStatus.DONE
        else {},
    }


def get_run(uow, *, actor: Actor, run_id: int) -> dict:
    """One run: status, progress and where its files are."""
    require(actor, Permission.DASHBOARD_VIEW)
    with uow:
        found = uow.session.execute(sa.select(*ROW_COLUMNS).where(R.id == run_id)).first()
    if found is None:
        raise NotFound(field="report", id=run_id)
    return _row(found)


def list_runs(
    uow, *, actor: Actor, page: PageRequest, kind: str = "", status: str = ""
) -> tuple[list[dict], int]:
    """Runs, newest first by default, narrowed by kind and status; one page and the total."""
    require(actor, Permission.DASHBOARD_VIEW)
    stmt = sa.select(*ROW_COLUMNS)
    if kind:
        if kind not in set(ReportKind):
            raise ValidationFailed("kind", "error.report.kind", value=kind)
        stmt = stmt.where(R.kind == kind)
    if status:
        if status not in set(ReportStatus):
            raise ValidationFailed("status", "error.report.status", value=status)
        stmt = stmt.where(R.status == status)
    if not page.sort:
        page = PageRequest(page.page, page.page_size, "created_at", True, page.search)
    with uow:
        rows, total = run_page(uow.session, stmt, page, SORTS, "created_at", R.id.desc())
    return [_row(found) for found in rows], total


def get_report_file(uow, *, actor: Actor, run_id: int, fmt: str) -> tuple[str, bytes, str]:
    """A finished run's PDF or XLSX: (file name, bytes, media type)."""
    require(actor, Permission.DASHBOARD_VIEW)
    if fmt not in FORMATS:
        raise NotFound(field="format", id=fmt)
    column = R.pdf if fmt == "pdf" else R.xlsx
    stmt = sa.select(R.kind, R.date_from, R.date_to, R.status, column.label("content")).where(
        R.id == run_id
    )
    with uow:
        found = uow.session.execute(stmt).first()
    if found is None or found.content is None or str(found.status) != ReportStatus.DONE:
        raise NotFound(field="report", id=run_id)
    return file_name(found, fmt), bytes(found.content), FORMATS[fmt]
