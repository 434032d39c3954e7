"""Domain events: an outbox row in the business transaction, a Redis stream entry after commit.

The outbox makes events durable. A row is published when XADD returned (its stream id is kept)
and confirmed only when a later check still finds that entry in the stream after Redis's fsync
window (core/event_repair.py). The relay republishes what was never published, the repair task
what Redis lost; consumers ignore duplicates by event id.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import uuid
from datetime import datetime
from typing import Any, ClassVar

import sqlalchemy as sa
from redis.exceptions import RedisError
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
    # The entry id XADD returned: the repair task looks the entry up by it.
    stream_id: str | None = Field(default=None, max_length=32)
    # Set once the entry was found in the stream after the fsync window; cleared again when
    # Redis is found restarted or emptied, so the rows of the retention window are re-checked.
    confirmed_at: datetime | None = utc_field()

    __table_args__ = (
        sa.Index(
            "ix_outbox_unconfirmed",
            "published_at",
            postgresql_where=sa.text("published_at IS NOT NULL AND confirmed_at IS NULL"),
        ),
    )


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


# Every consumer group of the event stream, with where it starts on a stream that already
# exists ("$": only what comes next, "0": all the stream still holds). The one list: a stream
# that is new, or was lost and is re-created, gets every group at its start before any entry,
# so no group skips events republished into it.
CONSUMER_GROUPS: dict[str, str] = {"reflex-ui": "$", "webhooks": "$", "rollups": "0"}

# Atomic, so no entry can slip in between "the stream is new" and "every group exists".
ENSURE_GROUPS_SCRIPT = """
local fresh = redis.call('EXISTS', KEYS[1]) == 0
for i = 1, #ARGV, 2 do
  local start = ARGV[i + 1]
  if fresh then start = '0' end
  redis.pcall('XGROUP', 'CREATE', KEYS[1], ARGV[i], start, 'MKSTREAM')
end
if fresh then return 1 end
return 0
"""


def group_script_args() -> list[str]:
    return [item for group, start in CONSUMER_GROUPS.items() for item in (group, start)]


def ensure_consumer_groups(client, stream: str) -> bool:
    """Create the stream and every missing consumer group; True if the stream was new."""
    return bool(client.eval(ENSURE_GROUPS_SCRIPT, 1, stream, *group_script_args()))


class EventStreamMissingError(RedisError):
    """The event stream was still missing after it was created: some events were not appended.

    It vanished again in between (flushed, or Redis restarted empty) or could not be created
    (an ACL without XGROUP). Their rows stay unpublished, for the relay to try again: a row
    marked published must always have the entry id the repair task looks it up by.
    """


def _xadd_all(client, stream: str, rows: list) -> list[str | None]:
    pipe = client.pipeline(transaction=False)
    for row in rows:
        pipe.xadd(
            stream,
            stream_fields(row.event_id, row.event_type, row.payload),
            maxlen=STREAM_MAXLEN,
            approximate=True,
            nomkstream=True,
        )
    return pipe.execute()


def append_events(rows: list) -> list[str]:
    """XADD each row's event (anything with event_id, event_type, payload); the stream ids.

    An append never creates the stream (NOMKSTREAM): a missing stream (new, or lost with
    Redis) is first made with every consumer group at its start. Raises
    EventStreamMissingError rather than return an event without its id.
    """
    from oms_app.core.redis_client import get_redis

    client, stream = get_redis(), get_settings().event_stream
    ids = _xadd_all(client, stream, rows)
    missing = [i for i, entry_id in enumerate(ids) if entry_id is None]
    if missing:
        ensure_consumer_groups(client, stream)
        for i, entry_id in zip(
            missing, _xadd_all(client, stream, [rows[i] for i in missing]), strict=True
        ):
            ids[i] = entry_id
        if None in ids:
            raise EventStreamMissingError(f"stream {stream} missing after it was created")
    return ids


def publish_after_commit(session: Session, events: list[DomainEvent]) -> None:
    """Append just-committed events to the stream; on failure the relay will retry them.

    The rows are locked (skip-locked) on a connection of their own, so a relay running at the
    same moment neither publishes them twice nor waits, and the caller's session is untouched.
    """
    ids = [e.event_id for e in events]
    table = OutboxMessage.__table__
    with _engine_of(session).connect() as conn:
        rows = conn.execute(
            sa.select(table.c.id, table.c.event_id, table.c.event_type, table.c.payload)
            .where(table.c.event_id.in_(ids), table.c.published_at.is_(None))
            .with_for_update(skip_locked=True)
        ).all()
        if not rows:
            return
        try:
            stream_ids = append_events(rows)
        except Exception as err:  # Redis down: the rows stay unpublished for the relay
            log.warning("event publish failed (%r); the outbox relay will retry", err)
            conn.rollback()
            return
        _mark_published(conn, [(row.id, sid) for row, sid in zip(rows, stream_ids, strict=True)])
        conn.commit()


def _engine_of(session: Session) -> sa.Engine:
    bind = session.get_bind()
    return bind if isinstance(bind, sa.Engine) else bind.engine


def _mark_published(conn: sa.Connection, published: list[tuple[int, str]]) -> None:
    table = OutboxMessage.__table__
    conn.execute(
        sa.update(table)
        .where(table.c.id == sa.bindparam("row_id"))
        .values(published_at=sa.bindparam("now"), stream_id=sa.bindparam("sid"), confirmed_at=None),
        [{"row_id": row_id, "sid": sid, "now": utcnow()} for row_id, sid in published],
    )


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
    now = utcnow()
    for row, stream_id in zip(rows, append_events(list(rows)), strict=True):
        row.attempts += 1
        row.published_at, row.stream_id, row.confirmed_at = now, stream_id, None
    session.commit()
    return len(rows)


# Cheap duplicate filter for consumers whose duplicate is only wasted work (a rebuilt screen,
# a rewritten rollup day): a Redis key per (consumer, event) for an hour. It is lost with Redis
# itself, which then costs one more rebuild, never a lost change. Consumers whose duplicate
# would do harm keep a database unique key instead (webhook deliveries).
SEEN_TTL_SECONDS = 3600


def seen_key(consumer: str, event_id: str) -> str:
    return f"oms:seen:{consumer}:{event_id}"


def unseen_event_ids(client, consumer: str, event_ids: list[str]) -> set[str]:
    """The ids among `event_ids` this consumer has not yet handled."""
    if not event_ids:
        return set()
    pipe = client.pipeline(transaction=False)
    for event_id in event_ids:
        pipe.exists(seen_key(consumer, event_id))
    return {event_id for event_id, seen in zip(event_ids, pipe.execute(), strict=True) if not seen}


def mark_events_seen(client, consumer: str, event_ids: list[str]) -> None:
    """Remember handled events (after handling them, so a crash in between loses nothing)."""
    if not event_ids:
        return
    pipe = client.pipeline(transaction=False)
    for event_id in event_ids:
        pipe.set(seen_key(consumer, event_id), 1, ex=SEEN_TTL_SECONDS)
    pipe.execute()


def decode_stream_entry(fields: dict[str, str]) -> tuple[str, str, dict]:
    return fields["id"], fields["type"], json.loads(fields["data"])
