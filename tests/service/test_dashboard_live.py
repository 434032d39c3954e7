"""The dashboard's shared default view: the same figures as the KPIs of the last 30 days, only
what changed is sent again, and a burst of events rebuilds it a few times, not once per event."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

import pytest
import reflex as rx

import oms_app.oms_app  # noqa: F401  (every state registered, as in the app)
from oms_app.analytics.kpis import compute_kpis
from oms_app.analytics.tiles import build_tiles
from oms_app.core.clock import utcnow
from oms_app.core.permissions import SYSTEM_ACTOR
from state import dashboard_live
from state.base import SessionState
from state.dashboard import DashboardState
from state.dashboard_live import DashboardLiveState, default_filter, load_default_view
from state.live import EVENT_HANDLERS
from tests.factories.dashboard import add_order, make_shop

LIVE_EVENTS = (
    "order.status_changed",
    "approval.status_changed",
    "shipment.status_changed",
    "payment.status_changed",
    "order.payment_status_changed",
)


@pytest.fixture
def shop(uow):
    shop = make_shop(uow)
    now = utcnow()
    for hours_ago, status, province in (
        (1, "approved", "广东省"),
        (24 * 10, "approved", "浙江省"),
        (2, "pending_approval", "广东省"),  # not booked yet
        (24 * 40, "approved", "广东省"),  # before the default period
    ):
        spec = {"status": status, "created": now - timedelta(hours=hours_ago)}
        add_order(uow, shop, {**spec, "province": province, "channel": "api"})
    return shop


def redirect_path(spec) -> str:
    return {str(name): value for name, value in spec.args}["path"]._var_value


async def test_the_shared_view_holds_the_kpis_and_charts_of_the_last_30_days(uow, shop):
    # given orders inside and outside the last 30 days
    flt = default_filter()
    expected = build_tiles(
        compute_kpis(uow, actor=SYSTEM_ACTOR, date_from=flt.date_from, date_to=flt.date_to)
    )
    # when the default view is rebuilt and written into the shared state
    view = await asyncio.to_thread(load_default_view)
    root = rx.State(_reflex_internal_init=True)
    live = await root.get_state(DashboardLiveState)
    live._fill(view, "en")
    # then it shows the same tiles as the KPIs of that period
    assert view.tiles == expected and live.tiles == expected and live.loaded
    tiles = {tile["key"]: tile["value"] for tile in live.tiles}
    assert (tiles["revenue"], tiles["orders"], tiles["pending_approvals"]) == ("¥200.00", "2", "1")
    assert (live.period_from, live.period_to) == (
        flt.date_from.isoformat(),
        flt.date_to.isoformat(),
    )
    # and its charts: one bar per province, each opening its orders of the period
    assert list(live.provinces.data[0].y) == [100.0, 100.0]
    target = redirect_path(live.open_orders("provinces", [{"pointIndex": 0}]))
    assert f"from={flt.date_from.isoformat()}" in target and "province=" in target
    assert live.open_orders("provinces", [{"pointIndex": 7}]) is None
    assert live.open_orders("nothing", [{"pointIndex": 0}]) is None


async def test_a_rebuild_assigns_only_the_figures_that_changed(uow, shop):
    # given the shared view filled once
    root = rx.State(_reflex_internal_init=True)
    live = await root.get_state(DashboardLiveState)
    live._fill(await asyncio.to_thread(load_default_view), "zh_CN")
    live.dirty_vars.clear()
    # when it is rebuilt with nothing new, nothing would be sent
    live._fill(await asyncio.to_thread(load_default_view), "zh_CN")
    assert not {name for name in live.dirty_vars if not name.startswith("_")}
    # when an order is booked, the tiles and the revenue charts are sent again
    add_order(uow, shop, {"status": "approved", "created": utcnow(), "province": "广东省"})
    live._fill(await asyncio.to_thread(load_default_view), "zh_CN")
    assert {"tiles", "trend", "provinces"} <= live.dirty_vars
    assert "period_from" not in live.dirty_vars and "loaded" not in live.dirty_vars


async def test_the_default_view_is_live_and_a_narrowed_one_is_the_viewers_own(
    uow, shop, monkeypatch
):
    async def actor(self):
        return SYSTEM_ACTOR

    monkeypatch.setattr(SessionState, "_actor", actor)
    flt = default_filter()
    form = {"from": flt.date_from.isoformat(), "to": flt.date_to.isoformat(), "channel": "all"}
    root = rx.State(_reflex_internal_init=True)
    dashboard = await root.get_state(DashboardState)
    # the last 30 days, nothing narrowed: the shared view, linked (no private queries)
    queued = await dashboard.apply_filters(form)
    assert dashboard.live and queued.fn.__qualname__ == "DashboardLiveState.connect"
    assert dashboard.keep_alive().fn.__qualname__ == "DashboardLiveState.connect"
    # narrowed to a channel: the viewer's own tiles and charts, and no keep-alive
    queued = await dashboard.apply_filters({**form, "channel": "api"})
    assert not dashboard.live and len(queued) == 8 and dashboard.keep_alive() is None
    assert {tile["key"]: tile["value"] for tile in dashboard.tiles}["orders"] == "2"


def test_order_approval_shipment_and_payment_events_rebuild_the_shared_view():
    for event in LIVE_EVENTS:
        assert dashboard_live.on_business_event in EVENT_HANDLERS[event], event


async def test_a_burst_of_100_events_rebuilds_the_view_a_few_times_and_sees_the_last(monkeypatch):
    # given a rebuild that records when it read the database, and short pauses for the test
    reads: list[float] = []

    def load() -> str:
        reads.append(time.monotonic())
        time.sleep(0.02)  # the queries
        return "view"

    async def push(view) -> None:
        assert view == "view"

    monkeypatch.setattr(dashboard_live, "load_default_view", load)
    monkeypatch.setattr(dashboard_live, "push_default_view", push)
    monkeypatch.setattr(dashboard_live, "MIN_INTERVAL_SECONDS", 0.2)
    monkeypatch.setattr(dashboard_live.DASHBOARD_REBUILDS, "delay", 0.05)
    # when 100 events arrive over half a second
    for _ in range(100):
        await dashboard_live.on_business_event({"order_id": 1})
        last_event = time.monotonic()
        await asyncio.sleep(0.005)
    while dashboard_live.DASHBOARD_REBUILDS.pending:
        await asyncio.sleep(0.05)
    # then the view was rebuilt a few times, the last time after the last event
    assert 1 <= len(reads) <= 5
    assert reads[-1] >= last_event
