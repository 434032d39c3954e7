"""Returns over HTTP: a shop asks to return goods of a shipped order, the warehouse system
approves and receives them; bad bodies get field errors; lists page and filter by status."""

from __future__ import annotations

import pytest

from oms_app.accounts import admin as accounts_admin
from oms_app.fulfillment import shipping
from tests.api.test_fulfilment_api import client
from tests.factories.accounts import make_admin
from tests.factories.sales import make_world
from tests.factories.warehouse import approved_order, stock

pytestmark = pytest.mark.asyncio


def key_for(uow, user_id: int, name: str) -> dict[str, str]:
    key = accounts_admin.create_api_key(
        uow, actor=make_admin(uow, username=f"admin-{name}"), name=name, user_id=user_id
    )
    return {"X-API-Key": key}


def shipped(uow):
    world = make_world(uow)
    number = approved_order(uow, world, [("OFF-0001", 4), ("OFF-0002", 2)])
    shipping.ship_order(uow, actor=world.warehouse, number=number, carrier="ZTO")
    return world, number


async def test_a_return_is_requested_approved_and_received_over_http(uow):
    world, number = shipped(uow)
    shop = key_for(uow, world.rep.user_id, "shop")
    wms = key_for(uow, world.warehouse.user_id, "wms")
    on_hand = stock(uow, "SH", "OFF-0001")[0]
    body = {"lines": [{"sku": "OFF-0001", "quantity": 2}], "reason": "damaged", "note": "cracked"}
    async with client() as http:
        created = await http.post(f"/api/v1/orders/{number}/returns", json=body, headers=shop)
        rma = created.json()["number"]
        by_shop = await http.post(f"/api/v1/returns/{rma}/approve", headers=shop)
        approved = await http.post(f"/api/v1/returns/{rma}/approve", headers=wms)
        received = await http.post(f"/api/v1/returns/{rma}/receive", headers=wms)
        twice = await http.post(f"/api/v1/returns/{rma}/receive", headers=wms)
        detail = await http.get(f"/api/v1/returns/{rma}", headers=shop)
        of_order = await http.get(f"/api/v1/orders/{number}/returns", headers=shop)
    assert created.status_code == 201 and created.json()["status"] == "requested"
    assert created.json()["lines"][0] == {
        "sku": "OFF-0001",
        "name": "中性笔 0.5mm",
        "unit": "box",
        "quantity": 2,
        "unit_net_price": "24.00",
        "unit_cost": "15.00",
    }
    assert by_shop.status_code == 403
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert received.status_code == 200 and received.json()["status"] == "received"
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "error.illegal_transition"
    assert [h["to"] for h in detail.json()["history"]] == ["requested", "approved", "received"]
    assert [r["number"] for r in of_order.json()["items"]] == [rma]
    assert stock(uow, "SH", "OFF-0001")[0] == on_hand + 2


async def test_bad_requests_answer_422_with_every_field_error(uow):
    world, number = shipped(uow)
    shop = key_for(uow, world.rep.user_id, "shop")
    async with client() as http:
        too_many = await http.post(
            f"/api/v1/orders/{number}/returns",
            json={
                "lines": [{"sku": "OFF-0002", "quantity": 1}, {"sku": "OFF-0001", "quantity": 9}],
                "reason": "damaged",
            },
            headers={**shop, "Accept-Language": "en"},
        )
        no_reason = await http.post(
            f"/api/v1/orders/{number}/returns",
            json={"lines": [], "reason": ""},
            headers=shop,
        )
        not_whole = await http.post(
            f"/api/v1/orders/{number}/returns",
            json={"lines": [{"sku": "OFF-0001", "quantity": "two"}], "reason": "other"},
            headers=shop,
        )
        unknown_order = await http.post(
            "/api/v1/orders/SO-1999-000001/returns",
            json={"lines": [{"sku": "OFF-0001", "quantity": 1}], "reason": "other"},
            headers=shop,
        )
        reject_without_reason = await http.post(
            "/api/v1/returns/RMA-1999-000001/reject", json={}, headers=shop
        )
    assert too_many.status_code == 422
    [error] = too_many.json()["errors"]
    assert error["field"] == "lines[1].quantity"
    assert error["code"] == "returns.error.exceeds_returnable"
    assert error["message"] == "OFF-0001: at most 4 may come back (4 shipped)"
    assert no_reason.status_code == 422
    assert {(e["field"], e["code"]) for e in no_reason.json()["errors"]} == {
        ("reason", "error.required"),
        ("lines", "returns.error.no_lines"),
    }
    assert not_whole.status_code == 422
    assert not_whole.json()["errors"][0]["field"] == "lines[0].quantity"
    assert unknown_order.status_code == 404
    assert reject_without_reason.status_code == 403  # a rep may not decide returns


async def test_the_list_filters_by_status_and_pages(uow):
    world, number = shipped(uow)
    shop = key_for(uow, world.rep.user_id, "shop")
    boss = key_for(uow, world.manager.user_id, "boss")
    one = {"lines": [{"sku": "OFF-0001", "quantity": 1}], "reason": "wrong_item"}
    async with client() as http:
        made = [
            (await http.post(f"/api/v1/orders/{number}/returns", json=one, headers=shop)).json()
            for _ in range(3)
        ]
        rejected = await http.post(
            f"/api/v1/returns/{made[0]['number']}/reject",
            json={"reason": "not ours"},
            headers=boss,
        )
        page = await http.get("/api/v1/returns?status=requested&page=1&page_size=1", headers=boss)
        second = await http.get("/api/v1/returns?status=requested&page=2&page_size=1", headers=boss)
        bad = await http.get("/api/v1/returns?status=lost", headers=boss)
        spec = await http.get("/api/v1/openapi.json")
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert page.json()["total"] == 2 and len(page.json()["items"]) == 1
    assert page.json()["items"][0]["number"] != second.json()["items"][0]["number"]
    assert bad.status_code == 422
    paths = spec.json()["paths"]
    assert (
        "/api/v1/orders/{number}/returns" in paths and "/api/v1/returns/{number}/receive" in paths
    )
