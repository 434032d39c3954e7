"""The operations report over HTTP: rows for a period, 422 for a bad period or grouping, 403
without dashboard rights."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from oms_app.accounts import admin as accounts_admin
from oms_app.api.app import create_api
from tests.factories.accounts import make_admin
from tests.factories.sales import make_world

pytestmark = pytest.mark.asyncio
URL = "/api/v1/analytics/operations"
ROW_FIGURES = {
    "key",
    "kind",
    "name",
    "submitted",
    "corrected",
    "decided",
    "rejected",
    "pick_tasks",
    "short_picks",
    "correction_rate",
    "rejection_rate",
    "short_pick_rate",
    "submit_to_approval",
    "approval_to_pick",
    "pick_to_ship",
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


async def test_a_sales_manager_gets_the_report_of_a_period_by_week(uow):
    keys = keys_for(uow)
    async with client() as http:
        answer = await http.get(
            URL,
            params={
                "from": "2026-03-01",
                "to": "2026-03-31",
                "group_by": "week",
                "warehouse": "SH",
            },
            headers=keys["manager"],
        )
    assert answer.status_code == 200
    body = answer.json()
    assert body["period"] == {"from": "2026-03-01", "to": "2026-03-31"}
    assert (body["group_by"], body["warehouse"]) == ("week", "SH")
    assert body["rows"] == []
    assert set(body["total"]) == ROW_FIGURES
    assert body["total"]["submit_to_approval"] == {
        "count": 0,
        "avg_hours": None,
        "median_hours": None,
    }
    assert body["satisfaction"] is None and body["no_data"] == ["satisfaction"]


async def test_without_parameters_the_last_thirty_days_are_grouped_by_team(uow):
    keys = keys_for(uow)
    async with client() as http:
        answer = await http.get(URL, headers=keys["manager"])
    assert answer.status_code == 200
    body = answer.json()
    span = date.fromisoformat(body["period"]["to"]) - date.fromisoformat(body["period"]["from"])
    assert span.days == 29 and body["group_by"] == "team"


@pytest.mark.parametrize(
    ("params", "field", "code"),
    [
        ({"from": "2026-03-10", "to": "2026-03-01"}, "to", "error.period.invalid"),
        (
            {"from": "2026-03-01", "to": "2026-03-31", "group_by": "year"},
            "group_by",
            "error.operations.group_by",
        ),
    ],
)
async def test_a_bad_period_or_grouping_is_422_on_its_field(uow, params, field, code):
    keys = keys_for(uow)
    async with client() as http:
        answer = await http.get(URL, params=params, headers=keys["manager"])
    assert answer.status_code == 422
    assert [(e["field"], e["code"]) for e in answer.json()["errors"]] == [(field, code)]


async def test_a_sales_rep_without_dashboard_rights_is_403(uow):
    keys = keys_for(uow)
    async with client() as http:
        answer = await http.get(
            URL, params={"from": "2026-03-01", "to": "2026-03-31"}, headers=keys["rep"]
        )
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "error.permission_denied"


async def test_without_a_key_the_report_is_refused(uow):
    async with client() as http:
        answer = await http.get(URL)
    assert answer.status_code == 401
