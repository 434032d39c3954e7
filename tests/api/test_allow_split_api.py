"""The order body's `allow_split` over HTTP: optional, true by default, returned with the order."""

from __future__ import annotations

import httpx
import pytest

from oms_app.accounts import admin as accounts_admin
from oms_app.api.app import create_api
from tests.factories.accounts import make_admin
from tests.factories.sales import make_world

pytestmark = pytest.mark.asyncio
BODY = {"customer": "C10001", "lines": [{"sku": "OFF-0001", "quantity": 10}]}


def client() -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=create_api()), base_url="http://oms")


def shop_key(uow) -> dict[str, str]:
    world = make_world(uow)
    key = accounts_admin.create_api_key(
        uow, actor=make_admin(uow), name="shop", user_id=world.rep.user_id
    )
    return {"X-API-Key": key}


async def test_an_order_posted_with_allow_split_false_is_returned_with_it(uow):
    headers = shop_key(uow)
    async with client() as http:
        posted = await http.post(
            "/api/v1/orders", json=BODY | {"allow_split": False}, headers=headers
        )
        read = await http.get(f"/api/v1/orders/{posted.json()['number']}", headers=headers)
        default = await http.post("/api/v1/orders", json=BODY, headers=headers)
    assert posted.status_code == 201 and posted.json()["allow_split"] is False
    assert read.status_code == 200 and read.json()["allow_split"] is False
    assert default.status_code == 201 and default.json()["allow_split"] is True
