"""The packing table over HTTP: assign a picker, scan into parcels, weigh, pack, ship."""

from __future__ import annotations

import pytest

from tests.api.test_fulfilment_api import PAPER_BARCODE, PEN_BARCODE, client, warehouse_key
from tests.factories.sales import make_world
from tests.factories.warehouse import approved_order, order_status, pick_tasks, shipments_of

pytestmark = pytest.mark.asyncio


async def test_a_picked_shipment_is_packed_and_shipped_through_the_api(uow):
    world = make_world(uow)
    headers = warehouse_key(uow, world)
    number = approved_order(uow, world, [("OFF-0001", 4), ("OFF-0002", 2)])
    (shipment,) = shipments_of(uow, number)
    async with client() as http:
        wave = (await http.post("/api/v1/waves", json={"warehouse": "SH"}, headers=headers)).json()
        (wave_number,) = wave["waves"]
        assigned = await http.post(
            f"/api/v1/waves/{wave_number}/assign",
            json={"picker": world.warehouse.username},
            headers=headers,
        )
        refused_picker = await http.post(
            f"/api/v1/waves/{wave_number}/assign",
            json={"picker": world.rep.username},
            headers=headers,
        )
        for task in pick_tasks(uow, shipment.id):
            barcode = PEN_BARCODE if task["quantity"] == 4 else PAPER_BARCODE
            picked = await http.post(
                f"/api/v1/picks/{task['id']}/confirm",
                json={"bin": task["bin"], "barcode": barcode},
                headers=headers,
            )
            assert picked.status_code == 200
        url = f"/api/v1/shipments/{shipment.number}"
        stranger = await http.post(f"{url}/items", json={"barcode": "0000"}, headers=headers)
        too_many = await http.post(
            f"{url}/items", json={"barcode": PAPER_BARCODE, "quantity": 3}, headers=headers
        )
        await http.post(
            f"{url}/items", json={"barcode": PEN_BARCODE, "quantity": 4}, headers=headers
        )
        early = await http.post(f"{url}/pack", json={"carrier": "ZTO"}, headers=headers)
        await http.post(
            f"{url}/items", json={"barcode": PAPER_BARCODE, "quantity": 2}, headers=headers
        )
        closed = await http.post(
            f"{url}/parcels/close",
            json={"weight_grams": 1800, "length_cm": 30, "width_cm": 20, "height_cm": 15},
            headers=headers,
        )
        packed = await http.post(f"{url}/pack", json={"carrier": "ZTO"}, headers=headers)
        shipped = await http.post(f"{url}/ship", headers=headers)
        view = (await http.get(url, headers=headers)).json()
    assert assigned.status_code == 200 and assigned.json()["picker"] == world.warehouse.username
    assert refused_picker.status_code == 422
    assert refused_picker.json()["errors"][0]["code"] == "error.picker.not_allowed"
    assert stranger.json()["errors"][0]["code"] == "error.pack.not_in_shipment"
    assert too_many.json()["errors"][0]["code"] == "error.pack.over_pack"
    assert early.status_code == 422  # paper not packed yet
    assert closed.json() == {"shipment": shipment.number, "parcel": 1}
    assert packed.status_code == 200 and packed.json()["carrier"] == "ZTO"
    assert shipped.status_code == 200 and shipped.json()["tracking_no"]
    assert view["status"] == "shipped" and view["parcels"][0]["weight_grams"] == 1800
    assert order_status(uow, number) == "shipped"


async def test_a_planned_wave_is_dissolved_and_a_started_one_is_not(uow):
    world = make_world(uow)
    headers = warehouse_key(uow, world)
    approved_order(uow, world, [("OFF-0001", 2)])
    async with client() as http:
        (first,) = (
            await http.post("/api/v1/waves", json={"warehouse": "SH"}, headers=headers)
        ).json()["waves"]
        cancelled = await http.post(
            f"/api/v1/waves/{first}/cancel", json={"reason": "重新排班"}, headers=headers
        )
        (second,) = (
            await http.post("/api/v1/waves", json={"warehouse": "SH"}, headers=headers)
        ).json()["waves"]
        await http.post(f"/api/v1/waves/{second}/start", headers=headers)
        refused = await http.post(f"/api/v1/waves/{second}/cancel", headers=headers)
        listed = (await http.get("/api/v1/waves", headers=headers)).json()["waves"]
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert second != first  # the shipment was free again for a new wave
    assert refused.status_code == 409
    assert {w["number"]: w["status"] for w in listed} == {first: "cancelled", second: "picking"}
