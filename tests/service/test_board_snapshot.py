"""The live picking board's snapshot on real PostgreSQL, with shipments made by the real services:
an order entered, approved (stock reserved, a shipment allocated), moved, cancelled."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
import sqlalchemy as sa

from oms_app.core.clock import utcnow
from oms_app.core.errors import NotFound, PermissionDenied
from oms_app.core.permissions import SYSTEM_ACTOR
from oms_app.core.state_machine import apply_transition
from oms_app.fulfillment import board
from oms_app.fulfillment.models import Shipment, ShipmentLine
from oms_app.fulfillment.status import ShipmentAction
from oms_app.orders import service
from oms_app.orders.rules import LineInput, OrderInput
from tests.factories.accounts import make_admin
from tests.factories.sales import make_world


def approved_order(uow, world, quantity: int = 10) -> str:
    """A small order: the sales manager's approval is the last one, so it is allocated."""
    number = service.create_order(
        uow,
        actor=world.rep,
        submit=True,
        cmd=OrderInput(customer_code="C10001", lines=[LineInput("OFF-0002", quantity)]),
    )
    assert service.approve_order(uow, actor=world.manager, number=number) == "allocated"
    return number


def columns_of(snapshot: dict) -> dict[str, dict]:
    return {c["key"]: c for c in snapshot["columns"]}


def shipment_of(uow, order_number: str) -> Shipment:
    with uow:
        shipment = uow.session.scalars(
            sa.select(Shipment).where(Shipment.order_number == order_number)
        ).one()
        uow.session.expunge(shipment)  # read it after the unit of work ends
        return shipment


def move(uow, order_number: str, *actions: ShipmentAction, **changes) -> None:
    """Walk the order's shipment through the floor (the picking screens are their own issue)."""
    with uow:
        shipment = uow.session.scalars(
            sa.select(Shipment).where(Shipment.order_number == order_number).with_for_update()
        ).one()
        for action in actions:
            apply_transition(uow, shipment, action, actor=SYSTEM_ACTOR)
        for name, value in changes.items():
            setattr(shipment, name, value)
        uow.commit()


def test_an_approved_order_appears_as_a_card_to_pick_in_its_warehouse(uow):
    # given
    world = make_world(uow, stock=500)
    number = approved_order(uow, world, quantity=10)
    # when
    snapshot = board.board_snapshot(uow, actor=world.warehouse, warehouse_code="SH")
    # then
    columns = columns_of(snapshot)
    assert snapshot["warehouse"] == "SH"
    assert list(columns) == [
        "to_pick",
        "picking",
        "picked",
        "packing",
        "ready",
        "shipped_today",
    ]
    assert columns["to_pick"]["count"] == 1
    card = columns["to_pick"]["cards"][0]
    shipment = shipment_of(uow, number)
    assert card["number"] == shipment.number
    assert card["order_number"] == number
    assert card["customer"] == "上海华东贸易有限公司"
    assert (card["units"], card["picked"], card["progress"]) == (10, 0, 0)
    assert card["cutoff_at"].endswith("Z") and card["carrier"] == "SF"
    assert card["overdue"] is False
    assert all(isinstance(v, str | int) for v in card.values())
    assert sum(c["count"] for c in snapshot["columns"]) == 1


def test_a_cancelled_order_leaves_the_board(uow):
    # given
    world = make_world(uow, stock=500)
    kept = approved_order(uow, world, quantity=4)
    cancelled = approved_order(uow, world, quantity=6)
    # when
    service.cancel_order(uow, actor=world.manager, number=cancelled, reason="客户取消")
    # then
    to_pick = columns_of(board.board_snapshot(uow, actor=world.warehouse, warehouse_code="SH"))[
        "to_pick"
    ]
    assert [c["order_number"] for c in to_pick["cards"]] == [kept]
    assert to_pick["count"] == 1


def test_cards_follow_their_shipment_across_columns_with_progress(uow):
    # given
    world = make_world(uow, stock=500)
    picking = approved_order(uow, world, quantity=4)
    shipped = approved_order(uow, world, quantity=2)
    move(uow, picking, ShipmentAction.START_PICKING)
    with uow:
        shipment_id = shipment_of(uow, picking).id
        uow.session.execute(
            sa.update(ShipmentLine)
            .where(ShipmentLine.shipment_id == shipment_id)
            .values(picked_qty=3)
        )
        uow.commit()
    move(
        uow,
        shipped,
        ShipmentAction.START_PICKING,
        ShipmentAction.FINISH_PICKING,
        ShipmentAction.START_PACKING,
        ShipmentAction.PACK,
        ShipmentAction.SHIP,
        shipped_at=utcnow(),
    )
    # when
    columns = columns_of(board.board_snapshot(uow, actor=world.warehouse, warehouse_code="SH"))
    # then
    assert columns["to_pick"]["count"] == 0
    card = columns["picking"]["cards"][0]
    assert (card["order_number"], card["units"], card["picked"], card["progress"]) == (
        picking,
        4,
        3,
        75,
    )
    assert [c["order_number"] for c in columns["shipped_today"]["cards"]] == [shipped]


def test_shipped_yesterday_is_off_the_board_and_a_passed_cutoff_is_overdue(uow):
    # given
    world = make_world(uow, stock=500)
    old = approved_order(uow, world, quantity=2)
    late = approved_order(uow, world, quantity=2)
    move(
        uow,
        old,
        ShipmentAction.START_PICKING,
        ShipmentAction.FINISH_PICKING,
        ShipmentAction.START_PACKING,
        ShipmentAction.PACK,
        ShipmentAction.SHIP,
        shipped_at=utcnow() - timedelta(days=2),
    )
    move(uow, late, cutoff_at=utcnow() - timedelta(minutes=5), priority=1)
    # when
    columns = columns_of(board.board_snapshot(uow, actor=world.warehouse, warehouse_code="SH"))
    # then
    assert columns["shipped_today"]["count"] == 0
    card = columns["to_pick"]["cards"][0]
    assert (card["order_number"], card["overdue"], card["urgent"]) == (late, True, True)


def test_cards_are_capped_per_column_while_counts_stay_exact(uow):
    # given
    world = make_world(uow, stock=500)
    numbers = [approved_order(uow, world, quantity=2) for _ in range(3)]
    # when
    snapshot = board.board_snapshot(uow, actor=world.warehouse, warehouse_code="SH", cap=2)
    # then
    to_pick = columns_of(snapshot)["to_pick"]
    assert to_pick["count"] == 3
    assert len(to_pick["cards"]) == 2
    assert {c["order_number"] for c in to_pick["cards"]} <= set(numbers)


def test_the_board_is_refused_without_fulfilment_or_stock_rights_and_for_unknown_warehouses(uow):
    world = make_world(uow, stock=500)
    with pytest.raises(PermissionDenied):
        board.board_snapshot(uow, actor=world.finance, warehouse_code="SH")
    with pytest.raises(PermissionDenied):
        board.list_board_warehouses(uow, actor=world.finance)
    with pytest.raises(NotFound):
        board.board_snapshot(uow, actor=world.warehouse, warehouse_code="XX")
    admin = make_admin(uow)
    assert board.board_snapshot(uow, actor=admin, warehouse_code="SH")["warehouse"] == "SH"
    assert board.list_board_warehouses(uow, actor=world.manager) == [
        {"code": "SH", "name": "上海仓"}
    ]


def test_events_name_warehouses_by_id_and_orders_lead_to_their_warehouses(uow):
    world = make_world(uow, stock=500)
    number = approved_order(uow, world)
    shipment = shipment_of(uow, number)
    assert board.warehouse_codes(uow) == {shipment.warehouse_id: "SH"}
    assert board.warehouses_of_order(uow, order_id=shipment.order_id) == ["SH"]


async def test_a_burst_of_events_for_one_warehouse_rebuilds_its_board_once_or_twice():
    from state.warehouse_board import Coalescer

    rebuilt: list[str] = []

    async def rebuild(code: str) -> None:
        rebuilt.append(code)
        await asyncio.sleep(0.1)  # the database read

    coalescer = Coalescer(rebuild, delay=0.05)
    for _ in range(20):  # a burst while the first rebuild is only scheduled
        coalescer.schedule("SH")
    coalescer.schedule("BJ")
    await asyncio.sleep(0.08)
    coalescer.schedule("SH")  # while SH is being rebuilt: one more run afterwards
    await asyncio.sleep(0.4)
    assert sorted(rebuilt) == ["BJ", "SH", "SH"]
    assert not coalescer.pending
