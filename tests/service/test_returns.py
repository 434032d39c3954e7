"""Returns on a real database: a shipped order's goods are asked back, approved and received;
stock and the books follow in the same transaction, and bad requests change nothing."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from oms_app.core.clock import business_zone, utcnow
from oms_app.core.errors import IllegalTransition, PermissionDenied, ValidationErrors
from oms_app.core.events import OutboxMessage
from oms_app.fulfillment import shipping
from oms_app.ledger import service as ledger
from oms_app.ledger.models import JournalEntry, JournalLine
from oms_app.ledger.statements import trial_balance
from oms_app.orders.models import Order
from oms_app.returns import queries, service
from oms_app.returns.models import Return, ReturnEvent, ReturnLine
from oms_app.returns.rules import ReturnLineInput
from tests.factories.accounts import actor_of, make_user
from tests.factories.orders import make_customer
from tests.factories.sales import make_world
from tests.factories.warehouse import approved_order, stock

RECEIVABLES, REVENUE, VAT, COST, STOCK = "1122", "6001", "2221", "6401", "1405"


def shipped_order(uow, world, lines=(("OFF-0001", 4), ("OFF-0002", 2))) -> str:
    number = approved_order(uow, world, list(lines))
    shipping.ship_order(uow, actor=world.warehouse, number=number, carrier="ZTO")
    return number


def order_row(uow, number: str) -> Order:
    with uow:
        order = uow.session.scalar(sa.select(Order).where(Order.number == number))
        uow.session.expunge(order)
        return order


def balance(uow, order_id: int, account: str) -> Decimal:
    with uow:
        return ledger.order_balance(uow, order_id=order_id, account_code=account)


def books_balance(uow, actor) -> bool:
    tomorrow = utcnow().astimezone(business_zone()).date() + timedelta(days=1)
    return trial_balance(uow, actor=actor, to=tomorrow)["balanced"]


def counts(uow) -> tuple[int, int, int, int]:
    with uow:
        s = uow.session
        return tuple(
            s.scalar(sa.select(sa.func.count()).select_from(t))
            for t in (Return, ReturnLine, ReturnEvent, OutboxMessage)
        )


def customer_actor(uow, world, *, code: str = "C10001", username: str = "buyer"):
    with uow:
        customer_id = uow.session.scalar(
            sa.text("select id from customers where code = :c"), {"c": code}
        )
    return actor_of(
        uow, make_user(uow, username=username, roles=["customer"], customer_id=customer_id)
    )


def request(uow, actor, number, lines, reason="damaged", note=""):
    return service.request_return(
        uow,
        actor=actor,
        order_number=number,
        lines=[ReturnLineInput(sku, qty) for sku, qty in lines],
        reason=reason,
        note=note,
    )


def test_a_received_return_restocks_and_posts_a_balanced_entry_reversing_revenue_and_cost(uow):
    # given a shipped order: 4 pens at 24.00 (cost 15.00) and 2 packs of paper at 32.50
    world = make_world(uow)
    number = shipped_order(uow, world)
    order = order_row(uow, number)
    on_hand_before = stock(uow, "SH", "OFF-0001")[0]
    revenue_before = balance(uow, order.id, REVENUE)
    # when the rep asks to return 2 pens, the manager approves and the warehouse receives them
    made = request(uow, world.rep, number, [("OFF-0001", 2)], note="two arrived broken")
    assert made["number"].startswith(f"RMA-{utcnow().year}-") and made["status"] == "requested"
    service.approve_return(uow, actor=world.manager, number=made["number"])
    received = service.receive_return(uow, actor=world.warehouse, number=made["number"])
    # then the return is received, with who/when/why for each step
    assert received["status"] == "received"
    assert [(h["from"], h["to"], h["actor"]) for h in received["history"]] == [
        ("", "requested", world.rep.username),
        ("requested", "approved", world.manager.username),
        ("approved", "received", world.warehouse.username),
    ]
    # the pens are back on hand where they shipped from
    assert stock(uow, "SH", "OFF-0001")[0] == on_hand_before + 2
    # and one return entry reversed their revenue (48.00), VAT and standard cost (2 x 15.00)
    with uow:
        entry = uow.session.scalar(
            sa.select(JournalEntry).where(
                JournalEntry.source_type == "return", JournalEntry.source_key == made["number"]
            )
        )
        lines = uow.session.execute(
            sa.select(JournalLine.account_code, JournalLine.debit, JournalLine.credit).where(
                JournalLine.entry_id == entry.id
            )
        ).all()
    assert sum(ln.debit for ln in lines) == sum(ln.credit for ln in lines)
    assert balance(uow, order.id, REVENUE) - revenue_before == Decimal("48.00")
    assert sum(ln.debit for ln in lines if ln.account_code == STOCK) == Decimal("30.00")
    assert sum(ln.credit for ln in lines if ln.account_code == COST) == Decimal("30.00")
    assert books_balance(uow, world.finance)
    # and the event went out through the outbox
    with uow:
        types = uow.session.scalars(
            sa.select(OutboxMessage.event_type).where(
                OutboxMessage.event_type == "return.status_changed"
            )
        ).all()
    assert len(types) == 3


def test_returning_everything_reverses_the_whole_sale_but_the_fee(uow):
    world = make_world(uow)
    number = shipped_order(uow, world)
    order = order_row(uow, number)
    first = request(uow, world.rep, number, [("OFF-0001", 1)])
    rest = request(uow, world.rep, number, [("OFF-0001", 3), ("OFF-0002", 2)], reason="other")
    for made in (first, rest):
        service.approve_return(uow, actor=world.manager, number=made["number"])
        service.receive_return(uow, actor=world.warehouse, number=made["number"])
    assert balance(uow, order.id, REVENUE) == 0
    assert balance(uow, order.id, VAT) == 0
    assert balance(uow, order.id, COST) == 0
    assert balance(uow, order.id, RECEIVABLES) == order.shipping_fee
    assert books_balance(uow, world.finance)


def test_returning_more_than_shipped_is_refused_and_nothing_is_stored(uow):
    world = make_world(uow)
    number = shipped_order(uow, world)
    request(uow, world.rep, number, [("OFF-0001", 3)])
    before = counts(uow)
    with pytest.raises(ValidationErrors) as refused:
        request(uow, world.rep, number, [("OFF-0002", 1), ("OFF-0001", 2)])
    assert [(e.field, e.code) for e in refused.value.errors] == [
        ("lines[1].quantity", "returns.error.exceeds_returnable")
    ]
    assert counts(uow) == before


def test_an_order_not_shipped_yet_takes_no_return(uow):
    world = make_world(uow)
    number = approved_order(uow, world, [("OFF-0001", 2)])
    before = counts(uow)
    with pytest.raises(ValidationErrors) as refused:
        request(uow, world.rep, number, [("OFF-0001", 1)])
    assert refused.value.errors[0].code == "returns.error.order_not_returnable"
    assert counts(uow) == before


def test_a_customer_returns_its_own_order_but_not_another_customers(uow):
    world = make_world(uow)
    number = shipped_order(uow, world)
    make_customer(uow, code="C90001")
    stranger = customer_actor(uow, world, code="C90001", username="stranger")
    owner = customer_actor(uow, world, username="owner")
    before = counts(uow)
    with pytest.raises(PermissionDenied):
        request(uow, stranger, number, [("OFF-0001", 1)])
    assert counts(uow) == before
    made = request(uow, owner, number, [("OFF-0001", 1)], reason="no_longer_needed")
    # the customer's view names nobody: its own request shows as "you"
    assert [h["by"] for h in made["history"]] == ["you"] and "requested_by" not in made
    # the customer sees its return but cannot approve it, and withdraws it
    with pytest.raises(PermissionDenied):
        service.approve_return(uow, actor=owner, number=made["number"])
    with pytest.raises(PermissionDenied):
        service.cancel_return(uow, actor=world.rep, number=made["number"])
    assert service.cancel_return(uow, actor=owner, number=made["number"])["status"] == "cancelled"
    from oms_app.core.errors import NotFound

    with pytest.raises(NotFound):
        queries.get_return(uow, actor=stranger, number=made["number"])


def test_a_rejected_return_frees_its_quantity_and_needs_a_reason(uow):
    world = make_world(uow)
    number = shipped_order(uow, world)
    made = request(uow, world.rep, number, [("OFF-0001", 4)])
    with pytest.raises(ValidationErrors):
        service.reject_return(uow, actor=world.manager, number=made["number"], reason=" ")
    rejected = service.reject_return(
        uow, actor=world.manager, number=made["number"], reason="used goods"
    )
    assert rejected["status"] == "rejected" and rejected["history"][-1]["reason"] == "used goods"
    again = request(uow, world.rep, number, [("OFF-0001", 4)])
    assert again["status"] == "requested"
    # and a decided return cannot be decided again
    with pytest.raises(IllegalTransition):
        service.receive_return(uow, actor=world.warehouse, number=made["number"])


def test_customer_return_rate_is_returned_value_over_shipped_value_of_12_months(uow):
    world = make_world(uow)
    since = utcnow() - timedelta(days=365)
    with uow:
        customer_id = uow.session.scalar(sa.text("select id from customers where code='C10001'"))
    assert queries.customer_return_rate(uow, customer_id, since) is None
    number = shipped_order(uow, world)  # shipped value 4 x 24.00 + 2 x 32.50 = 161.00
    assert queries.customer_return_rate(uow, customer_id, since) == Decimal("0")
    made = request(uow, world.rep, number, [("OFF-0002", 2)])  # 65.00
    service.approve_return(uow, actor=world.manager, number=made["number"])
    assert queries.customer_return_rate(uow, customer_id, since) == Decimal("0")  # not back yet
    service.receive_return(uow, actor=world.warehouse, number=made["number"])
    assert queries.customer_return_rate(uow, customer_id, since) == Decimal("0.4037")
    # the dashboard's figure: received returns over booked net revenue of the period
    start, end = utcnow() - timedelta(days=1), utcnow() + timedelta(minutes=1)
    assert queries.return_rate_between(uow, start, end) == Decimal("0.4037")
    assert queries.return_rate_between(uow, start - timedelta(days=30), start) is None


def test_the_returns_list_filters_by_status_and_pages_on_the_server(uow):
    from oms_app.core.paging import PageRequest

    world = make_world(uow)
    number = shipped_order(uow, world, lines=(("OFF-0001", 6),))
    made = [request(uow, world.rep, number, [("OFF-0001", 1)]) for _ in range(3)]
    service.approve_return(uow, actor=world.manager, number=made[0]["number"])
    page = queries.list_returns(
        uow, actor=world.manager, request=PageRequest(page=1, page_size=2), status="requested"
    )
    assert page["total"] == 2 and len(page["rows"]) == 2
    assert {r["status"] for r in page["rows"]} == {"requested"}
    assert page["rows"][0]["actions"] == ["approve", "reject", "cancel"]
    everything = queries.list_returns(uow, actor=world.warehouse, request=PageRequest())
    assert everything["total"] == 3
    assert everything["rows"][0]["value"] == "24.00"
