"""A webhook retry that waits longer than the broker's visibility timeout is not parked in the
broker (Redis would hand it out again every timeout while it waits): the sweep queues it once due.
No worker runs in this module, so what a failed attempt queued stays in the broker to be counted."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa

from oms_app.core.clock import utcnow
from oms_app.core.config import reset_settings_cache
from oms_app.webhooks import service
from oms_app.webhooks.models import WebhookDelivery
from tasks import webhooks as webhook_tasks
from tasks.celery_app import celery_app
from tests.factories.accounts import make_admin

CLOSED_PORT_URL = "http://127.0.0.1:9/hooks/oms"  # discard port: nothing listens, fails at once


@pytest.fixture
def backoff_base():
    def set_base(seconds: float) -> None:
        os.environ["OMS_WEBHOOK_BACKOFF_BASE_SECONDS"] = str(seconds)
        reset_settings_cache()

    yield set_base
    os.environ.pop("OMS_WEBHOOK_BACKOFF_BASE_SECONDS", None)
    reset_settings_cache()


@pytest.fixture
def broker_queue(redis_client):
    """The broker's default queue, empty at the start of the test."""
    with celery_app.connection_for_write() as conn:
        conn.default_channel.client.delete(celery_app.conf.task_default_queue)

    def length() -> int:
        with celery_app.connection_for_write() as conn:
            return conn.default_channel.client.llen(celery_app.conf.task_default_queue)

    yield length
    with celery_app.connection_for_write() as conn:
        conn.default_channel.client.delete(celery_app.conf.task_default_queue)


def failing_delivery(uow) -> int:
    admin = make_admin(uow)
    service.create_subscription(
        uow, actor=admin, name="ERP", url=CLOSED_PORT_URL, event_types=["order.*"]
    )
    [delivery_id] = service.enqueue_event(
        uow, event_id="c" * 32, event_type="order.status_changed", payload={}
    )
    return delivery_id


def test_a_short_retry_waits_in_the_broker(uow, backoff_base, broker_queue):
    backoff_base(5)
    delivery_id = failing_delivery(uow)

    assert webhook_tasks.deliver_webhook.apply(args=(delivery_id,)).get() == "failed"

    assert broker_queue() == 1


def test_a_retry_longer_than_a_minute_is_left_to_the_sweep_which_queues_it_once_due(
    uow, backoff_base, broker_queue
):
    # given a receiver that is down and a first retry due in two minutes
    backoff_base(120)
    delivery_id = failing_delivery(uow)

    # when the attempt fails
    assert webhook_tasks.deliver_webhook.apply(args=(delivery_id,)).get() == "failed"

    # then nothing waits in the broker, and the sweep leaves it alone until it is due
    assert broker_queue() == 0
    assert webhook_tasks.retry_due_webhooks.apply().get() == 0
    with uow:  # two minutes (and the sweep's grace) later
        uow.session.execute(
            sa.update(WebhookDelivery).values(next_attempt_at=utcnow() - webhook_tasks.OVERDUE * 2)
        )
        uow.commit()
    assert webhook_tasks.retry_due_webhooks.apply().get() == 1
    assert broker_queue() == 1
