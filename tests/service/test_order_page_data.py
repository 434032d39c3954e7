"""What the order page's shared states hold, on real PostgreSQL: shipments for every viewer,
pickup codes and the approver's allocation preview for staff only."""

from __future__ import annotations

import sqlalchemy as sa

from oms_app.core.permissions import Actor, Permission
from oms_app.fulfillment.models import Shipment
from oms_app.inventory.models import BinLocation, StockMovement, Warehouse
from oms_app.orders import service as order_service
from oms_app.orders.rules import LineInput, OrderInput
from state.order_detail import load_order_for_push, load_order_page, load_shipments
from tests.factories.sales import make_world


def enter(uow, world, quantity: int, **fields) -> str:
    cmd = OrderInput(
        customer_code=world.customer_code, lines=[LineInput("OFF-0002", quantity)], **fields
    )
    return order_service.create_order(uow, actor=world.rep, cmd=cmd, submit=True)


def stock_in_guangzhou(uow, sku: str, quantity: int) -> None:
    with uow:
        s = uow.session
        warehouse = Warehouse(code="GZ", name="广州仓", province="广东省", city="广州市")
        s.add(warehouse)
        s.flush()
        shelf = BinLocation(warehouse_id=warehouse.id, code="B-01-01", zone="B")
        s.add(shelf)
        s.flush()
        product_id = s.scalar(sa.text("select id from products where sku = :s"), {"s": sku})
        s.add(
            StockMovement(
                product_id=product_id,
                warehouse_id=warehouse.id,
                bin_id=shelf.id,
                kind="receipt",
                on_hand_delta=quantity,
            )
        )
        uow.commit()


def customer_of(uow, number: str) -> Actor:
    """The buyer in the portal, who may see their own order."""
    with uow:
        customer_id = uow.session.scalar(
            sa.text("select customer_id from orders where number = :n"), {"n": number}
        )
    return Actor(
        user_id=None,
        username="buyer",
        permissions=frozenset({Permission.PORTAL_USE.value}),
        customer_id=customer_id,
    )


def test_the_approver_sees_a_split_across_warehouses_before_deciding(uow):
    # given 10 packs in Shanghai and 8 in Guangzhou, and a pending order of 15
    world = make_world(uow, stock=10)
    stock_in_guangzhou(uow, "OFF-0002", 8)
    number = enter(uow, world, 15)
    # when the approver opens the order
    page = load_order_page(world.manager, number)
    # then the page shows both parts, marked as a split, and nothing short
    assert page.preview["split"] is True
    assert [(p["warehouse"], p["lines"]) for p in page.preview["parts"]] == [
        ("SH", [{"sku": "OFF-0002", "quantity": 10}]),
        ("GZ", [{"sku": "OFF-0002", "quantity": 5}]),
    ]
    assert page.preview["short"] == [] and page.shipments == []


def test_an_order_that_may_not_be_split_shows_what_would_be_back_ordered(uow):
    world = make_world(uow, stock=10)
    stock_in_guangzhou(uow, "OFF-0002", 8)
    number = enter(uow, world, 15, allow_split=False)
    preview = load_order_for_push(number).preview
    assert preview == {
        "parts": [],
        "split": False,
        "short": [{"sku": "OFF-0002", "quantity": 15}],
    }


def test_an_approved_order_shows_its_shipments_and_no_longer_a_preview(uow):
    world = make_world(uow)
    number = enter(uow, world, 10)
    order_service.approve_order(uow, actor=world.manager, number=number)
    # the sales rep may not work the floor, yet sees where the order's goods stand
    page = load_order_page(world.rep, number)
    assert page.preview == {}
    (shipment,) = page.shipments
    assert (shipment["warehouse"], shipment["status"], shipment["shipped_at"]) == (
        "SH",
        "allocated",
        "",
    )
    assert shipment["number"].startswith("SHP-")
    assert [(x["sku"], x["quantity"], x["picked"], x["packed"]) for x in shipment["lines"]] == [
        ("OFF-0002", 10, 0, 0)
    ]


def test_pickup_codes_reach_staff_but_never_the_state_customers_share(uow):
    world = make_world(uow)
    number = enter(uow, world, 10, delivery_method="pickup")
    order_service.approve_order(uow, actor=world.manager, number=number)
    with uow:
        uow.session.execute(
            sa.update(Shipment).where(Shipment.order_number == number).values(pickup_code="123456")
        )
        uow.commit()
    shipments, codes = load_shipments(number)
    assert list(codes.values()) == ["123456"] and list(codes) == [shipments[0]["number"]]
    assert all("pickup_code" not in s for s in shipments)
    staff_page = load_order_page(world.rep, number)
    assert staff_page.pickup_codes == codes
    customer_page = load_order_page(customer_of(uow, number), number)
    assert customer_page.pickup_codes == {} and customer_page.preview == {}
    assert [s["number"] for s in customer_page.shipments] == list(codes)
    assert all("pickup_code" not in s for s in customer_page.shipments)
