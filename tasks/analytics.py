"""Rollup tasks: the pump rewrites the days of orders whose events arrived; a nightly pass
rewrites recent days again, in case stream entries were trimmed before the pump read them.

The pump reads the event stream with its own consumer group ("rollups"), so it sees every
event whatever other consumers do. Rewriting a day is idempotent: every task is safe to run
twice or at once (rewrites take a lock).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from redis.exceptions import ConnectionError as RedisConnectionError
from sqlalchemy.exc import OperationalError

from oms_app.analytics import rollups
from oms_app.core.config import get_settings
from oms_app.core.db import UnitOfWork
from oms_app.core.events import decode_stream_entry, mark_events_seen, unseen_event_ids
from oms_app.core.redis_client import get_redis
from tasks.celery_app import celery_app
from tasks.stream_groups import ensure_group, read_batches

log = logging.getLogger(__name__)
GROUP = "rollups"
CONSUMER = "pump"  # one name: what a dead pump read is read again by the next
BATCH = 1000
MAX_BATCHES = 20
# Events that may change an order's figures: booking, warehouse, shipment, cancellation.
ORDER_EVENTS = frozenset({"order.status_changed"})
RECENT_DAYS = 35


def _order_events(entries) -> dict[str, int]:
    """The order id of each order event among the entries, by event id."""
    events = {}
    for entry_id, fields in entries:
        try:
            event_id, event_type, data = decode_stream_entry(fields)
            if event_type in ORDER_EVENTS:
                events[event_id] = int(data["order_id"])
        except (KeyError, TypeError, ValueError):  # trimmed or foreign: skip it
            log.warning("skipping unreadable stream entry %s", entry_id)
    return events


def _refresh(client, entries) -> int:
    """Rewrite the days of the orders of events not handled before; rows written.

    A duplicate (an event republished after a Redis loss) would only rewrite the same days
    again, so the cheap Redis dedupe is enough here; it is marked after the rewrite, so a
    crash in between rewrites again rather than skips.
    """
    events = _order_events(entries)
    fresh = unseen_event_ids(client, GROUP, list(events))
    written = 0
    if order_ids := {events[event_id] for event_id in fresh}:
        written = rollups.refresh_orders(UnitOfWork(), order_ids)
    mark_events_seen(client, GROUP, sorted(fresh))
    return written


@celery_app.task(
    name="tasks.analytics.pump_rollup_events",
    autoretry_for=(OperationalError, RedisConnectionError),
    retry_backoff=True,
    max_retries=5,
)
def pump_rollup_events() -> int:
    """Rewrite the rollup days of orders named by new events (beat: every 5 s); rows written."""
    client, stream = get_redis(), get_settings().event_stream
    # The group reads from the stream's start (core.events.CONSUMER_GROUPS): events before
    # the first pump only cost a rewrite of their days.
    ensure_group(client, stream)
    written = 0
    for entries in read_batches(
        client, stream, GROUP, CONSUMER, batch=BATCH, max_batches=MAX_BATCHES
    ):
        written += _refresh(client, entries)
        client.xack(stream, GROUP, *[entry_id for entry_id, _ in entries])
    return written


@celery_app.task(
    name="tasks.analytics.refresh_recent_rollups",
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=5,
)
def refresh_recent_rollups(days: int = RECENT_DAYS) -> int:
    """Rewrite the last `days` business days (beat: nightly); rows written."""
    today = rollups.business_today()
    return rollups.rebuild(UnitOfWork(), first=today - timedelta(days=days), last=today)
