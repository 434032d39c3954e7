"""Warehouse floor tasks: thin wrappers, safe to re-run."""

from __future__ import annotations

from sqlalchemy.exc import OperationalError

from oms_app.core.db import UnitOfWork
from oms_app.core.permissions import SYSTEM_ACTOR
from oms_app.fulfillment import shipping
from tasks.celery_app import celery_app


@celery_app.task(
    name="tasks.fulfillment.track_shipments_task",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def track_shipments_task() -> int:
    """Ask the carriers about shipped parcels; delivered ones close (beat: every 5 minutes)."""
    return shipping.track_shipments(UnitOfWork(), actor=SYSTEM_ACTOR)
