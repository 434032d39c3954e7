"""Multi-level approval on real PostgreSQL: levels in turn, rejection, step-up, escalation."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
import sqlalchemy as sa

from oms_app.approvals import service as approvals_service
from oms_app.approvals.models import ApprovalEvent, ApprovalRequest
from oms_app.core.clock import utcnow
from oms_app.core.config import reset_settings_cache
from oms_app.core.errors import IllegalTransition, PermissionDenied, SecondFactorRequired
from oms_app.core.events import OutboxMessage
from oms_app.notifications.models import Notification
from oms_app.orders import service
from oms_app.orders.models import Order, OrderEvent
from oms_app.orders.rules import LineInput, OrderInput
from tests.factories.sales import FINANCE_SECRET, make_world


def status_of(uow, number: str) -> str:
    with uow:
        return uow.session.scalar(sa.select(Order.status).where(Order.number == number))


def big_order(uow, world) -> str:
    """¥80k+: needs the sales manager, then finance."""
    return service.create_order(
        uow,
        actor=world.rep,
        submit=True,
        cmd=OrderInput(customer_code="C10001", lines=[LineInput("OFF-0002", 2500)]),
    )


def test_levels_are_decided_in_turn_and_the_last_approval_approves_the_order(uow):
    world = make_world(uow, stock=5000)
    number = big_order(uow, world)
    with pytest.raises(PermissionDenied):  # finance's turn has not come
        service.approve_order(
            uow, actor=world.finance, number=number, totp_code=pyotp.TOTP(FINANCE_SECRET).now()
        )
    assert (
        service.approve_order(uow, actor=world.manager, number=number, comment="客户老合作")
        == "pending_approval"
    )
    assert (
        service.approve_order(
            uow, actor=world.finance, number=number, totp_code=pyotp.TOTP(FINANCE_SECRET).now()
        )
        == "allocated"  # approved, and its stock reserved in the same transaction
    )
    with uow:
        decided = uow.session.execute(
            sa.select(
                ApprovalRequest.role, ApprovalRequest.status, ApprovalRequest.decided_by
            ).order_by(ApprovalRequest.level_no)
        ).all()
        events = list(uow.session.scalars(sa.select(OutboxMessage.event_type)))
    assert [tuple(r) for r in decided] == [
        ("sales_manager", "approved", "sales-manager"),
        ("finance", "approved", "finance"),
    ]
    assert "order.approved" in events


def test_a_rejection_returns_the_order_to_draft_with_the_reason(uow):
    world = make_world(uow, stock=5000)
    number = big_order(uow, world)
    assert (
        service.reject_order(uow, actor=world.manager, number=number, comment="价格需重新谈判")
        == "draft"
    )
    with uow:
        history = uow.session.execute(
            sa.select(OrderEvent.to_status, OrderEvent.reason).order_by(OrderEvent.id)
        ).all()
        levels = uow.session.execute(
            sa.select(ApprovalRequest.role, ApprovalRequest.status).order_by(
                ApprovalRequest.level_no
            )
        ).all()
    assert [tuple(r) for r in history][-2:] == [
        ("rejected", "价格需重新谈判"),
        ("draft", "returned to draft: 价格需重新谈判"),
    ]
    assert [tuple(r) for r in levels] == [("sales_manager", "rejected"), ("finance", "cancelled")]


def test_resubmitting_after_rejection_opens_a_new_round(uow):
    world = make_world(uow)
    number = service.create_order(
        uow,
        actor=world.rep,
        submit=True,
        cmd=OrderInput(customer_code="C10001", lines=[LineInput("OFF-0001", 10)]),
    )
    service.reject_order(uow, actor=world.manager, number=number, comment="缺少采购单号")
    service.submit_order(uow, actor=world.rep, number=number)
    service.approve_order(uow, actor=world.manager, number=number)
    assert status_of(uow, number) == "allocated"


def test_an_approver_without_two_factor_cannot_approve_above_the_step_up_amount(uow, monkeypatch):
    monkeypatch.setenv("OMS_APPROVAL_STEP_UP_AMOUNT", "50000")
    reset_settings_cache()
    try:
        world = make_world(uow, stock=5000)
        number = big_order(uow, world)
        with pytest.raises(SecondFactorRequired) as refused:
            service.approve_order(uow, actor=world.manager, number=number)
        assert refused.value.params == {"reason": "not_enrolled"}
        assert status_of(uow, number) == "pending_approval"
    finally:
        reset_settings_cache()


def test_without_the_code_a_big_approval_is_refused_and_changes_nothing(uow, monkeypatch):
    monkeypatch.setenv("OMS_APPROVAL_STEP_UP_AMOUNT", "1000")
    reset_settings_cache()
    try:
        world = make_world(uow, stock=5000)
        number = big_order(uow, world)
        with uow:
            uow.session.execute(
                sa.update(ApprovalRequest)
                .where(ApprovalRequest.level_no == 1)
                .values(role="finance")
            )
            uow.commit()
        with pytest.raises(SecondFactorRequired):
            service.approve_order(uow, actor=world.finance, number=number, totp_code="000000")
        with uow:
            assert uow.session.scalar(sa.select(sa.func.count()).select_from(ApprovalEvent)) == 0
        assert service.approve_order(
            uow, actor=world.finance, number=number, totp_code=pyotp.TOTP(FINANCE_SECRET).now()
        )
    finally:
        reset_settings_cache()


def test_an_approved_order_cannot_be_approved_again(uow):
    world = make_world(uow)
    number = service.create_order(
        uow,
        actor=world.rep,
        submit=True,
        cmd=OrderInput(customer_code="C10001", lines=[LineInput("OFF-0001", 10)]),
    )
    service.approve_order(uow, actor=world.manager, number=number)
    with pytest.raises(IllegalTransition):
        service.approve_order(uow, actor=world.manager, number=number)


def test_a_level_past_its_sla_is_escalated_once_with_notifications(uow):
    world = make_world(uow)
    service.create_order(
        uow,
        actor=world.rep,
        submit=True,
        cmd=OrderInput(customer_code="C10001", lines=[LineInput("OFF-0001", 10)]),
    )
    later = utcnow() + timedelta(hours=25)
    with uow:
        before = uow.session.scalar(sa.select(sa.func.count()).select_from(Notification))
    assert len(approvals_service.escalate_stale(uow, now=later)) == 1
    assert approvals_service.escalate_stale(uow, now=later) == []
    with uow:
        after = uow.session.scalar(sa.select(sa.func.count()).select_from(Notification))
    assert after > before


def test_cancelling_a_pending_order_closes_its_approval_levels(uow):
    world = make_world(uow)
    number = service.create_order(
        uow,
        actor=world.rep,
        submit=True,
        cmd=OrderInput(customer_code="C10001", lines=[LineInput("OFF-0001", 10)]),
    )
    assert (
        service.cancel_order(uow, actor=world.manager, number=number, reason="客户取消")
        == "cancelled"
    )
    with uow:
        assert set(uow.session.scalars(sa.select(ApprovalRequest.status))) == {"cancelled"}


def test_a_stock_change_adds_a_new_anomaly_to_a_waiting_order_and_warns_the_decider(uow):
    from oms_app.core.permissions import SYSTEM_ACTOR
    from oms_app.orders import review
    from oms_app.orders.models import OrderAnomaly

    world = make_world(uow, stock=50)
    number = service.create_order(
        uow,
        actor=world.rep,
        submit=True,
        cmd=OrderInput(customer_code="C10001", lines=[LineInput("OFF-0001", 40)]),
    )
    assert review.recheck_anomalies(uow, actor=SYSTEM_ACTOR) == {}
    with uow:  # a stock count finds only 10 pens
        uow.session.execute(
            sa.text(
                "INSERT INTO stock_movements (product_id, warehouse_id, kind, on_hand_delta,"
                " reserved_delta, ref_type, ref_id, at) SELECT id, (SELECT id FROM warehouses),"
                " 'adjust', -40, 0, '', '', now() FROM products WHERE sku = 'OFF-0001'"
            )
        )
        uow.commit()
    assert review.recheck_anomalies(uow, actor=SYSTEM_ACTOR, skus=["OFF-0001"]) == {
        number: ["insufficient_stock"]
    }
    assert review.recheck_anomalies(uow, actor=SYSTEM_ACTOR) == {}  # nothing new the 2nd time
    with uow:
        codes = list(uow.session.scalars(sa.select(OrderAnomaly.code)))
        warned = uow.session.scalar(
            sa.select(Notification.user_id).where(Notification.title == "notify.new_anomalies")
        )
    assert codes == ["insufficient_stock"] and warned == world.manager.user_id
