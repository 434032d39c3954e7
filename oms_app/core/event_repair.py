"""Find events Redis lost and publish them again.

XADD returning is not durability: with `appendfsync everysec` a crash loses up to about the last
second (two when the disk is slow), a Redis without an append-only file loses everything, and
one restored from an old snapshot loses what came after it. So an outbox row is final only when
a check at least CONFIRM_AFTER after its publish still finds its entry in the stream. Entries
found missing are appended again; consumers ignore the duplicates by event id.

A Redis that restarted (its `run_id` differs from the one recorded in Redis at the last
verification, or the record itself is gone) or whose newest confirmed entry vanished (the
stream was flushed) may have lost confirmed entries too: the confirmations of the stream's
retention window are then cleared, and those rows are checked again the same way.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from oms_app.core.clock import utcnow
from oms_app.core.config import get_settings
from oms_app.core.events import STREAM_MAXLEN, OutboxMessage, append_events

log = logging.getLogger(__name__)

# Longer than `appendfsync everysec` can leave a write unsynced (1 s, 2 s on a busy disk).
CONFIRM_AFTER = timedelta(seconds=3)
# How far back a lost Redis is repaired: consumers are seconds behind, never a day.
REPAIR_WINDOW = timedelta(hours=24)


@dataclass
class RepairReport:
    redis_lost: bool = False
    reopened: int = 0
    confirmed: int = 0
    republished: int = 0


def verified_by_key(stream: str) -> str:
    """A hash: the run id of the Redis that last verified, and the newest entry it confirmed."""
    return f"{stream}:verified-by"


def _entry_exists(client, stream: str, stream_id: str) -> bool:
    return bool(client.xrange(stream, stream_id, stream_id, count=1))


def redis_lost_entries(client, stream: str) -> tuple[bool, str]:
    """Whether confirmed entries may be gone, and the run id of the Redis now serving."""
    run_id = client.info("server")["run_id"]
    verified_by, newest = client.hmget(verified_by_key(stream), "run_id", "newest")
    if verified_by != run_id:
        return True, run_id
    return bool(newest and not _entry_exists(client, stream, newest)), run_id


def reopen_window(session: Session, *, now: datetime) -> int:
    """Clear the confirmations of the rows the stream should still hold; rows re-checked."""
    newest_id = session.scalar(sa.select(sa.func.max(OutboxMessage.id))) or 0
    count = session.execute(
        sa.update(OutboxMessage)
        .where(
            OutboxMessage.confirmed_at.is_not(None),
            # Rows published before stream ids were kept cannot be looked up: left as they are.
            OutboxMessage.stream_id.is_not(None),
            OutboxMessage.created_at >= now - REPAIR_WINDOW,
            OutboxMessage.id > newest_id - STREAM_MAXLEN,
        )
        .values(confirmed_at=None)
    ).rowcount
    session.commit()
    return count


def verify_batch(session: Session, client, stream: str, *, now: datetime, batch: int) -> tuple:
    """Confirm the published rows whose entry is still there after the fsync window; append
    again those whose entry is gone. Skip-locked: repairers may run in parallel."""
    rows = session.scalars(
        sa.select(OutboxMessage)
        .where(
            OutboxMessage.published_at.is_not(None),
            OutboxMessage.confirmed_at.is_(None),
            OutboxMessage.published_at <= now - CONFIRM_AFTER,
        )
        .order_by(OutboxMessage.id)
        .limit(batch)
        .with_for_update(skip_locked=True)
    ).all()
    if not rows:
        session.rollback()
        return 0, 0
    pipe = client.pipeline(transaction=False)
    for row in rows:
        pipe.xrange(stream, row.stream_id or "0-0", row.stream_id or "0-0", count=1)
    missing, newest = [], None
    for row, entries in zip(rows, pipe.execute(), strict=True):
        if row.stream_id and entries:
            row.confirmed_at, newest = now, row.stream_id
        else:
            missing.append(row)
    for row, stream_id in zip(missing, append_events(missing) if missing else [], strict=True):
        row.stream_id, row.published_at, row.attempts = stream_id, utcnow(), row.attempts + 1
    session.commit()
    if newest:  # the canary: should it vanish, confirmed entries were lost (stream flushed)
        client.hset(verified_by_key(stream), "newest", newest)
    if missing:
        log.warning("republished %d events missing from the stream", len(missing))
    return len(rows) - len(missing), len(missing)


def repair_stream(session: Session, client, *, batch: int = 500) -> RepairReport:
    """Re-check what Redis may have lost and publish again what it did lose."""
    stream = get_settings().event_stream
    report = RepairReport()
    lost, run_id = redis_lost_entries(client, stream)
    if lost:
        report.redis_lost = True
        report.reopened = reopen_window(session, now=utcnow())
        log.warning("Redis restarted or lost entries: re-checking %d events", report.reopened)
        client.hset(verified_by_key(stream), mapping={"run_id": run_id, "newest": ""})
    while True:
        confirmed, republished = verify_batch(session, client, stream, now=utcnow(), batch=batch)
        report.confirmed += confirmed
        report.republished += republished
        if confirmed + republished < batch:
            return report
