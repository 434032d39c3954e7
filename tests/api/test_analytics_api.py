"""The KPI endpoint over HTTP: figures for a period, 422 for a bad period, 403 without rights."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from oms_app.accounts import admin as accounts_admin
from oms_app.api.app import create_api
from tests.factories.accounts import make_admin
from tests.factories.sales import make_world

pytestmark = pytest.mark.asyncio
URL = "/api/v1/analytics/kpis"
FIGURES = {
    "revenue",
    "orders",
    "average_order_value",
    "gross_profit",
    "margin",
    "pending_approvals",
    "late_orders",
    "fulfilment_lead_time_hours",
    "return_rate",
    "satisfaction",
    "no_data",
}


def client() -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=create_api()), base_url="http://oms")


def keys_for(uow) -> dict[str, dict[str, str]]:
    world = make_world(uow)
    admin = make_admin(uow)
    return {
        name: {
            "X-API-Key": accounts_admin.create_api_key(
                uow, actor=admin, name=name, user_id=actor.user_id
            )
        }
        for name, actor in (("manager", world.manager), ("rep", world.rep))
    }


async def test_a_sales_manager_gets_the_figures_of_three_periods(uow):
    keys = keys_for(uow)
    async with client() as http:
        answer = await http.get(
            URL,
            params={"from": "2026-03-01", "to": "2026-03-31", "warehouse": "SH"},
            headers=keys["manager"],
        )
    assert answer.status_code == 200
    body = answer.json()
    assert body["period"] == {"from": "2026-03-01", "to": "2026-03-31"}
    assert body["warehouse"] == "SH"
    for name in ("current", "previous_period", "same_period_last_year"):
        assert set(body[name]) == FIGURES
    assert body["current"]["revenue"] == "0.00" and body["current"]["orders"] == 0
    assert body["periods"]["previous_period"] == {"from": "2026-01-29", "to": "2026-02-28"}


async def test_without_dates_the_last_thirty_days_are_shown(uow):
    keys = keys_for(uow)
    async with client() as http:
        answer = await http.get(URL, headers=keys["manager"])
    assert answer.status_code == 200
    period = answer.json()["period"]
    span = date.fromisoformat(period["to"]) - date.fromisoformat(period["from"])
    assert span.days == 29


async def test_a_period_ending_before_it_starts_is_422_on_to(uow):
    keys = keys_for(uow)
    async with client() as http:
        answer = await http.get(
            URL, params={"from": "2026-03-10", "to": "2026-03-01"}, headers=keys["manager"]
        )
    assert answer.status_code == 422
    assert [(e["field"], e["code"]) for e in answer.json()["errors"]] == [
        ("to", "error.period.invalid")
    ]


async def test_a_malformed_date_is_422_on_from(uow):
    keys = keys_for(uow)
    async with client() as http:
        answer = await http.get(URL, params={"from": "31/03/2026"}, headers=keys["manager"])
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == ["from"]


async def test_a_sales_rep_without_dashboard_rights_is_403(uow):
    keys = keys_for(uow)
    async with client() as http:
        answer = await http.get(
            URL, params={"from": "2026-03-01", "to": "2026-03-31"}, headers=keys["rep"]
        )
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "error.permission_denied"
