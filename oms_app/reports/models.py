"""Tables of the report centre: one row per report run (with its files) and its history.

The PDF and XLSX live in bytea columns rather than under data_dir: Celery workers may run on
other machines than the web backend that serves the downloads, and a report is a few hundred
kilobytes at most. List queries select named columns, so the files are read only on download.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from oms_app.core.db import utc_field
from oms_app.reports.status import ReportStatus


class ReportRun(SQLModel, table=True):
    """One report of a kind over a period of business days, made by a worker."""

    __tablename__ = "report_runs"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=24, index=True)
    date_from: date
    date_to: date
    locale: str = Field(default="zh_CN", max_length=8)
    # Scheduled runs carry "<kind>:<from>" so a beat firing twice makes one report.
    schedule_key: str | None = Field(default=None, max_length=48, unique=True)
    requested_by: int | None = Field(default=None, foreign_key="users.id", index=True)
    requested_by_name: str = Field(default="", max_length=64)
    status: ReportStatus = Field(default=ReportStatus.QUEUED, sa_type=sa.String(16), index=True)
    progress: int = Field(default=0)
    pdf: bytes | None = Field(default=None, sa_type=sa.LargeBinary)
    xlsx: bytes | None = Field(default=None, sa_type=sa.LargeBinary)
    pdf_size: int = Field(default=0)
    xlsx_size: int = Field(default=0)
    email_to: str = Field(default="", max_length=500)
    emailed_to: str = Field(default="", max_length=500)
    emailed_at: datetime | None = utc_field()
    error: str = Field(default="", max_length=500)
    created_at: datetime = utc_field(default_now=True, index=True)
    started_at: datetime | None = utc_field()
    finished_at: datetime | None = utc_field()
    updated_at: datetime = utc_field(default_now=True)


class ReportRunEvent(SQLModel, table=True):
    """A status change of a report run: who, when, why."""

    __tablename__ = "report_run_events"

    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(foreign_key="report_runs.id", index=True)
    from_status: str = Field(max_length=16)
    to_status: str = Field(max_length=16)
    action: str = Field(max_length=16)
    actor_id: int | None = Field(default=None)
    actor_name: str = Field(max_length=64)
    reason: str = Field(default="", max_length=500)
    at: datetime = utc_field(default_now=True)
