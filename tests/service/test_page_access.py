"""A page a role may not open redirects with a message: its data is never loaded, its content
never shown, and no developer's error reaches the screen."""

from __future__ import annotations

import pytest
import reflex as rx
from reflex.istate.data import RouterData

import oms_app.oms_app  # noqa: F401  (registers the pages and their loaders)
from oms_app.core.permissions import Actor
from oms_app.pages.layout import guarded
from state.base import NOT_CHECKED, SessionState
from state.bell import BellState
from state.dashboard import DashboardState
from tests.factories.accounts import actor_of, make_user
from tests.factories.orders import make_customer

pytestmark = pytest.mark.asyncio


async def session_at(monkeypatch, actor: Actor, path: str) -> SessionState:
    """The tab of `actor` opening `path` (the route pattern equals the path here)."""

    async def signed_in(self):
        return actor

    monkeypatch.setattr(SessionState, "_actor", signed_in)
    root = rx.State(_reflex_internal_init=True)
    root.router = RouterData.from_router_data(
        {"pathname": path, "asPath": path, "headers": {"origin": "http://localhost:3000"}}
    )
    return await root.get_state(SessionState)


def event_names(answer) -> list[str]:
    return [getattr(getattr(e, "fn", None), "__qualname__", str(e)) for e in answer]


async def test_a_customer_opening_the_dashboard_is_sent_to_their_start_page(uow, monkeypatch):
    customer_id = make_customer(uow)
    user = make_user(uow, username="buyer", roles=["customer"], customer_id=customer_id)
    session = await session_at(monkeypatch, actor_of(uow, user), "/dashboard")
    answer = await session.check_access()
    # then the answer is a message and a redirect to the portal, and nothing of the page loads
    names = event_names(answer)
    assert not any("DashboardState" in name or "BellState" in name for name in names)
    assert "你的角色不能打开该页面" in str(answer[0]) and "/portal" in str(answer[1])
    # and the shell keeps the page's content hidden
    assert session.checked_path == NOT_CHECKED
    # (a page's on_load is the check alone: its loaders are the check's answer once it passed)
    assert guarded("/dashboard", DashboardState.load) == [SessionState.check_access]


async def test_a_permitted_page_shows_its_content_and_then_loads(uow, monkeypatch):
    user = make_user(uow, username="boss", roles=["executive"])
    session = await session_at(monkeypatch, actor_of(uow, user), "/dashboard")
    answer = await session.check_access()
    assert answer == [BellState.connect, DashboardState.load]
    assert session.checked_path == "/dashboard"
