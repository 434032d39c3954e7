"""Durable events: an outbox row is final only once its entry is known to be in the stream; the
repair pass republishes what Redis lost, into a stream every consumer group reads from its start."""

from __future__ import annotations

import asyncio
import time
import uuid
from types import SimpleNamespace

import redis.asyncio as aioredis
import sqlalchemy as sa
from sqlalchemy.orm import Session

import oms_app.oms_app  # noqa: F401  (every state registered, as in the app)
from oms_app.core.config import get_settings
from oms_app.core.db import get_engine
from oms_app.core.event_repair import CONFIRM_AFTER, repair_stream, verified_by_key
from oms_app.core.events import (
    CONSUMER_GROUPS,
    OutboxMessage,
    append_events,
    decode_stream_entry,
    stream_fields,
)
from oms_app.core.permissions import SYSTEM_ACTOR
from oms_app.notifications import service as notifications_service
from state import live
from tests.factories.accounts import make_user


def stream() -> str:
    return get_settings().event_stream


def notify(uow, user_id: int, title: str = "SO-1 shipped") -> str:
    """Commit one event (a notification) and return its event id."""
    notifications_service.notify_users(uow, actor=SYSTEM_ACTOR, user_ids=[user_id], title=title)
    with uow:
        return uow.session.scalar(
            sa.select(OutboxMessage.event_id).order_by(OutboxMessage.id.desc())
        )


def outbox(uow) -> dict[str, OutboxMessage]:
    with uow:
        rows = uow.session.scalars(sa.select(OutboxMessage)).all()
        uow.session.expunge_all()
    return {row.event_id: row for row in rows}


def fsync_window_passes(uow) -> None:
    """As if CONFIRM_AFTER had gone by since every publish."""
    with uow:
        uow.session.execute(
            sa.update(OutboxMessage).values(
                published_at=OutboxMessage.published_at - 2 * CONFIRM_AFTER
            )
        )
        uow.commit()


def repair(redis_client):
    with Session(get_engine()) as session:
        return repair_stream(session, redis_client)


def stream_event_ids(redis_client) -> list[str]:
    return [decode_stream_entry(f)[0] for _, f in redis_client.xrange(stream())]


def a_healthy_confirmed_stream(uow, redis_client) -> int:
    """An empty stream whose last verification was by this very Redis; a user to notify."""
    redis_client.delete(stream())
    repair(redis_client)
    return make_user(uow, username="bellringer", roles=["sales"])


def test_a_published_event_is_confirmed_only_after_the_fsync_window(uow, redis_client):
    # given
    user_id = a_healthy_confirmed_stream(uow, redis_client)
    event_id = notify(uow, user_id)
    row = outbox(uow)[event_id]
    assert row.published_at is not None and row.stream_id
    assert stream_event_ids(redis_client) == [event_id]
    # when: checked too early, then after the window
    early = repair(redis_client)
    fsync_window_passes(uow)
    late = repair(redis_client)
    # then
    assert (early.confirmed, early.republished) == (0, 0)
    assert (late.confirmed, late.republished, late.redis_lost) == (1, 0, False)
    assert outbox(uow)[event_id].confirmed_at is not None
    assert stream_event_ids(redis_client) == [event_id]  # nothing doubled


def test_an_event_whose_entry_vanished_after_xadd_is_republished(uow, redis_client):
    # given: XADD "succeeded", then the entry was lost before Redis synced it
    user_id = a_healthy_confirmed_stream(uow, redis_client)
    kept, lost = notify(uow, user_id, "kept"), notify(uow, user_id, "lost")
    redis_client.xdel(stream(), outbox(uow)[lost].stream_id)
    fsync_window_passes(uow)
    # when
    report = repair(redis_client)
    # then: the lost one is back once, under a new entry id, and is checked again later
    assert (report.confirmed, report.republished) == (1, 1)
    assert sorted(stream_event_ids(redis_client)) == sorted([kept, lost])
    rows = outbox(uow)
    assert rows[lost].confirmed_at is None and rows[lost].attempts == 1
    fsync_window_passes(uow)
    assert repair(redis_client).confirmed == 1
    assert all(row.confirmed_at is not None for row in outbox(uow).values())


def test_confirmed_events_lost_with_a_flushed_stream_are_republished_for_every_group(
    uow, redis_client
):
    # given: two confirmed events, then the stream is gone (Redis restarted empty)
    user_id = a_healthy_confirmed_stream(uow, redis_client)
    ids = [notify(uow, user_id, "one"), notify(uow, user_id, "two")]
    fsync_window_passes(uow)
    assert repair(redis_client).confirmed == 2
    redis_client.delete(stream())
    # when
    report = repair(redis_client)
    # then: both are back, and every consumer group reads them from the stream's start
    assert report.redis_lost and report.republished == 2
    assert stream_event_ids(redis_client) == ids
    groups = {g["name"]: g for g in redis_client.xinfo_groups(stream())}
    assert set(groups) == set(CONSUMER_GROUPS)
    for group in CONSUMER_GROUPS:
        read = redis_client.xreadgroup(group, "test", {stream(): ">"}, count=10)
        assert [decode_stream_entry(f)[0] for _, f in read[0][1]] == ids


def test_a_restarted_redis_that_kept_everything_gets_nothing_twice(uow, redis_client):
    # given: confirmed events; then the verification record names another Redis run
    user_id = a_healthy_confirmed_stream(uow, redis_client)
    ids = [notify(uow, user_id, "one"), notify(uow, user_id, "two")]
    fsync_window_passes(uow)
    repair(redis_client)
    redis_client.hset(verified_by_key(stream()), "run_id", "a-redis-run-before-the-crash")
    # when
    report = repair(redis_client)
    # then: re-checked, all found, none appended again
    assert report.redis_lost and report.reopened == 2
    assert (report.confirmed, report.republished) == (2, 0)
    assert stream_event_ids(redis_client) == ids
    run_id = redis_client.hget(verified_by_key(stream()), "run_id")
    assert run_id == redis_client.info("server")["run_id"]


def test_an_event_published_into_a_lost_stream_is_read_by_every_group(uow, redis_client):
    # given: the stream and its groups are gone (Redis restarted empty)
    user_id = make_user(uow, username="bellringer", roles=["sales"])
    redis_client.delete(stream())
    # when: the next commit publishes
    event_id = notify(uow, user_id)
    # then: no group was created after the entry, so none skips it
    for group in CONSUMER_GROUPS:
        read = redis_client.xreadgroup(group, "test", {stream(): ">"}, count=10)
        assert [decode_stream_entry(f)[0] for _, f in read[0][1]] == [event_id]


def test_repair_with_nothing_lost_changes_nothing(uow, redis_client):
    user_id = a_healthy_confirmed_stream(uow, redis_client)
    notify(uow, user_id)
    fsync_window_passes(uow)
    repair(redis_client)
    before = stream_event_ids(redis_client), rows_seen(uow)
    report = repair(redis_client)
    assert (report.redis_lost, report.confirmed, report.republished) == (False, 0, 0)
    assert (stream_event_ids(redis_client), rows_seen(uow)) == before


def rows_seen(uow) -> list[tuple]:
    return [
        (r.event_id, r.stream_id, r.published_at, r.confirmed_at, r.attempts)
        for r in outbox(uow).values()
    ]


async def test_a_live_screen_reaction_runs_once_for_an_event_seen_twice(monkeypatch):
    # given: a reaction to a kind of event, and that event delivered twice
    handled = []

    async def count(data: dict) -> None:
        handled.append(data["n"])

    monkeypatch.setitem(live.EVENT_HANDLERS, "test.counted", [count])
    fields = stream_fields(uuid.uuid4().hex, "test.counted", {"n": 1})
    client = aioredis.Redis.from_url(get_settings().redis_url, decode_responses=True)
    try:
        # when
        await live._handle(client, fields)
        await live._handle(client, fields)
    finally:
        await client.aclose()
    # then
    assert handled == [1]


def test_every_reader_of_the_stream_uses_a_group_of_the_one_list():
    from tasks import analytics as analytics_tasks
    from tasks import webhooks as webhook_tasks

    readers = {live.GROUP, webhook_tasks.GROUP, analytics_tasks.GROUP}
    assert readers == set(CONSUMER_GROUPS)


async def wait_for(condition, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    return condition()


def counted_event(n: int) -> SimpleNamespace:
    return SimpleNamespace(event_id=uuid.uuid4().hex, event_type="test.counted", payload={"n": n})


async def test_the_live_consumer_handles_each_event_once_also_after_the_stream_was_lost(
    monkeypatch, redis_client
):
    # given: a reaction, and the live consumer of a backend worker running
    handled = []

    async def count(data: dict) -> None:
        handled.append(data["n"])

    monkeypatch.setitem(live.EVENT_HANDLERS, "test.counted", [count])
    redis_client.delete(stream())
    consumer = asyncio.create_task(live.consume_events())
    try:
        # when: an event arrives twice
        first = counted_event(1)
        await asyncio.to_thread(append_events, [first, first])
        assert await wait_for(lambda: handled == [1])
        # and Redis then loses the stream and its groups; the next event is published
        redis_client.delete(stream())
        await asyncio.to_thread(append_events, [counted_event(2)])
        # then: the consumer comes back and reads it; nothing ran twice
        assert await wait_for(lambda: handled == [1, 2])
        await asyncio.sleep(0.5)
        assert handled == [1, 2]
    finally:
        consumer.cancel()
        await asyncio.gather(consumer, return_exceptions=True)
