"""Webhook use cases on PostgreSQL: subscriptions, idempotent queuing, attempts, the log."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from oms_app.audit.models import AuditEntry
from oms_app.core.clock import utcnow
from oms_app.core.errors import NotFound, PermissionDenied, ValidationFailed
from oms_app.webhooks import queries, rules, service
from oms_app.webhooks.models import WebhookDelivery, WebhookSubscription
from tests.factories.accounts import make_actor, make_admin


@pytest.fixture
def admin(uow):
    return make_admin(uow)


def subscribe(uow, admin, event_types=("order.*",), **kw) -> dict:
    return service.create_subscription(
        uow,
        actor=admin,
        name=kw.pop("name", "ERP"),
        url=kw.pop("url", "https://erp.example.com/hooks"),
        event_types=list(event_types),
        **kw,
    )


def count(uow, table) -> int:
    with uow:
        return uow.session.scalar(sa.select(sa.func.count()).select_from(table))


def delivery(uow, delivery_id: int) -> WebhookDelivery:
    with uow:
        row = uow.session.get(WebhookDelivery, delivery_id)
        uow.session.expunge(row)  # readable after the block rolls back
        return row


def test_creating_a_subscription_shows_a_generated_secret_once(uow, admin):
    created = subscribe(uow, admin, event_types=["order.*", "order.*", "notification.created"])

    assert created["secret"].startswith("whsec_") and len(created["secret"]) >= 40
    assert created["event_types"] == ["notification.created", "order.*"]
    listed = queries.list_subscriptions(uow, actor=admin)
    assert [row["id"] for row in listed] == [created["id"]]
    assert "secret" not in listed[0]
    assert created["secret"] not in str(listed)
    with uow:
        audit = uow.session.scalars(sa.select(AuditEntry.action)).all()
    assert "webhook.created" in audit


def test_a_given_secret_is_kept_and_a_short_one_refused(uow, admin):
    assert subscribe(uow, admin, secret="s" * 20)["secret"] == "s" * 20
    with pytest.raises(ValidationFailed) as err:
        subscribe(uow, admin, secret="short")
    assert err.value.code == "error.webhook.secret_length"


def test_a_user_without_the_permission_cannot_subscribe_and_nothing_changes(uow):
    rep = make_actor(uow, username="rep1", roles=["sales"])
    with pytest.raises(PermissionDenied):
        subscribe(uow, rep)
    with pytest.raises(PermissionDenied):
        queries.list_subscriptions(uow, actor=rep)
    assert count(uow, WebhookSubscription) == 0


@pytest.mark.parametrize(
    ("field", "kw"),
    [
        ("url", {"url": "ftp://erp.example.com"}),
        ("url", {"url": "https://u:p@erp.example.com"}),
        ("event_types", {"event_types": []}),
        ("event_types", {"event_types": ["Bad Type"]}),
        ("name", {"name": "  "}),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_changes_nothing(uow, admin, field, kw):
    with pytest.raises(ValidationFailed) as err:
        subscribe(uow, admin, **kw)
    assert err.value.field == field
    assert count(uow, WebhookSubscription) == 0


def test_an_event_is_queued_once_per_active_matching_subscription_even_if_seen_twice(uow, admin):
    orders = subscribe(uow, admin, name="orders", event_types=["order.*"])
    everything = subscribe(uow, admin, name="all", event_types=["*"])
    subscribe(uow, admin, name="bells", event_types=["notification.created"])
    off = subscribe(uow, admin, name="off", event_types=["*"])
    service.deactivate_subscription(uow, actor=admin, subscription_id=off["id"])
    event = {"event_id": "e" * 32, "event_type": "order.status_changed", "payload": {"id": 1}}

    first = service.enqueue_event(uow, **event)
    again = service.enqueue_event(uow, **event)

    assert len(first) == 2 and again == []
    with uow:
        rows = uow.session.execute(
            sa.select(
                WebhookDelivery.subscription_id, WebhookDelivery.state, WebhookDelivery.payload
            )
        ).all()
    assert sorted(r.subscription_id for r in rows) == sorted([orders["id"], everything["id"]])
    assert {(r.state, str(r.payload)) for r in rows} == {("pending", "{'id': 1}")}


def test_attempts_back_off_and_the_last_failure_makes_the_delivery_dead(uow, admin):
    subscribe(uow, admin)
    [delivery_id] = service.enqueue_event(
        uow, event_id="e1", event_type="order.created", payload={}
    )
    now = utcnow()
    for attempt in range(1, rules.MAX_ATTEMPTS):
        result = service.record_attempt(
            uow, delivery_id=delivery_id, ok=False, status_code=500, error="x" * 900, now=now
        )
        assert result["state"] == "failed" and result["attempts"] == attempt
        wait = timedelta(seconds=rules.backoff_seconds(attempt))
        assert result["next_attempt_at"] == now + wait

    last = service.record_attempt(
        uow, delivery_id=delivery_id, ok=False, status_code=None, error="refused", now=now
    )

    row = delivery(uow, delivery_id)
    assert last["state"] == "dead" and row.state == "dead"
    assert row.attempts == rules.MAX_ATTEMPTS and row.next_attempt_at is None
    assert row.last_error == "refused" and row.last_status_code is None
    assert service.claim_delivery(uow, delivery_id=delivery_id, now=now) is None


def test_a_success_is_final_and_a_late_twin_attempt_cannot_undo_it(uow, admin):
    subscribe(uow, admin)
    [delivery_id] = service.enqueue_event(uow, event_id="e2", event_type="order.x", payload={})
    now = utcnow()
    service.record_attempt(
        uow, delivery_id=delivery_id, ok=True, status_code=204, error="", now=now
    )
    service.record_attempt(
        uow, delivery_id=delivery_id, ok=False, status_code=500, error="late", now=now
    )
    row = delivery(uow, delivery_id)
    assert (row.state, row.attempts, row.last_status_code) == ("succeeded", 1, 204)
    assert row.delivered_at == now


def test_a_claimed_delivery_is_not_claimed_again_until_its_lease_runs_out(uow, admin):
    subscribe(uow, admin, secret="k" * 32)
    [delivery_id] = service.enqueue_event(
        uow, event_id="e3", event_type="order.created", payload={"n": 1}
    )
    now = utcnow()
    job = service.claim_delivery(uow, delivery_id=delivery_id, now=now)
    assert job is not None and job.secret == "k" * 32
    assert b'"data":{"n":1}' in job.body
    assert service.claim_delivery(uow, delivery_id=delivery_id, now=now) is None
    later = now + service.CLAIM_LEASE + timedelta(seconds=1)
    assert service.due_delivery_ids(uow, now=later, overdue=timedelta(0)) == [delivery_id]
    assert service.claim_delivery(uow, delivery_id=delivery_id, now=later) is not None


def test_deliver_sends_a_signed_request_and_schedules_the_retry(uow, admin):
    sub = subscribe(uow, admin)
    [delivery_id] = service.enqueue_event(uow, event_id="e4", event_type="order.x", payload={})
    sent = []

    def refuse(url, body, headers):
        sent.append((url, body, headers))
        return False, 503, "HTTP 503: busy"

    result = service.deliver(uow, delivery_id=delivery_id, post=refuse)

    [(url, body, headers)] = sent
    assert url == sub["url"]
    assert rules.verify(sub["secret"], headers["X-OMS-Signature"], body, now=utcnow())
    assert headers["X-OMS-Delivery"] == str(delivery_id)
    assert result["state"] == "failed" and 0 < result["retry_in"] <= 10
    assert service.deliver(uow, delivery_id=delivery_id, post=refuse)["state"] == "skipped"


def test_a_deactivated_subscription_gets_nothing_more(uow, admin):
    sub = subscribe(uow, admin)
    [delivery_id] = service.enqueue_event(uow, event_id="e5", event_type="order.x", payload={})
    service.deactivate_subscription(uow, actor=admin, subscription_id=sub["id"])

    assert service.claim_delivery(uow, delivery_id=delivery_id, now=utcnow()) is None
    assert delivery(uow, delivery_id).state == "dead"
    assert service.enqueue_event(uow, event_id="e6", event_type="order.x", payload={}) == []
    with pytest.raises(ValidationFailed):
        service.redeliver(uow, actor=admin, delivery_id=delivery_id)


def test_redelivering_a_dead_delivery_queues_it_afresh(uow, admin):
    subscribe(uow, admin)
    [delivery_id] = service.enqueue_event(uow, event_id="e7", event_type="order.x", payload={})
    now = utcnow()
    for _ in range(rules.MAX_ATTEMPTS):
        service.record_attempt(
            uow, delivery_id=delivery_id, ok=False, status_code=500, error="no", now=now
        )
    rep = make_actor(uow, username="rep2", roles=["sales"])
    with pytest.raises(PermissionDenied):
        service.redeliver(uow, actor=rep, delivery_id=delivery_id)
    with pytest.raises(NotFound):
        service.redeliver(uow, actor=admin, delivery_id=999)

    service.redeliver(uow, actor=admin, delivery_id=delivery_id)

    row = delivery(uow, delivery_id)
    assert (row.state, row.attempts, row.last_error) == ("pending", 0, "")
    assert service.claim_delivery(uow, delivery_id=delivery_id, now=utcnow()) is not None


def test_the_delivery_log_is_paged_newest_first_and_filtered(uow, admin):
    sub = subscribe(uow, admin, event_types=["*"])
    other = subscribe(uow, admin, name="other", event_types=["*"])
    ids = [
        service.enqueue_event(uow, event_id=f"e{n}", event_type="order.x", payload={})
        for n in range(5)
    ]
    first_for_sub = ids[0][0]
    service.record_attempt(
        uow, delivery_id=first_for_sub, ok=True, status_code=200, error="", now=utcnow()
    )

    page = queries.list_deliveries(uow, actor=admin, subscription_id=sub["id"], page_size=2)
    done = queries.list_deliveries(uow, actor=admin, state="succeeded")

    assert page["total"] == 5 and [r["event_id"] for r in page["rows"]] == ["e4", "e3"]
    assert {r["subscription"] for r in page["rows"]} == {"ERP"}
    assert [r["id"] for r in done["rows"]] == [first_for_sub]
    assert queries.list_deliveries(uow, actor=admin, subscription_id=other["id"])["total"] == 5
    with pytest.raises(ValidationFailed):
        queries.list_deliveries(uow, actor=admin, state="lost")
    with pytest.raises(NotFound):
        queries.list_deliveries(uow, actor=admin, subscription_id=999)
