"""Report centre tasks: make a report's files, and queue the scheduled reports (beat)."""

from __future__ import annotations

from sqlalchemy.exc import OperationalError

from oms_app.core.db import UnitOfWork
from oms_app.core.permissions import SYSTEM_ACTOR
from oms_app.reports import service as reports_service
from tasks.celery_app import celery_app


@celery_app.task(
    name="tasks.reports.generate_report_task",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def generate_report_task(run_id: int) -> str:
    """Draw, store and mail one report run; a finished run is left as it is."""
    return reports_service.generate_report(UnitOfWork(), run_id=run_id, actor=SYSTEM_ACTOR)


@celery_app.task(
    name="tasks.reports.schedule_report_task",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def schedule_report_task(kind: str) -> int | None:
    """Queue the scheduled report of a kind when due (beat: 01:00 Shanghai) and make it."""
    run_id = reports_service.schedule_report(UnitOfWork(), kind=kind, actor=SYSTEM_ACTOR)
    if run_id is not None:
        generate_report_task.delay(run_id)
    return run_id


def enqueue_report(run_id: int) -> None:
    """Hand a requested run to a worker."""
    generate_report_task.delay(run_id)
