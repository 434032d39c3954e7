"""The finance panel on a real database: today's and this month's sales, cost, margin and cash,
receivables aged from the invoice due date or the shipment, and the overdue invoices."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from oms_app.core.errors import PermissionDenied
from oms_app.core.permissions import SYSTEM_ACTOR
from oms_app.ledger import service
from oms_app.ledger.panel import finance_panel
from tests.factories.accounts import make_actor
from tests.factories.ledger import at_noon, payment, shanghai, shipment
from tests.factories.orders import make_customer, make_draft_order

TODAY = date(2026, 3, 20)
NOW = shanghai(TODAY, 15)
SYS = SYSTEM_ACTOR


def add_invoice(uow, order_id: int, customer_id: int, amount: str, due: date, paid=None):
    with uow:
        uow.session.execute(
            sa.text(
                "INSERT INTO invoices (number, order_id, order_number, customer_id, amount,"
                " currency, terms_days, issued_at, due_date, paid_at) VALUES (:n, :o, :on, :c,"
                " :a, 'CNY', 30, now(), :d, :p)"
            ),
            {
                "n": f"INV-{order_id}",
                "o": order_id,
                "on": f"SO-{order_id}",
                "c": customer_id,
                "a": amount,
                "d": due,
                "p": paid,
            },
        )
        uow.commit()


@pytest.fixture
def books(uow) -> dict[str, int]:
    """Five orders: shipped today (no invoice), 3 March (invoice overdue since 10 January),
    December (paid today), November (invoice due 1 December, part paid by COD), February
    (invoice due 15 February, marked paid)."""
    customer = make_customer(uow)
    ids = {
        name: make_draft_order(uow, customer_id=customer, number=f"SO-T-{name}") for name in "ABCDE"
    }
    shipped = {
        "A": ("100.00", "60", TODAY),
        "B": ("200.00", "120", date(2026, 3, 5)),
        "C": ("300.00", "100", date(2025, 12, 1)),
        "D": ("400.00", "0", date(2025, 11, 1)),
        "E": ("50.00", "0", date(2026, 2, 1)),
    }
    for name, (revenue, cost, day) in shipped.items():
        facts = shipment(f"SH-{name}", ids[name], revenue, on=at_noon(day), cost=cost)
        service.post_shipment(uow, facts=facts, actor=SYS)
    service.post_payment(uow, facts=payment(1, ids["C"], "339.00", on=at_noon(TODAY)), actor=SYS)
    cod = payment(2, ids["D"], "52.00", on=at_noon(date(2026, 3, 2)), method="cod")
    service.post_payment(uow, facts=cod, actor=SYS)
    add_invoice(uow, ids["B"], customer, "226.00", date(2026, 1, 10))
    add_invoice(uow, ids["D"], customer, "452.00", date(2025, 12, 1))
    add_invoice(uow, ids["E"], customer, "56.50", date(2026, 2, 15), paid=at_noon(TODAY))
    return ids


def test_today_shows_todays_sales_cost_margin_and_cash(uow, books):
    panel = finance_panel(uow, actor=SYS, now=NOW)
    assert panel["as_of"] == "2026-03-20"
    assert panel["today"] == {
        "revenue": "100.00",
        "cost": "60.00",
        "gross_profit": "40.00",
        "margin": "0.4000",
        "cash": "339.00",
    }


def test_the_month_to_date_adds_up_the_month_and_counts_cash_and_bank(uow, books):
    month = finance_panel(uow, actor=SYS, now=NOW)["month"]
    assert month == {
        "revenue": "300.00",
        "cost": "180.00",
        "gross_profit": "120.00",
        "margin": "0.4000",
        "cash": "391.00",
    }


def test_open_receivables_are_aged_from_the_due_date_or_else_the_shipment(uow, books):
    receivables = finance_panel(uow, actor=SYS, now=NOW)["receivables"]
    assert receivables["buckets"] == [
        {"key": "0_30", "orders": 1, "amount": "113.00"},
        {"key": "31_60", "orders": 1, "amount": "56.50"},
        {"key": "61_90", "orders": 1, "amount": "226.00"},
        {"key": "over_90", "orders": 1, "amount": "400.00"},
    ]
    assert receivables["total"] == "795.50" and receivables["orders"] == 4


def test_unpaid_invoices_past_due_count_as_overdue_alerts(uow, books):
    assert finance_panel(uow, actor=SYS, now=NOW)["overdue_invoices"] == 2


def test_a_payment_moves_cash_and_receivables(uow, books):
    # given
    before = finance_panel(uow, actor=SYS, now=NOW)
    # when: the rest of order D arrives by bank today
    service.post_payment(uow, facts=payment(3, books["D"], "400.00", on=NOW), actor=SYS)
    # then
    after = finance_panel(uow, actor=SYS, now=NOW)
    assert after["today"]["cash"] == "739.00" and before["today"]["cash"] == "339.00"
    assert after["receivables"]["buckets"][3] == {"key": "over_90", "orders": 0, "amount": "0.00"}


def test_empty_books_show_zeros_and_no_margin(uow):
    panel = finance_panel(uow, actor=SYS, now=NOW)
    assert panel["today"]["margin"] is None and panel["month"]["revenue"] == "0.00"
    assert panel["receivables"]["total"] == "0.00" and panel["overdue_invoices"] == 0


def test_the_panel_is_refused_without_finance_rights(uow):
    warehouse = make_actor(uow, username="wh1", roles=["warehouse"])
    with pytest.raises(PermissionDenied):
        finance_panel(uow, actor=warehouse, now=NOW)
