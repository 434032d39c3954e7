"""The REST API over HTTP (an ASGI transport into the real app): health, auth errors, paging."""

from __future__ import annotations

import httpx
import pytest

from oms_app.accounts import admin as accounts_admin
from oms_app.api.app import create_api
from oms_app.core import health
from oms_app.core.config import get_settings
from tests.factories.accounts import make_admin, make_user
from tests.factories.orders import make_customer, make_draft_order

pytestmark = pytest.mark.asyncio


def client() -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=create_api()), base_url="http://oms")


def clear_heartbeats(redis_client) -> None:
    for prefix in (health.WORKER_KEY_PREFIX, health.BEAT_KEY_PREFIX, "oms:heartbeats:"):
        for key in redis_client.scan_iter(f"{prefix}*"):
            redis_client.delete(key)


async def test_health_is_200_but_degraded_naming_worker_and_beat_when_none_beats(
    clean_db, redis_client
):
    clear_heartbeats(redis_client)
    async with client() as http:
        answer = await http.get("/api/v1/health")
    assert answer.status_code == 200  # the API itself serves: a load balancer keeps it
    assert answer.json() == {
        "status": "degraded",
        "database": "ok",
        "redis": "ok",
        "worker": "down",
        "beat": "down",
        "worker_age_seconds": None,
        "beat_age_seconds": None,
        "workers": [],
        "beats": [],
    }


async def test_health_is_200_when_every_part_answers(clean_db, redis_client):
    clear_heartbeats(redis_client)
    health.write_worker_heartbeat("api-test")
    health.write_heartbeat(health.BEAT, "beat-test")
    try:
        async with client() as http:
            answer = await http.get("/api/v1/health")
    finally:
        clear_heartbeats(redis_client)
    assert answer.status_code == 200
    body = answer.json()
    assert {k: body[k] for k in ("status", "database", "redis", "worker", "beat")} == {
        "status": "ok",
        "database": "ok",
        "redis": "ok",
        "worker": "ok",
        "beat": "ok",
    }
    assert [w["name"] for w in body["workers"]] == ["api-test"]
    assert 0 <= body["worker_age_seconds"] < health.HEARTBEAT_TTL_SECONDS


async def test_a_call_without_a_key_is_401_with_a_localized_error(clean_db):
    async with client() as http:
        english = await http.get("/api/v1/orders")
        chinese = await http.get("/api/v1/orders", headers={"Accept-Language": "zh-CN"})
    assert english.status_code == 401
    assert english.json()["error"] == {
        "code": "error.auth.invalid_credentials",
        "field": "api_key",
        "params": {},
        "message": "Wrong username or password",
    }
    assert chinese.json()["error"]["message"] == "用户名或密码错误"


async def test_a_revoked_or_wrong_key_is_401(uow):
    admin = make_admin(uow)
    key = accounts_admin.create_api_key(uow, actor=admin, name="shop")
    async with client() as http:
        assert (await http.get("/api/v1/me", headers={"X-API-Key": key})).status_code == 200
        wrong = await http.get("/api/v1/me", headers={"Authorization": "Bearer oms_nope"})
    assert wrong.status_code == 401


async def test_a_key_without_the_permission_gets_403(uow):
    owner = make_user(uow, username="custbot", roles=["warehouse"])
    admin = make_admin(uow)
    key = accounts_admin.create_api_key(uow, actor=admin, name="wms", user_id=owner)
    async with client() as http:
        answer = await http.get("/api/v1/me", headers={"X-API-Key": key})
        assert answer.json()["roles"] == ["warehouse"]
        orders = await http.get("/api/v1/orders", headers={"X-API-Key": key})
    assert orders.status_code == 200  # warehouse may view orders
    assert get_settings().database_url  # sanity: the run's own database


async def test_orders_page_on_the_server_and_bad_paging_is_422(uow):
    admin = make_admin(uow)
    key = accounts_admin.create_api_key(uow, actor=admin, name="erp")
    customer = make_customer(uow)
    for n in range(7):
        make_draft_order(uow, customer_id=customer, number=f"SO-T-{n:04d}")
    headers = {"X-API-Key": key}
    async with client() as http:
        first = await http.get(
            "/api/v1/orders?page_size=5&sort=number&descending=false", headers=headers
        )
        second = await http.get(
            "/api/v1/orders?page=2&page_size=5&sort=number&descending=false", headers=headers
        )
        bad = await http.get("/api/v1/orders?page=0", headers=headers)
        bad_status = await http.get("/api/v1/orders?status=lost", headers=headers)
    assert first.json()["total"] == 7
    assert [o["number"] for o in first.json()["items"]] == [f"SO-T-{n:04d}" for n in range(5)]
    assert [o["number"] for o in second.json()["items"]] == ["SO-T-0005", "SO-T-0006"]
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "page"
    assert bad_status.status_code == 422 and bad_status.json()["errors"][0]["field"] == "status"
