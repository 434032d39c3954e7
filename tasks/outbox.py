"""Republish outbox rows that were committed but not yet on the event stream."""

from __future__ import annotations

from redis.exceptions import ConnectionError as RedisConnectionError
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from oms_app.core.db import get_engine
from oms_app.core.events import relay_unpublished
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
