"""Webhook tasks: pump new events into deliveries, attempt each delivery, re-queue lost ones.

The pump reads the event stream with its own consumer group ("webhooks"), so it sees every
event whatever the Reflex workers do with theirs. Queuing is idempotent by (subscription,
event), and an attempt takes a lease on its delivery, so every task here is safe to run twice.
An event republished after a Redis loss is therefore never queued twice: a duplicate would
reach a customer's system, so the dedupe is durable (the deliveries' unique key in PostgreSQL).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from redis.exceptions import ConnectionError as RedisConnectionError
from sqlalchemy.exc import OperationalError

from oms_app.core.clock import utcnow
from oms_app.core.config import get_settings
from oms_app.core.db import UnitOfWork
from oms_app.core.events import decode_stream_entry
from oms_app.core.redis_client import get_redis
from oms_app.webhooks import service as webhooks_service
from tasks.celery_app import celery_app
from tasks.stream_groups import ensure_group, read_batches

log = logging.getLogger(__name__)
GROUP = "webhooks"
# One consumer name for every pump: entries read but not acknowledged (a pump died between
# reading and acknowledging) are read again by the next pump; queuing them twice is harmless.
CONSUMER = "pump"
BATCH = 500
MAX_BATCHES = 20  # per run, so one pump cannot run forever behind a busy stream
OVERDUE = timedelta(seconds=30)
MAX_COUNTDOWN_SECONDS = 60


def _queue(client, stream: str, entries: list[tuple[str, dict | None]]) -> int:
    """Turn stream entries into deliveries, commit, acknowledge, then send them."""
    events = []
    for entry_id, fields in entries:
        try:
            events.append(webhooks_service.StreamEvent(*decode_stream_entry(fields)))
        except (KeyError, TypeError, ValueError):  # trimmed or foreign: acknowledge and skip
            log.warning("skipping unreadable stream entry %s", entry_id)
    ids = webhooks_service.enqueue_events(UnitOfWork(), events=events) if events else []
    client.xack(stream, GROUP, *[entry_id for entry_id, _ in entries])
    for delivery_id in ids:
        deliver_webhook.delay(delivery_id)
    return len(ids)


@celery_app.task(
    name="tasks.webhooks.pump_webhook_events",
    autoretry_for=(OperationalError, RedisConnectionError),
    retry_backoff=True,
    max_retries=5,
)
def pump_webhook_events() -> int:
    """Queue and send deliveries for new events (beat: every 3 seconds). Safe to run twice."""
    client, stream = get_redis(), get_settings().event_stream
    ensure_group(client, stream)
    queued = 0
    for entries in read_batches(
        client, stream, GROUP, CONSUMER, batch=BATCH, max_batches=MAX_BATCHES
    ):
        queued += _queue(client, stream, entries)
    return queued


@celery_app.task(
    name="tasks.webhooks.deliver_webhook",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def deliver_webhook(delivery_id: int) -> str:
    """Make one signed attempt at a delivery; schedule the next after a failure."""
    result = webhooks_service.deliver(UnitOfWork(), delivery_id=delivery_id)
    retry_in = result["retry_in"]
    # A countdown longer than the broker's visibility timeout would be handed out again every
    # timeout while it waits: later retries are left to the retry_due_webhooks sweep instead.
    if retry_in is not None and retry_in <= MAX_COUNTDOWN_SECONDS:
        deliver_webhook.apply_async((delivery_id,), countdown=retry_in)
    return result["state"]


@celery_app.task(
    name="tasks.webhooks.retry_due_webhooks",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def retry_due_webhooks() -> int:
    """Queue again the deliveries whose attempt is overdue: lost tasks (beat: every minute)."""
    ids = webhooks_service.due_delivery_ids(UnitOfWork(), now=utcnow(), overdue=OVERDUE)
    for delivery_id in ids:
        deliver_webhook.delay(delivery_id)
    return len(ids)


def queue_delivery(delivery_id: int) -> bool:
    """Queue an attempt now (after a redelivery); if the broker is away, the sweep will."""
    try:
        deliver_webhook.delay(delivery_id)
    except Exception:  # the row is pending and due: retry_due_webhooks picks it up
        log.warning("could not queue webhook delivery %s", delivery_id, exc_info=True)
        return False
    return True
