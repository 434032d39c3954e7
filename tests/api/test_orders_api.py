"""Orders over HTTP: idempotent intake, 422 field errors, reading, deciding, cancelling."""

from __future__ import annotations

import asyncio

import httpx
import pyotp
import pytest
import sqlalchemy as sa

from oms_app.accounts import admin as accounts_admin
from oms_app.api.app import create_api
from oms_app.orders.models import Order
from tests.factories.accounts import make_admin
from tests.factories.sales import FINANCE_SECRET, make_world

pytestmark = pytest.mark.asyncio
BODY = {
    "customer": "C10001",
    "lines": [{"sku": "OFF-0001", "quantity": 10}, {"sku": "OFF-0002", "quantity": 3}],
    "delivery": {"method": "express"},
}


def client() -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=create_api()), base_url="http://oms")


def keys_for(uow, world) -> dict[str, dict[str, str]]:
    admin = make_admin(uow)
    return {
        name: {
            "X-API-Key": accounts_admin.create_api_key(
                uow, actor=admin, name=name, user_id=actor.user_id
            )
        }
        for name, actor in (
            ("shop", world.rep),
            ("manager", world.manager),
            ("finance", world.finance),
            ("warehouse", world.warehouse),
        )
    }


def order_count(uow) -> int:
    with uow:
        return uow.session.scalar(sa.select(sa.func.count()).select_from(Order))


async def test_posting_an_order_returns_201_with_number_total_and_approvals(uow):
    keys = keys_for(uow, make_world(uow))
    async with client() as http:
        answer = await http.post("/api/v1/orders", json=BODY, headers=keys["shop"])
    assert answer.status_code == 201
    body = answer.json()
    assert body["number"].startswith("SO-") and body["status"] == "pending_approval"
    assert body["total"] == "401.38" and body["anomalies"] == []
    assert [(a["role"], a["status"]) for a in body["approvals"]] == [("sales_manager", "pending")]


async def test_retries_with_one_idempotency_key_give_one_order_even_in_parallel(uow):
    keys = keys_for(uow, make_world(uow))
    headers = {**keys["shop"], "Idempotency-Key": "shop-order-99812"}
    async with client() as http:
        answers = await asyncio.gather(
            *[http.post("/api/v1/orders", json=BODY, headers=headers) for _ in range(6)]
        )
    assert {a.status_code for a in answers} == {201}
    assert len({a.json()["number"] for a in answers}) == 1
    assert order_count(uow) == 1


async def test_bad_input_is_422_naming_each_field_and_stores_nothing(uow):
    keys = keys_for(uow, make_world(uow))
    bad = {
        "customer": "C10001",
        "lines": [{"sku": "OFF-0001", "quantity": 3}, {"sku": "GHOST", "quantity": 1}],
        "delivery": {"method": "express", "address": {"phone": "12345", "receiver": "王"}},
    }
    async with client() as http:
        answer = await http.post(
            "/api/v1/orders", json=bad, headers={**keys["shop"], "Accept-Language": "zh-CN"}
        )
        typed = await http.post(
            "/api/v1/orders",
            json={**BODY, "lines": [{"sku": "OFF-0001", "quantity": "many"}]},
            headers=keys["shop"],
        )
        empty = await http.post("/api/v1/orders", content=b"{not json", headers=keys["shop"])
    assert answer.status_code == 422
    fields = [(e["field"], e["code"]) for e in answer.json()["errors"]]
    assert ("lines[0].quantity", "error.quantity.pack") in fields
    assert ("lines[1].sku", "error.sku.unknown") in fields
    assert ("delivery.address.phone", "error.phone.mainland") in fields
    assert any("包装数" in e["message"] for e in answer.json()["errors"])
    assert typed.status_code == 422 and typed.json()["errors"][0]["field"] == "lines[0].quantity"
    assert empty.status_code == 422
    assert order_count(uow) == 0


async def test_approval_follows_the_levels_with_403_for_the_wrong_role(uow):
    world = make_world(uow, stock=5000)
    keys = keys_for(uow, world)
    big = {**BODY, "lines": [{"sku": "OFF-0002", "quantity": 2500}]}
    async with client() as http:
        number = (await http.post("/api/v1/orders", json=big, headers=keys["shop"])).json()[
            "number"
        ]
        early = await http.post(
            f"/api/v1/orders/{number}/approve", json={}, headers=keys["finance"]
        )
        first = await http.post(
            f"/api/v1/orders/{number}/approve", json={"comment": "OK"}, headers=keys["manager"]
        )
        second = await http.post(
            f"/api/v1/orders/{number}/approve",
            json={"totp_code": pyotp.TOTP(FINANCE_SECRET).now()},
            headers=keys["finance"],
        )
        again = await http.post(
            f"/api/v1/orders/{number}/approve", json={}, headers=keys["manager"]
        )
        history = await http.get(f"/api/v1/orders/{number}/history", headers=keys["shop"])
    assert early.status_code == 403
    assert first.status_code == 200 and first.json()["status"] == "pending_approval"
    assert second.status_code == 200 and second.json()["status"] == "allocated"
    assert again.status_code == 409
    assert [h["to"] for h in history.json()["history"]] == [
        "pending_approval",
        "approved",
        "allocated",
    ]


async def test_reject_needs_a_comment_and_returns_the_order_to_draft(uow):
    keys = keys_for(uow, make_world(uow))
    async with client() as http:
        number = (await http.post("/api/v1/orders", json=BODY, headers=keys["shop"])).json()[
            "number"
        ]
        silent = await http.post(
            f"/api/v1/orders/{number}/reject", json={}, headers=keys["manager"]
        )
        rejected = await http.post(
            f"/api/v1/orders/{number}/reject",
            json={"comment": "请补充采购单号"},
            headers=keys["manager"],
        )
    assert silent.status_code == 422 and silent.json()["errors"][0]["field"] == "comment"
    assert rejected.json()["status"] == "draft"


async def test_reading_unknown_orders_is_404_and_warehouse_may_not_cancel(uow):
    keys = keys_for(uow, make_world(uow))
    async with client() as http:
        number = (await http.post("/api/v1/orders", json=BODY, headers=keys["shop"])).json()[
            "number"
        ]
        missing = await http.get("/api/v1/orders/SO-1999-000001", headers=keys["shop"])
        refused = await http.post(
            f"/api/v1/orders/{number}/cancel", json={"reason": "x"}, headers=keys["warehouse"]
        )
        cancelled = await http.post(
            f"/api/v1/orders/{number}/cancel", json={"reason": "客户取消"}, headers=keys["manager"]
        )
        listed = await http.get(
            "/api/v1/orders?customer=C10001&status=cancelled", headers=keys["shop"]
        )
    assert missing.status_code == 404
    assert refused.status_code == 403
    assert cancelled.json()["status"] == "cancelled"
    assert [o["number"] for o in listed.json()["items"]] == [number]
