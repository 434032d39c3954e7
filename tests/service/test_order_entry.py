"""Entering and submitting orders on real PostgreSQL: validation, totals, anomalies, idempotency."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
import sqlalchemy as sa

from oms_app.approvals.models import ApprovalRequest
from oms_app.core.db import UnitOfWork
from oms_app.core.errors import IllegalTransition, PermissionDenied, ValidationErrors
from oms_app.core.events import OutboxMessage
from oms_app.notifications.models import Notification
from oms_app.orders import service
from oms_app.orders.models import IdempotencyKey, Order, OrderAnomaly, OrderEvent, OrderLine
from oms_app.orders.rules import LineInput, OrderInput
from tests.factories.sales import make_world


def counts(uow) -> dict[str, int]:
    with uow:
        return {
            m.__tablename__: uow.session.scalar(sa.select(sa.func.count()).select_from(m))
            for m in (
                Order,
                OrderLine,
                OrderEvent,
                OrderAnomaly,
                ApprovalRequest,
                OutboxMessage,
                IdempotencyKey,
            )
        }


def pens(quantity: int = 10, **kw) -> OrderInput:
    return OrderInput(customer_code="C10001", lines=[LineInput("OFF-0001", quantity, **kw)])


def test_a_submitted_order_is_priced_numbered_and_waits_for_the_manager(uow):
    world = make_world(uow)
    number = service.create_order(
        uow,
        actor=world.rep,
        submit=True,
        cmd=OrderInput(
            customer_code="C10001",
            lines=[LineInput("OFF-0001", 10), LineInput("off-0002", 3), LineInput("OFF-0001", 2)],
        ),
    )
    with uow:
        order = uow.session.scalar(sa.select(Order).where(Order.number == number))
        lines = uow.session.execute(
            sa.select(OrderLine.sku, OrderLine.quantity, OrderLine.line_total).order_by(
                OrderLine.line_no
            )
        ).all()
        levels = uow.session.execute(sa.select(ApprovalRequest.role, ApprovalRequest.status)).all()
        history = uow.session.execute(
            sa.select(OrderEvent.from_status, OrderEvent.to_status, OrderEvent.actor_name)
        ).all()
        assert (order.status, order.ship_receiver) == ("pending_approval", "王芳")
        assert (order.subtotal, order.tax_total, order.shipping_fee, order.grand_total) == (
            Decimal("385.50"),
            Decimal("50.12"),
            Decimal("20.00"),  # express is free only from ¥500
            Decimal("455.62"),
        )
    assert number.startswith("SO-20") and len(number) == 14
    assert [tuple(r) for r in lines] == [
        ("OFF-0001", 12, Decimal("288.00")),
        ("OFF-0002", 3, Decimal("97.50")),
    ]
    assert [tuple(r) for r in levels] == [("sales_manager", "pending")]
    assert [tuple(r) for r in history] == [("draft", "pending_approval", "sales")]


def test_every_field_error_is_reported_at_once_and_nothing_is_written(uow):
    world = make_world(uow)
    before = counts(uow)
    with pytest.raises(ValidationErrors) as refused:
        service.create_order(
            uow,
            actor=world.rep,
            submit=True,
            cmd=OrderInput(
                customer_code="C10001",
                delivery_method="drone",
                lines=[
                    LineInput("OFF-0001", 3),
                    LineInput("NOPE-1", 1),
                    LineInput("OFF-0002", 1, unit_price=Decimal("10.00")),
                ],
            ),
        )
    assert [(e.field, e.code) for e in refused.value.errors] == [
        ("delivery.method", "error.choice"),
        ("lines[0].quantity", "error.quantity.pack"),
        ("lines[1].sku", "error.sku.unknown"),
        ("lines[2].unit_price", "error.price.needs_reason"),
    ]
    assert counts(uow) == before


def test_a_warehouse_user_may_not_enter_orders(uow):
    world = make_world(uow)
    with pytest.raises(PermissionDenied):
        service.create_order(uow, actor=world.warehouse, cmd=pens())
    assert counts(uow)["orders"] == 0


def test_anomalies_are_stored_and_route_to_finance_and_the_warehouse(uow):
    world = make_world(uow, credit_limit=Decimal("500.00"), stock=20)
    number = service.create_order(
        uow,
        actor=world.rep,
        submit=True,
        cmd=pens(40, unit_price=Decimal("19.00"), price_reason="年度框架协议价"),
    )
    with uow:
        found = set(uow.session.scalars(sa.select(OrderAnomaly.code)))
        levels = uow.session.execute(
            sa.select(ApprovalRequest.role, ApprovalRequest.status).order_by(
                ApprovalRequest.level_no
            )
        ).all()
        risk = uow.session.scalar(sa.select(Order.risk_score).where(Order.number == number))
    assert found == {"price_mismatch", "insufficient_stock", "credit_exceeded"}
    assert [tuple(r) for r in levels] == [
        ("sales_manager", "pending"),
        ("finance", "waiting"),
        ("warehouse", "waiting"),
    ]
    assert risk >= 30


def test_the_managers_bell_gets_the_new_order(uow):
    world = make_world(uow)
    number = service.create_order(uow, actor=world.rep, submit=True, cmd=pens())
    with uow:
        rows = uow.session.execute(sa.select(Notification.user_id, Notification.params)).all()
    assert [(user_id, params["number"]) for user_id, params in rows] == [
        (world.manager.user_id, number)
    ]


def test_the_same_idempotency_key_in_parallel_gives_one_order(uow):
    world = make_world(uow)

    def submit(_):
        return service.create_order(
            UnitOfWork(), actor=world.rep, cmd=pens(), submit=True, idempotency_key="po-7781-retry"
        )

    with ThreadPoolExecutor(max_workers=8) as pool:
        numbers = set(pool.map(submit, range(16)))
    assert len(numbers) == 1
    assert counts(uow)["orders"] == 1 and counts(uow)["idempotency_keys"] == 1


def test_a_repeat_within_ten_minutes_is_flagged_as_a_possible_duplicate(uow):
    world = make_world(uow)
    first = service.create_order(uow, actor=world.rep, cmd=pens(), submit=True)
    service.create_order(uow, actor=world.rep, cmd=pens(), submit=True)
    with uow:
        params = uow.session.scalar(
            sa.select(OrderAnomaly.params).where(OrderAnomaly.code == "possible_duplicate")
        )
    assert params == {"number": first}


def test_parallel_orders_get_distinct_consecutive_numbers(uow):
    world = make_world(uow)
    with ThreadPoolExecutor(max_workers=6) as pool:
        numbers = list(
            pool.map(
                lambda _: service.create_order(UnitOfWork(), actor=world.rep, cmd=pens()), range(12)
            )
        )
    assert sorted(int(n[-6:]) for n in numbers) == list(range(1, 13))


def test_a_draft_can_be_rewritten_until_it_is_submitted(uow):
    world = make_world(uow)
    number = service.create_order(uow, actor=world.rep, cmd=pens(10))
    service.update_draft(
        uow,
        actor=world.rep,
        number=number,
        cmd=OrderInput(
            customer_code="C10001", lines=[LineInput("OFF-0002", 2)], notes="改成复印纸"
        ),
    )
    with uow:
        lines = uow.session.execute(sa.select(OrderLine.sku, OrderLine.quantity)).all()
        order = uow.session.scalar(sa.select(Order).where(Order.number == number))
        assert (order.notes, order.subtotal) == ("改成复印纸", Decimal("65.00"))
    assert [tuple(r) for r in lines] == [("OFF-0002", 2)]
    service.submit_order(uow, actor=world.rep, number=number)
    with pytest.raises(IllegalTransition):
        service.update_draft(uow, actor=world.rep, number=number, cmd=pens(4))


def test_finishing_a_draft_with_a_bad_edit_submits_nothing(uow):
    world = make_world(uow)
    number = service.create_order(uow, actor=world.rep, cmd=pens(10))
    with pytest.raises(ValidationErrors):
        service.finish_draft(uow, actor=world.rep, number=number, cmd=pens(3), submit=True)
    service.finish_draft(uow, actor=world.rep, number=number, cmd=pens(12), submit=True)
    with uow:
        order = uow.session.scalar(sa.select(Order).where(Order.number == number))
        assert (order.status, order.subtotal) == ("pending_approval", Decimal("288.00"))
