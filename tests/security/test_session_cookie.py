"""Finding 5: the session token lives only in an HttpOnly cookie the server sets.

The log-in hands the new session over as a one-time code; the backend trades it for the cookie
(HttpOnly, SameSite=Strict, Secure behind https) and redirects only to a path of this site. The
screens resolve the user from the Cookie header of their socket, never from a state var.
"""

from __future__ import annotations

import httpx
import pytest
import reflex as rx
from reflex.istate.data import RouterData

import oms_app.oms_app  # noqa: F401  (every state registered, as in the app)
from oms_app.accounts import service as accounts_service
from oms_app.accounts.session_handoff import HANDOFF_SECONDS, issue_handoff_code
from oms_app.api.app import create_api
from oms_app.core.config import reset_settings_cache
from state.auth import LoginState
from state.base import SessionState
from tests.factories.accounts import DEFAULT_PASSWORD, make_actor

pytestmark = pytest.mark.asyncio
CLAIM = "/api/v1/session/claim"


def client() -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=create_api()), base_url="http://oms")


@pytest.fixture
def session_token(uow) -> str:
    make_actor(uow, username="rep1", roles=["sales"])
    return accounts_service.log_in(uow, username="rep1", password=DEFAULT_PASSWORD).token


@pytest.fixture
def https_ui(monkeypatch):
    monkeypatch.setenv("OMS_BASE_URL", "https://oms.example.test")
    reset_settings_cache()
    yield
    monkeypatch.delenv("OMS_BASE_URL")
    reset_settings_cache()


def cookie_attributes(answer: httpx.Response) -> list[str]:
    return [part.strip().lower() for part in answer.headers["set-cookie"].split(";")]


async def test_claiming_a_code_sets_an_httponly_strict_cookie_and_opens_the_page(session_token):
    code = issue_handoff_code(token=session_token)
    async with client() as http:
        answer = await http.get(CLAIM, params={"code": code, "next": "/orders?page=2"})
    assert answer.status_code == 303
    assert answer.headers["location"] == "http://localhost:3000/orders?page=2"
    attributes = cookie_attributes(answer)
    assert attributes[0] == f"oms_session={session_token}".lower()
    assert {"httponly", "samesite=strict", "path=/"} <= set(attributes)
    assert "secure" not in attributes  # plain http in development: the browser would drop it


async def test_behind_https_the_session_cookie_is_secure(session_token, https_ui):
    code = issue_handoff_code(token=session_token)
    async with client() as http:
        answer = await http.get(CLAIM, params={"code": code, "next": "/orders"})
    assert answer.headers["location"] == "https://oms.example.test/orders"
    assert {"secure", "httponly", "samesite=strict"} <= set(cookie_attributes(answer))


async def test_a_used_or_expired_code_is_refused_without_a_cookie(session_token, redis_client):
    used = issue_handoff_code(token=session_token)
    expired = issue_handoff_code(token=session_token)
    assert 0 < redis_client.ttl(f"oms:session-handoff:{expired}") <= HANDOFF_SECONDS
    redis_client.expire(f"oms:session-handoff:{expired}", 0)  # its 30 s are over
    async with client() as http:
        first = await http.get(CLAIM, params={"code": used, "next": "/orders"})
        again = await http.get(CLAIM, params={"code": used, "next": "/orders"})
        late = await http.get(CLAIM, params={"code": expired, "next": "/orders"})
        made_up = await http.get(CLAIM, params={"code": "guess", "next": "/orders"})
    assert first.status_code == 303
    for refused in (again, late, made_up):
        assert refused.status_code == 401
        assert refused.json()["error"]["code"] == "error.session.handoff_expired"
        assert "set-cookie" not in refused.headers


@pytest.mark.parametrize(
    "elsewhere",
    ["https://evil.example/x", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", ""],
)
async def test_next_leading_to_another_site_is_refused_and_the_code_kept(session_token, elsewhere):
    code = issue_handoff_code(token=session_token)
    async with client() as http:
        refused = await http.get(CLAIM, params={"code": code, "next": elsewhere})
        then = await http.get(CLAIM, params={"code": code, "next": "/orders"})
    assert refused.status_code == 422 and "set-cookie" not in refused.headers
    assert refused.json()["errors"][0]["field"] == "next"
    assert then.status_code == 303


async def test_logging_out_revokes_the_session_and_clears_the_cookie(uow, session_token):
    async with client() as http:
        answer = await http.get("/api/v1/session/end", cookies={"oms_session": session_token})
    assert answer.status_code == 303
    assert answer.headers["location"] == "http://localhost:3000/login"
    attributes = cookie_attributes(answer)
    assert attributes[0] == 'oms_session=""' and "max-age=0" in attributes
    assert accounts_service.resolve_session(uow, token=session_token) is None


def on_socket(root: rx.State, *, cookie: str, sid: str = "socket-1") -> None:
    """What Reflex puts in the router from the websocket's handshake, as the server saw it."""
    root.router = RouterData.from_router_data(
        {"pathname": "/orders", "asPath": "/orders", "sid": sid, "headers": {"cookie": cookie}}
    )


async def test_the_screens_resolve_the_user_from_the_cookie_header(session_token):
    root = rx.State(_reflex_internal_init=True)
    on_socket(root, cookie=f"theme=dark; oms_session={session_token}")
    session = await root.get_state(SessionState)
    actor = await session._actor()
    assert actor is not None and actor.username == "rep1"
    on_socket(root, cookie="theme=dark")
    assert await session._actor() is None


async def test_no_state_var_holds_the_token_for_scripts_to_read():
    client_storage = [
        name
        for name, field in SessionState.get_fields().items()
        if isinstance(field.default, rx.Cookie | rx.LocalStorage | rx.SessionStorage)
        and "session" in name
    ]
    assert client_storage == []
    assert "session_token" not in SessionState.vars


async def test_signing_in_hands_the_session_over_as_a_code_not_a_token(session_token):
    root = rx.State(_reflex_internal_init=True)
    on_socket(root, cookie="")
    login = await root.get_state(LoginState)
    async for _ in login.submit({"username": "rep1", "password": DEFAULT_PASSWORD}):
        pass
    url = login.full_navigation
    assert f"{CLAIM}?code=" in url and "&next=%2F" in url  # the landing page
    assert login.user_id and "oms_session" not in str(root.dict())
    # the page after the navigation has a new socket: it is not sent there again
    on_socket(root, cookie="", sid="socket-2")
    assert login.full_navigation == ""
