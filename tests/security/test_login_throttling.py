"""Finding 11: throttling instead of a permanent lock-out, in the real Redis of the test run.

Growing delays per account and per client address that run out by themselves, one message for
every failed log-in, and 429 with Retry-After on the API per address and per key.
"""

from __future__ import annotations

import time

import httpx
import pytest

from oms_app.accounts import admin as accounts_admin
from oms_app.accounts import service as accounts_service
from oms_app.accounts import throttle
from oms_app.accounts.throttle import TooManyAttempts
from oms_app.api.app import create_api
from oms_app.core.config import reset_settings_cache
from oms_app.core.errors import AuthenticationFailed, DomainError
from oms_app.core.permissions import SYSTEM_ACTOR
from tests.factories.accounts import DEFAULT_PASSWORD, make_user


@pytest.fixture
def no_throttle(redis_client):
    """Start and end without any throttle counters or locks."""

    def wipe() -> None:
        for key in redis_client.scan_iter(f"{throttle.PREFIX}:*"):
            redis_client.delete(key)

    wipe()
    yield
    wipe()


def fail(uow, username: str, *, address: str = "") -> DomainError:
    with pytest.raises(DomainError) as refused:
        accounts_service.log_in(
            uow, username=username, password="wrong-guess-77", client_address=address
        )
    return refused.value


def test_an_unknown_name_and_a_wrong_password_get_the_same_answer(uow, no_throttle):
    make_user(uow, username="known", roles=["sales"])
    unknown, wrong = fail(uow, "nobody-at-all"), fail(uow, "known")
    assert type(unknown) is type(wrong) is AuthenticationFailed
    assert unknown.as_dict() == wrong.as_dict()


def test_the_waits_grow_and_run_out_by_themselves(uow, no_throttle):
    make_user(uow, username="zhaolei", roles=["sales"])
    for _ in range(4):  # free tries
        assert isinstance(fail(uow, "zhaolei"), AuthenticationFailed)
    waits = []
    for _ in range(3):
        assert isinstance(fail(uow, "zhaolei"), AuthenticationFailed)  # counted, then a wait
        held = fail(uow, "zhaolei")
        assert isinstance(held, TooManyAttempts) and held.headers["Retry-After"]
        waits.append(held.retry_after)
        print("throttled for", held.retry_after, "s")
        time.sleep(held.retry_after + 0.1)
    assert waits[0] < waits[1] < waits[2]
    # the lock ran out: the right password goes through and the slate is clean again
    assert accounts_service.log_in(uow, username="zhaolei", password=DEFAULT_PASSWORD).token
    assert isinstance(fail(uow, "zhaolei"), AuthenticationFailed)


def test_the_same_wait_applies_to_a_name_that_does_not_exist(uow, no_throttle):
    for _ in range(5):
        fail(uow, "ghost-user")
    assert isinstance(fail(uow, "ghost-user"), TooManyAttempts)


def test_one_address_guessing_many_names_is_held_back_without_locking_those_accounts(
    uow, no_throttle, monkeypatch
):
    monkeypatch.setenv("OMS_LOGIN_ADDRESS_ATTEMPTS", "6")
    reset_settings_cache()
    try:
        make_user(uow, username="victim", roles=["sales"])
        for n in range(6):
            fail(uow, f"guess-{n}", address="127.0.0.9")
        held = fail(uow, "victim", address="127.0.0.9")
        assert isinstance(held, TooManyAttempts)
        # the account itself is not locked: its owner, from another address, signs in
        assert accounts_service.log_in(
            uow, username="victim", password=DEFAULT_PASSWORD, client_address="127.0.0.10"
        ).token
    finally:
        reset_settings_cache()


def test_an_admin_lifts_an_account_wait_at_once(uow, no_throttle):
    user_id = make_user(uow, username="locked-out", roles=["sales"])
    for _ in range(5):
        fail(uow, "locked-out")
    assert isinstance(fail(uow, "locked-out"), TooManyAttempts)
    accounts_admin.unlock_user(uow, actor=SYSTEM_ACTOR, user_id=user_id)
    assert accounts_service.log_in(uow, username="locked-out", password=DEFAULT_PASSWORD).token


def api(address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=create_api(), client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://oms")


@pytest.mark.asyncio
async def test_bad_api_keys_from_one_address_get_429_with_retry_after(
    uow, no_throttle, monkeypatch
):
    monkeypatch.setenv("OMS_LOGIN_ADDRESS_ATTEMPTS", "3")
    reset_settings_cache()
    try:
        owner = make_user(uow, username="integrator", roles=["sales"])
        good = accounts_admin.create_api_key(uow, actor=SYSTEM_ACTOR, name="erp", user_id=owner)
        async with api("127.0.0.21") as http:
            codes = [
                (await http.get("/api/v1/me", headers={"X-API-Key": f"oms_guess{n}"})).status_code
                for n in range(3)
            ]
            held = await http.get("/api/v1/me", headers={"X-API-Key": good})
        async with api("127.0.0.22") as other:
            elsewhere = await other.get("/api/v1/me", headers={"X-API-Key": good})
    finally:
        reset_settings_cache()
    assert codes == [401, 401, 401]
    assert held.status_code == 429 and int(held.headers["Retry-After"]) >= 1
    assert held.json()["error"]["code"] == "error.auth.throttled"
    assert elsewhere.status_code == 200


@pytest.mark.asyncio
async def test_a_key_past_its_requests_per_minute_gets_429_with_retry_after(
    uow, no_throttle, monkeypatch
):
    monkeypatch.setenv("OMS_API_REQUESTS_PER_MINUTE", "5")
    reset_settings_cache()
    try:
        owner = make_user(uow, username="busy-erp", roles=["sales"])
        key = accounts_admin.create_api_key(uow, actor=SYSTEM_ACTOR, name="busy", user_id=owner)
        other = accounts_admin.create_api_key(uow, actor=SYSTEM_ACTOR, name="calm", user_id=owner)
        async with api("127.0.0.23") as http:
            codes = [
                (await http.get("/api/v1/me", headers={"X-API-Key": key})).status_code
                for _ in range(6)
            ]
            last = await http.get("/api/v1/me", headers={"X-API-Key": key})
            calm = await http.get("/api/v1/me", headers={"X-API-Key": other})
    finally:
        reset_settings_cache()
    assert codes == [200] * 5 + [429]
    assert last.status_code == 429 and 1 <= int(last.headers["Retry-After"]) <= 60
    assert calm.status_code == 200
