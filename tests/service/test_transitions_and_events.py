"""apply_transition writes status, history and outbox in one transaction; events follow commit."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from oms_app.core.config import get_settings
from oms_app.core.errors import IllegalTransition
from oms_app.core.events import OutboxMessage, decode_stream_entry, relay_unpublished
from oms_app.core.state_machine import apply_transition
from oms_app.orders.models import Order, OrderEvent
from oms_app.orders.status import OrderAction, OrderStatus
from tests.factories.accounts import make_actor
from tests.factories.orders import make_customer, make_draft_order


def stream_events(redis_client) -> list[tuple[str, dict]]:
    entries = redis_client.xrange(get_settings().event_stream)
    return [decode_stream_entry(fields)[1:] for _, fields in entries]


def test_submitting_a_draft_records_who_when_why_and_publishes_after_commit(uow, redis_client):
    # given
    rep = make_actor(uow, username="rep1", roles=["sales"])
    order_id = make_draft_order(uow, customer_id=make_customer(uow))
    redis_client.delete(get_settings().event_stream)
    # when
    with uow:
        order = uow.session.get(Order, order_id, with_for_update=True)
        apply_transition(uow, order, OrderAction.SUBMIT, actor=rep, reason="customer PO 778")
        assert stream_events(redis_client) == []  # nothing leaves before the commit
        uow.commit()
    # then
    with uow:
        assert uow.session.get(Order, order_id).status == OrderStatus.PENDING_APPROVAL
        history = [
            (h.from_status, h.to_status, h.action, h.actor_name, h.reason, h.at.tzinfo is not None)
            for h in uow.session.scalars(sa.select(OrderEvent))
        ]
        published = [
            o.published_at is not None for o in uow.session.scalars(sa.select(OutboxMessage))
        ]
    assert history == [("draft", "pending_approval", "submit", "rep1", "customer PO 778", True)]
    assert published == [True]
    ((event_type, data),) = stream_events(redis_client)
    assert event_type == "order.status_changed"
    assert data["to_status"] == "pending_approval" and data["order_id"] == order_id


def test_an_illegal_transition_changes_nothing(uow, redis_client):
    rep = make_actor(uow, username="rep2", roles=["sales"])
    order_id = make_draft_order(uow, customer_id=make_customer(uow))
    with uow, pytest.raises(IllegalTransition):
        apply_transition(uow, uow.session.get(Order, order_id), OrderAction.SHIP, actor=rep)
    with uow:
        assert uow.session.get(Order, order_id).status == OrderStatus.DRAFT
        assert uow.session.scalar(sa.select(sa.func.count()).select_from(OrderEvent)) == 0
        assert uow.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0


def test_a_transaction_that_is_not_committed_leaves_no_history_and_no_event(uow, redis_client):
    rep = make_actor(uow, username="rep3", roles=["sales"])
    order_id = make_draft_order(uow, customer_id=make_customer(uow))
    redis_client.delete(get_settings().event_stream)
    with uow:
        apply_transition(uow, uow.session.get(Order, order_id), OrderAction.CANCEL, actor=rep)
    with uow:
        assert uow.session.get(Order, order_id).status == OrderStatus.DRAFT
        assert uow.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0
    assert stream_events(redis_client) == []


def test_the_relay_publishes_rows_left_behind_when_redis_was_down(uow, redis_client):
    rep = make_actor(uow, username="rep4", roles=["sales"])
    order_id = make_draft_order(uow, customer_id=make_customer(uow))
    with uow:
        apply_transition(uow, uow.session.get(Order, order_id), OrderAction.SUBMIT, actor=rep)
        uow.commit()
    with uow:  # as if Redis had refused the append right after the commit
        uow.session.execute(sa.update(OutboxMessage).values(published_at=None))
        uow.commit()
    redis_client.delete(get_settings().event_stream)
    with uow:
        assert relay_unpublished(uow.session) == 1
    with uow:
        assert relay_unpublished(uow.session) == 0  # running it again is harmless
    assert [t for t, _ in stream_events(redis_client)] == ["order.status_changed"]
