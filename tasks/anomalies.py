"""Re-check waiting orders when stock or prices change (and by beat, as a safety net)."""

from __future__ import annotations

from sqlalchemy.exc import OperationalError

from oms_app.core.db import UnitOfWork
from oms_app.core.permissions import SYSTEM_ACTOR
from oms_app.orders import review as order_review
from tasks.celery_app import celery_app


@celery_app.task(
    name="tasks.anomalies.recheck",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def recheck(skus: list[str] | None = None) -> dict[str, list[str]]:
    """Re-run anomaly checks of pending orders (those with these SKUs, or all). Idempotent."""
    return order_review.recheck_anomalies(UnitOfWork(), actor=SYSTEM_ACTOR, skus=skus)
