"""Notifications read as a person writes them: order numbers and role names, not internal ids
and keys, and the same news repeated while unread is one entry with a count."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from oms_app.approvals import service as approvals_service
from oms_app.core.clock import utcnow
from oms_app.notifications import queries as notification_queries
from oms_app.notifications.models import Notification
from oms_app.orders import service
from oms_app.orders.rules import LineInput, OrderInput
from tests.factories.sales import make_world


def submitted(uow, world) -> str:
    return service.create_order(
        uow,
        actor=world.rep,
        submit=True,
        cmd=OrderInput(customer_code="C10001", lines=[LineInput("OFF-0001", 10)]),
    )


def bell_of(uow, actor) -> list[dict]:
    return notification_queries.list_recent(uow, actor=actor)


def overdue_entries(uow, actor) -> list[dict]:
    return [n for n in bell_of(uow, actor) if "审核超时" in n["title"]]


def test_overdue_approvals_name_the_order_and_the_role_and_pile_into_one_entry(uow):
    world = make_world(uow)
    first, second = submitted(uow, world), submitted(uow, world)
    later = utcnow() + timedelta(hours=25)
    assert len(approvals_service.escalate_stale(uow, now=later)) == 2
    # then the manager's bell has one overdue entry for both, naming an order and the role
    (entry,) = overdue_entries(uow, world.manager)
    assert entry["title"] in (f"审核超时：订单 {n}（共 2 条）" for n in (first, second))
    assert entry["body"] == "销售经理（第 1 级）审核已超过时限"
    assert "sales_manager" not in entry["body"] and "#" not in entry["title"]
    with uow:
        unread = uow.session.scalar(
            sa.select(sa.func.count())
            .select_from(Notification)
            .where(Notification.user_id == world.manager.user_id, Notification.read_at.is_(None))
        )
    assert unread == notification_queries.count_unread(uow, actor=world.manager)
    # and once read, the next overdue order starts a new entry
    from oms_app.notifications import service as notifications_service

    notifications_service.mark_read(uow, actor=world.manager)
    third = submitted(uow, world)
    approvals_service.escalate_stale(uow, now=later + timedelta(hours=25))
    newest = overdue_entries(uow, world.manager)[0]
    assert newest["title"] == f"审核超时：订单 {third}" and newest["unread"]


def test_new_anomalies_are_named_not_coded(uow):
    world = make_world(uow)
    number = submitted(uow, world)
    with uow:
        order_id = uow.session.scalar(
            sa.text("SELECT id FROM orders WHERE number = :n"), {"n": number}
        )
    with uow:  # as the order's anomaly check calls it, inside its transaction
        approvals_service.tell_deciders(
            uow, order_id=order_id, number=number, codes=["price_mismatch", "credit_exceeded"]
        )
        uow.commit()
    (entry,) = [
        n for n in bell_of(uow, world.manager) if number in n["title"] and "异常" in n["title"]
    ]
    assert entry["body"] == "价格不符、超出信用额度"
