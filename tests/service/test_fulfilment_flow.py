"""From approval to the truck on real PostgreSQL: reserve, wave, scan-pick, pack, ship."""

from __future__ import annotations

import pytest

from oms_app.core.errors import ValidationFailed
from oms_app.fulfillment import packing, picking, shipping, waves
from tests.factories.sales import make_world
from tests.factories.warehouse import (
    approved_order,
    order_status,
    pick_tasks,
    shipments_of,
    stock,
)


def test_an_order_goes_from_approval_to_shipped_and_the_stock_adds_up(uow):
    # given an approved order of 10 pens (stock 500 in Shanghai)
    world = make_world(uow)
    number = approved_order(uow, world, [("OFF-0001", 10)])
    assert order_status(uow, number) == "allocated"
    assert stock(uow, "SH", "OFF-0001") == (500, 10)
    (shipment,) = shipments_of(uow, number)
    # when the warehouse builds a wave and picks it by scanning
    (wave,) = waves.create_waves(uow, actor=world.warehouse, warehouse_code="SH")
    (task,) = pick_tasks(uow, shipment.id)
    with pytest.raises(ValidationFailed) as wrong_bin:
        picking.confirm_pick(
            uow, actor=world.warehouse, pick_id=task["id"], bin_code="Z-99-99", barcode="OFF-0001"
        )
    assert wrong_bin.value.code == "error.pick.wrong_bin"
    with pytest.raises(ValidationFailed) as wrong_sku:
        picking.confirm_pick(
            uow,
            actor=world.warehouse,
            pick_id=task["id"],
            bin_code=task["bin"],
            barcode="6920000000025",
        )
    assert wrong_sku.value.code == "error.pick.wrong_sku"
    with pytest.raises(ValidationFailed) as over:
        picking.confirm_pick(
            uow,
            actor=world.warehouse,
            pick_id=task["id"],
            bin_code=task["bin"],
            barcode="6920000000018",
            quantity=11,
        )
    assert over.value.code == "error.pick.over_pick"
    assert order_status(uow, number) == "allocated"  # refused scans changed nothing
    done = picking.confirm_pick(
        uow,
        actor=world.warehouse,
        pick_id=task["id"],
        bin_code=task["bin"],
        barcode="6920000000018",
    )
    assert done["shipment_status"] == "picked"
    assert order_status(uow, number) == "picking"
    # then pack into one parcel and ship
    packing.scan_item(
        uow,
        actor=world.warehouse,
        shipment_number=shipment.number,
        barcode="6920000000018",
        quantity=10,
    )
    packing.close_parcel(
        uow,
        actor=world.warehouse,
        shipment_number=shipment.number,
        weight_grams=2300,
        length_cm=30,
        width_cm=20,
        height_cm=10,
    )
    packed = packing.finish_packing(
        uow, actor=world.warehouse, shipment_number=shipment.number, carrier="SF"
    )
    assert packed["status"] == "packed" and packed["shipping_cost"] != "0.00"
    assert order_status(uow, number) == "packed"
    shipped = shipping.ship_shipment(uow, actor=world.warehouse, shipment_number=shipment.number)
    assert shipped["tracking_no"].startswith("SF")
    assert order_status(uow, number) == "shipped"
    assert stock(uow, "SH", "OFF-0001") == (490, 0)
    assert waves.get_pick_list(uow, actor=world.warehouse, wave_number=wave)["status"] == "done"


def test_cancelling_a_picked_order_puts_the_goods_back_and_releases_them(uow):
    world = make_world(uow)
    number = approved_order(uow, world, [("OFF-0001", 10)])
    (shipment,) = shipments_of(uow, number)
    (task,) = pick_tasks(uow, shipment.id)
    picking.confirm_pick(
        uow,
        actor=world.warehouse,
        pick_id=task["id"],
        bin_code=task["bin"],
        barcode="OFF-0001",
        quantity=4,
    )
    from oms_app.orders import service as order_service

    order_service.cancel_order(uow, actor=world.manager, number=number, reason="客户取消")
    assert order_status(uow, number) == "cancelled"
    assert stock(uow, "SH", "OFF-0001") == (500, 0)
    assert shipments_of(uow, number)[0].status == "cancelled"


def test_an_outside_system_ships_an_allocated_order_in_one_call(uow):
    world = make_world(uow)
    number = approved_order(uow, world, [("OFF-0001", 6), ("OFF-0002", 3)])
    result = shipping.ship_order(uow, actor=world.warehouse, number=number, carrier="ZTO")
    assert [r["status"] for r in result] == ["shipped"]
    assert order_status(uow, number) == "shipped"
    assert stock(uow, "SH", "OFF-0001") == (494, 0)
    assert stock(uow, "SH", "OFF-0002") == (497, 0)
