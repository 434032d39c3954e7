"""Payment tasks: webhook events, reconciliation and overdue invoices. Thin and safe to re-run."""

from __future__ import annotations

from sqlalchemy.exc import OperationalError

from oms_app.core.db import UnitOfWork
from oms_app.core.permissions import SYSTEM_ACTOR
from oms_app.payments import inbox, invoices, reconcile
from oms_app.payments.provider import ProviderError
from tasks.celery_app import celery_app


@celery_app.task(
    name="tasks.payments.process_stripe_event_task",
    autoretry_for=(OperationalError, ProviderError),
    retry_backoff=True,
    max_retries=8,
)
def process_stripe_event_task(event_id: str) -> str:
    """Apply one stored Stripe event to its payment (queued by the webhook endpoint)."""
    return inbox.process_stripe_event(UnitOfWork(), event_id=event_id)


@celery_app.task(
    name="tasks.payments.reconcile_payments_task",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def reconcile_payments_task() -> dict:
    """Check payments stuck with the provider and fix or flag them (beat: every 5 minutes)."""
    return reconcile.reconcile_stuck_payments(UnitOfWork(), actor=SYSTEM_ACTOR)


@celery_app.task(
    name="tasks.payments.flag_overdue_invoices_task",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def flag_overdue_invoices_task() -> int:
    """Alert finance about invoices past due (beat: hourly)."""
    return invoices.flag_overdue_invoices(UnitOfWork(), actor=SYSTEM_ACTOR)


@celery_app.task(name="tasks.payments.process_pending_stripe_events_task")
def process_pending_stripe_events_task() -> int:
    """Re-queue stored events nobody processed (a worker died): beat safety net."""
    pending = inbox.unprocessed_event_ids(UnitOfWork())
    for event_id in pending:
        process_stripe_event_task.delay(event_id)
    return len(pending)
