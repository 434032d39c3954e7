"""The dashboard and order-list screens' states, their handlers called directly: filters reach
the tiles and every chart, a click on a bar opens /orders, and /orders reads its URL."""

from __future__ import annotations

from decimal import Decimal

import pytest
import reflex as rx
from reflex.istate.data import RouterData

import oms_app.oms_app  # noqa: F401  (every state registered, as in the app)
from oms_app.core.permissions import SYSTEM_ACTOR
from state import dashboard_charts as charts
from state.base import SessionState
from state.dashboard import DashboardState
from state.lists import OrdersState
from tests.factories.dashboard import add_order, make_shop, utc

FORM = {"from": "2026-03-01", "to": "2026-03-20", "warehouse": "all", "category": "all"}


@pytest.fixture
def signed_in(monkeypatch):
    """Every state acts as the system (the session lookup is tested with the accounts)."""

    async def actor(self):
        return SYSTEM_ACTOR

    monkeypatch.setattr(SessionState, "_actor", actor)


@pytest.fixture
def shop(uow):
    shop = make_shop(uow)
    guangdong = {"status": "approved", "created": utc(2026, 3, 2), "province": "广东省"}
    add_order(uow, shop, {**guangdong, "channel": "api", "rep": "alice"})
    add_order(uow, shop, {**guangdong, "channel": "sales", "rep": "bob"})
    cheap = [("OFF-0001", 1, Decimal("50.00"), Decimal("0"))]
    add_order(
        uow,
        shop,
        {
            "status": "approved",
            "created": utc(2026, 3, 3),
            "channel": "api",
            "province": "",
            "lines": cheap,
        },
    )
    return shop


def redirect_path(spec) -> str:
    return {str(name): value for name, value in spec.args}["path"]._var_value


async def test_the_filters_reach_the_tiles_and_every_chart_and_a_bar_opens_its_orders(
    signed_in, shop
):
    # given the dashboard, narrowed to the api channel
    root = rx.State(_reflex_internal_init=True)
    dashboard = await root.get_state(DashboardState)
    # when the filter form is applied
    queued = await dashboard.apply_filters({**FORM, "channel": "api", "rep": "all"})
    # then the tiles count the api orders only and every chart is queued to load
    tiles = {tile["key"]: tile["value"] for tile in dashboard.tiles}
    assert (tiles["orders"], dashboard.channel, dashboard.warehouse) == ("2", "api", "")
    assert [event.fn.__qualname__ for event in queued] == [
        f"{cls.__name__}.load" for cls in charts.CHART_STATES
    ]
    for cls in charts.CHART_STATES:
        chart = await root.get_state(cls)
        await chart.load()
        assert chart.ready
    # and a click on the first province bar opens that province's api orders
    provinces = await root.get_state(charts.ProvinceSalesState)
    assert list(provinces.figure.data[0].y) == [100.0, 50.0]
    spec = provinces.open_orders([{"pointIndex": 0, "pointNumber": 0}])
    assert redirect_path(spec) == (
        "/orders?booked=1&channel=api&from=2026-03-01"
        "&province=%E5%B9%BF%E4%B8%9C%E7%9C%81&to=2026-03-20"
    )
    assert provinces.open_orders([]) is None
    assert provinces.open_orders([{"pointIndex": 9}]) is None
    assert provinces.open_orders([{"pointIndex": 1}]) is None  # no province: no list to open


async def test_a_bad_period_shows_an_error_and_loads_no_charts(signed_in, shop):
    root = rx.State(_reflex_internal_init=True)
    dashboard = await root.get_state(DashboardState)
    queued = await dashboard.apply_filters({**FORM, "from": "2026-03-21"})
    assert queued is None and dashboard.error != ""


def open_orders_at(root, query: dict) -> None:
    root.router = RouterData.from_router_data(
        {"pathname": "/orders", "asPath": "/orders", "query": query}
    )


async def test_the_order_list_takes_its_filters_from_the_url_and_lets_them_be_cleared(
    signed_in, shop
):
    # given /orders opened from a dashboard link
    root = rx.State(_reflex_internal_init=True)
    orders = await root.get_state(OrdersState)
    open_orders_at(root, {"channel": "api", "province": "广东省", "booked": "1"})
    # when it loads
    await orders.load()
    # then the list is narrowed and shows its filters
    assert orders.total == 1
    assert [chip["param"] for chip in orders.active_filters] == ["channel", "province", "booked"]
    # one filter removed: the list widens, and the same URL is not applied again
    orders.remove_filter("province")
    await orders.load()
    assert orders.total == 2
    assert [chip["param"] for chip in orders.active_filters] == ["channel", "booked"]
    # all cleared: back to the plain /orders
    assert redirect_path(orders.clear_filters()) == "/orders"
    open_orders_at(root, {})
    await orders.load()
    assert (orders.total, orders.active_filters) == (3, [])
