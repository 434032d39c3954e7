"""The Celery app: Redis broker, late acks, retries with backoff, the beat schedule."""

from __future__ import annotations

from celery import Celery, bootsteps
from celery.schedules import crontab
from celery.signals import worker_process_init

import oms_app.models  # noqa: F401  (every table, for foreign keys across areas)
from oms_app.core.config import get_settings

TASK_MODULES = [
    "tasks.outbox",
    "tasks.notifications",
    "tasks.webhooks",
    "tasks.approvals",
    "tasks.templates",
    "tasks.anomalies",
    "tasks.replenishment",
    "tasks.fulfillment",
    "tasks.payments",
    "tasks.reports",
    "tasks.budgets",
    "tasks.analytics",
]


def redis_transport_options() -> dict:
    """How soon a task held by a worker that was killed outright is handed to another worker.

    With Redis a delivered task waits in an "unacked" hash; when its worker dies without a
    goodbye (SIGKILL, power loss), another worker restores it once it is older than the
    visibility timeout. Kombu's default (1 h, swept every ~100 s) left a killed worker's report
    or webhook waiting an hour. We take 5 min (OMS_CELERY_VISIBILITY_TIMEOUT_SECONDS) swept every
    10 s: longer than any task of ours runs (reports and rollups take seconds), so a task still
    running is not handed out twice. What may outlive it is safe to meet twice: a report run
    restarts or is left done under its row lock, a webhook attempt holds a 2 min lease, payment
    events lock their row, and a retry waiting out a countdown longer than the timeout (webhook
    backoff) is re-handed every timeout but each copy finds the lease or the "done" state.
    """
    return {
        "visibility_timeout": get_settings().celery_visibility_timeout_seconds,
        "unacked_restore_interval": 10,
        "unacked_restore_throttle": 1,  # scan on every sweep, not every 10th
    }


def make_celery() -> Celery:
    url = get_settings().redis_url or "redis://127.0.0.1:6379/0"
    app = Celery("oms", broker=url, backend=url, include=TASK_MODULES)
    app.conf.update(
        # A task is acknowledged when it ends, so one whose worker dies mid-way runs again:
        # every task is idempotent (a lease, a row lock or a "done" check makes a twin a no-op).
        task_acks_late=True,
        # A pool child killed mid-task (OOM, segfault) puts its task back at once.
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        result_expires=3600,
        timezone="UTC",
        enable_utc=True,
        broker_connection_retry_on_startup=True,
        broker_transport_options=redis_transport_options(),
        # Beat runs HeartbeatScheduler (tasks/heartbeat.py): it also writes beat's heartbeat.
        beat_scheduler="tasks.heartbeat:HeartbeatScheduler",
        beat_schedule={
            "relay-outbox": {"task": "tasks.outbox.relay_outbox", "schedule": 10.0},
            # Confirms published events after the fsync window, republishes what Redis lost.
            "repair-event-stream": {"task": "tasks.outbox.repair_event_stream", "schedule": 5.0},
            "pump-rollup-events": {"task": "tasks.analytics.pump_rollup_events", "schedule": 5.0},
            # 02:30 Shanghai: recent days again, should stream entries have been trimmed unread.
            "refresh-recent-rollups": {
                "task": "tasks.analytics.refresh_recent_rollups",
                "schedule": crontab(minute=30, hour=18),
            },
            "recurring-order-templates": {
                "task": "tasks.templates.run_recurring",
                "schedule": 60 * 60.0,
            },
            "recheck-anomalies": {"task": "tasks.anomalies.recheck", "schedule": 10 * 60.0},
            "escalate-stale-approvals": {
                "task": "tasks.approvals.escalate_stale",
                "schedule": 15 * 60.0,
            },
            "pump-webhook-events": {"task": "tasks.webhooks.pump_webhook_events", "schedule": 3.0},
            "retry-due-webhooks": {"task": "tasks.webhooks.retry_due_webhooks", "schedule": 60.0},
            "suggest-replenishment": {
                "task": "tasks.replenishment.suggest_replenishment_task",
                "schedule": 30 * 60.0,
            },
            "allocate-backorders": {
                "task": "tasks.replenishment.allocate_backorders_task",
                "schedule": 60.0,
            },
            "track-shipments": {
                "task": "tasks.fulfillment.track_shipments_task",
                "schedule": 5 * 60.0,
            },
            "reconcile-payments": {
                "task": "tasks.payments.reconcile_payments_task",
                "schedule": 5 * 60.0,
            },
            "process-pending-stripe-events": {
                "task": "tasks.payments.process_pending_stripe_events_task",
                "schedule": 2 * 60.0,
            },
            "flag-overdue-invoices": {
                "task": "tasks.payments.flag_overdue_invoices_task",
                "schedule": 60 * 60.0,
            },
            "check-budgets": {
                "task": "tasks.budgets.check_budgets_task",
                "schedule": 60 * 60.0,
            },
            # Reports at 01:00 Shanghai = 17:00 UTC the day before; the task checks the due day.
            "daily-operations-report": {
                "task": "tasks.reports.schedule_report_task",
                "schedule": crontab(minute=0, hour=17),
                "args": ("daily_operations",),
            },
            "weekly-sales-report": {
                "task": "tasks.reports.schedule_report_task",
                "schedule": crontab(minute=0, hour=17, day_of_week="sun"),
                "args": ("weekly_sales",),
            },
            "monthly-management-report": {
                "task": "tasks.reports.schedule_report_task",
                "schedule": crontab(minute=0, hour=17, day_of_month="28-31"),
                "args": ("monthly_management",),
            },
        },
    )
    return app


celery_app = make_celery()


@worker_process_init.connect
def _fresh_connections_after_fork(**_: object) -> None:
    from oms_app.core.db import dispose_engines
    from oms_app.core.redis_client import reset_redis_clients

    dispose_engines()
    reset_redis_clients()


class HeartbeatStep(bootsteps.StartStopStep):
    """Keeps the worker's heartbeat key fresh while the worker runs (read by /api/v1/health)."""

    def start(self, worker) -> None:
        from tasks.heartbeat import start_heartbeat_thread

        start_heartbeat_thread(worker.hostname)

    def stop(self, worker) -> None:
        from tasks.heartbeat import stop_heartbeat_thread

        stop_heartbeat_thread(worker.hostname)


celery_app.steps["worker"].add(HeartbeatStep)
