"""Replenishment and backorder tasks: thin wrappers, safe to re-run."""

from __future__ import annotations

from sqlalchemy.exc import OperationalError

from oms_app.core.db import UnitOfWork
from oms_app.core.permissions import SYSTEM_ACTOR
from oms_app.fulfillment import allocation
from oms_app.inventory import replenishment
from tasks.celery_app import celery_app


@celery_app.task(
    name="tasks.replenishment.suggest_replenishment_task",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def suggest_replenishment_task() -> dict:
    """Recompute day-old reorder rules, then propose purchases (beat: every 30 minutes)."""
    return replenishment.run_replenishment(UnitOfWork(), actor=SYSTEM_ACTOR)


@celery_app.task(
    name="tasks.replenishment.allocate_backorders_task",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def allocate_backorders_task() -> list[str]:
    """Serve waiting orders from stock that came by any path (beat: every minute)."""
    return allocation.allocate_backorders(UnitOfWork(), actor=SYSTEM_ACTOR)
