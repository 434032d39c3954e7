"""The outbox's two sweeps: publish what was never published, re-publish what Redis lost."""

from __future__ import annotations

from dataclasses import asdict

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from oms_app.core.db import get_engine
from oms_app.core.event_repair import repair_stream
from oms_app.core.events import relay_unpublished
from oms_app.core.redis_client import get_redis
from tasks.celery_app import celery_app


@celery_app.task(
    name="tasks.outbox.relay_outbox",
    autoretry_for=(OperationalError, RedisConnectionError),
    retry_backoff=True,
    max_retries=5,
)
def relay_outbox() -> int:
    """Publish what is left unpublished (beat: every 10 seconds). Safe to run twice."""
    total = 0
    with Session(get_engine()) as session:
        while count := relay_unpublished(session):
            total += count
    return total


# No autoretry: beat runs it again in a few seconds, and retries would pile up while Redis is
# away. Rows are taken skip-locked, so several workers and beats may run it at once.
@celery_app.task(name="tasks.outbox.repair_event_stream")
def repair_event_stream() -> dict:
    """Confirm published events still in the stream, republish lost ones (beat: every 5 s)."""
    try:
        with Session(get_engine()) as session:
            return asdict(repair_stream(session, get_redis()))
    except (OperationalError, RedisConnectionError, RedisTimeoutError) as err:
        return {"skipped": type(err).__name__}
