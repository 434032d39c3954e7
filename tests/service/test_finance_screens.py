"""The statements and journal screens' states, handlers called directly: the statement of the
chosen dates with drill-down links, and a statement line's drill-down opening the journal."""

from __future__ import annotations

from datetime import date

import pytest
import reflex as rx
from reflex.config import get_config
from reflex.istate.data import RouterData

import oms_app.oms_app  # noqa: F401  (every state registered, as in the app)
from oms_app.core.permissions import SYSTEM_ACTOR
from oms_app.ledger import service
from state import live
from state.base import SessionState
from state.finance_journal import FinanceJournalState
from state.finance_panel import FinancePanelState, figure_rows, load_panel
from state.finance_statements import FinanceStatementsState
from tests.factories.ledger import at_noon, payment, shipment

MARCH = {"from": "2026-03-01", "to": "2026-03-31"}


@pytest.fixture
def signed_in(monkeypatch):
    async def actor(self):
        return SYSTEM_ACTOR

    monkeypatch.setattr(SessionState, "_actor", actor)


@pytest.fixture
def books(uow):
    facts = shipment("SH-1", 7, "100.00", on=at_noon(date(2026, 3, 10)), cost="60")
    service.post_shipment(uow, facts=facts, actor=SYSTEM_ACTOR)
    service.post_payment(
        uow, facts=payment(1, 7, "50.00", on=at_noon(date(2026, 3, 12))), actor=SYSTEM_ACTOR
    )


def open_at(root, path: str, query: dict) -> None:
    root.router = RouterData.from_router_data({"pathname": path, "asPath": path, "query": query})


async def test_the_income_statement_of_chosen_dates_links_its_lines_to_the_journal(
    signed_in, books
):
    root = rx.State(_reflex_internal_init=True)
    screen = await root.get_state(FinanceStatementsState)
    await screen.apply_dates(MARCH)
    revenue = next(r for r in screen.rows if r["href"].startswith("/finance/journal?account=6001"))
    assert revenue["money"][0] == "100.00"
    assert revenue["href"] == "/finance/journal?account=6001&from=2026-03-01&to=2026-03-31"
    assert len(screen.head_money) == 3  # this period, the one before, last year
    await screen.show_kind("trial")
    assert screen.balanced and screen.rows[-1]["bold"]
    # the backend's own address: under `make run` the page is served from another port
    backend = get_config().api_url.rstrip("/")
    assert (
        screen.pdf_href
        == f"{backend}/api/v1/finance/statements/trial.pdf?from=2026-03-01&to=2026-03-31"
    )
    await screen.show_kind("balance")
    assert screen.xlsx_href.endswith("/balance.xlsx?at=2026-03-31") and screen.balanced


async def test_a_drill_down_opens_the_journal_filtered_by_account_and_dates(signed_in, books):
    root = rx.State(_reflex_internal_init=True)
    journal = await root.get_state(FinanceJournalState)
    open_at(root, "/finance/journal", {"account": "1002", **MARCH})
    await journal.open_page()
    assert journal.total == 1 and journal.rows[0]["source_type"] == "payment"
    assert journal.rows[0]["amount"] == "50.00" and journal.rows[0]["href"] == "/orders/SO-7"
    await journal.open_entry(journal.rows[0]["id"])
    assert journal.entry_open
    assert [(x["account"], x["debit"], x["credit"]) for x in journal.entry["lines"]] == [
        ("1002", "50.00", ""),
        ("1122", "", "50.00"),
    ]


async def test_a_journal_day_that_is_no_day_is_refused_in_words_instead_of_ignored(
    signed_in, books
):
    root = rx.State(_reflex_internal_init=True)
    journal = await root.get_state(FinanceJournalState)
    open_at(root, "/finance/journal", {"account": "1002", "from": "2026-02-30"})
    await journal.open_page()
    assert journal.rows == [] and journal.total == 0
    assert "2026-03-31" in journal.list_error  # error.date.invalid's example, in the user's words


async def test_a_ledger_posting_rebuilds_an_open_statement_for_its_own_dates(signed_in, books, uow):
    # given an open balance sheet at the end of March; a statement never opened
    assert live.push_ledger_pulse in live.EVENT_HANDLERS["ledger.entry_posted"]
    screen = await rx.State(_reflex_internal_init=True).get_state(FinanceStatementsState)
    await screen.apply_dates(MARCH)
    await screen.show_kind("balance")
    unopened = await rx.State(_reflex_internal_init=True).get_state(FinanceStatementsState)

    def bank() -> str:
        return next(r["money"][0] for r in screen.rows if r["text"][0] == "1002")

    assert bank() == "50.00"
    # when another payment posts and the ledger pulse asks each statement to refresh
    more = payment(2, 7, "30.00", on=at_noon(date(2026, 3, 15)))
    service.post_payment(uow, facts=more, actor=SYSTEM_ACTOR)
    await screen.refresh()
    await unopened.refresh()
    # then the open one shows it for its own dates, and the unopened one stays empty
    assert bank() == "80.00" and screen.date_to == "2026-03-31" and screen.kind == "balance"
    assert unopened.rows == [] and unopened.date_to == ""


async def test_the_panel_state_fills_from_the_ledger(books):
    panel = FinancePanelState(_reflex_internal_init=True)
    panel._fill(load_panel())
    assert panel.loaded and [r["key"] for r in panel.rows] == [
        "revenue",
        "cost",
        "gross_profit",
        "margin",
        "cash",
    ]
    assert len(panel.buckets) == 4


def test_the_margin_shows_as_a_percentage_and_a_dash_without_sales():
    figures = {
        span: {
            "revenue": "200.00",
            "cost": "150.00",
            "gross_profit": "50.00",
            "cash": "0.00",
            "margin": margin,
        }
        for span, margin in (("today", None), ("month", "0.2500"))
    }
    margin = next(r for r in figure_rows(figures) if r["key"] == "margin")
    assert margin == {"key": "margin", "today": "—", "month": "25.0%"}
