"""Replenishment and backorder tasks on a real worker over Redis; re-running them is harmless."""

from __future__ import annotations

import sqlalchemy as sa

from oms_app.inventory import replenishment
from oms_app.inventory.models import ReplenishmentSuggestion, Warehouse
from oms_app.notifications.models import Notification
from oms_app.orders import service as order_service
from oms_app.orders.models import Order
from oms_app.orders.rules import LineInput, OrderInput
from tasks import replenishment as replenishment_tasks
from tests.factories.catalog import add_movement, product_id
from tests.factories.sales import make_world

WAIT = 30


def status_of(uow, number: str) -> str:
    with uow:
        return uow.session.scalar(sa.select(Order.status).where(Order.number == number))


def test_the_suggestion_task_proposes_a_low_sku_once_and_alerts_the_warehouse(uow, celery_worker):
    # given 40 in stock and a rule to reorder at 50
    world = make_world(uow, stock=40)
    replenishment.set_reorder_rule(
        uow,
        actor=world.warehouse,
        warehouse_code="SH",
        sku="OFF-0001",
        reorder_point=50,
        reorder_qty=200,
        lead_time_days=5,
    )
    # when the task runs twice
    first = replenishment_tasks.suggest_replenishment_task.delay().get(timeout=WAIT)
    second = replenishment_tasks.suggest_replenishment_task.delay().get(timeout=WAIT)
    # then
    assert len(first["suggested"]) == 1 and second["suggested"] == []
    with uow:
        rows = uow.session.execute(
            sa.select(ReplenishmentSuggestion.quantity, ReplenishmentSuggestion.state)
        ).all()
        alerts = uow.session.scalars(
            sa.select(Notification.title).where(Notification.user_id == world.warehouse.user_id)
        ).all()
    assert [tuple(r) for r in rows] == [(200, "open")]
    assert alerts == ["notify.replenishment"]


def test_the_backorder_task_serves_a_waiting_order_from_stock_that_came_by_any_path(
    uow, celery_worker
):
    # given an approved order of 10 boxes waiting for stock
    world = make_world(uow, stock=0)
    number = order_service.create_order(
        uow,
        actor=world.rep,
        submit=True,
        cmd=OrderInput(customer_code="C10001", lines=[LineInput("OFF-0001", 10)]),
    )
    for approver in (world.manager, world.warehouse):
        if order_service.approve_order(uow, actor=approver, number=number) != "pending_approval":
            break
    assert status_of(uow, number) == "on_hold"
    # when stock appears without a receipt (a count, a return) and the safety net runs twice
    with uow:
        wh = uow.session.scalar(sa.select(Warehouse.id).where(Warehouse.code == "SH"))
    add_movement(
        uow, warehouse_id=wh, product_id=product_id(uow, "OFF-0001"), kind="adjust", on_hand=10
    )
    first = replenishment_tasks.allocate_backorders_task.delay().get(timeout=WAIT)
    second = replenishment_tasks.allocate_backorders_task.delay().get(timeout=WAIT)
    # then
    assert (first, second) == ([number], [])
    assert status_of(uow, number) == "allocated"
