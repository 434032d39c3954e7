"""A database or Redis outage answers JSON 503 with Retry-After on every route, never a
plain-text 500, and the API works again as soon as the part is back.

The outages are real: the run's database refuses connections (its sessions cut), or the app's
Redis URL points at a closed loopback port. Every operation of the OpenAPI spec is called.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import pytest
from fastapi.testclient import TestClient

from oms_app.accounts import admin as accounts_admin
from oms_app.api.app import create_api
from oms_app.core.config import reset_settings_cache
from oms_app.core.permissions import SYSTEM_ACTOR, Role
from oms_app.payments import providers
from tests.api.test_no_server_errors import _plain
from tests.factories.accounts import make_user
from tests.openapi_spec import OPERATIONS, fill_path
from tests.outage_infra import database_refusing, redis_unreachable, seconds_until

pytestmark = pytest.mark.fault
HEALTH = "GET /api/v1/health"
# Refuses a request without a valid Stripe signature before it needs the database (400).
# answered before any database work: a bad signature; a one-time code kept in Redis; a cookie
# cleared
NO_DATABASE_NEEDED = {
    "POST /api/v1/webhooks/stripe",
    "GET /api/v1/session/claim",
    "GET /api/v1/session/end",
}


@pytest.fixture
def http(uow):
    """A client whose key holds every role, so calls get past permissions to the database."""
    user = make_user(uow, username="everyone", roles=[role.value for role in Role])
    key = accounts_admin.create_api_key(uow, actor=SYSTEM_ACTOR, name="outage", user_id=user)
    with TestClient(create_api(), raise_server_exceptions=False) as client:
        client.headers["X-API-Key"] = key
        yield client


def call_every_operation(http: TestClient) -> dict[str, object]:
    answers = {}
    for method, path, operation in OPERATIONS:
        body = {} if "requestBody" in operation else None
        url = fill_path(path, operation, _plain)
        answers[f"{method} {path}"] = http.request(method, url, json=body)
    return answers


def is_outage_answer(answer, part: str) -> bool:
    """503, JSON in the API's error shape naming the part, and when to try again."""
    if answer.status_code != 503 or not answer.headers.get("retry-after", "").isdigit():
        return False
    if not answer.headers.get("content-type", "").startswith("application/json"):
        return False
    error = answer.json().get("error", {})
    return error.get("code") == "error.service_unavailable" and error.get("part") == part


def summary(answer) -> tuple:
    return answer.status_code, answer.headers.get("content-type"), answer.text[:160]


def test_every_route_answers_a_database_outage_with_json_503_and_works_again_after(http):
    # given the API answering; when the database refuses connections
    with database_refusing():
        answers = call_every_operation(http)
        chinese = http.get("/api/v1/orders", headers={"Accept-Language": "zh-CN"})
    # then every operation says the database is down, in JSON, with Retry-After
    health = answers.pop(HEALTH)
    wrong = {op: summary(a) for op, a in answers.items() if not is_outage_answer(a, "database")}
    assert set(wrong) <= NO_DATABASE_NEEDED, wrong
    assert all(status < 500 for status, _type, _text in wrong.values())
    assert health.status_code == 503 and health.json()["database"] == "down"
    assert health.headers["retry-after"].isdigit()
    assert chinese.json()["error"]["message"] == "数据库暂时无法连接，未作任何更改，请稍后重试"
    # and once it is back the API answers again at once, every route without a server error
    recovery = seconds_until(lambda: http.get("/api/v1/me").status_code == 200)
    print(f"\nAPI answering again {recovery:.2f} s after the database came back")
    assert http.get("/api/v1/orders").json()["total"] == 0  # the refused POSTs changed nothing
    again = call_every_operation(http)
    again.pop(HEALTH)  # no Celery worker beats in this test: health says so
    assert {op: summary(a) for op, a in again.items() if a.status_code >= 500} == {}


def test_a_redis_outage_never_answers_a_plain_500_and_health_names_redis(http):
    # given the API answering; when Redis cannot be reached
    with redis_unreachable():
        answers = call_every_operation(http)
    # then no route fails with a server error other than a JSON 503 naming Redis
    health = answers.pop(HEALTH)
    failed = {op: a for op, a in answers.items() if a.status_code >= 500}
    wrong = {op: summary(a) for op, a in failed.items() if not is_outage_answer(a, "redis")}
    assert wrong == {}
    print(f"\n{len(failed)} of {len(answers)} operations answered 503 (Redis) during the outage")
    assert health.status_code == 503 and health.json()["redis"] == "down"
    # and once it is back health sees Redis again
    recovery = seconds_until(lambda: http.get("/api/v1/health").json()["redis"] == "ok")
    print(f"health saw Redis again {recovery:.2f} s after it came back")


@pytest.fixture
def stripe_signing(monkeypatch):
    """Stripe configured (webhooks are checked offline against the signing secret)."""
    monkeypatch.setenv("OMS_STRIPE_API_KEY", "sk_test_outage")
    monkeypatch.setenv("OMS_STRIPE_WEBHOOK_SECRET", "whsec_outage")
    reset_settings_cache()
    providers._stripe.cache_clear()
    yield "whsec_outage"
    monkeypatch.undo()
    reset_settings_cache()
    providers._stripe.cache_clear()


def signed(payload: bytes, secret: str) -> str:
    stamp = str(int(time.time()))
    mac = hmac.new(secret.encode(), f"{stamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={stamp},v1={mac}"


def test_a_stripe_webhook_that_cannot_be_queued_while_redis_is_down_answers_503(
    http, stripe_signing
):
    # given a signed Stripe event; when the broker (Redis) cannot be reached
    event = {"id": "evt_outage_1", "type": "payment_intent.succeeded", "data": {"object": {}}}
    payload = json.dumps(event).encode()
    headers = {"Stripe-Signature": signed(payload, stripe_signing)}
    with redis_unreachable():
        answer = http.post("/api/v1/webhooks/stripe", content=payload, headers=headers)
    # then Stripe is told to try again later (it retries a 5xx), in JSON, naming Redis
    assert is_outage_answer(answer, "redis"), summary(answer)
