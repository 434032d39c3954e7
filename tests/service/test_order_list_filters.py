"""The order list's server-side filters and export on real PostgreSQL: each filter narrows the
rows and the count; days are read in the viewer's zone; bad filters name their field."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa

from oms_app.core.errors import ValidationFailed
from oms_app.core.paging import PageRequest
from oms_app.customers.models import Customer
from oms_app.orders import service
from oms_app.orders.models import Order, OrderAnomaly
from oms_app.orders.queries import OrderFilter, export_orders, list_orders
from oms_app.orders.rules import LineInput, OrderInput
from tests.factories.accounts import actor_of, make_user
from tests.factories.sales import World, add_default_address, make_world

PAGE = PageRequest(page_size=50)


@dataclass
class Orders:
    world: World
    small: str  # rep "sales", C10001, 2026-03-01 23:30 Shanghai (15:30 UTC)
    other: str  # rep "rep2", C20002, 2026-03-02 00:30 Shanghai (2026-03-01 16:30 UTC)
    odd: str  # rep "sales", C10001, a price below the list: price_mismatch, 2026-03-05


def _second_customer(uow) -> None:
    with uow:
        customer = Customer(
            code="C20002",
            name="北京远航商贸有限公司",
            tier="A",
            credit_limit=Decimal("100000.00"),
            province="北京市",
            city="北京市",
        )
        uow.session.add(customer)
        uow.commit()
    add_default_address(uow, customer.id)


def _created_at(uow, number: str, moment: datetime) -> None:
    with uow:
        uow.session.execute(
            sa.update(Order).where(Order.number == number).values(created_at=moment)
        )
        uow.commit()


@pytest.fixture
def orders(uow) -> Orders:
    world = make_world(uow)
    _second_customer(uow)
    rep2 = actor_of(uow, make_user(uow, username="rep2", roles=["sales"]))

    def enter(actor, code: str, line: LineInput) -> str:
        cmd = OrderInput(customer_code=code, lines=[line])
        return service.create_order(uow, actor=actor, cmd=cmd, submit=True)

    small = enter(world.rep, "C10001", LineInput("OFF-0001", 10))
    other = enter(rep2, "C20002", LineInput("OFF-0002", 30))
    odd = enter(
        world.rep,
        "C10001",
        LineInput("OFF-0001", 40, unit_price=Decimal("19.00"), price_reason="年度框架协议价"),
    )
    _created_at(uow, small, datetime(2026, 3, 1, 15, 30, tzinfo=UTC))
    _created_at(uow, other, datetime(2026, 3, 1, 16, 30, tzinfo=UTC))
    _created_at(uow, odd, datetime(2026, 3, 5, 4, 0, tzinfo=UTC))
    return Orders(world=world, small=small, other=other, odd=odd)


def listed(uow, actor, **filters) -> tuple[set[str], int]:
    result = list_orders(uow, actor=actor, request=PAGE, **filters)
    return {r["number"] for r in result["rows"]}, result["total"]


def totals(uow) -> dict[str, Decimal]:
    with uow:
        return dict(uow.session.execute(sa.select(Order.number, Order.grand_total)).all())


def test_without_filters_every_order_is_listed(uow, orders):
    assert listed(uow, orders.world.manager) == ({orders.small, orders.other, orders.odd}, 3)


def test_the_customer_code_narrows_to_that_customers_orders(uow, orders):
    assert listed(uow, orders.world.manager, customer_code="C20002") == ({orders.other}, 1)
    assert listed(uow, orders.world.manager, customer_code="C99999") == (set(), 0)


def test_the_rep_by_username_or_user_id_narrows_to_the_orders_they_entered(uow, orders):
    manager, rep = orders.world.manager, orders.world.rep
    assert listed(uow, manager, rep="sales") == ({orders.small, orders.odd}, 2)
    assert listed(uow, manager, rep=" REP2 ") == ({orders.other}, 1)
    assert listed(uow, manager, created_by=rep.user_id) == ({orders.small, orders.odd}, 2)
    assert listed(uow, manager, rep="nobody") == (set(), 0)


def test_created_days_are_read_in_the_viewers_time_zone(uow, orders):
    # given two orders entered an hour apart, either side of midnight in Shanghai
    shanghai = orders.world.manager
    utc_viewer = replace(shanghai, tz="UTC")
    march_2 = {"created_from": date(2026, 3, 2), "created_to": date(2026, 3, 2)}
    # then the same day holds one of them in Shanghai and both of them in UTC
    assert listed(uow, shanghai, **march_2) == ({orders.other}, 1)
    assert listed(uow, utc_viewer, **march_2) == (set(), 0)
    assert listed(uow, utc_viewer, created_to=date(2026, 3, 1)) == (
        {orders.small, orders.other},
        2,
    )
    assert listed(uow, shanghai, created_from=date(2026, 3, 3)) == ({orders.odd}, 1)


def test_the_total_range_includes_both_ends(uow, orders):
    amounts = totals(uow)
    low, high = sorted(amounts.values())[0], sorted(amounts.values())[-1]
    manager = orders.world.manager
    cheapest = {n for n, v in amounts.items() if v == low}
    assert listed(uow, manager, max_total=low) == (cheapest, len(cheapest))
    assert listed(uow, manager, min_total=high, max_total=high)[1] == 1
    assert listed(uow, manager, min_total=high + Decimal("0.01")) == (set(), 0)


def test_the_anomaly_narrows_to_orders_flagged_with_it(uow, orders):
    with uow:
        flagged = set(
            uow.session.scalars(
                sa.select(Order.number)
                .join(OrderAnomaly, OrderAnomaly.order_id == Order.id)
                .where(OrderAnomaly.code == "price_mismatch")
            )
        )
    assert flagged == {orders.odd}
    assert listed(uow, orders.world.manager, anomaly="price_mismatch") == ({orders.odd}, 1)
    assert listed(uow, orders.world.manager, anomaly="possible_duplicate") == (set(), 0)


def test_filters_combine_with_each_other_and_with_the_search(uow, orders):
    manager = orders.world.manager
    assert listed(uow, manager, rep="sales", created_from=date(2026, 3, 3)) == ({orders.odd}, 1)
    searched = list_orders(
        uow,
        actor=manager,
        request=PageRequest(page_size=50, search="远航"),
        flt=OrderFilter(rep="rep2"),
    )
    assert ([r["number"] for r in searched["rows"]], searched["total"]) == ([orders.other], 1)


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"anomaly": "not_a_code"}, "anomaly"),
        ({"min_total": Decimal("500"), "max_total": Decimal("100")}, "max_total"),
        ({"created_from": date(2026, 3, 5), "created_to": date(2026, 3, 1)}, "created_to"),
        ({"status": "lost"}, "status"),
    ],
)
def test_a_bad_filter_is_refused_naming_its_field(uow, orders, filters, field):
    with pytest.raises(ValidationFailed) as refused:
        list_orders(uow, actor=orders.world.manager, request=PAGE, **filters)
    assert refused.value.field == field
    with pytest.raises(ValidationFailed):
        export_orders(uow, actor=orders.world.manager, flt=OrderFilter(**filters))


def test_the_export_holds_every_filtered_order_in_the_lists_sort(uow, orders):
    manager = orders.world.manager
    rows = export_orders(uow, actor=manager, flt=OrderFilter(rep="sales"), sort="created")
    assert [r["number"] for r in rows] == [orders.odd, orders.small]  # newest first
    first = rows[0]
    assert first["created"] == "2026-03-05 12:00"  # local time in Shanghai
    assert (first["customer"], first["rep"], first["status"]) == (
        "上海华东贸易有限公司",
        "sales",
        "pending_approval",
    )
    assert Decimal(first["total"]) == totals(uow)[orders.odd]
    money = ("subtotal", "discount", "tax", "shipping", "total")
    assert all(Decimal(first[k]).as_tuple().exponent == -2 for k in money)
    assert Decimal(first["subtotal"]) - Decimal(first["discount"]) + Decimal(
        first["tax"]
    ) + Decimal(first["shipping"]) == Decimal(first["total"])
    ascending = export_orders(
        uow, actor=manager, flt=OrderFilter(), sort="total", descending=False, limit=2
    )
    assert len(ascending) == 2
    assert Decimal(ascending[0]["total"]) <= Decimal(ascending[1]["total"])
