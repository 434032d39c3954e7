"""The ledger on a real database: each source posts once, closed periods refuse and change
nothing, entries are corrected by reversal, and the statements show known figures."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from oms_app.core.db import UnitOfWork
from oms_app.core.errors import PermissionDenied, ValidationFailed
from oms_app.core.events import OutboxMessage
from oms_app.core.paging import PageRequest
from oms_app.core.permissions import SYSTEM_ACTOR
from oms_app.ledger import queries, service
from oms_app.ledger.errors import LedgerConflict, PeriodIsClosed
from oms_app.ledger.facts import GoodsReceivedFacts, StockAdjustmentFacts
from oms_app.ledger.models import JournalEntry, JournalLine
from tests.factories.accounts import make_actor
from tests.factories.ledger import (
    at_noon,
    expense,
    goods_return,
    make_finance,
    payment,
    shanghai,
    shipment,
)

D = Decimal
SYS = SYSTEM_ACTOR


def counts(uow) -> tuple[int, int, int, int]:
    with uow:
        s = uow.session
        return (
            s.scalar(sa.select(sa.func.count()).select_from(JournalEntry)),
            s.scalar(sa.select(sa.func.count()).select_from(JournalLine)),
            s.scalar(
                sa.select(sa.func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.event_type == "ledger.entry_posted")
            ),
            s.scalar(sa.text("SELECT count(*) FROM accounting_periods WHERE closed")),
        )


def balances(statement: dict) -> dict[str, D]:
    return {row["code"]: D(row["balance"]) for row in statement["accounts"]}


def test_a_shipment_posts_once_however_often_it_is_reported(uow):
    # given
    facts = shipment("SH-1", 1, "100.00", on=at_noon(date(2026, 3, 10)), cost="60")
    first = service.post_shipment(uow, facts=facts, actor=SYS)
    before = counts(uow)
    # when
    again = service.post_shipment(uow, facts=facts, actor=SYS)
    # then
    assert again == first
    assert counts(uow) == before
    assert before[:3] == (1, 5, 1)


def test_a_posting_inside_the_callers_unit_of_work_commits_with_it_or_not_at_all(uow):
    facts = payment(1, 1, "50.00", on=at_noon(date(2026, 3, 10)))
    with uow:
        service.post_payment(uow, facts=facts, actor=SYS)
        # the caller fails after the posting: nothing of it stays
    assert counts(uow)[:3] == (0, 0, 0)
    with uow:
        service.post_payment(uow, facts=facts, actor=SYS)
        uow.commit()
    assert counts(uow)[:3] == (1, 2, 1)


def test_a_closed_period_refuses_postings_and_changes_nothing(uow):
    # given
    finance = make_finance(uow)
    service.close_period(uow, period="2026-03", actor=finance)
    before = counts(uow)
    # when / then
    with pytest.raises(PeriodIsClosed) as err:
        service.post_payment(
            uow, facts=payment(1, 1, "9.00", on=at_noon(date(2026, 3, 31))), actor=SYS
        )
    assert err.value.code == "ledger.error.period_closed"
    with pytest.raises(PeriodIsClosed):
        service.post_expense(
            uow, facts=expense("INV-1", "6602", "5.00", on=date(2026, 3, 2)), actor=finance
        )
    assert counts(uow) == before
    # and after reopening it takes postings again
    service.reopen_period(uow, period="2026-03", reason="late invoice", actor=finance)
    service.post_expense(
        uow, facts=expense("INV-1", "6602", "5.00", on=date(2026, 3, 2)), actor=finance
    )
    assert counts(uow)[0] == 1


def test_only_finance_enters_expenses_and_only_on_active_expense_accounts(uow):
    warehouse = make_actor(uow, username="wh1", roles=["warehouse"])
    finance = make_finance(uow)
    facts = expense("INV-2", "6601", "5.00", on=date(2026, 3, 2))
    with pytest.raises(PermissionDenied):
        service.post_expense(uow, facts=facts, actor=warehouse)
    with pytest.raises(ValidationFailed):
        service.post_expense(
            uow, facts=expense("INV-3", "6001", "5.00", on=date(2026, 3, 2)), actor=finance
        )
    assert counts(uow)[0] == 0


def test_a_reversal_mirrors_the_entry_today_and_happens_once(uow):
    # given
    finance = make_finance(uow)
    entry_id = service.post_shipment(
        uow,
        facts=shipment("SH-1", 1, "100.00", on=at_noon(date(2026, 3, 10)), cost="60"),
        actor=SYS,
    )
    service.close_period(uow, period="2026-03", actor=finance)
    # when: the March entry is corrected in the open current month
    reversal_id = service.reverse_entry(uow, entry_id=entry_id, reason="wrong price", actor=finance)
    # then
    detail = queries.entry_detail(uow, actor=finance, entry_id=reversal_id)
    original = queries.entry_detail(uow, actor=finance, entry_id=entry_id)
    assert detail["reverses_entry_id"] == entry_id
    assert original["reversed_by_entry_id"] == reversal_id
    assert [(x["account_code"], x["debit"], x["credit"]) for x in detail["lines"]] == [
        (x["account_code"], x["credit"], x["debit"]) for x in original["lines"]
    ]
    tb = queries.trial_balance(uow, actor=finance, to=date(2100, 1, 1))
    assert all(v == 0 for v in balances(tb).values())
    with pytest.raises(LedgerConflict):
        service.reverse_entry(uow, entry_id=entry_id, reason="again", actor=finance)
    with pytest.raises(LedgerConflict):
        service.reverse_entry(uow, entry_id=reversal_id, reason="undo", actor=finance)


@pytest.fixture
def books(uow):
    """A small company's year: known figures for last March, February and March 2026."""
    finance = make_finance(uow)
    post = dict(actor=SYS)
    service.post_shipment(
        uow,
        facts=shipment("SH-A", 1, "1000", on=at_noon(date(2025, 3, 15)), fee="20", cost="600"),
        **post,
    )
    service.post_shipment(
        uow, facts=shipment("SH-B", 2, "500", on=at_noon(date(2026, 2, 10)), cost="300"), **post
    )
    # 00:30 on 1 March in Shanghai is still 28 February in UTC: the payment belongs to March
    service.post_payment(
        uow, facts=payment(1, 3, "200", on=shanghai(date(2026, 3, 1), 0, 30)), **post
    )
    service.post_shipment(
        uow,
        facts=shipment("SH-C", 3, "800", on=at_noon(date(2026, 3, 10)), fee="10", cost="450"),
        **post,
    )
    service.post_return(
        uow, facts=goods_return("RMA-C", 3, "100", on=at_noon(date(2026, 3, 12)), cost="60"), **post
    )
    service.post_expense(
        uow, facts=expense("INV-S", "6601", "50", on=date(2026, 3, 15)), actor=finance
    )
    service.post_expense(
        uow,
        facts=expense("INV-A", "6602", "30", on=date(2026, 3, 15), paid_from="2202"),
        actor=finance,
    )
    service.post_stock_adjustment(
        uow,
        facts=StockAdjustmentFacts(
            adjustment_key="ADJ-1", adjusted_at=at_noon(date(2026, 3, 20)), value_change=D("-5.00")
        ),
        **post,
    )
    service.post_goods_received(
        uow,
        facts=GoodsReceivedFacts(
            receipt_key="PO-1", received_at=at_noon(date(2026, 3, 20)), cost=D("1000.00")
        ),
        **post,
    )
    # 00:30 on 1 April in Shanghai is 31 March in UTC: this shipment belongs to April
    service.post_shipment(
        uow, facts=shipment("SH-D", 4, "999", on=shanghai(date(2026, 4, 1), 0, 30)), **post
    )
    return finance


@pytest.mark.parametrize(
    ("date_from", "date_to", "field", "code"),
    [
        (date(2026, 4, 1), date(2026, 3, 1), "from", "ledger.error.bad_range"),
        # the comparison columns of these would be no dates at all
        (date(264, 10, 6), date(2026, 3, 1), "from", "error.day.out_of_range"),
        (date(2026, 3, 1), date(9999, 12, 31), "to", "error.day.out_of_range"),
    ],
)
def test_a_statement_of_a_reversed_or_out_of_range_period_is_refused(
    uow, books, date_from, date_to, field, code
):
    with pytest.raises(ValidationFailed) as err:
        queries.income_statement(uow, actor=books, date_from=date_from, date_to=date_to)
    assert (err.value.field, err.value.code) == (field, code)


def test_the_income_statement_of_march_with_its_comparisons(uow, books):
    statement = queries.income_statement(
        uow, actor=books, date_from=date(2026, 3, 1), date_to=date(2026, 3, 31)
    )
    assert [c["key"] for c in statement["columns"]] == ["current", "previous", "last_year"]
    assert statement["columns"][1] == {"key": "previous", "from": "2026-02-01", "to": "2026-02-28"}
    figures = {
        line["key"]: {k: D(v) for k, v in line["values"].items()} for line in statement["lines"]
    }
    expected_current = {
        "main_revenue": "700",
        "other_revenue": "10",
        "operating_revenue": "710",
        "main_cost": "390",
        "gross_profit": "320",
        "selling_expenses": "50",
        "admin_expenses": "30",
        "operating_profit": "240",
        "non_operating_expenses": "5",
        "total_profit": "235",
        "net_profit": "235",
    }
    assert {k: figures[k]["current"] for k in expected_current} == {
        k: D(v) for k, v in expected_current.items()
    }
    assert figures["net_profit"]["previous"] == D("200")
    assert figures["operating_revenue"]["last_year"] == D("1020")
    assert figures["net_profit"]["last_year"] == D("420")
    assert statement["lines"][0]["label"]["zh_CN"] == "一、营业收入"


def test_a_shipment_after_midnight_in_shanghai_belongs_to_the_next_month(uow, books):
    april = queries.income_statement(
        uow, actor=books, date_from=date(2026, 4, 1), date_to=date(2026, 4, 30), compare=()
    )
    revenue = next(x for x in april["lines"] if x["key"] == "main_revenue")
    assert revenue["values"] == {"current": "999.00"}
    feb = queries.trial_balance(uow, actor=books, to=date(2026, 2, 28))
    march_first = queries.trial_balance(uow, actor=books, to=date(2026, 3, 1))
    assert balances(feb)["1002"] == 0
    assert balances(march_first)["1002"] == D("200")


def test_the_trial_balance_sums_to_zero_with_known_balances(uow, books):
    tb = queries.trial_balance(uow, actor=books, to=date(2026, 3, 31))
    assert tb["balanced"] is True
    assert tb["totals"]["balance"] == "0.00"
    assert tb["totals"]["debit"] == tb["totals"]["credit"]
    got = balances(tb)
    assert (got["1002"], got["1122"], got["1405"], got["2203"]) == (
        D("150"),
        D("2316"),
        D("-295"),
        D("0"),
    )
    assert (got["2221"], got["2202"]) == (D("-286"), D("-1030"))
    march = queries.trial_balance(
        uow, actor=books, to=date(2026, 3, 31), date_from=date(2026, 3, 1)
    )
    row = next(r for r in march["accounts"] if r["code"] == "1122")
    assert (row["opening"], row["debit"], row["credit"], row["balance"]) == (
        "1715.00",
        "714.00",
        "113.00",
        "2316.00",
    )


def test_the_balance_sheet_balances_with_this_years_profit_in_equity(uow, books):
    sheet = queries.balance_sheet(uow, actor=books, at=date(2026, 3, 31))
    assert sheet["balanced"] is True
    assert D(sheet["assets"]["total"]) == D("2171")
    assert D(sheet["liabilities"]["total"]) == D("1316")
    equity = {line["key"]: D(line["amount"]) for line in sheet["equity"]["lines"]}
    assert equity["prior_years_profit"] == D("420")
    assert equity["current_year_profit"] == D("435")
    assert D(sheet["liabilities_and_equity"]) == D("2171")


def test_the_journal_filters_by_account_source_and_order_and_links_to_the_source(uow, books):
    page = queries.list_entries(
        uow,
        actor=books,
        filters=queries.JournalFilter(order_number="SO-3"),
        request=PageRequest(),
    )
    assert page["total"] == 3
    assert {r["source_type"] for r in page["rows"]} == {"payment", "shipment", "return"}
    by_account = queries.list_entries(
        uow, actor=books, filters=queries.JournalFilter(account="6601"), request=PageRequest()
    )
    assert [r["source_key"] for r in by_account["rows"]] == ["INV-S"]
    detail = queries.entry_detail(uow, actor=books, entry_id=page["rows"][0]["id"])
    assert detail["source"]["order_number"] == "SO-3"
    lines = queries.account_lines(
        uow, actor=books, account="1002", date_from=date(2026, 3, 1), date_to=date(2026, 3, 31)
    )
    assert [r["balance"] for r in lines["rows"]] == ["200.00", "150.00"]
    assert (lines["opening"], lines["closing"]) == ("0.00", "150.00")


def test_posted_accounts_cannot_be_deleted_and_system_accounts_stay_active(uow, books):
    with pytest.raises(LedgerConflict):
        service.delete_account(uow, code="6601", actor=books)
    with pytest.raises(LedgerConflict):
        service.set_account_active(uow, code="1122", active=False, actor=books)
    renamed = service.rename_account(
        uow, code="6601", name_zh="销售费用-广告", name_en="Selling - ads", actor=books
    )
    assert renamed["name_zh"] == "销售费用-广告"
    assert service.ensure_chart(uow) == 0  # start-up keeps finance's names
    assert {a["code"]: a["name_en"] for a in queries.list_accounts(uow, actor=books)}[
        "6601"
    ] == "Selling - ads"


def test_parallel_reports_of_one_shipment_post_it_once(uow):
    # given eight workers that learn of the same shipment at once
    facts = shipment("SH-9", 9, "100.00", on=at_noon(date(2026, 3, 10)), cost="60")
    start = threading.Barrier(8)

    def report(_):
        start.wait()
        return service.post_shipment(UnitOfWork(), facts=facts, actor=SYS)

    # when
    with ThreadPoolExecutor(8) as pool:
        ids = set(pool.map(report, range(8)))
    # then
    assert len(ids) == 1
    assert counts(uow)[:3] == (1, 5, 1)


def test_parallel_payments_on_one_order_settle_the_receivable_exactly_once(uow):
    # given an order billed 113.00 and six payments of 30.00 arriving together
    service.post_shipment(
        uow, facts=shipment("SH-1", 1, "100.00", on=at_noon(date(2026, 3, 10))), actor=SYS
    )
    start = threading.Barrier(6)

    def pay(payment_id):
        start.wait()
        facts = payment(payment_id, 1, "30.00", on=at_noon(date(2026, 3, 11)), method="card")
        return service.post_payment(UnitOfWork(), facts=facts, actor=SYS)

    # when
    with ThreadPoolExecutor(6) as pool:
        list(pool.map(pay, range(1, 7)))
    # then the receivable is settled, not overdrawn, and the rest is an advance receipt
    assert service.order_balance(uow, order_id=1, account_code="1122") == D("0.00")
    assert service.order_balance(uow, order_id=1, account_code="2203") == D("-67.00")
