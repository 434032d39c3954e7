"""The repair task on a real worker: an event Redis lost after XADD "succeeded" is republished
and still reaches its webhook receiver and the rollups, once; duplicates change nothing."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from oms_app.core.config import get_settings
from oms_app.core.event_repair import CONFIRM_AFTER
from oms_app.core.events import OutboxMessage, stream_fields
from oms_app.core.permissions import SYSTEM_ACTOR
from oms_app.core.state_machine import apply_transition
from oms_app.notifications import service as notifications_service
from oms_app.orders.models import Order
from oms_app.orders.status import OrderAction
from oms_app.webhooks import service as webhooks_service
from oms_app.webhooks.models import WebhookDelivery
from tasks import analytics as analytics_tasks
from tasks import outbox as outbox_tasks
from tasks import webhooks as webhook_tasks
from tests.factories.accounts import make_actor, make_admin, make_user
from tests.factories.orders import make_customer, make_draft_order
from tests.worker.webhook_receiver import EventReceiver

WAIT = 30


def stream() -> str:
    return get_settings().event_stream


def repair() -> dict:
    return outbox_tasks.repair_event_stream.delay().get(timeout=WAIT)


def pump_webhooks() -> int:
    return webhook_tasks.pump_webhook_events.delay().get(timeout=WAIT)


def pump_rollups() -> int:
    return analytics_tasks.pump_rollup_events.delay().get(timeout=WAIT)


@pytest.fixture
def receiver():
    server = EventReceiver().start()
    yield server
    server.stop()


@pytest.fixture
def fresh_stream(redis_client, celery_worker):
    """An empty stream with every group, verified by this Redis; what earlier tests left, read."""
    redis_client.delete(stream())
    repair()
    pump_webhooks()
    pump_rollups()


def fsync_window_passes(uow) -> None:
    """As if CONFIRM_AFTER had gone by since every publish."""
    with uow:
        uow.session.execute(
            sa.update(OutboxMessage).values(
                published_at=OutboxMessage.published_at - 2 * CONFIRM_AFTER
            )
        )
        uow.commit()


def last_row(uow) -> OutboxMessage:
    with uow:
        row = uow.session.scalars(
            sa.select(OutboxMessage).order_by(OutboxMessage.id.desc())
        ).first()
        uow.session.expunge(row)
        return row


def append_duplicate(redis_client, row: OutboxMessage) -> None:
    """The same event on the stream once more, as a republish after a Redis loss leaves it."""
    redis_client.xadd(stream(), stream_fields(row.event_id, row.event_type, row.payload))


def subscribe(uow, url: str) -> None:
    webhooks_service.create_subscription(
        uow, actor=make_admin(uow), name="ERP", url=url, event_types=["notification.*"]
    )


def notify(uow, user_id: int) -> OutboxMessage:
    notifications_service.notify_users(uow, actor=SYSTEM_ACTOR, user_ids=[user_id], title="SO-1")
    return last_row(uow)


def test_an_event_whose_entry_vanished_after_xadd_is_republished_and_reaches_the_webhook(
    uow, redis_client, receiver, fresh_stream
):
    # given: XADD returned, then Redis lost the entry before any consumer read it
    subscribe(uow, receiver.url)
    lost = notify(uow, make_user(uow, username="bellringer", roles=["sales"]))
    redis_client.xdel(stream(), lost.stream_id)
    assert pump_webhooks() == 0  # nothing on the stream to queue
    # when: the repair task runs after the fsync window, then the pump
    fsync_window_passes(uow)
    report = repair()
    queued = pump_webhooks()
    # then: the receiver gets the event once
    assert report["republished"] == 1
    assert queued == 1
    assert receiver.wait_for_events({lost.event_id}, WAIT) == {lost.event_id: 1}
    # and running everything again sends nothing twice
    fsync_window_passes(uow)
    assert repair()["confirmed"] == 1
    assert pump_webhooks() == 0
    assert last_row(uow).confirmed_at is not None


def test_a_duplicate_event_on_the_stream_queues_no_second_webhook(
    uow, redis_client, receiver, fresh_stream
):
    # given: an event delivered once
    subscribe(uow, receiver.url)
    event = notify(uow, make_user(uow, username="bellringer", roles=["sales"]))
    assert pump_webhooks() == 1
    assert receiver.wait_for_events({event.event_id}, WAIT) == {event.event_id: 1}
    # when: the same event arrives again
    append_duplicate(redis_client, event)
    # then: no second delivery (the deliveries' unique key)
    assert pump_webhooks() == 0
    with uow:
        assert uow.session.scalar(sa.select(sa.func.count()).select_from(WebhookDelivery)) == 1
    assert receiver.received() == {event.event_id: 1}


def test_a_duplicate_order_event_does_not_rewrite_the_rollups_again(
    uow, redis_client, fresh_stream
):
    # given: an approved order whose event the rollup pump handled
    rep = make_actor(uow, username="rollrep", roles=["sales_manager"])
    order_id = make_draft_order(uow, customer_id=make_customer(uow), number="SO-D-0001")
    for action in (OrderAction.SUBMIT, OrderAction.APPROVE):
        with uow:
            apply_transition(uow, uow.session.get(Order, order_id), action, actor=rep)
            uow.commit()
    assert pump_rollups() == 1
    # when: the approval event arrives a second time
    append_duplicate(redis_client, last_row(uow))
    # then: nothing is rewritten
    assert pump_rollups() == 0
