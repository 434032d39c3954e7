"""Budgets over HTTP: execution figures, an adjustment requested and approved, 409 on a block."""

from __future__ import annotations

import httpx
import pytest
import sqlalchemy as sa

from oms_app.accounts import admin as accounts_admin
from oms_app.api.app import create_api
from oms_app.core.clock import business_zone, utcnow
from tests.factories.accounts import make_admin
from tests.factories.budgets import make_finance_team, totp_now

pytestmark = pytest.mark.asyncio


def client() -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=create_api()), base_url="http://oms")


@pytest.fixture
def keys(uow):
    admin = make_admin(uow)
    team = make_finance_team(uow)
    return {
        name: {
            "X-API-Key": accounts_admin.create_api_key(
                uow, actor=admin, name=name, user_id=actor.user_id
            )
        }
        for name, actor in (("clerk", team.clerk), ("manager", team.manager), ("exec", team.viewer))
    }


def this_year() -> int:
    return utcnow().astimezone(business_zone()).year


BUDGET = {"cost_centre": "HR", "account_code": "6602", "policy": "block", "method": "even"}


async def test_an_adjustment_is_requested_and_approved_over_the_api(keys):
    async with client() as http:
        made = await http.post(
            "/api/v1/budgets",
            json={**BUDGET, "year": this_year(), "annual": "1200.00"},
            headers=keys["manager"],
        )
        assert made.status_code == 201, made.text
        budget_id = made.json()["id"]
        asked = await http.post(
            f"/api/v1/budgets/{budget_id}/adjustments",
            json={"kind": "increase", "amount": "50.00", "month": 3, "reason": "fair"},
            headers=keys["clerk"],
        )
        assert asked.status_code == 201 and asked.json()["status"] == "requested"
        own = await http.post(
            f"/api/v1/budget-adjustments/{asked.json()['id']}/approve", headers=keys["clerk"]
        )
        assert own.status_code == 409
        assert own.json()["error"]["code"] == "budgets.error.own_request"
        approved = await http.post(
            f"/api/v1/budget-adjustments/{asked.json()['id']}/approve",
            json={"comment": "ok"},
            headers=keys["manager"],
        )
        assert approved.status_code == 200
        listed = await http.get("/api/v1/budgets", headers=keys["exec"])
    assert listed.status_code == 200
    [row] = listed.json()["items"]
    assert row["budget"] == "1250.00" and row["months"][2]["budget"] == "150.00"
    assert set(row["months"][0]) >= {"budget", "actual", "percent_used", "forecast"}


async def test_a_blocked_expense_is_a_409_and_an_override_with_totp_passes(keys, uow):
    year = this_year()
    today = utcnow().astimezone(business_zone()).date().isoformat()
    expense = {"cost_centre": "HR", "expense_account": "6602", "entry_date": today}
    async with client() as http:
        await http.post(
            "/api/v1/budgets",
            json={**BUDGET, "year": year, "annual": "120.00"},
            headers=keys["manager"],
        )
        refused = await http.post(
            "/api/v1/budgets/expenses", json={**expense, "amount": "20.00"}, headers=keys["clerk"]
        )
        overridden = await http.post(
            "/api/v1/budgets/expenses",
            json={**expense, "amount": "20.00", "override_totp": totp_now()},
            headers=keys["manager"],
        )
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "budgets.error.exceeded"
    assert overridden.status_code == 201
    with uow:
        assert uow.session.scalar(sa.text("SELECT count(*) FROM journal_entries")) == 1


async def test_bad_adjustments_are_422_and_viewers_may_not_create_budgets(keys):
    async with client() as http:
        denied = await http.post(
            "/api/v1/budgets", json={**BUDGET, "year": this_year()}, headers=keys["exec"]
        )
        bad = await http.post(
            "/api/v1/budgets/1/adjustments",
            json={"kind": "grow", "amount": "-1", "month": 13, "reason": ""},
            headers=keys["clerk"],
        )
    assert denied.status_code == 403
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} >= {"kind", "amount", "month"}


async def test_the_forecast_endpoint_answers_with_too_little_history(keys):
    async with client() as http:
        answer = await http.get(
            "/api/v1/forecasts", params={"kind": "cash_in", "horizon": 3}, headers=keys["exec"]
        )
        bad = await http.get("/api/v1/forecasts", params={"horizon": 9}, headers=keys["exec"])
    assert answer.status_code == 200
    assert answer.json()["method"] == "none" and answer.json()["forecast"] == []
    assert bad.status_code == 422


async def test_a_budgeted_expense_without_a_cost_centre_is_a_422_naming_it(keys, uow):
    today = utcnow().astimezone(business_zone()).date().isoformat()
    async with client() as http:
        await http.post(
            "/api/v1/budgets",
            json={**BUDGET, "year": this_year(), "annual": "1200.00"},
            headers=keys["manager"],
        )
        refused = await http.post(
            "/api/v1/budgets/expenses",
            json={"expense_account": "6602", "amount": "5.00", "entry_date": today},
            headers=keys["clerk"],
        )
    assert refused.status_code == 422
    [error] = refused.json()["errors"]
    assert (error["field"], error["code"]) == ("cost_centre", "budgets.error.cost_centre_required")
    assert "HR" in error["message"]
    with uow:
        assert uow.session.scalar(sa.text("SELECT count(*) FROM journal_entries")) == 0
