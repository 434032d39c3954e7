"""The rollup pump, on a real worker: order events on the stream rewrite their days."""

from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from oms_app.analytics import rollups
from oms_app.analytics.models import SalesDaily
from oms_app.core.state_machine import apply_transition
from oms_app.orders.models import Order
from oms_app.orders.status import OrderAction
from tasks import analytics as analytics_tasks
from tests.factories.accounts import make_actor
from tests.factories.orders import make_customer, make_draft_order

WAIT = 60


def pump() -> int:
    return analytics_tasks.pump_rollup_events.delay().get(timeout=WAIT)


def move(uow, order_id: int, *actions: OrderAction, actor) -> None:
    for action in actions:
        with uow:
            apply_transition(uow, uow.session.get(Order, order_id), action, actor=actor)
            uow.commit()


def day_rows(uow) -> list[tuple]:
    with uow:
        return [
            (r.orders, r.revenue, r.channel)
            for r in uow.session.scalars(sa.select(SalesDaily).order_by(SalesDaily.id))
        ]


def test_an_approved_order_reaches_its_days_rollup_when_the_pump_runs(uow, celery_worker):
    # given: an order submitted and approved through its state machine (events after commit)
    pump()  # whatever earlier tests left on the stream
    rep = make_actor(uow, username="rollrep", roles=["sales_manager"])
    order_id = make_draft_order(uow, customer_id=make_customer(uow), number="SO-R-0001")
    move(uow, order_id, OrderAction.SUBMIT, actor=rep)
    assert pump() == 0  # pending approval is not booked: the day has no rows
    assert day_rows(uow) == []
    # when
    move(uow, order_id, OrderAction.APPROVE, actor=rep)
    written = pump()
    # then: one row of one booked order, and the next run finds nothing new
    assert written == 1
    assert day_rows(uow) == [(1, Decimal("1000.00"), "sales")]
    assert pump() == 0
    [day] = rollups.days_of_orders(uow, [order_id])
    with uow:
        stored_days = uow.session.scalars(sa.select(SalesDaily.day)).all()
    assert stored_days == [day]


def test_the_nightly_pass_rewrites_recent_days_the_pump_missed(uow, celery_worker):
    # given: a booked order whose rollup was never written (its events were trimmed unread)
    order_id = make_draft_order(uow, customer_id=make_customer(uow), number="SO-R-0002")
    with uow:
        uow.session.execute(sa.update(Order).where(Order.id == order_id).values(status="approved"))
        uow.commit()
    assert day_rows(uow) == []
    # when
    written = analytics_tasks.refresh_recent_rollups.delay().get(timeout=WAIT)
    # then
    assert written == 1 and day_rows(uow) == [(1, Decimal("1000.00"), "sales")]
