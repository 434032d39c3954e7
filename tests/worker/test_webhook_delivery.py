"""Webhooks end to end on a real worker: outbox -> stream -> pump -> signed POST to a real
HTTP receiver on 127.0.0.1, retried with backoff, never sent twice."""

from __future__ import annotations

import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sqlalchemy as sa

from oms_app.core.clock import utcnow
from oms_app.core.config import get_settings, reset_settings_cache
from oms_app.core.events import OutboxMessage
from oms_app.core.permissions import SYSTEM_ACTOR
from oms_app.notifications import service as notifications_service
from oms_app.webhooks import queries, rules, service
from oms_app.webhooks.models import WebhookDelivery
from tasks import webhooks as webhook_tasks
from tests.factories.accounts import make_admin, make_user

WAIT = 30


class Receiver:
    """A real HTTP endpoint that records each request and can fail the first N with a 500."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.fail_first = 0
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver._lock:
                    receiver.requests.append({"headers": dict(self.headers), "body": body})
                    failing = len(receiver.requests) <= receiver.fail_first
                self.send_response(500 if failing else 200)
                self.end_headers()
                self.wfile.write(b"down for maintenance" if failing else b"ok")

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/oms"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def wait_for(self, count: int, timeout: float = WAIT) -> list[dict]:
        deadline = time.monotonic() + timeout
        while len(self.requests) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return list(self.requests)


@pytest.fixture
def receiver():
    server = Receiver()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def fast_backoff():
    """Retries after 0.2 s, 0.6 s ... instead of 10 s, 30 s (the worker shares our settings)."""
    os.environ["OMS_WEBHOOK_BACKOFF_BASE_SECONDS"] = "0.2"
    reset_settings_cache()
    yield
    del os.environ["OMS_WEBHOOK_BACKOFF_BASE_SECONDS"]
    reset_settings_cache()


@pytest.fixture
def fresh_stream(redis_client, celery_worker):
    """An empty event stream whose "webhooks" group exists before the test's events."""
    redis_client.delete(get_settings().event_stream)
    assert pump() == 0


def pump() -> int:
    return webhook_tasks.pump_webhook_events.delay().get(timeout=WAIT)


def deliver(delivery_id: int) -> str:
    return webhook_tasks.deliver_webhook.delay(delivery_id).get(timeout=WAIT)


def subscribe(uow, url: str, event_types: list[str]) -> dict:
    admin = make_admin(uow)
    return service.create_subscription(
        uow, actor=admin, name="ERP", url=url, event_types=event_types
    ) | {"admin": admin}


def the_delivery(uow) -> WebhookDelivery:
    with uow:
        row = uow.session.scalars(sa.select(WebhookDelivery)).one()
        uow.session.expunge(row)
        return row


def wait_for_state(uow, state: str) -> WebhookDelivery:
    deadline = time.monotonic() + WAIT
    while (row := the_delivery(uow)).state != state and time.monotonic() < deadline:
        time.sleep(0.05)
    return row


def notify(uow, user_id: int) -> None:
    notifications_service.notify_users(
        uow, actor=SYSTEM_ACTOR, user_ids=[user_id], title="订单 SO-1 已发货"
    )


def test_a_committed_event_reaches_a_matching_subscription_signed(uow, receiver, fresh_stream):
    # given
    sub = subscribe(uow, receiver.url, ["notification.*"])
    user_id = make_user(uow, username="bellringer", roles=["sales"])
    # when
    notify(uow, user_id)
    queued = pump()
    # then
    [request] = receiver.wait_for(1)
    assert queued == 1
    assert wait_for_state(uow, "succeeded").attempts == 1
    headers, body = request["headers"], request["body"]
    assert rules.verify(sub["secret"], headers["X-OMS-Signature"], body, now=time.time())
    assert not rules.verify(
        "whsec_wrong_secret_0000", headers["X-OMS-Signature"], body, time.time()
    )
    with uow:
        event_id = uow.session.scalar(sa.select(OutboxMessage.event_id))
    assert headers["X-OMS-Event"] == "notification.created"
    assert headers["X-OMS-Event-Id"] == event_id
    assert headers["X-OMS-Delivery"] == str(the_delivery(uow).id)
    sent = json.loads(body)
    assert (sent["id"], sent["type"]) == (event_id, "notification.created")
    assert sent["data"]["user_id"] == user_id and sent["data"]["title"] == "订单 SO-1 已发货"


def test_an_event_no_subscription_wants_is_not_sent(uow, receiver, fresh_stream):
    subscribe(uow, receiver.url, ["order.*"])
    notify(uow, make_user(uow, username="quietone", roles=["sales"]))
    assert pump() == 0
    assert pump() == 0
    assert receiver.requests == []


def test_a_receiver_failing_twice_gets_the_delivery_on_the_third_attempt(
    uow, receiver, fresh_stream, fast_backoff
):
    # given
    receiver.fail_first = 2
    sub = subscribe(uow, receiver.url, ["*"])
    notify(uow, make_user(uow, username="retryuser", roles=["sales"]))
    # when
    assert pump() == 1
    # then
    requests = receiver.wait_for(3)
    row = wait_for_state(uow, "succeeded")
    assert len(requests) == 3
    assert len({r["headers"]["X-OMS-Delivery"] for r in requests}) == 1
    assert len({r["body"] for r in requests}) == 1  # the same event, signed afresh each time
    log = queries.list_deliveries(uow, actor=sub["admin"], subscription_id=sub["id"])
    [entry] = log["rows"]
    assert (entry["state"], entry["attempts"], entry["last_status_code"]) == ("succeeded", 3, 200)
    assert entry["last_error"] == "" and row.delivered_at is not None
    assert pump() == 0  # the event is not queued a second time


def test_running_a_delivery_again_or_twice_at_once_sends_it_once(uow, receiver, celery_worker):
    subscribe(uow, receiver.url, ["order.*"])
    [delivery_id] = service.enqueue_event(
        uow, event_id="a" * 32, event_type="order.status_changed", payload={"order_id": 7}
    )

    twins = [webhook_tasks.deliver_webhook.delay(delivery_id) for _ in range(2)]
    outcomes = sorted(t.get(timeout=WAIT) for t in twins)
    again = deliver(delivery_id)

    assert outcomes == ["skipped", "succeeded"] and again == "skipped"
    time.sleep(0.3)
    assert len(receiver.requests) == 1
    assert the_delivery(uow).attempts == 1


def test_a_delivery_whose_task_was_lost_is_queued_again_by_the_sweep(uow, receiver, celery_worker):
    subscribe(uow, receiver.url, ["order.*"])
    [delivery_id] = service.enqueue_event(
        uow, event_id="b" * 32, event_type="order.status_changed", payload={}
    )
    with uow:  # queued long ago, and its task never ran
        uow.session.execute(
            sa.update(WebhookDelivery).values(next_attempt_at=utcnow() - webhook_tasks.OVERDUE * 2)
        )
        uow.commit()

    assert webhook_tasks.retry_due_webhooks.delay().get(timeout=WAIT) == 1

    assert len(receiver.wait_for(1)) == 1
    assert wait_for_state(uow, "succeeded").id == delivery_id
    assert webhook_tasks.retry_due_webhooks.delay().get(timeout=WAIT) == 0
