"""Domain events: an outbox row in the business transaction, a Redis stream entry after commit.

The outbox makes events durable: if Redis blinks after the commit, the relay task republishes
what is still unpublished. Consumers are idempotent by event id.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import uuid
from datetime import datetime
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlmodel import Field, SQLModel

from oms_app.core.clock import utcnow
from oms_app.core.config import get_settings
from oms_app.core.db import json_field, utc_field

log = logging.getLogger(__name__)

STREAM_MAXLEN = 100_000


@dataclasses.dataclass(frozen=True, kw_only=True)
class DomainEvent:
    """Base of past-tense events. Subclasses set `name` and add their fields."""

    name: ClassVar[str] = "event"
    event_id: str = dataclasses.field(default_factory=lambda: uuid.uuid4().hex)
    occurred_at: datetime = dataclasses.field(default_factory=utcnow)

    def payload(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data.pop("event_id")
        data.pop("occurred_at")
        return json.loads(json.dumps(data, default=str))


class OutboxMessage(SQLModel, table=True):
    """An event waiting to be (or already) appended to the Redis stream."""

    __tablename__ = "outbox"

    id: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(max_length=32, unique=True)
    event_type: str = Field(max_length=80, index=True)
    payload: dict = json_field()
    created_at: datetime = utc_field(default_now=True)
    published_at: datetime | None = utc_field(index=True)
    attempts: int = Field(default=0)


def write_outbox_row(session: Session, event: DomainEvent) -> None:
    session.add(
        OutboxMessage(
            event_id=event.event_id,
            event_type=event.name,
            payload=event.payload(),
            created_at=event.occurred_at,
        )
    )


def stream_fields(event_id: str, event_type: str, payload: dict) -> dict[str, str]:
    return {"id": event_id, "type": event_type, "data": json.dumps(payload, default=str)}


def _append(rows: list[OutboxMessage]) -> None:
    from oms_app.core.redis_client import get_redis

    pipe = get_redis().pipeline()
    stream = get_settings().event_stream
    for row in rows:
        pipe.xadd(
            stream,
            stream_fields(row.event_id, row.event_type, row.payload),
            maxlen=STREAM_MAXLEN,
            approximate=True,
        )
    pipe.execute()


def publish_after_commit(session: Session, events: list[DomainEvent]) -> None:
    """Append just-committed events to the stream; on failure the relay will retry them."""
    ids = [e.event_id for e in events]
    rows = session.scalars(sa.select(OutboxMessage).where(OutboxMessage.event_id.in_(ids))).all()
    try:
        _append(list(rows))
    except Exception:  # Redis down: the rows stay unpublished for the relay
        log.warning("event publish failed; the outbox relay will retry", exc_info=True)
        return
    _mark_published(session, [r.id for r in rows])


def _mark_published(session: Session, row_ids: list[int]) -> None:
    session.execute(
        sa.update(OutboxMessage).where(OutboxMessage.id.in_(row_ids)).values(published_at=utcnow())
    )
    session.commit()


def relay_unpublished(session: Session, *, batch: int = 500) -> int:
    """Publish outbox rows left unpublished (skip-locked, so relays may run in parallel)."""
    rows = session.scalars(
        sa.select(OutboxMessage)
        .where(OutboxMessage.published_at.is_(None))
        .order_by(OutboxMessage.id)
        .limit(batch)
        .with_for_update(skip_locked=True)
    ).all()
    if not rows:
        session.rollback()
        return 0
    for row in rows:
        row.attempts += 1
    _append(list(rows))
    _mark_published(session, [r.id for r in rows])
    return len(rows)


def decode_stream_entry(fields: dict[str, str]) -> tuple[str, str, dict]:
    return fields["id"], fields["type"], json.loads(fields["data"])
