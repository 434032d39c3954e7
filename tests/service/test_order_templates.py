"""Templates, reorder and recurring drafts on real PostgreSQL."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from oms_app.notifications.models import Notification
from oms_app.orders import service, templates
from oms_app.orders.models import Order, OrderTemplate
from oms_app.orders.rules import LineInput, OrderInput
from tests.factories.sales import make_world


def first_order(uow, world) -> str:
    return service.create_order(
        uow,
        actor=world.rep,
        submit=True,
        cmd=OrderInput(
            customer_code="C10001", lines=[LineInput("OFF-0001", 10), LineInput("OFF-0002", 4)]
        ),
    )


def test_a_template_made_from_an_order_starts_a_new_order_with_the_same_lines(uow):
    world = make_world(uow)
    template_id = templates.save_template(
        uow, actor=world.rep, name="华东 每周补货", from_number=first_order(uow, world)
    )
    cmd = templates.order_input_from_template(uow, actor=world.rep, template_id=template_id)
    assert cmd.customer_code == "C10001"
    assert [(ln.sku, ln.quantity) for ln in cmd.lines] == [("OFF-0001", 10), ("OFF-0002", 4)]
    assert [t["name"] for t in templates.list_templates(uow, actor=world.rep)] == ["华东 每周补货"]


def test_reorder_copies_a_past_orders_customer_and_lines(uow):
    world = make_world(uow)
    cmd = templates.reorder_input(uow, actor=world.rep, number=first_order(uow, world))
    number = service.create_order(uow, actor=world.rep, cmd=cmd)
    with uow:
        assert uow.session.scalar(sa.select(Order.status).where(Order.number == number)) == "draft"


def test_a_recurring_template_makes_one_draft_per_due_day_and_tells_its_owner(uow):
    world = make_world(uow)
    templates.save_template(
        uow,
        actor=world.rep,
        name="月度办公用品",
        from_number=first_order(uow, world),
        recurrence="monthly",
        first_run=date(2026, 1, 31),
    )
    made = templates.run_recurring(uow, today=date(2026, 1, 31))
    assert len(made) == 1
    assert templates.run_recurring(uow, today=date(2026, 1, 31)) == []  # not due again
    with uow:
        next_on = uow.session.scalar(sa.select(OrderTemplate.next_run_on))
        told = uow.session.execute(
            sa.select(Notification.user_id, Notification.title).where(
                Notification.title == "notify.recurring_draft"
            )
        ).all()
    assert next_on == date(2026, 2, 28)  # the end of a shorter month
    assert [tuple(r) for r in told] == [(world.rep.user_id, "notify.recurring_draft")]


def test_a_template_that_no_longer_validates_is_reported_and_skipped(uow):
    world = make_world(uow)
    templates.save_template(
        uow,
        actor=world.rep,
        name="旧模板",
        recurrence="weekly",
        from_number=first_order(uow, world),
        first_run=date(2026, 3, 2),
    )
    with uow:  # the product was discontinued since
        uow.session.execute(sa.text("UPDATE products SET is_active = false WHERE sku='OFF-0002'"))
        uow.commit()
    assert templates.run_recurring(uow, today=date(2026, 3, 2)) == []
    with uow:
        assert (
            uow.session.scalar(
                sa.select(Notification.title).where(Notification.title == "notify.recurring_failed")
            )
            == "notify.recurring_failed"
        )


def test_next_run_dates():
    assert templates.next_run(date(2026, 12, 15), "monthly") == date(2027, 1, 15)
    assert templates.next_run(date(2026, 3, 2), "weekly") == date(2026, 3, 9)
    assert templates.next_run(date(2026, 3, 2), "") is None
