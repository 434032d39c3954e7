"""The journal's "Enter expense" dialog: its page renders with the dialog's fields, and its state,
handlers called directly, posts within budget, shows a block budget's refusal and posts with the
finance manager's override code."""

from __future__ import annotations

from datetime import date

import pytest
import reflex as rx

import oms_app.oms_app  # noqa: F401  (every state registered, as in the app)
from oms_app.budgets import queries as budget_queries
from oms_app.pages.finance_journal import finance_journal_page
from state import expense_entry
from state.base import SessionState
from state.expense_entry import ExpenseEntryState
from state.finance_journal import FinanceJournalState
from tests.factories.budgets import make_budget, make_finance_team, totp_now

TODAY = date(2026, 3, 10)
IDS = (
    "expense-open",
    "expense-account",
    "expense-amount",
    "expense-date",
    "expense-cost-centre",
    "expense-paid-from",
    "expense-reference",
    "expense-submit",
    "expense-override-totp",
)


def test_the_journal_page_renders_the_expense_button_and_dialog():
    page = str(finance_journal_page())
    missing = [i for i in IDS if f'"{i}"' not in page]
    assert missing == []


@pytest.fixture
def team(uow):
    return make_finance_team(uow)


@pytest.fixture
def manager_signed_in(monkeypatch, team):
    async def actor(self):
        return team.manager

    monkeypatch.setattr(SessionState, "_actor", actor)
    monkeypatch.setattr(expense_entry, "business_today", lambda: TODAY)
    return team.manager


def form(amount: str, **more: str) -> dict:
    return {"expense_account": "6602", "amount": amount, "cost_centre": "ADMIN", **more}


async def open_dialog() -> tuple[ExpenseEntryState, FinanceJournalState]:
    root = rx.State(_reflex_internal_init=True)
    dialog = await root.get_state(ExpenseEntryState)
    journal = await root.get_state(FinanceJournalState)
    await dialog.open_form()
    return dialog, journal


async def test_the_dialog_offers_expense_accounts_and_the_budgeted_cost_centres(
    uow, team, manager_signed_in
):
    # given ADMIN and SALES budgets of 6602 this year, none of 6601
    for centre in ("SALES", "ADMIN"):
        make_budget(uow, actor=team.manager, cost_centre=centre, monthly="100.00")
    # when finance opens the dialog and picks 6602, then 6601
    dialog, _ = await open_dialog()
    assert dialog.is_open and dialog.entry_date == "2026-03-10"
    assert {"6601", "6602"} <= {a["code"] for a in dialog.accounts}
    assert [p["code"] for p in dialog.paid_from] == ["1002", "1001", "2202", "2241"]
    await dialog.choose_account("6602")
    assert dialog.cost_centres == ["ADMIN", "SALES"]
    await dialog.choose_account("6601")
    # then an account without budgets leaves the cost centre free
    assert dialog.cost_centres == []
    # and next year has no budgets
    await dialog.choose_account("6602")
    await dialog.choose_date("2027-01-05")
    assert dialog.cost_centres == []
    assert budget_queries.list_budgeted_cost_centres(
        uow, actor=team.viewer, account_code="6602", year=2026
    ) == ["ADMIN", "SALES"]


async def test_an_expense_within_budget_posts_names_its_entry_and_reloads_the_journal(
    uow, team, manager_signed_in
):
    make_budget(uow, actor=team.manager, cost_centre="ADMIN", monthly="100.00")
    dialog, journal = await open_dialog()
    events = await dialog.submit(form("60.00", entry_date="2026-03-10", reference="INV-1"))
    assert not dialog.is_open and dialog.error == ""
    assert events[-1] == FinanceJournalState.load
    await journal.load()
    assert [(r["source_type"], r["source_key"], r["amount"]) for r in journal.rows] == [
        ("expense", "INV-1", "60.00")
    ]
    toast = str(events[0])
    assert journal.rows[0]["number"] in toast


async def test_beyond_a_block_budget_the_dialog_shows_the_figures_and_posts_with_the_code(
    uow, team, manager_signed_in
):
    # given a block budget of 100.00 a month with 60.00 spent
    make_budget(uow, actor=team.manager, cost_centre="ADMIN", monthly="100.00")
    dialog, journal = await open_dialog()
    await dialog.submit(form("60.00", entry_date="2026-03-10", reference="INV-1"))
    # when another 50.00 is entered
    await dialog.open_form()
    assert await dialog.submit(form("50.00", entry_date="2026-03-11")) is None
    # then it is refused with the budget's figures, and nothing more is posted
    assert dialog.is_open and dialog.needs_override
    assert dialog.refusal == {"budget": "100.00", "actual": "60.00", "amount": "50.00"}
    assert "100.00" in dialog.error and "50.00" in dialog.error
    await journal.load()
    assert journal.total == 1
    # a wrong code is refused too
    await dialog.submit(form("50.00", entry_date="2026-03-11", override_totp="000000"))
    assert dialog.is_open and dialog.error != ""
    # with the manager's code it posts
    events = await dialog.submit(form("50.00", entry_date="2026-03-11", override_totp=totp_now()))
    assert not dialog.is_open and not dialog.needs_override and events
    await journal.load()
    assert journal.total == 2 and journal.rows[0]["amount"] == "50.00"


async def test_a_cost_centre_without_budget_on_a_budgeted_account_is_refused_in_the_users_language(
    uow, team, manager_signed_in
):
    make_budget(uow, actor=team.manager, cost_centre="ADMIN", monthly="100.00")
    dialog, journal = await open_dialog()
    dialog.locale = "en"
    await dialog.submit(form("10.00", cost_centre="", entry_date="2026-03-10"))
    assert dialog.error.startswith("This account has budgets this year") and "ADMIN" in dialog.error
    dialog.locale = "zh_CN"
    await dialog.submit(form("abc", entry_date="2026-03-10"))
    assert dialog.is_open and "abc" in dialog.error
    await journal.load()
    assert journal.total == 0


async def test_someone_without_the_ledger_post_right_is_refused_by_the_service(
    uow, team, monkeypatch
):
    async def actor(self):
        return team.viewer

    monkeypatch.setattr(SessionState, "_actor", actor)
    root = rx.State(_reflex_internal_init=True)
    dialog = await root.get_state(ExpenseEntryState)
    dialog.is_open = True
    await dialog.submit(form("10.00", cost_centre="", expense_account="6601"))
    assert dialog.is_open and dialog.error != ""
