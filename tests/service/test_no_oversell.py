"""No oversell on real PostgreSQL: parallel approvals race for the last units of one SKU."""

from __future__ import annotations

import threading

import sqlalchemy as sa

from oms_app.core.db import UnitOfWork
from oms_app.fulfillment import allocation
from oms_app.fulfillment.models import Backorder
from oms_app.inventory import ledger
from oms_app.orders import service as order_service
from oms_app.orders.models import Order
from oms_app.orders.rules import LineInput, OrderInput
from tests.factories.sales import make_world
from tests.factories.warehouse import order_status, stock


def submitted_orders(uow, world, count: int, sku: str = "OFF-0002") -> list[str]:
    return [
        order_service.create_order(
            uow,
            actor=world.rep,
            submit=True,
            cmd=OrderInput(customer_code=world.customer_code, lines=[LineInput(sku, 1)]),
        )
        for _ in range(count)
    ]


def statuses(uow, numbers: list[str]) -> dict[str, str]:
    with uow:
        rows = uow.session.execute(
            sa.select(Order.number, Order.status).where(Order.number.in_(numbers))
        ).all()
        return {n: str(s) for n, s in rows}


def open_backorders(uow) -> list[int]:
    """Order ids with open backorders, first come first."""
    with uow:
        return list(
            uow.session.scalars(
                sa.select(Backorder.order_id)
                .where(Backorder.state == "open")
                .order_by(Backorder.created_at, Backorder.id)
            )
        )


def min_bin_available(uow) -> int:
    with uow:
        pid = uow.session.scalar(sa.text("select id from products where sku = 'OFF-0002'"))
        levels = ledger.bin_levels(uow, product_ids=[pid])
        assert all(lv.on_hand >= 0 and lv.reserved >= 0 for lv in levels)
        return min(lv.available for lv in levels)


def approve_in_parallel(world, numbers: list[str]) -> list[BaseException]:
    start = threading.Barrier(len(numbers))
    failures: list[BaseException] = []

    def approver(number: str) -> None:
        try:
            start.wait()
            order_service.approve_order(UnitOfWork(), actor=world.manager, number=number)
        except BaseException as err:  # reported after every thread ends
            failures.append(err)

    threads = [threading.Thread(target=approver, args=(n,)) for n in numbers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    return failures


def test_a_small_order_needs_only_the_sales_managers_approval(uow):
    world = make_world(uow, stock=10)
    (number,) = submitted_orders(uow, world, 1)
    assert order_status(uow, number) == "pending_approval"
    assert order_service.approve_order(uow, actor=world.manager, number=number) == "allocated"
    assert stock(uow, "SH", "OFF-0002") == (10, 1)


def test_fifty_parallel_approvals_competing_for_ten_units_never_reserve_more_than_ten(uow):
    # given ten packs of paper and fifty one-pack orders waiting for the manager
    world = make_world(uow, stock=10)
    numbers = submitted_orders(uow, world, 50)
    assert set(statuses(uow, numbers).values()) == {"pending_approval"}
    # when fifty managers' clicks arrive at once
    failures = approve_in_parallel(world, numbers)
    # then ten orders got a unit each and forty wait as backorders
    assert failures == []
    outcome = list(statuses(uow, numbers).values())
    assert outcome.count("allocated") == 10
    assert outcome.count("on_hold") == 40
    assert stock(uow, "SH", "OFF-0002") == (10, 10)
    assert min_bin_available(uow) == 0
    assert len(open_backorders(uow)) == 40


def test_a_released_unit_goes_to_the_earliest_waiting_order(uow):
    # given one pack, taken by the first order; three later orders wait in turn
    world = make_world(uow, stock=1)
    first, *waiting = submitted_orders(uow, world, 4)
    for number in [first, *waiting]:
        order_service.approve_order(uow, actor=world.manager, number=number)
    assert [order_status(uow, n) for n in [first, *waiting]] == [
        "allocated",
        "on_hold",
        "on_hold",
        "on_hold",
    ]
    # when the first order is cancelled and the backorders are served
    order_service.cancel_order(uow, actor=world.manager, number=first, reason="客户取消")
    served = allocation.allocate_backorders(uow, actor=world.warehouse)
    # then the earliest waiting order gets the pack, the others keep waiting
    assert served == [waiting[0]]
    assert [order_status(uow, n) for n in waiting] == ["allocated", "on_hold", "on_hold"]
    assert stock(uow, "SH", "OFF-0002") == (1, 1)
    assert len(open_backorders(uow)) == 2


def test_fcfs_holds_when_the_waiting_orders_were_approved_in_parallel(uow):
    # given ten units taken by parallel approvals and forty orders waiting
    world = make_world(uow, stock=10)
    numbers = submitted_orders(uow, world, 50)
    assert approve_in_parallel(world, numbers) == []
    queue = open_backorders(uow)
    with uow:
        by_id = dict(uow.session.execute(sa.select(Order.id, Order.number)).all())
    allocated = [n for n, s in statuses(uow, numbers).items() if s == "allocated"]
    # when one allocated order is cancelled and the backorders are served
    order_service.cancel_order(uow, actor=world.manager, number=allocated[0], reason="客户取消")
    served = allocation.allocate_backorders(uow, actor=world.warehouse)
    # then the unit goes to the order whose backorder was queued first
    assert served == [by_id[queue[0]]]
    assert order_status(uow, by_id[queue[0]]) == "allocated"
    assert stock(uow, "SH", "OFF-0002") == (10, 10)
    assert len(open_backorders(uow)) == 39
