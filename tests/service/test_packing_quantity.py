"""One scan may pack several units of a line: the packer types the quantity, confirms it, and
the server refuses more than is left to pack (nothing changes then)."""

from __future__ import annotations

import pytest
import reflex as rx
from reflex.istate.data import RouterData

import oms_app.oms_app  # noqa: F401  (every state registered, as in the app)
from oms_app.core.errors import ValidationFailed
from oms_app.fulfillment import packing, picking, waves
from state.base import SessionState
from state.packing import PackingState
from tests.factories.sales import make_world
from tests.factories.warehouse import approved_order, pick_tasks, shipments_of

pytestmark = pytest.mark.asyncio
PEN = "6920000000018"  # OFF-0001's barcode


@pytest.fixture
def packer(uow, monkeypatch):
    """Ten pens picked for one shipment, its packing table open in a signed-in session."""
    world = make_world(uow)
    number = approved_order(uow, world, [("OFF-0001", 10)])
    (shipment,) = shipments_of(uow, number)
    waves.create_waves(uow, actor=world.warehouse, warehouse_code="SH")
    (task,) = pick_tasks(uow, shipment.id)
    picking.confirm_pick(
        uow, actor=world.warehouse, pick_id=task["id"], bin_code=task["bin"], barcode=PEN
    )

    async def actor(self):
        return world.warehouse

    monkeypatch.setattr(SessionState, "_actor", actor)
    root = rx.State(_reflex_internal_init=True)
    root.router = RouterData.from_router_data({"pathname": "/warehouse/packing"})
    return root, world, shipment.number


def packed(uow, world, number: str) -> int:
    view = packing.get_packing(uow, actor=world.warehouse, shipment_number=number)
    return sum(line["packed"] for line in view["lines"])


async def test_several_units_are_packed_with_one_scan_once_confirmed(packer, uow):
    root, world, number = packer
    page = await root.get_state(PackingState)
    await page.load()
    await page.open_shipment(number)
    assert page.quantity == "1" and page.lines[0]["left"] == "10"
    # when the packer types 3 and scans the pen once
    page.set_quantity("3")
    await page.scan_item({"barcode": PEN})
    # then the screen asks first, showing what is left, and nothing is packed yet
    assert page.confirm_open
    assert page.confirm_text == "将 3 件 OFF-0001 装入当前包裹？（还需装 10 件）"
    assert packed(uow, world, number) == 0
    # and once confirmed the three are in the parcel, the field back at 1
    await page.confirm_quantity()
    assert not page.confirm_open and page.error == ""
    assert packed(uow, world, number) == 3
    assert page.lines[0]["packed"] == "3" and page.lines[0]["left"] == "7"
    assert page.quantity == "1"


async def test_a_cancelled_confirm_packs_nothing(packer, uow):
    root, world, number = packer
    page = await root.get_state(PackingState)
    await page.open_shipment(number)
    page.set_quantity("4")
    await page.scan_item({"barcode": PEN})
    page.set_confirm_open(False)
    await page.confirm_quantity()  # a late click after the dialog closed
    assert packed(uow, world, number) == 0


async def test_a_single_unit_scan_packs_at_once(packer, uow):
    root, world, number = packer
    page = await root.get_state(PackingState)
    await page.open_shipment(number)
    await page.scan_item({"barcode": PEN})
    assert not page.confirm_open and packed(uow, world, number) == 1


async def test_more_than_is_left_to_pack_is_refused_and_changes_nothing(packer, uow):
    root, world, number = packer
    page = await root.get_state(PackingState)
    await page.open_shipment(number)
    page.set_quantity("11")
    await page.scan_item({"barcode": PEN})
    await page.confirm_quantity()
    assert page.error == "OFF-0001 只剩 10 件可装箱"
    assert packed(uow, world, number) == 0
    # the service itself refuses it too (scanners call it through the API)
    with pytest.raises(ValidationFailed) as over:
        packing.scan_item(
            uow, actor=world.warehouse, shipment_number=number, barcode=PEN, quantity=11
        )
    assert over.value.code == "error.pack.over_pack" and over.value.field == "quantity"
    assert packed(uow, world, number) == 0
