"""Four eyes on real PostgreSQL: nobody decides on what they made or changed, one person
decides at most one level of an order, and an administrator standing in says why (audited)."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from oms_app.approvals.models import ApprovalEvent, ApprovalRequest
from oms_app.audit.models import AuditEntry
from oms_app.budgets import service as budget_service
from oms_app.budgets.errors import BudgetConflict
from oms_app.core.errors import FourEyesRefused, ValidationFailed
from oms_app.fulfillment import shipping
from oms_app.orders import service
from oms_app.orders.models import Order
from oms_app.orders.rules import LineInput, OrderInput
from oms_app.returns import service as returns_service
from oms_app.returns.rules import ReturnLineInput
from tests.factories.accounts import make_actor, make_admin
from tests.factories.budgets import make_budget, make_finance_team
from tests.factories.sales import make_world

SMALL = OrderInput(customer_code="C10001", lines=[LineInput("OFF-0001", 10)])  # one level
BIG = OrderInput(customer_code="C10001", lines=[LineInput("OFF-0002", 2500)])  # manager, finance


def status_of(uow, number: str) -> str:
    with uow:
        return uow.session.scalar(sa.select(Order.status).where(Order.number == number))


def decisions(uow) -> int:
    with uow:
        return uow.session.scalar(
            sa.select(sa.func.count())
            .select_from(ApprovalEvent)
            .where(ApprovalEvent.action.in_(["approve", "reject"]))
        )


def stand_ins(uow) -> list[dict]:
    with uow:
        return list(
            uow.session.scalars(
                sa.select(AuditEntry.detail).where(AuditEntry.action == "approval.stand_in")
            )
        )


def test_a_sales_manager_cannot_approve_or_reject_an_order_they_created(uow):
    # given an order the sales manager entered and submitted themselves
    world = make_world(uow)
    number = service.create_order(uow, actor=world.manager, submit=True, cmd=SMALL)
    # when they try to decide it, they are refused and nothing changes
    with pytest.raises(FourEyesRefused) as refused:
        service.approve_order(uow, actor=world.manager, number=number, comment="ok")
    assert (refused.value.code, refused.value.field) == ("error.approval.own_order", "order")
    assert refused.value.status_code == 403
    with pytest.raises(FourEyesRefused):
        service.reject_order(uow, actor=world.manager, number=number, comment="no")
    assert status_of(uow, number) == "pending_approval"
    assert decisions(uow) == 0
    # then another sales manager approves it
    colleague = make_actor(uow, username="manager-2", roles=["sales_manager"])
    assert service.approve_order(uow, actor=colleague, number=number) == "allocated"


def test_an_admin_cannot_approve_both_levels_of_one_order(uow):
    # given a big order (sales manager, then finance) entered by the rep
    world = make_world(uow, stock=5000)
    admin = make_admin(uow)
    number = service.create_order(uow, actor=world.rep, submit=True, cmd=BIG)
    # when the admin stands in for the sales manager, then tries the finance level too
    service.approve_order(uow, actor=admin, number=number, comment="经理出差，代为审批")
    with pytest.raises(FourEyesRefused) as refused:
        service.approve_order(uow, actor=admin, number=number, comment="财务也不在")
    # then the second level waits for someone else, who approves it
    assert refused.value.code == "error.approval.second_level"
    assert status_of(uow, number) == "pending_approval"
    assert decisions(uow) == 1
    assert service.approve_order(uow, actor=world.finance, number=number) == "allocated"


def test_an_admin_standing_in_for_a_level_must_give_a_reason_and_is_audited(uow):
    world = make_world(uow)
    admin = make_admin(uow)
    number = service.create_order(uow, actor=world.rep, submit=True, cmd=SMALL)
    # when the admin approves the sales manager's level without a reason, it is refused
    with pytest.raises(ValidationFailed) as refused:
        service.approve_order(uow, actor=admin, number=number, comment="  ")
    assert (refused.value.code, refused.value.field) == (
        "error.approval.stand_in_reason",
        "comment",
    )
    assert status_of(uow, number) == "pending_approval"
    assert decisions(uow) == 0 and stand_ins(uow) == []
    # with a reason it goes through, and the audit log says who stood in for which role and why
    assert service.approve_order(uow, actor=admin, number=number, comment="经理休假") == "allocated"
    [entry] = stand_ins(uow)
    assert entry["role"] == "sales_manager" and entry["reason"] == "经理休假"


def test_whoever_last_changed_or_submitted_an_order_cannot_approve_it(uow):
    # given a draft by the rep that the sales manager edited, and another the manager submitted
    world = make_world(uow)
    colleague = make_actor(uow, username="manager-2", roles=["sales_manager"])
    edited = service.create_order(uow, actor=world.rep, cmd=SMALL)
    bigger = OrderInput(customer_code="C10001", lines=[LineInput("OFF-0001", 12)])
    service.update_draft(uow, actor=world.manager, number=edited, cmd=bigger)
    service.submit_order(uow, actor=world.rep, number=edited)
    submitted = service.create_order(uow, actor=world.rep, cmd=SMALL)
    service.submit_order(uow, actor=world.manager, number=submitted)
    # when the manager tries to approve either, they are refused
    for number in (edited, submitted):
        with pytest.raises(FourEyesRefused) as refused:
            service.approve_order(uow, actor=world.manager, number=number)
        assert refused.value.code == "error.approval.own_change"
    assert decisions(uow) == 0
    # then a colleague who touched neither approves them
    assert service.approve_order(uow, actor=colleague, number=edited) == "allocated"
    assert service.approve_order(uow, actor=colleague, number=submitted) == "allocated"


def test_the_requester_or_the_order_creator_cannot_decide_a_return(uow):
    # given a shipped order entered by one sales manager and approved by another
    world = make_world(uow)
    creator = make_actor(uow, username="manager-2", roles=["sales_manager"])
    number = service.create_order(uow, actor=creator, submit=True, cmd=SMALL)
    service.approve_order(uow, actor=world.manager, number=number)
    shipping.ship_order(uow, actor=world.warehouse, number=number, carrier="ZTO")
    # and a return the approving manager asked for
    made = returns_service.request_return(
        uow,
        actor=world.manager,
        order_number=number,
        lines=[ReturnLineInput("OFF-0001", 2)],
        reason="damaged",
    )
    # when the requester or the order's creator decides it, they are refused
    with pytest.raises(FourEyesRefused) as own_request:
        returns_service.approve_return(uow, actor=world.manager, number=made["number"])
    with pytest.raises(FourEyesRefused) as own_order:
        returns_service.reject_return(uow, actor=creator, number=made["number"], reason="no")
    assert own_request.value.code == "returns.error.own_request"
    assert own_order.value.code == "returns.error.own_order"
    # then the warehouse, who did neither, approves it
    approved = returns_service.approve_return(uow, actor=world.warehouse, number=made["number"])
    assert approved["status"] == "approved"


def test_the_requester_cannot_approve_or_reject_their_own_budget_adjustment(uow):
    team = make_finance_team(uow)
    budget_id = make_budget(uow, actor=team.manager)
    adjustment_id = budget_service.request_adjustment(
        uow,
        budget_id=budget_id,
        kind="increase",
        amount=Decimal("5.00"),
        month=3,
        reason="mine",
        actor=team.clerk,
    )
    for decide in (budget_service.approve_adjustment, budget_service.reject_adjustment):
        with pytest.raises(BudgetConflict) as refused:
            decide(uow, adjustment_id=adjustment_id, actor=team.clerk)
        assert refused.value.code == "budgets.error.own_request"
    budget_service.reject_adjustment(uow, adjustment_id=adjustment_id, actor=team.manager)


def test_a_resubmitted_order_is_decided_afresh_by_the_same_level(uow):
    # the rule is per round: whoever refused level 1 may decide level 1 of the next round
    world = make_world(uow)
    number = service.create_order(uow, actor=world.rep, submit=True, cmd=SMALL)
    service.reject_order(uow, actor=world.manager, number=number, comment="缺少采购单号")
    service.submit_order(uow, actor=world.rep, number=number)
    assert service.approve_order(uow, actor=world.manager, number=number) == "allocated"
    with uow:
        rounds = uow.session.scalar(sa.select(sa.func.max(ApprovalRequest.round)))
    assert rounds == 2
