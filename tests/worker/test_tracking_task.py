"""Tracking on a real worker: a shipment the carrier has delivered closes, and so does its order."""

from __future__ import annotations

from datetime import timedelta

from oms_app.core.clock import utcnow
from oms_app.fulfillment import shipping
from tasks import fulfillment as fulfillment_tasks
from tests.factories.sales import make_world
from tests.factories.warehouse import approved_order, order_status, shipments_of

WAIT = 30


def test_a_shipment_shipped_three_days_ago_is_delivered_after_the_task_runs(uow, celery_worker):
    # given an order handed to ZTO three days ago
    world = make_world(uow)
    number = approved_order(uow, world, [("OFF-0001", 4)])
    shipping.ship_order(
        uow,
        actor=world.warehouse,
        number=number,
        carrier="ZTO",
        now=utcnow() - timedelta(days=3),
    )
    assert order_status(uow, number) == "shipped"
    # when the beat task asks the carrier
    delivered = fulfillment_tasks.track_shipments_task.delay().get(timeout=WAIT)
    # then the shipment and the order are delivered, and a second run finds nothing new
    assert delivered == 1
    (shipment,) = shipments_of(uow, number)
    assert str(shipment.status) == "delivered" and shipment.delivered_at is not None
    assert order_status(uow, number) == "delivered"
    assert fulfillment_tasks.track_shipments_task.delay().get(timeout=WAIT) == 0


def test_a_shipment_shipped_just_now_stays_shipped(uow, celery_worker):
    world = make_world(uow)
    number = approved_order(uow, world, [("OFF-0001", 2)])
    shipping.ship_order(uow, actor=world.warehouse, number=number, carrier="ZTO")

    assert fulfillment_tasks.track_shipments_task.delay().get(timeout=WAIT) == 0
    assert order_status(uow, number) == "shipped"
