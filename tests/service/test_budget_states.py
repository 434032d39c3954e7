"""The /budgets screen's states, their handlers called directly: a budget opened, an adjustment
requested by one finance user and approved by another, the forecast chart loaded."""

from __future__ import annotations

import pytest
import reflex as rx

import oms_app.oms_app  # noqa: F401  (every state registered, as in the app)
from state.base import SessionState
from state.budgets import BudgetForecastState, BudgetsState
from tests.factories.budgets import make_finance_team

ACTING: dict = {}


@pytest.fixture
def team(uow, monkeypatch):
    team = make_finance_team(uow)

    async def actor(self):
        return ACTING["who"]

    monkeypatch.setattr(SessionState, "_actor", actor)
    return team


async def test_a_request_made_on_the_screen_is_approved_by_another_finance_manager(team):
    root = rx.State(_reflex_internal_init=True)
    screen = await root.get_state(BudgetsState)
    # given a budget opened by the manager
    ACTING["who"] = team.manager
    await screen.load()
    await screen.create_budget(
        {"cost_centre": "HR", "account_code": "6602", "policy": "block", "annual": "1200"}
    )
    await screen.load()
    [budget] = screen.rows
    assert budget["budget"] == "1200.00" and budget["policy"] == "block"
    # when the clerk asks for 50 more in March and the manager approves
    ACTING["who"] = team.clerk
    await screen.request_adjustment(
        {
            "budget_id": budget["id"],
            "kind": "increase",
            "amount": "50",
            "month": "3",
            "reason": "fair",
            "to_budget": "",
        }
    )
    await screen.load()
    [pending] = screen.pending
    await screen.decide(pending["id"], True)  # the clerk may not approve (own request)
    assert screen.error != ""
    ACTING["who"] = team.manager
    await screen.decide(pending["id"], True)
    assert screen.error == ""
    # then the budget grew, nothing waits any more, and the clerk sees the request approved
    ACTING["who"] = team.clerk
    await screen.load()
    assert screen.rows[0]["budget"] == "1250.00" and screen.pending == []
    [decided] = screen.decided
    assert (decided["amount"], decided["month"], decided["status"]) == ("50.00", "3", "approved")


async def test_the_requester_sees_why_they_cannot_approve(team):
    root = rx.State(_reflex_internal_init=True)
    screen = await root.get_state(BudgetsState)
    ACTING["who"] = team.manager
    await screen.load()
    await screen.create_budget({"cost_centre": "IT", "account_code": "6602", "annual": "12"})
    await screen.load()
    await screen.request_adjustment(
        {
            "budget_id": screen.rows[0]["id"],
            "kind": "increase",
            "amount": "1",
            "month": "1",
            "reason": "x",
        }
    )
    await screen.load()
    await screen.decide(screen.pending[0]["id"], True)
    assert screen.error != "" and len(screen.pending) == 1


async def test_the_forecast_chart_loads_without_history(team):
    root = rx.State(_reflex_internal_init=True)
    chart = await root.get_state(BudgetForecastState)
    ACTING["who"] = team.viewer
    await chart.load()
    assert chart.ready and chart.mape == "-"
