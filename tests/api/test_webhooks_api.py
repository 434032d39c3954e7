"""The webhook endpoints over HTTP: auth, the secret shown once, validation, the delivery log."""

from __future__ import annotations

import httpx
import pytest

from oms_app.accounts import admin as accounts_admin
from oms_app.api import webhooks
from oms_app.api.app import create_api
from oms_app.core.clock import utcnow
from oms_app.webhooks import rules
from oms_app.webhooks import service as webhook_service
from tests.factories.accounts import make_admin, make_user

pytestmark = pytest.mark.asyncio
NEW = {"name": "ERP", "url": "https://erp.example.com/hooks", "event_types": ["order.*"]}


def client() -> httpx.AsyncClient:
    api = create_api()
    api.include_router(webhooks.router)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=api), base_url="http://oms")


@pytest.fixture
def admin_key(uow) -> dict[str, str]:
    admin = make_admin(uow)
    return {"X-API-Key": accounts_admin.create_api_key(uow, actor=admin, name="ops")}


@pytest.fixture
def queued(monkeypatch) -> list[int]:
    """Deliveries handed to Celery (no worker runs here, so none is really queued)."""
    calls: list[int] = []
    monkeypatch.setattr(webhooks, "queue_delivery", lambda delivery_id: calls.append(delivery_id))
    return calls


async def test_without_a_key_it_is_401_and_without_the_permission_403(uow):
    admin = make_admin(uow)
    clerk = make_user(uow, username="wmsbot", roles=["warehouse"])
    key = accounts_admin.create_api_key(uow, actor=admin, name="wms", user_id=clerk)
    async with client() as http:
        anonymous = await http.get("/api/v1/webhooks")
        listed = await http.get("/api/v1/webhooks", headers={"X-API-Key": key})
        created = await http.post("/api/v1/webhooks", json=NEW, headers={"X-API-Key": key})
    assert anonymous.status_code == 401
    assert listed.status_code == 403 and created.status_code == 403
    assert created.json()["error"]["code"] == "error.permission_denied"


async def test_the_secret_is_returned_on_creation_only(admin_key):
    async with client() as http:
        created = await http.post("/api/v1/webhooks", json=NEW, headers=admin_key)
        listed = await http.get("/api/v1/webhooks", headers=admin_key)
        patched = await http.patch(
            f"/api/v1/webhooks/{created.json()['id']}",
            json={"event_types": ["*"]},
            headers=admin_key,
        )
    assert created.status_code == 201
    secret = created.json()["secret"]
    assert secret.startswith("whsec_") and len(secret) >= 40
    [row] = listed.json()["items"]
    assert row["url"] == NEW["url"] and row["event_types"] == ["order.*"]
    assert "secret" not in row and secret not in listed.text
    assert patched.status_code == 200 and patched.json()["event_types"] == ["*"]
    assert secret not in patched.text


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("ftp://erp.example.com/in", "error.webhook.url_scheme"),
        ("https://me:pw@erp.example.com/in", "error.webhook.url_credentials"),
        ("not a url", "error.webhook.url_invalid"),
    ],
)
async def test_a_bad_url_is_422_naming_the_field(admin_key, url, code):
    async with client() as http:
        answer = await http.post("/api/v1/webhooks", json=NEW | {"url": url}, headers=admin_key)
        listed = await http.get("/api/v1/webhooks", headers=admin_key)
    assert answer.status_code == 422
    [error] = answer.json()["errors"]
    assert (error["field"], error["code"]) == ("url", code)
    assert error["message"] != code  # translated
    assert listed.json()["items"] == []


async def test_a_missing_field_is_422(admin_key):
    async with client() as http:
        answer = await http.post("/api/v1/webhooks", json={"name": "x"}, headers=admin_key)
    assert answer.status_code == 422
    assert {e["field"] for e in answer.json()["errors"]} == {"url", "event_types"}


async def test_delete_deactivates_and_an_unknown_id_is_404(admin_key):
    async with client() as http:
        created = (await http.post("/api/v1/webhooks", json=NEW, headers=admin_key)).json()
        deleted = await http.delete(f"/api/v1/webhooks/{created['id']}", headers=admin_key)
        listed = await http.get("/api/v1/webhooks", headers=admin_key)
        unknown = await http.delete("/api/v1/webhooks/999", headers=admin_key)
        unknown_log = await http.get("/api/v1/webhooks/999/deliveries", headers=admin_key)
    assert deleted.status_code == 200 and deleted.json()["is_active"] is False
    assert [r["is_active"] for r in listed.json()["items"]] == [False]
    assert unknown.status_code == 404 and unknown_log.status_code == 404


async def test_the_delivery_log_is_paged_and_a_dead_delivery_can_be_sent_again(
    uow, admin_key, queued
):
    async with client() as http:
        sub = (await http.post("/api/v1/webhooks", json=NEW, headers=admin_key)).json()
    ids = [
        webhook_service.enqueue_event(
            uow, event_id=f"ev{n}", event_type="order.created", payload={"n": n}
        )[0]
        for n in range(3)
    ]
    for _ in range(rules.MAX_ATTEMPTS):
        webhook_service.record_attempt(
            uow, delivery_id=ids[0], ok=False, status_code=500, error="boom", now=utcnow()
        )
    log_url = f"/api/v1/webhooks/{sub['id']}/deliveries"
    async with client() as http:
        first = await http.get(f"{log_url}?page_size=2", headers=admin_key)
        dead = await http.get(f"{log_url}?state=dead", headers=admin_key)
        bad_state = await http.get(f"{log_url}?state=lost", headers=admin_key)
        again = await http.post(
            f"/api/v1/webhooks/deliveries/{ids[0]}/redeliver", headers=admin_key
        )
        after = await http.get(f"{log_url}?state=pending", headers=admin_key)
    assert first.json()["total"] == 3
    assert [d["event_id"] for d in first.json()["items"]] == ["ev2", "ev1"]
    [gone] = dead.json()["items"]
    assert (gone["id"], gone["attempts"], gone["last_error"]) == (ids[0], 8, "boom")
    assert bad_state.status_code == 422 and bad_state.json()["errors"][0]["field"] == "state"
    assert again.status_code == 202 and queued == [ids[0]]
    assert after.json()["total"] == 3
