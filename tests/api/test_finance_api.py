"""The three statements over HTTP: codes, JSON shape, 403 without finance rights, 422 for bad
dates."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from oms_app.accounts import admin as accounts_admin
from oms_app.api.app import create_api
from oms_app.core.permissions import SYSTEM_ACTOR
from oms_app.ledger import service
from tests.factories.accounts import make_admin, make_user
from tests.factories.budgets import make_budget, make_finance_team
from tests.factories.ledger import at_noon, payment, shipment

pytestmark = pytest.mark.asyncio


def client() -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=create_api()), base_url="http://oms")


def keys_for(uow) -> dict[str, dict[str, str]]:
    admin = make_admin(uow)
    users = {
        "finance": make_user(uow, username="fin1", roles=["finance"]),
        "warehouse": make_user(uow, username="wh1", roles=["warehouse"]),
    }
    return {
        name: {"X-API-Key": accounts_admin.create_api_key(uow, actor=admin, name=name, user_id=uid)}
        for name, uid in users.items()
    }


@pytest.fixture
def keys(uow):
    made = keys_for(uow)
    service.post_shipment(
        uow,
        facts=shipment("SH-1", 1, "100.00", on=at_noon(date(2026, 3, 10)), fee="10", cost="60"),
        actor=SYSTEM_ACTOR,
    )
    service.post_payment(
        uow, facts=payment(1, 1, "50.00", on=at_noon(date(2026, 3, 12))), actor=SYSTEM_ACTOR
    )
    return made


async def test_finance_gets_a_balanced_trial_balance(keys):
    async with client() as http:
        answer = await http.get(
            "/api/v1/finance/trial-balance", params={"to": "2026-03-31"}, headers=keys["finance"]
        )
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {"from", "to", "accounts", "totals", "balanced"}
    assert body["to"] == "2026-03-31" and body["balanced"] is True
    receivable = next(a for a in body["accounts"] if a["code"] == "1122")
    assert receivable["name_zh"] == "应收账款"
    assert receivable["balance"] == "73.00"
    assert set(receivable) >= {"code", "name_en", "kind", "debit", "credit", "balance"}


async def test_finance_gets_the_income_statement_with_comparison_columns(keys):
    async with client() as http:
        answer = await http.get(
            "/api/v1/finance/income-statement",
            params={"from": "2026-03-01", "to": "2026-03-31"},
            headers=keys["finance"],
        )
    assert answer.status_code == 200
    body = answer.json()
    assert [c["key"] for c in body["columns"]] == ["current", "previous", "last_year"]
    lines = {line["key"]: line["values"] for line in body["lines"]}
    assert lines["operating_revenue"] == {
        "current": "110.00",
        "previous": "0.00",
        "last_year": "0.00",
    }
    assert lines["net_profit"]["current"] == "50.00"


async def test_finance_gets_a_balance_sheet_that_balances(keys):
    async with client() as http:
        answer = await http.get(
            "/api/v1/finance/balance-sheet", params={"at": "2026-03-31"}, headers=keys["finance"]
        )
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {
        "at",
        "assets",
        "liabilities",
        "equity",
        "liabilities_and_equity",
        "balanced",
    }
    assert body["balanced"] is True
    assert body["assets"]["total"] == body["liabilities_and_equity"] == "63.00"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/finance/trial-balance",
        "/api/v1/finance/income-statement",
        "/api/v1/finance/balance-sheet",
    ],
)
async def test_the_warehouse_may_not_see_the_books(keys, url):
    async with client() as http:
        answer = await http.get(url, headers=keys["warehouse"])
        anonymous = await http.get(url)
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "error.permission_denied"
    assert anonymous.status_code == 401


@pytest.mark.parametrize(
    ("url", "params", "field"),
    [
        ("/api/v1/finance/trial-balance", {"to": "2026-02-30"}, "to"),
        ("/api/v1/finance/income-statement", {"from": "2026-04-01", "to": "2026-03-01"}, "from"),
        ("/api/v1/finance/income-statement", {"from": "yesterday"}, "from"),
        ("/api/v1/finance/balance-sheet", {"at": "31/03/2026"}, "at"),
    ],
)
async def test_bad_dates_are_refused_with_422(keys, url, params, field):
    async with client() as http:
        answer = await http.get(url, params=params, headers=keys["finance"])
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == field


async def test_finance_enters_an_expense_reverses_it_and_closes_the_month(keys):
    async with client() as http:
        posted = await http.post(
            "/api/v1/finance/expenses",
            json={
                "expense_account": "6602",
                "amount": "12.50",
                "entry_date": "2026-03-20",
                "reference": "INV-77",
            },
            headers=keys["finance"],
        )
        assert posted.status_code == 201
        entry = posted.json()
        assert [(x["account_code"], x["debit"]) for x in entry["lines"]] == [
            ("6602", "12.50"),
            ("1002", "0.00"),
        ]
        reversed_ = await http.post(
            f"/api/v1/finance/journal/{entry['id']}/reverse",
            json={"reason": "double entry"},
            headers=keys["finance"],
        )
        assert reversed_.status_code == 201
        closed = await http.post("/api/v1/finance/periods/2026-03/close", headers=keys["finance"])
        assert closed.status_code == 200 and closed.json()["closed"] is True
        refused = await http.post(
            "/api/v1/finance/expenses",
            json={"expense_account": "6602", "amount": "1.00", "entry_date": "2026-03-21"},
            headers=keys["finance"],
        )
        journal = await http.get(
            "/api/v1/finance/journal", params={"source_type": "expense"}, headers=keys["finance"]
        )
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "ledger.error.period_closed"
    assert journal.json()["total"] == 1


async def test_an_expense_of_a_budgeted_account_needs_a_budgeted_cost_centre(keys, uow):
    # given budgets of 6601 for SALES and ADMIN in 2026
    finance = make_finance_team(uow).manager
    for centre in ("SALES", "ADMIN"):
        make_budget(uow, actor=finance, cost_centre=centre, account="6601", policy="warn")
    expense = {"expense_account": "6601", "amount": "12.50", "entry_date": "2026-03-20"}
    async with client() as http:
        # when an expense names no cost centre, then one without a budget, then ADMIN
        missing = await http.post("/api/v1/finance/expenses", json=expense, headers=keys["finance"])
        unknown = await http.post(
            "/api/v1/finance/expenses",
            json={**expense, "cost_centre": "HR"},
            headers=keys["finance"],
        )
        posted = await http.post(
            "/api/v1/finance/expenses",
            json={**expense, "cost_centre": "ADMIN", "reference": "INV-A"},
            headers=keys["finance"],
        )
    # then the first two are 422 naming cost_centre and the budgeted ones, the third posts
    for refused, code in ((missing, "required"), (unknown, "not_budgeted")):
        assert refused.status_code == 422, refused.text
        [error] = refused.json()["errors"]
        assert error["field"] == "cost_centre"
        assert error["code"] == f"budgets.error.cost_centre_{code}"
        assert "ADMIN, SALES" in error["message"]
    assert posted.status_code == 201, posted.text
    assert [(x["account_code"], x["cost_centre"]) for x in posted.json()["lines"]] == [
        ("6601", "ADMIN"),
        ("1002", None),
    ]
