"""Field-level rights on master data: sales may propose credit, terms and tier; finance decides."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from oms_app.accounts import admin as accounts_admin
from oms_app.audit.models import AuditEntry
from oms_app.changes import queries as change_queries
from oms_app.changes import service as change_service
from oms_app.core.errors import PermissionDenied
from oms_app.core.paging import PageRequest
from oms_app.customers import service as customers_service
from oms_app.customers.service import CustomerInput
from tests.factories.accounts import actor_of, enable_totp, make_actor, make_admin, make_user


def customer_input(**kw) -> CustomerInput:
    values = {
        "name": "上海晨光贸易有限公司",
        "province": "上海市",
        "city": "上海市",
        "tier": "B",
        "credit_limit": "0.00",
        "payment_terms_days": 30,
    }
    return CustomerInput(**{**values, **kw})


def audit_details(uow, *, entity: str, action: str) -> list[dict]:
    with uow:
        return list(
            uow.session.scalars(
                sa.select(AuditEntry.detail)
                .where(AuditEntry.entity == entity, AuditEntry.action == action)
                .order_by(AuditEntry.id)
            )
        )


def make_finance(uow, username: str = "chenjing"):
    """A finance user with an enrolled second factor (finance must enrol one to work)."""
    user_id = make_user(uow, username=username, roles=["finance"])
    enable_totp(uow, user_id, "JBSWY3DPEHPK3PXP")
    return actor_of(uow, user_id)


@pytest.fixture
def people(uow):
    admin = make_admin(uow)
    customers_service.upsert_customer(uow, actor=admin, code="C10001", data=customer_input())
    return {
        "admin": admin,
        "sales": make_actor(uow, username="wangfang", roles=["sales"]),
        "manager": make_actor(uow, username="zhaolei", roles=["sales_manager"]),
        "finance": make_finance(uow),
    }


def test_sales_raising_the_credit_limit_makes_a_proposal_and_the_limit_stays(uow, people):
    # when
    view, _ = customers_service.upsert_customer(
        uow,
        actor=people["sales"],
        code="C10001",
        data=customer_input(name="上海晨光贸易", credit_limit="99999999.00"),
    )
    # then: the name changed, the credit did not, and the answer says what waits
    assert view["name"] == "上海晨光贸易"
    assert view["credit_limit"] == Decimal("0.00")
    pending = [(p["field"], p["old"], p["new"]) for p in view["pending_changes"]]
    assert pending == [("credit_limit", "0.00", "99999999.00")]
    stored = customers_service.get_customer(uow, actor=people["admin"], code="C10001")
    assert stored["credit_limit"] == Decimal("0.00")
    assert audit_details(uow, entity="customer", action="customer.updated")[-1] == {
        "code": "C10001",
        "name": {"old": "上海晨光贸易有限公司", "new": "上海晨光贸易"},
    }


def test_payment_terms_from_sales_wait_for_finance_too(uow, people):
    view, _ = customers_service.upsert_customer(
        uow, actor=people["sales"], code="C10001", data=customer_input(payment_terms_days=90)
    )
    assert view["payment_terms_days"] == 30
    assert [p["field"] for p in view["pending_changes"]] == ["payment_terms_days"]


def test_finance_approving_applies_the_change_and_audits_old_and_new(uow, people):
    # given
    view, _ = customers_service.upsert_customer(
        uow, actor=people["sales"], code="C10001", data=customer_input(credit_limit="5000")
    )
    change_id = view["pending_changes"][0]["id"]
    # when
    decided = change_service.approve_change_request(
        uow, change_id=change_id, actor=people["finance"]
    )
    # then
    assert decided["status"] == "approved" and decided["decided_by"] == "chenjing"
    stored = customers_service.get_customer(uow, actor=people["admin"], code="C10001")
    assert stored["credit_limit"] == Decimal("5000.00") and stored["pending_changes"] == []
    applied = audit_details(uow, entity="customer", action="customer.updated")[-1]
    assert applied["credit_limit"] == {"old": "0.00", "new": "5000.00"}
    assert applied["change_request"] == str(change_id)


def test_the_proposer_may_not_decide_their_own_proposal_even_with_the_right(uow, people):
    # given: a sales rep proposes, then is made finance too
    sales = people["sales"]
    view, _ = customers_service.upsert_customer(
        uow, actor=sales, code="C10001", data=customer_input(credit_limit="8000")
    )
    change_id = view["pending_changes"][0]["id"]
    accounts_admin.set_roles(
        uow, actor=people["admin"], user_id=sales.user_id, roles=["sales", "finance"]
    )
    enable_totp(uow, sales.user_id, "JBSWY3DPEHPK3PXP")
    promoted = actor_of(uow, sales.user_id)
    # when / then
    with pytest.raises(change_service.OwnProposal):
        change_service.approve_change_request(uow, change_id=change_id, actor=promoted)
    stored = customers_service.get_customer(uow, actor=people["admin"], code="C10001")
    assert stored["credit_limit"] == Decimal("0.00") and len(stored["pending_changes"]) == 1


def test_a_sales_manager_may_not_approve_credit(uow, people):
    view, _ = customers_service.upsert_customer(
        uow, actor=people["sales"], code="C10001", data=customer_input(credit_limit="8000")
    )
    with pytest.raises(PermissionDenied):
        change_service.approve_change_request(
            uow, change_id=view["pending_changes"][0]["id"], actor=people["manager"]
        )


def test_a_sales_manager_may_change_the_tier_directly(uow, people):
    view, _ = customers_service.upsert_customer(
        uow, actor=people["manager"], code="C10001", data=customer_input(tier="A")
    )
    assert view["tier"] == "A" and view["pending_changes"] == []
    changed = audit_details(uow, entity="customer", action="customer.updated")[-1]
    assert changed["tier"] == {"old": "B", "new": "A"}


def test_sales_may_only_propose_a_tier_and_a_rejection_keeps_it(uow, people):
    # given
    view, _ = customers_service.upsert_customer(
        uow, actor=people["sales"], code="C10001", data=customer_input(tier="A")
    )
    assert view["tier"] == "B"
    change_id = view["pending_changes"][0]["id"]
    # when
    decided = change_service.reject_change_request(
        uow, change_id=change_id, actor=people["manager"], reason="没有年度合同"
    )
    # then
    assert decided["status"] == "rejected" and decided["reason"] == "没有年度合同"
    stored = customers_service.get_customer(uow, actor=people["admin"], code="C10001")
    assert stored["tier"] == "B" and stored["pending_changes"] == []


def test_re_sending_the_same_change_makes_no_second_proposal(uow, people):
    for _ in range(2):
        customers_service.upsert_customer(
            uow, actor=people["sales"], code="C10001", data=customer_input(credit_limit="700")
        )
    listed = change_queries.list_change_requests(
        uow, actor=people["finance"], request=PageRequest(), status="proposed"
    )
    assert [(r["field"], r["new"]) for r in listed["rows"]] == [("credit_limit", "700.00")]


def test_sales_cannot_list_or_decide_change_requests(uow, people):
    with pytest.raises(PermissionDenied):
        change_queries.list_change_requests(uow, actor=people["sales"], request=PageRequest())
