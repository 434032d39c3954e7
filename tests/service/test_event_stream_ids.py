"""An outbox row marked published always has its stream entry id: when the event stream cannot
be made (here a Redis whose ACL denies XGROUP, so XADD NOMKSTREAM answers nil), the event stays
unpublished for the relay instead of being marked published with no id to check it by."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
import sqlalchemy as sa

from oms_app.core import embedded
from oms_app.core.config import get_settings, reset_settings_cache
from oms_app.core.events import OutboxMessage, relay_unpublished
from oms_app.core.permissions import SYSTEM_ACTOR
from oms_app.core.redis_client import get_redis, reset_redis_clients
from oms_app.notifications import service as notifications_service
from tests.factories.accounts import make_user
from tests.smtp_infra import free_port

USER, PASSWORD = "oms", "oms-test-pw"
ALL_BUT_XGROUP = ["+@all", "-xgroup"]


@pytest.fixture
def redis_without_xgroup(uow):
    """An own Redis whose user may do anything but XGROUP; the app uses it for this test."""
    port = free_port()
    server = embedded.start_redis(Path(tempfile.mkdtemp(prefix="oms-acl-redis-")), port)
    server.client.acl_setuser(
        USER, enabled=True, passwords=[f"+{PASSWORD}"], keys=["*"], commands=ALL_BUT_XGROUP
    )
    previous = os.environ["OMS_REDIS_URL"]
    os.environ["OMS_REDIS_URL"] = f"redis://{USER}:{PASSWORD}@127.0.0.1:{port}/0"
    reset_settings_cache()
    reset_redis_clients()
    try:
        yield server
    finally:
        os.environ["OMS_REDIS_URL"] = previous
        reset_settings_cache()
        reset_redis_clients()
        server.stop()


def outbox(uow) -> list[tuple[bool, str | None]]:
    with uow:
        rows = uow.session.execute(sa.select(OutboxMessage.published_at, OutboxMessage.stream_id))
        return [(published_at is not None, stream_id) for published_at, stream_id in rows]


def test_an_event_the_stream_cannot_take_stays_unpublished_and_the_relay_publishes_it_later(
    uow, redis_without_xgroup
):
    # given: a Redis on which the event stream cannot be created
    colleague = make_user(uow, username="bellacl", roles=["sales"])
    # when: an event is committed
    notifications_service.notify_users(
        uow, actor=SYSTEM_ACTOR, user_ids=[colleague], title="SO-ACL-1 approved"
    )
    # then: it is left for the relay, not marked published without an entry id
    assert outbox(uow) == [(False, None)]
    # and once the stream can be made, the relay publishes it with the id of its entry
    redis_without_xgroup.client.acl_setuser(USER, commands=["+xgroup"])
    with uow:
        assert relay_unpublished(uow.session) == 1
    [(published, stream_id)] = outbox(uow)
    assert published and stream_id
    assert get_redis().xrange(get_settings().event_stream, stream_id, stream_id)
