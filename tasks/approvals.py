"""Approval tasks: thin wrappers around the approvals service."""

from __future__ import annotations

from sqlalchemy.exc import OperationalError

from oms_app.approvals import service as approvals_service
from oms_app.core.db import UnitOfWork
from tasks.celery_app import celery_app


@celery_app.task(
    name="tasks.approvals.escalate_stale",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def escalate_stale() -> int:
    """Escalate approval levels past their SLA (beat: every 15 minutes). Safe to re-run."""
    return len(approvals_service.escalate_stale(UnitOfWork()))
