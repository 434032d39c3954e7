"""Where the stock comes from, on real PostgreSQL: the nearest warehouse, a split, a backorder,
and a short pick found in another bin or waited for."""

from __future__ import annotations

import pyotp
import sqlalchemy as sa

from oms_app.fulfillment import picking, shipping
from oms_app.fulfillment.models import Backorder
from oms_app.inventory.models import BinLocation, StockMovement, Warehouse
from oms_app.orders import service as order_service
from oms_app.orders.models import Order, OrderEvent
from oms_app.orders.rules import AddressInput, LineInput, OrderInput
from tests.factories.sales import FINANCE_SECRET, make_world
from tests.factories.warehouse import order_status, pick_tasks, shipments_of, stock

GUANGZHOU = AddressInput(
    province="广东省",
    city="广州市",
    district="天河区",
    street="天河路 385 号",
    postcode="510620",
    receiver="陈明",
    phone="13912345678",
)


def receive(uow, warehouse_code: str, bin_code: str, sku: str, quantity: int) -> None:
    """Goods received into a bin (the bin is made when missing)."""
    with uow:
        s = uow.session
        w = s.scalar(sa.select(Warehouse).where(Warehouse.code == warehouse_code))
        b = s.scalar(
            sa.select(BinLocation).where(
                BinLocation.warehouse_id == w.id, BinLocation.code == bin_code
            )
        )
        if b is None:
            b = BinLocation(warehouse_id=w.id, code=bin_code, zone=bin_code.split("-")[0])
            s.add(b)
            s.flush()
        pid = s.scalar(sa.text("select id from products where sku = :s"), {"s": sku})
        s.add(
            StockMovement(
                product_id=pid,
                warehouse_id=w.id,
                bin_id=b.id,
                kind="receipt",
                on_hand_delta=quantity,
            )
        )
        uow.commit()


def add_guangzhou(uow) -> None:
    with uow:
        uow.session.add(Warehouse(code="GZ", name="广州仓", province="广东省", city="广州市"))
        uow.commit()


def enter(uow, world, lines, **fields) -> str:
    return order_service.create_order(
        uow,
        actor=world.rep,
        submit=True,
        cmd=OrderInput(
            customer_code=world.customer_code,
            lines=[LineInput(sku, q) for sku, q in lines],
            **fields,
        ),
    )


def approve(uow, world, number: str) -> str:
    """Approve every level the order needs (finance steps up with its code)."""
    status = order_service.approve_order(uow, actor=world.manager, number=number)
    while status == "pending_approval":
        status = order_service.approve_order(
            uow, actor=world.finance, number=number, totp_code=pyotp.TOTP(FINANCE_SECRET).now()
        )
    return status


def allocation_params(uow, number: str) -> dict:
    with uow:
        return uow.session.scalar(
            sa.select(OrderEvent.params)
            .join(Order, Order.id == OrderEvent.order_id)
            .where(Order.number == number, OrderEvent.to_status == "allocated")
            .order_by(OrderEvent.id.desc())
        )


def warehouse_code(uow, warehouse_id: int) -> str:
    with uow:
        return uow.session.scalar(sa.select(Warehouse.code).where(Warehouse.id == warehouse_id))


def open_backorders(uow, number: str) -> list[int]:
    with uow:
        return list(
            uow.session.scalars(
                sa.select(Backorder.quantity)
                .join(Order, Order.id == Backorder.order_id)
                .where(Order.number == number, Backorder.state == "open")
            )
        )


def test_the_nearest_warehouse_that_can_fill_the_order_is_chosen(uow):
    # given both Shanghai and Guangzhou hold 50 packs
    world = make_world(uow, stock=50)
    add_guangzhou(uow)
    receive(uow, "GZ", "B-01-01", "OFF-0002", 50)
    # when a Shanghai order and a Guangdong order are approved
    shanghai = enter(uow, world, [("OFF-0002", 5)])
    canton = enter(uow, world, [("OFF-0002", 5)], address=GUANGZHOU)
    assert approve(uow, world, shanghai) == approve(uow, world, canton) == "allocated"
    # then each is served from its own province
    with uow:
        provinces = dict(
            uow.session.execute(
                sa.select(Order.number, Order.ship_province).where(
                    Order.number.in_([shanghai, canton])
                )
            ).all()
        )
    assert provinces == {shanghai: "上海市", canton: "广东省"}
    assert [warehouse_code(uow, s.warehouse_id) for s in shipments_of(uow, shanghai)] == ["SH"]
    assert [warehouse_code(uow, s.warehouse_id) for s in shipments_of(uow, canton)] == ["GZ"]
    assert allocation_params(uow, canton) == {"warehouses": ["GZ"], "split": False}
    assert stock(uow, "SH", "OFF-0002") == (50, 5)
    assert stock(uow, "GZ", "OFF-0002") == (50, 5)


def test_a_farther_warehouse_fills_the_order_when_the_nearest_cannot(uow):
    world = make_world(uow, stock=3)
    add_guangzhou(uow)
    receive(uow, "GZ", "B-01-01", "OFF-0002", 20)
    number = enter(uow, world, [("OFF-0002", 10)])
    assert approve(uow, world, number) == "allocated"
    assert [warehouse_code(uow, s.warehouse_id) for s in shipments_of(uow, number)] == ["GZ"]
    assert stock(uow, "SH", "OFF-0002") == (3, 0)


def test_an_order_no_warehouse_can_fill_is_split_when_allowed(uow):
    # given 10 packs in Shanghai and 8 in Guangzhou, and an order of 15 from Shanghai
    world = make_world(uow, stock=10)
    add_guangzhou(uow)
    receive(uow, "GZ", "B-01-01", "OFF-0002", 8)
    number = enter(uow, world, [("OFF-0002", 15)])
    # when it is approved (split allowed by default)
    assert approve(uow, world, number) == "allocated"
    # then the richest warehouse gives what it has and the other the rest
    shipments = shipments_of(uow, number)
    assert [warehouse_code(uow, s.warehouse_id) for s in shipments] == ["SH", "GZ"]
    assert [sum(t["quantity"] for t in pick_tasks(uow, s.id)) for s in shipments] == [10, 5]
    assert allocation_params(uow, number) == {"warehouses": ["SH", "GZ"], "split": True}
    assert stock(uow, "SH", "OFF-0002") == (10, 10)
    assert stock(uow, "GZ", "OFF-0002") == (8, 5)
    assert open_backorders(uow, number) == []


def test_an_order_that_may_not_be_split_waits_as_a_backorder(uow):
    world = make_world(uow, stock=10)
    add_guangzhou(uow)
    receive(uow, "GZ", "B-01-01", "OFF-0002", 8)
    number = enter(uow, world, [("OFF-0002", 15)])
    with uow:
        uow.session.execute(
            sa.update(Order).where(Order.number == number).values(allow_split=False)
        )
        uow.commit()
    assert approve(uow, world, number) == "on_hold"
    assert shipments_of(uow, number) == []
    assert open_backorders(uow, number) == [15]
    assert stock(uow, "SH", "OFF-0002") == (10, 0)
    assert stock(uow, "GZ", "OFF-0002") == (8, 0)


def test_a_short_pick_is_made_up_from_another_bin_in_the_same_warehouse(uow):
    # given 10 packs in A-01-02 and 5 more in A-01-03; an order of 8 booked on A-01-02
    world = make_world(uow, stock=10)
    receive(uow, "SH", "A-01-03", "OFF-0002", 5)
    number = enter(uow, world, [("OFF-0002", 8)])
    assert approve(uow, world, number) == "allocated"
    (shipment,) = shipments_of(uow, number)
    (task,) = pick_tasks(uow, shipment.id)
    assert (task["bin"], task["quantity"]) == ("A-01-02", 8)
    # when the picker finds only 3 there
    result = picking.report_short(
        uow, actor=world.warehouse, pick_id=task["id"], bin_code="A-01-02", found=3
    )
    # then the missing 5 are booked on A-01-03 in the same shipment
    assert (result["short"], result["resolution"]) == (5, "other_bin")
    tasks = pick_tasks(uow, shipment.id)
    assert [(t["bin"], t["quantity"], t["state"]) for t in tasks] == [
        ("A-01-02", 3, "short"),
        ("A-01-03", 5, "open"),
    ]
    assert stock(uow, "SH", "OFF-0002") == (10, 8)  # the 5 missing written off A-01-02
    picking.confirm_pick(
        uow, actor=world.warehouse, pick_id=tasks[1]["id"], bin_code="A-01-03", barcode="OFF-0002"
    )
    assert shipments_of(uow, number)[0].status == "picked"
    shipping.ship_order(uow, actor=world.warehouse, number=number, carrier="SF")
    assert order_status(uow, number) == "shipped"
    assert stock(uow, "SH", "OFF-0002") == (2, 0)
    assert open_backorders(uow, number) == []


def test_a_short_pick_with_no_stock_elsewhere_backorders_the_rest_and_ships_part(uow):
    # given the only 10 packs are in A-01-02 and an order of 8 is booked there
    world = make_world(uow, stock=10)
    number = enter(uow, world, [("OFF-0002", 8)])
    assert approve(uow, world, number) == "allocated"
    (shipment,) = shipments_of(uow, number)
    (task,) = pick_tasks(uow, shipment.id)
    # when the picker finds only 3
    result = picking.report_short(
        uow, actor=world.warehouse, pick_id=task["id"], bin_code="A-01-02", found=3
    )
    # then 5 wait as a backorder and the shortened shipment ships on its own
    assert (result["short"], result["resolution"]) == (5, "backorder")
    assert result["shipment_status"] == "picked"
    assert open_backorders(uow, number) == [5]
    assert stock(uow, "SH", "OFF-0002") == (5, 3)
    shipping.ship_order(uow, actor=world.warehouse, number=number, carrier="SF")
    assert order_status(uow, number) == "partially_shipped"
    assert stock(uow, "SH", "OFF-0002") == (2, 0)
    assert [s.status for s in shipments_of(uow, number)] == ["shipped"]
