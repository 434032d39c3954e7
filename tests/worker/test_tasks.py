"""Tasks on a real worker over Redis: the outbox relay, notifications, the heartbeat."""

from __future__ import annotations

import time

import sqlalchemy as sa

from oms_app.core import health
from oms_app.core.config import get_settings
from oms_app.core.events import OutboxMessage
from oms_app.core.state_machine import apply_transition
from oms_app.notifications.models import Notification
from oms_app.orders.models import Order
from oms_app.orders.status import OrderAction
from tasks import notifications as notification_tasks
from tasks import outbox as outbox_tasks
from tests.factories.accounts import make_actor, make_user
from tests.factories.orders import make_customer, make_draft_order

WAIT = 30


def test_the_relay_task_publishes_what_was_left_and_a_second_run_finds_nothing(
    uow, redis_client, celery_worker
):
    rep = make_actor(uow, username="relayrep", roles=["sales"])
    order_id = make_draft_order(uow, customer_id=make_customer(uow))
    with uow:
        apply_transition(uow, uow.session.get(Order, order_id), OrderAction.SUBMIT, actor=rep)
        uow.commit()
    with uow:
        uow.session.execute(sa.update(OutboxMessage).values(published_at=None))
        uow.commit()
    redis_client.delete(get_settings().event_stream)

    assert outbox_tasks.relay_outbox.delay().get(timeout=WAIT) == 1
    assert outbox_tasks.relay_outbox.delay().get(timeout=WAIT) == 0
    assert redis_client.xlen(get_settings().event_stream) == 1


def test_a_role_notification_reaches_every_holder_of_the_role_and_emits_events(
    uow, redis_client, celery_worker
):
    ids = [make_user(uow, username=f"picker{n}", roles=["warehouse"]) for n in range(2)]
    make_user(uow, username="notpicker", roles=["sales"])
    redis_client.delete(get_settings().event_stream)

    created = notification_tasks.notify_role.delay(
        "warehouse", "波次 W-17 已释放", "12 张订单待拣货"
    ).get(timeout=WAIT)

    with uow:
        rows = uow.session.execute(
            sa.select(Notification.user_id, Notification.title).order_by(Notification.user_id)
        ).all()
    assert len(created) == 2
    assert [(r.user_id, r.title) for r in rows] == [(i, "波次 W-17 已释放") for i in ids]
    types = [f["type"] for _, f in redis_client.xrange(get_settings().event_stream)]
    assert types == ["notification.created", "notification.created"]


def test_a_running_worker_keeps_its_heartbeat_so_health_says_ok(clean_db, celery_worker):
    deadline = time.monotonic() + WAIT
    while not health.check_worker() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert health.report()["worker"] == "ok"


def test_the_escalation_task_flags_overdue_levels_once(uow, celery_worker):
    from datetime import timedelta

    from oms_app.approvals.models import ApprovalRequest
    from oms_app.orders import service as order_service
    from oms_app.orders.rules import LineInput, OrderInput
    from tasks import approvals as approval_tasks
    from tests.factories.sales import make_world

    world = make_world(uow)
    order_service.create_order(
        uow,
        actor=world.rep,
        submit=True,
        cmd=OrderInput(customer_code="C10001", lines=[LineInput("OFF-0001", 10)]),
    )
    with uow:  # the level has waited past its SLA
        uow.session.execute(
            sa.update(ApprovalRequest).values(
                due_at=ApprovalRequest.created_at - timedelta(hours=1)
            )
        )
        uow.commit()
    assert approval_tasks.escalate_stale.delay().get(timeout=WAIT) == 1
    assert approval_tasks.escalate_stale.delay().get(timeout=WAIT) == 0
    with uow:
        escalated = uow.session.scalar(sa.select(ApprovalRequest.escalated_at))
    assert escalated is not None


def test_the_recurring_templates_task_makes_todays_draft_once(uow, celery_worker):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from oms_app.orders import service as order_service
    from oms_app.orders import templates
    from oms_app.orders.rules import LineInput, OrderInput
    from tasks import templates as template_tasks
    from tests.factories.sales import make_world

    world = make_world(uow)
    past = order_service.create_order(
        uow,
        actor=world.rep,
        cmd=OrderInput(customer_code="C10001", lines=[LineInput("OFF-0002", 5)]),
    )
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    templates.save_template(
        uow,
        actor=world.rep,
        name="每周复印纸",
        from_number=past,
        recurrence="weekly",
        first_run=today,
    )
    made = template_tasks.run_recurring.delay().get(timeout=WAIT)
    assert len(made) == 1 and made[0] != past
    assert template_tasks.run_recurring.delay().get(timeout=WAIT) == []


def test_the_recheck_task_reports_new_anomalies_of_waiting_orders(uow, celery_worker):
    from oms_app.orders import service as order_service
    from oms_app.orders.rules import LineInput, OrderInput
    from tasks import anomalies as anomaly_tasks
    from tests.factories.sales import make_world

    world = make_world(uow, stock=50)
    number = order_service.create_order(
        uow,
        actor=world.rep,
        submit=True,
        cmd=OrderInput(customer_code="C10001", lines=[LineInput("OFF-0001", 40)]),
    )
    with uow:
        uow.session.execute(
            sa.text(
                "INSERT INTO stock_movements (product_id, warehouse_id, kind, on_hand_delta,"
                " reserved_delta, ref_type, ref_id, at) SELECT id, (SELECT id FROM warehouses),"
                " 'adjust', -45, 0, '', '', now() FROM products WHERE sku = 'OFF-0001'"
            )
        )
        uow.commit()
    assert anomaly_tasks.recheck.delay(["OFF-0001"]).get(timeout=WAIT) == {
        number: ["insufficient_stock"]
    }
    assert anomaly_tasks.recheck.delay().get(timeout=WAIT) == {}
