"""The packing table's list: shipments of one warehouse that are picked, packing or packed."""

from __future__ import annotations

import pytest

from oms_app.core.errors import NotFound, PermissionDenied
from oms_app.fulfillment import floor_queries, picking
from tests.factories.sales import make_world
from tests.factories.warehouse import approved_order, pick_tasks, shipments_of


def _pick_everything(uow, world, shipment) -> None:
    for task in pick_tasks(uow, shipment.id):
        picking.confirm_pick(
            uow,
            actor=world.warehouse,
            pick_id=task["id"],
            bin_code=task["bin"],
            barcode="OFF-0001",
        )


def test_a_picked_shipment_waits_at_the_packing_table_and_an_allocated_one_does_not(uow):
    # given two approved orders, one of them picked
    world = make_world(uow)
    picked_order = approved_order(uow, world, [("OFF-0001", 4)])
    waiting_order = approved_order(uow, world, [("OFF-0001", 2)])
    (shipment,) = shipments_of(uow, picked_order)
    _pick_everything(uow, world, shipment)
    # when the packer lists the warehouse's packable shipments
    rows = floor_queries.list_packable(uow, actor=world.warehouse, warehouse_code="sh")
    # then only the picked one is there, with what the packing screen shows
    assert [r["number"] for r in rows] == [shipment.number]
    (row,) = rows
    assert row["order"] == picked_order and row["status"] == "picked"
    assert row["delivery_method"] and "customer" in row and "carrier" in row
    assert waiting_order not in {r["order"] for r in rows}


def test_listing_packable_shipments_needs_the_fulfil_permission(uow):
    world = make_world(uow)
    with pytest.raises(PermissionDenied):
        floor_queries.list_packable(uow, actor=world.rep, warehouse_code="SH")


def test_an_unknown_warehouse_is_refused(uow):
    world = make_world(uow)
    with pytest.raises(NotFound):
        floor_queries.list_packable(uow, actor=world.warehouse, warehouse_code="XX")
