"""Budget tasks: threshold and forecast alerts. Thin and safe to re-run."""

from __future__ import annotations

from sqlalchemy.exc import OperationalError

from oms_app.budgets import alerts
from oms_app.core.clock import business_zone, utcnow
from oms_app.core.db import UnitOfWork
from oms_app.core.permissions import SYSTEM_ACTOR
from tasks.celery_app import celery_app


@celery_app.task(
    name="tasks.budgets.check_budgets_task",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def check_budgets_task() -> int:
    """Alert finance about budgets at 80 %, 100 % or forecast beyond them (beat: hourly)."""
    today = utcnow().astimezone(business_zone()).date()
    return alerts.check_budgets(UnitOfWork(), today=today, actor=SYSTEM_ACTOR)
