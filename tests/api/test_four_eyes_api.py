"""The four-eyes rule over HTTP: the approve endpoint refuses an order's own creator with 403."""

from __future__ import annotations

import httpx
import pytest
import sqlalchemy as sa

from oms_app.accounts import admin as accounts_admin
from oms_app.api.app import create_api
from oms_app.approvals.models import ApprovalEvent
from tests.factories.accounts import make_admin
from tests.factories.sales import make_world

pytestmark = pytest.mark.asyncio
BODY = {
    "customer": "C10001",
    "lines": [{"sku": "OFF-0001", "quantity": 10}],
    "delivery": {"method": "express"},
}


async def test_a_manager_approving_their_own_order_gets_403_with_the_four_eyes_code(uow):
    world = make_world(uow)
    key = accounts_admin.create_api_key(
        uow, actor=make_admin(uow), name="manager", user_id=world.manager.user_id
    )
    headers = {"X-API-Key": key, "Accept-Language": "en"}
    transport = httpx.ASGITransport(app=create_api())
    async with httpx.AsyncClient(transport=transport, base_url="http://oms") as http:
        posted = await http.post("/api/v1/orders", json=BODY, headers=headers)
        number = posted.json()["number"]
        answer = await http.post(
            f"/api/v1/orders/{number}/approve", json={"comment": "ok"}, headers=headers
        )
        order = await http.get(f"/api/v1/orders/{number}", headers=headers)
    assert answer.status_code == 403
    error = answer.json()["error"]
    assert (error["code"], error["field"]) == ("error.approval.own_order", "order")
    assert error["message"] == "You created this order and cannot approve it"
    assert order.json()["status"] == "pending_approval"
    with uow:
        assert uow.session.scalar(sa.select(sa.func.count()).select_from(ApprovalEvent)) == 0
