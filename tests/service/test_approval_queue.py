"""The approval queue on real PostgreSQL: sorted, filtered and paged in SQL for the viewer."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from oms_app.approvals import queries
from oms_app.approvals.models import ApprovalRequest
from oms_app.approvals.queue_filters import QueueQuery, parse_queue_query
from oms_app.core.clock import utcnow
from oms_app.core.errors import PermissionDenied, ValidationErrors
from oms_app.orders import service as order_service
from oms_app.orders.models import Order, OrderAnomaly
from oms_app.orders.rules import LineInput, OrderInput
from tests.factories.orders import make_customer
from tests.factories.sales import add_default_address, make_world

NOW = utcnow()


def submit(uow, world, *, customer: str = "C10001", qty: int) -> str:
    return order_service.create_order(
        uow,
        actor=world.rep,
        submit=True,
        cmd=OrderInput(customer_code=customer, lines=[LineInput("OFF-0002", qty)]),
    )


def set_facts(uow, number: str, *, hours_waiting: int, risk: int, anomalies=(), overdue=False):
    """Pin what the queue sorts and filters on, whatever submit worked out."""
    with uow:
        s = uow.session
        order_id = s.scalar(sa.select(Order.id).where(Order.number == number))
        s.execute(sa.update(Order).where(Order.id == order_id).values(risk_score=risk))
        s.execute(sa.delete(OrderAnomaly).where(OrderAnomaly.order_id == order_id))
        s.add_all(OrderAnomaly(order_id=order_id, code=code, params={}) for code in anomalies)
        s.execute(
            sa.update(ApprovalRequest)
            .where(ApprovalRequest.order_id == order_id, ApprovalRequest.status == "pending")
            .values(
                updated_at=NOW - timedelta(hours=hours_waiting),
                due_at=NOW + timedelta(hours=-1 if overdue else 20),
            )
        )
        uow.commit()


@pytest.fixture
def queue(uow):
    """Five orders waiting for the sales manager, from two customers, with known facts."""
    world = make_world(uow, stock=10_000, credit_limit=Decimal("10000000"))
    other = make_customer(uow, code="C20002", name="深圳南方电子有限公司")
    add_default_address(uow, other)
    numbers = {
        "small_old": submit(uow, world, qty=10),
        "big_new": submit(uow, world, qty=2000),
        "mid_risky": submit(uow, world, qty=300),
        "other_customer": submit(uow, world, customer="C20002", qty=50),
        "overdue": submit(uow, world, qty=100),
    }
    set_facts(uow, numbers["small_old"], hours_waiting=30, risk=10)
    set_facts(uow, numbers["big_new"], hours_waiting=1, risk=20)
    set_facts(uow, numbers["mid_risky"], hours_waiting=5, risk=85, anomalies=["price_mismatch"])
    set_facts(uow, numbers["other_customer"], hours_waiting=3, risk=45)
    set_facts(uow, numbers["overdue"], hours_waiting=26, risk=0, overdue=True)
    return world, numbers


def page_numbers(uow, actor, **query) -> list[str]:
    page = queries.list_queue(uow, actor=actor, query=QueueQuery(**query), now=NOW)
    return [row["number"] for row in page["rows"]]


def test_the_queue_sorts_by_age_amount_risk_and_due_on_the_server(uow, queue):
    world, n = queue
    assert page_numbers(uow, world.manager, sort="age") == [
        n["small_old"],
        n["overdue"],
        n["mid_risky"],
        n["other_customer"],
        n["big_new"],
    ]
    by_amount = page_numbers(uow, world.manager, sort="amount")
    assert by_amount[:2] == [n["big_new"], n["mid_risky"]]
    assert by_amount[-1] == n["small_old"]
    assert page_numbers(uow, world.manager, sort="amount", reverse=True)[0] == n["small_old"]
    assert page_numbers(uow, world.manager, sort="risk")[:2] == [
        n["mid_risky"],
        n["other_customer"],
    ]
    assert page_numbers(uow, world.manager, sort="due")[0] == n["overdue"]


def test_the_queue_is_paged_with_the_total_that_matched(uow, queue):
    world, _ = queue
    first = queries.list_queue(
        uow, actor=world.manager, query=QueueQuery(sort="amount", page_size=10), now=NOW
    )
    assert first["total"] == 5 and first["pages"] == 1
    small = [
        queries.list_queue(
            uow, actor=world.manager, query=QueueQuery(sort="amount", page=p, page_size=2), now=NOW
        )
        for p in (1, 2, 3, 4)
    ]
    assert [len(p["rows"]) for p in small[:3]] == [2, 2, 1] and small[0]["pages"] == 3
    assert [r["number"] for p in small[:3] for r in p["rows"]] == [
        r["number"] for r in first["rows"]
    ]
    assert small[3]["page"] == 3  # past the end: the last page, not an empty screen


def test_the_queue_filters_by_amount_customer_risk_anomalies_and_overdue(uow, queue):
    world, n = queue
    m = world.manager
    big = page_numbers(uow, m, min_amount=Decimal("10000"))
    assert set(big) == {n["big_new"], n["mid_risky"]}
    assert page_numbers(uow, m, max_amount=Decimal("1000")) == [n["small_old"]]
    assert page_numbers(uow, m, customer="南方") == [n["other_customer"]]
    assert page_numbers(uow, m, customer="c20002") == [n["other_customer"]]
    assert set(page_numbers(uow, m, min_risk=45)) == {n["mid_risky"], n["other_customer"]}
    assert page_numbers(uow, m, anomalies_only=True) == [n["mid_risky"]]
    assert page_numbers(uow, m, overdue_only=True) == [n["overdue"]]


def test_my_levels_are_the_ones_i_may_decide_and_rows_say_what_deciding_needs(uow, queue):
    world, n = queue
    assert page_numbers(uow, world.finance) == []  # nothing waits for finance yet
    order_service.approve_order(uow, actor=world.manager, number=n["big_new"])  # ¥73k: finance
    assert page_numbers(uow, world.finance) == [n["big_new"]]
    everything = queries.list_queue(
        uow, actor=world.finance, query=QueueQuery(role="all"), now=NOW
    )["rows"]
    decidable = {r["number"]: r["can_decide"] for r in everything}
    assert decidable[n["big_new"]] is True and decidable[n["small_old"]] is False
    row = next(r for r in everything if r["number"] == n["mid_risky"])
    assert row["anomalies"] == ["price_mismatch"] and row["overdue"] is False
    assert row["step_up"] is False and row["waiting_hours"] == 5
    assert page_numbers(uow, world.manager, role="finance") == [n["big_new"]]


def test_someone_who_may_not_approve_gets_no_queue(uow, queue):
    world, _ = queue
    with pytest.raises(PermissionDenied):
        queries.list_queue(uow, actor=world.rep, query=QueueQuery(), now=NOW)


def test_bad_filters_are_refused_naming_every_field():
    with pytest.raises(ValidationErrors) as refused:
        parse_queue_query(
            {"min_amount": "abc", "max_amount": "-5", "min_risk": "101", "sort": "colour"}
        )
    fields = {e.field: e.code for e in refused.value.errors}
    assert fields == {
        "sort": "error.queue.unknown_sort",
        "min_amount": "error.queue.amount_not_number",
        "max_amount": "error.queue.amount_negative",
        "min_risk": "error.queue.risk_range",
    }
    with pytest.raises(ValidationErrors) as reversed_range:
        parse_queue_query({"min_amount": "5,000", "max_amount": "100"})
    assert [e.field for e in reversed_range.value.errors] == ["max_amount"]
    query = parse_queue_query({"min_amount": "¥5,000", "anomalies_only": "on", "page": "x"})
    assert query.min_amount == Decimal("5000") and query.anomalies_only and query.page == 1
